"""End to end: ``zhijian check`` on models built in code and on real models, every format.

Reports are checked against the JSON contract (report version 1 of shared/DESIGN.md) and the
derived formats against the JSON; bad input must give exit 2 and one line on stderr.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHARED, shared_models
from zhijian.cli import main
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.reports.bcf_report import read_bcf

BEDROOM_RULE = "GB50096-2011-5.2.1"
ALL_FORMATS = "json,html,bcf,csv"

# -- the contract -----------------------------------------------------------------------

NUMBER = (int, float)
OPT_STR = (str, type(None))
CONTRACT: dict[str, dict[str, Any]] = {
    "report": {
        "report_version": int, "model": dict, "packs": list, "summary": dict, "rules": list, "findings": list,
    },
    "model": {
        "file": OPT_STR, "sha256": OPT_STR, "schema": str, "length_unit": OPT_STR, "elements": int, "storeys": list,
    },
    "storey": {"guid": str, "name": OPT_STR, "elevation_m": NUMBER},
    "pack": {"id": str, "version": str, "title": str},
    "summary": {
        "rules": int, "elements_checked": int, "failed": int, "missing_data": int, "mandatory_failed": int,
        "duration_s": NUMBER,
    },
    "rule": {
        "rule_id": str, "version": str, "standard": str, "clause": str, "mandatory": bool, "discipline": str,
        "title_zh": str, "title_en": str, "checked": int, "passed": int, "failed": int, "missing_data": int,
        "not_applicable": int,
    },
    "finding": {
        "rule_id": str, "rule_version": str, "standard": str, "clause": str, "mandatory": bool, "status": str,
        "guid": str, "ifc_class": OPT_STR, "name": OPT_STR, "storey": OPT_STR, "measured": (int, float, type(None)),
        "required": (int, float, type(None)), "unit": str, "message_zh": str, "message_en": str,
    },
}  # fmt: skip

# Keys the engine writes beyond the contract. A key in neither list fails the test: a new key
# must be added to the contract in DESIGN.md (or here, when it is an engine detail) on purpose.
KNOWN_EXTRAS: dict[str, dict[str, Any]] = {
    "report": {}, "model": {}, "storey": {}, "summary": {},
    "pack": {"title_en": OPT_STR},
    "rule": {
        "advisory": bool, "verification": str, "standard_status": str, "description": str,
        "status_note_zh": str, "status_note_en": str,
    },
    "finding": {"advisory": bool},
}  # fmt: skip


def _check_keys(kind: str, value: dict[str, Any], where: str) -> None:
    assert isinstance(value, dict), f"{where} is not an object"
    required, extras = CONTRACT[kind], KNOWN_EXTRAS[kind]
    missing = sorted(set(required) - set(value))
    unknown = sorted(set(value) - set(required) - set(extras))
    assert not missing, f"{where} lacks contract keys {missing}"
    assert not unknown, f"{where} has keys outside the contract {unknown}"
    for key, expected in {**required, **extras}.items():
        if key in value:
            actual = value[key]
            ok = isinstance(actual, expected) and not (expected in (int, NUMBER) and isinstance(actual, bool))
            assert ok, f"{where}.{key} = {actual!r} is not {expected}"


def assert_report_contract(report: dict[str, Any]) -> None:
    """Every key and type of report version 1, plus the counts that must agree."""
    _check_keys("report", report, "report")
    assert report["report_version"] == 1
    model = report["model"]
    _check_keys("model", model, "model")
    if model["sha256"] is not None:
        assert len(model["sha256"]) == 64 and int(model["sha256"], 16) >= 0
    assert model["schema"].upper().startswith(("IFC2X3", "IFC4"))
    for i, storey in enumerate(model["storeys"]):
        _check_keys("storey", storey, f"model.storeys[{i}]")
    for i, pack in enumerate(report["packs"]):
        _check_keys("pack", pack, f"packs[{i}]")
    summary = report["summary"]
    _check_keys("summary", summary, "summary")
    assert summary["duration_s"] >= 0
    rules, findings = report["rules"], report["findings"]
    for i, rule in enumerate(rules):
        _check_keys("rule", rule, f"rules[{i}]")
        counts = [rule[k] for k in ("checked", "passed", "failed", "missing_data", "not_applicable")]
        assert min(counts) >= 0
        assert rule["passed"] + rule["failed"] + rule["missing_data"] <= rule["checked"]
    for i, finding in enumerate(findings):
        _check_keys("finding", finding, f"findings[{i}]")
        assert finding["status"] in ("fail", "missing_data")
    rule_ids = [r["rule_id"] for r in rules]
    assert len(rule_ids) == len(set(rule_ids)), "rule ids repeat"
    assert {f["rule_id"] for f in findings} <= set(rule_ids)
    assert summary["rules"] == len(rules)
    assert summary["failed"] == sum(f["status"] == "fail" for f in findings)
    assert summary["missing_data"] == sum(f["status"] == "missing_data" for f in findings)
    assert summary["mandatory_failed"] == sum(
        f["status"] == "fail" and f["mandatory"] and not f.get("advisory") for f in findings
    )
    for rule in rules:
        mine = [f for f in findings if f["rule_id"] == rule["rule_id"]]
        assert rule["failed"] == sum(f["status"] == "fail" for f in mine), rule["rule_id"]
        assert rule["missing_data"] == sum(f["status"] == "missing_data" for f in mine), rule["rule_id"]


def assert_derived_formats(out: Path, report: dict[str, Any], model_name: str) -> None:
    html = (out / "report.html").read_text(encoding="utf-8")
    assert model_name in html
    for rule in report["rules"]:
        assert rule["rule_id"] in html
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(report["findings"])
    assert [r["guid"] for r in rows] == [f["guid"] for f in report["findings"]]
    version, topics = read_bcf(out / "report.bcf")
    assert version == "3.0"
    groups = {(f["rule_id"], f["storey"], f["status"]) for f in report["findings"]}
    assert len(topics) == len(groups)
    selected = {g for t in topics for g in t.selected_guids}
    assert selected == {f["guid"] for f in report["findings"]}


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- models built in code -----------------------------------------------------------------


def residential_model(path: Path) -> Path:
    """Two storeys; one bedroom too small, one without any area (missing data), walls."""
    builder = ModelBuilder()
    first = builder.storey("1F", 0.0)
    second = builder.storey("2F", 3.0)
    builder.space(first, "101", "主卧", area=12.0, height=2.8)
    builder.space(first, "102", "次卧", area=4.2, height=2.8)
    builder.space(second, "201", "卧室")  # no quantities, no geometry
    builder.element("IfcWall", first, "外墙 W1", psets={"Pset_WallCommon": {"IsExternal": True}})
    builder.element("IfcWall", second, "内墙 W2")
    return builder.save(path)


WALL_IDS = """<?xml version="1.0" encoding="UTF-8"?>
<ids xmlns="http://standards.buildingsmart.org/IDS" xmlns:xs="http://www.w3.org/2001/XMLSchema"
     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
     xsi:schemaLocation="http://standards.buildingsmart.org/IDS http://standards.buildingsmart.org/IDS/1.0/ids.xsd">
  <info><title>墙体数据要求</title></info>
  <specifications>
    <specification name="Walls state IsExternal" identifier="W-01" ifcVersion="IFC2X3 IFC4 IFC4X3_ADD2">
      <applicability minOccurs="1" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCWALL</simpleValue></name></entity>
      </applicability>
      <requirements>
        <property><propertySet><simpleValue>Pset_WallCommon</simpleValue></propertySet>
          <baseName><simpleValue>IsExternal</simpleValue></baseName></property>
      </requirements>
    </specification>
  </specifications>
</ids>
"""


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return residential_model(tmp_path / "住宅-示例.ifc")


def test_check_writes_all_four_formats_for_a_model_built_in_code(
    tmp_path: Path, model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run_check(capsys, str(model), "--out", str(out), "--format", ALL_FORMATS)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert_report_contract(report)
    assert code == (1 if report["summary"]["mandatory_failed"] else 0)
    assert stderr == ""
    assert "住宅-示例.ifc" in stdout and str(out / "report.html") in stdout
    assert report["model"]["file"] == "住宅-示例.ifc"
    assert [s["name"] for s in report["model"]["storeys"]] == ["1F", "2F"]
    bedroom = [f for f in report["findings"] if f["rule_id"] == BEDROOM_RULE]
    assert {(f["name"], f["status"]) for f in bedroom} == {("次卧", "fail"), ("卧室", "missing_data")}
    small = next(f for f in bedroom if f["status"] == "fail")
    assert small["measured"] == pytest.approx(4.2) and small["unit"] == "m2" and small["storey"] == "1F"
    assert_derived_formats(out, report, "住宅-示例.ifc")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "规则检查结果" in html and "缺少所需数据" in html


def test_english_report_has_english_headings(tmp_path: Path, model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "en"
    run_check(capsys, str(model), "--out", str(out), "--lang", "en", "--format", "html,bcf")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    for heading in ("BIM model review report", "Summary", "Results by rule", "What could not be checked"):
        assert f">{heading}<" in html
    assert "规则检查结果" not in html
    _, topics = read_bcf(out / "report.bcf")
    assert any("Bedroom" in (t.title or "") for t in topics)
    assert not (out / "report.json").exists()  # only the formats asked for


def test_failing_ids_specification_makes_the_check_exit_1(
    tmp_path: Path, model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "walls.ids"
    ids.write_text(WALL_IDS, encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_check(capsys, str(model), "--ids", str(ids), "--out", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert_report_contract(report)
    assert code == 1 and stderr == ""
    assert report["packs"][-1]["id"] == "IDS:walls"
    (ids_finding,) = [f for f in report["findings"] if f["standard"] == "IDS"]
    assert ids_finding["name"] == "内墙 W2" and ids_finding["storey"] == "2F" and ids_finding["clause"] == "W-01"
    assert_derived_formats(out, report, model.name)


def test_check_runs_as_a_real_process(tmp_path: Path, model: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "zhijian.cli", "check", str(model), "--out", str(out), "--pack", "gb50096-2011"],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )  # fmt: skip
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert result.returncode == (1 if report["summary"]["mandatory_failed"] else 0), result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert f"{model.name}: {report['summary']['rules']} rules" in result.stdout
    assert [p["id"] for p in report["packs"]] == ["gb50096-2011"]
    for name in ("report.json", "report.html", "report.bcf", "findings.csv"):
        assert (out / name).is_file()


def test_model_without_storeys_says_what_could_not_be_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = ModelBuilder()
    builder.contain(builder.create("IfcWall", name="孤立墙"), builder.building)
    path = builder.save(tmp_path / "no-storeys.ifc")
    out = tmp_path / "out"
    code, _, stderr = run_check(capsys, str(path), "--out", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert_report_contract(report)
    assert code in (0, 1) and code == (1 if report["summary"]["mandatory_failed"] else 0) and stderr == ""
    assert report["model"]["storeys"] == []
    unchecked = [r for r in report["rules"] if r["checked"] == 0]
    assert unchecked and BEDROOM_RULE in {r["rule_id"] for r in unchecked}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "模型没有楼层（IfcBuildingStorey）" in html
    for rule in unchecked:
        assert f"{rule['rule_id']} {rule['title_zh']}：模型中没有适用的构件" in html


def test_model_without_spaces_says_the_room_rules_found_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = ModelBuilder()
    storey = builder.storey("1F", 0.0)
    builder.element("IfcWall", storey, "墙")
    builder.door(storey, "M1", width=0.9)
    path = builder.save(tmp_path / "no-spaces.ifc")
    out = tmp_path / "out"
    code, _, _ = run_check(capsys, str(path), "--out", str(out), "--lang", "en")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert_report_contract(report)
    assert code == (1 if report["summary"]["mandatory_failed"] else 0)
    bedroom = next(r for r in report["rules"] if r["rule_id"] == BEDROOM_RULE)
    assert bedroom["checked"] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"{BEDROOM_RULE} {bedroom['title_en']}: no applicable element in the model" in html


# -- real models made by others -------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize("path", shared_models() or [None], ids=lambda p: p.name if p else "absent")
def test_check_of_a_real_model(path: Path | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if path is None:
        pytest.skip(f"shared data not present at {SHARED / 'data' / 'ifc'} (tests read ../shared/data in place)")
    out = tmp_path / "out"
    code, _, stderr = run_check(capsys, str(path), "--out", str(out), "--format", ALL_FORMATS)
    assert stderr == ""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert_report_contract(report)
    assert code == (1 if report["summary"]["mandatory_failed"] else 0)
    assert report["model"]["file"] == path.name and report["model"]["elements"] > 0
    assert_derived_formats(out, report, path.name)


# -- bad input --------------------------------------------------------------------------------


def _bad_inputs(tmp: Path, good: Path) -> dict[str, tuple[list[str], str]]:
    """Case name → (arguments after ``check``, text the error line must contain)."""
    text = good.read_bytes()
    (tmp / "notes.ifc").write_text("hello, this is not a model\n")
    (tmp / "cut.ifc").write_bytes(text[: len(text) // 2])
    (tmp / "empty.ifc").write_bytes(b"")
    (tmp / "ifc9.ifc").write_bytes(text.replace(b"FILE_SCHEMA(('IFC4'))", b"FILE_SCHEMA(('IFC9'))"))
    with zipfile.ZipFile(tmp / "model.ifczip", "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    (tmp / "bad.ids").write_text("this is not XML")
    (tmp / "a-file").write_text("in the way")
    g, out = str(good), ["--out", str(tmp / "out")]
    cases = {
        "not-ifc": ([str(tmp / "notes.ifc"), *out], "not an IFC file"),
        "truncated": ([str(tmp / "cut.ifc"), *out], "truncated"),
        "empty": ([str(tmp / "empty.ifc"), *out], "empty"),
        "unknown-schema": ([str(tmp / "ifc9.ifc"), *out], "unsupported IFC schema 'IFC9'"),
        "zip-without-ifc": ([str(tmp / "model.ifczip"), *out], "contains no .ifc file"),
        "missing-model": ([str(tmp / "absent.ifc"), *out], "no such file"),
        "oversized": ([g, "--max-bytes", "100", *out], "over the limit"),
        "unknown-pack": ([g, "--pack", "gb99999", *out], "unknown rule pack gb99999"),
        "unknown-format": ([g, "--format", "json,docx", *out], "unknown format docx"),
        "missing-ids": ([g, "--ids", str(tmp / "absent.ids"), *out], "no such IDS file"),
        "invalid-ids": ([g, "--ids", str(tmp / "bad.ids"), *out], "invalid IDS file bad.ids: invalid XML syntax"),
        "unwritable-out": ([g, "--out", str(tmp / "a-file" / "out")], "a-file"),
        # The IDS is refused before the model is read: its error wins over the model's.
        "invalid-ids-first": ([str(tmp / "notes.ifc"), "--ids", str(tmp / "bad.ids"), *out], "invalid IDS file"),
    }
    molio = SHARED / "data" / "ids" / "Molio_Example.ids"
    if molio.is_file():
        cases["pre-release-ids"] = ([g, "--ids", str(molio), *out], "'minOccurs' attribute not allowed")
    return cases


BAD_CASES = [
    "not-ifc", "truncated", "empty", "unknown-schema", "zip-without-ifc", "missing-model", "oversized",
    "unknown-pack", "unknown-format", "missing-ids", "invalid-ids", "invalid-ids-first", "unwritable-out",
    "pre-release-ids",
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_exits_2_with_one_line(
    case: str, tmp_path: Path, model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _bad_inputs(tmp_path, model)
    if case not in cases:
        pytest.skip(f"shared data for {case} not present at {SHARED / 'data'}")
    args, reason = cases[case]
    code, stdout, stderr = run_check(capsys, *args)
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("zhijian: error: ")
    assert reason in lines[0]
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert not (tmp_path / "out" / "report.json").exists()


def test_bad_input_through_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "notes.ifc"
    path.write_text("not a model")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "zhijian.cli", "check", str(path), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("zhijian: error: not an IFC file") and result.stderr.count("\n") == 1
