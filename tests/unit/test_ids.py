"""IDS 1.0 files run as rule packs: specifications become rule rows, failing entities findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import ModelIndex, build_index
from zhijian.domain.errors import BadIdsError, InputError
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.ids import run_ids

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ids xmlns="http://standards.buildingsmart.org/IDS" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://standards.buildingsmart.org/IDS'
    ' http://standards.buildingsmart.org/IDS/1.0/ids.xsd">\n'
    "<info><title>{title}</title></info><specifications>{specs}</specifications></ids>\n"
)

WALLS_EXTERNAL = """
<specification name="Walls state IsExternal" identifier="W-01" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2"
               description="every wall says whether it is external">
  <applicability minOccurs="{min_occurs}" maxOccurs="unbounded">
    <entity><name><simpleValue>IFCWALL</simpleValue></name></entity>
  </applicability>
  <requirements>
    <property dataType="IFCBOOLEAN">
      <propertySet><simpleValue>Pset_WallCommon</simpleValue></propertySet>
      <baseName><simpleValue>IsExternal</simpleValue></baseName>
    </property>
    <attribute><name><simpleValue>Name</simpleValue></name></attribute>
  </requirements>
</specification>
"""

NO_PROXIES = """
<specification name="No proxies" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2">
  <applicability minOccurs="0" maxOccurs="0">
    <entity><name><simpleValue>IFCBUILDINGELEMENTPROXY</simpleValue></name></entity>
  </applicability>
</specification>
"""

IFC2X3_ONLY = """
<specification name="Old doors" ifcVersion="IFC2X3">
  <applicability minOccurs="1" maxOccurs="unbounded">
    <entity><name><simpleValue>IFCDOOR</simpleValue></name></entity>
  </applicability>
  <requirements><attribute><name><simpleValue>Name</simpleValue></name></attribute></requirements>
</specification>
"""


def write_ids(tmp_path: Path, *specs: str, name: str = "walls", title: str = "Wall data") -> Path:
    path = tmp_path / f"{name}.ids"
    path.write_text(HEADER.format(title=title, specs="".join(specs)), encoding="utf-8")
    return path


def walls_model(*, complete: bool, schema: str = "IFC4", unit: str = "mm", walls: bool = True) -> ModelIndex:
    builder = ModelBuilder(schema=schema, unit=unit)
    storey = builder.storey("1F", 0)
    if walls:
        builder.element("IfcWall", storey, "外墙 W1", psets={"Pset_WallCommon": {"IsExternal": True}})
        if complete:
            builder.element("IfcWall", storey, "内墙 W2", psets={"Pset_WallCommon": {"IsExternal": False}})
        else:
            builder.element("IfcWall", storey, "内墙 W2", psets={"Pset_WallCommon": {"LoadBearing": True}})
            builder.element("IfcWall", storey, None)
    return build_index(builder.file)


def test_complete_walls_pass_the_required_specification(tmp_path: Path) -> None:
    ids_path = write_ids(tmp_path, WALLS_EXTERNAL.format(min_occurs=1))
    pack, rules, findings = run_ids(walls_model(complete=True), ids_path)
    assert pack["id"] == "IDS:walls" and pack["title"] == "Wall data" and len(pack["version"]) == 12
    (row,) = rules
    assert row["rule_id"] == "IDS:walls:Walls state IsExternal"
    assert row["standard"] == "IDS" and row["clause"] == "W-01" and row["mandatory"] is True
    assert row["description"] == "every wall says whether it is external"
    assert (row["checked"], row["passed"], row["failed"]) == (2, 2, 0)
    assert len(row["_guids"]) == 2
    assert findings == []


@pytest.mark.parametrize(("schema", "unit"), [("IFC4", "mm"), ("IFC2X3", "m"), ("IFC4X3", "mm")])
def test_walls_without_is_external_or_name_fail(tmp_path: Path, schema: str, unit: str) -> None:
    ids_path = write_ids(tmp_path, WALLS_EXTERNAL.format(min_occurs=1))
    index = walls_model(complete=False, schema=schema, unit=unit)
    _, (row,), findings = run_ids(index, ids_path)
    assert (row["checked"], row["passed"], row["failed"]) == (3, 1, 2)
    by_name = {f["name"]: f for f in findings}
    inner = by_name["内墙 W2"]
    assert inner["status"] == "fail" and inner["ifc_class"] == "IfcWall" and inner["storey"] == "1F"
    assert index.elements[inner["guid"]].name == "内墙 W2"
    assert inner["measured"] is None and inner["required"] is None
    assert "IsExternal" in inner["message_zh"] and "IsExternal" in inner["message_en"]
    assert "属性集 Pset_WallCommon" in inner["message_zh"]
    assert "Name" not in inner["message_en"]  # the named wall fails only the property
    unnamed = next(f for f in findings if f["guid"] not in (inner["guid"],))
    assert "Name" in unnamed["message_en"] and "属性 Name" in unnamed["message_zh"]
    assert "缺少属性集" in unnamed["message_zh"]  # it has no Pset_WallCommon at all


def test_required_specification_without_applicable_entities_fails_on_the_project(tmp_path: Path) -> None:
    ids_path = write_ids(tmp_path, WALLS_EXTERNAL.format(min_occurs=1))
    index = walls_model(complete=True, walls=False)
    _, (row,), (finding,) = run_ids(index, ids_path)
    assert finding["ifc_class"] == "IfcProject"
    assert finding["guid"] == index.ifc.by_type("IfcProject")[0].GlobalId
    assert "至少" in finding["message_zh"] and "at least one" in finding["message_en"]
    assert (row["checked"], row["failed"]) == (1, 1)


def test_optional_specification_without_applicable_entities_passes(tmp_path: Path) -> None:
    ids_path = write_ids(tmp_path, WALLS_EXTERNAL.format(min_occurs=0))
    _, (row,), findings = run_ids(walls_model(complete=True, walls=False), ids_path)
    assert findings == [] and row["mandatory"] is False and row["checked"] == 0


def test_prohibited_entities_are_findings(tmp_path: Path) -> None:
    builder = ModelBuilder()
    storey = builder.storey("1F", 0)
    proxy = builder.element("IfcBuildingElementProxy", storey, "不明构件")
    ids_path = write_ids(tmp_path, NO_PROXIES)
    _, (row,), (finding,) = run_ids(build_index(builder.file), ids_path)
    assert row["mandatory"] is True and row["failed"] == 1
    assert finding["guid"] == proxy.GlobalId and "禁止" in finding["message_zh"]


def test_specification_for_another_schema_checks_nothing(tmp_path: Path) -> None:
    ids_path = write_ids(tmp_path, IFC2X3_ONLY, WALLS_EXTERNAL.format(min_occurs=1))
    _, rows, findings = run_ids(walls_model(complete=True), ids_path)
    old_doors = next(r for r in rows if r["title_en"] == "Old doors")
    assert old_doors["checked"] == 0 and old_doors["failed"] == 0
    assert findings == []  # a required IFC2X3 spec does not fail an IFC4 model


def test_duplicate_specification_names_get_distinct_rule_ids(tmp_path: Path) -> None:
    spec = WALLS_EXTERNAL.format(min_occurs=1)
    _, rows, _ = run_ids(walls_model(complete=True), write_ids(tmp_path, spec, spec))
    assert len({r["rule_id"] for r in rows}) == 2


def test_ids_findings_enter_the_report_and_count_as_mandatory(tmp_path: Path) -> None:
    ids_path = write_ids(tmp_path, WALLS_EXTERNAL.format(min_occurs=1))
    report = run_review(walls_model(complete=False), [], ids_files=[ids_path])
    assert report["packs"][-1]["id"] == "IDS:walls"
    assert report["summary"]["rules"] == 1
    assert report["summary"]["failed"] == 2 and report["summary"]["mandatory_failed"] == 2
    assert report["summary"]["elements_checked"] == 3
    assert all("_guids" not in r for r in report["rules"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("hello, this is not XML\n", "invalid XML syntax"),
        ("", "invalid XML syntax"),
        ('<?xml version="1.0"?><foo/>', "not an element of the schema"),
        (HEADER.format(title="t", specs="<specification/>"), "invalid IDS file"),
    ],
    ids=["not-xml", "empty", "wrong-root", "spec-without-attributes"],
)
def test_bad_ids_files_raise_one_line_input_errors(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.ids"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadIdsError, match=reason) as caught:
        run_ids(walls_model(complete=True), path)
    assert isinstance(caught.value, InputError)
    assert "\n" not in str(caught.value)


def test_missing_ids_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(BadIdsError, match="no such IDS file"):
        run_ids(walls_model(complete=True), tmp_path / "absent.ids")


def test_pre_release_ids_draft_is_refused() -> None:
    molio = SHARED / "data" / "ids" / "Molio_Example.ids"
    if not molio.is_file():
        pytest.skip(f"shared data not present at {molio}")
    with pytest.raises(BadIdsError, match="minOccurs") as caught:
        run_ids(walls_model(complete=True), molio)
    assert "\n" not in str(caught.value)
