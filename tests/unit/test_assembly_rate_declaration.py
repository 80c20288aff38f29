"""Declaration files: what the model cannot show, refused with the line and key at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.assembly_models import declared
from zhijian.domain.errors import DeclarationError
from zhijian.domain.prefab.declaration import load_declarations, parse_declarations
from zhijian.domain.prefab.scoring_table import load_table

TABLE = load_table()


def toml_item(key: str, value: str, extra: str = "") -> str:
    return declared(key, value, "施工图", date='"2026-05-01"') + f"{extra}\n"


def test_a_toml_declaration_reads_ratios_percentages_yes_no_and_absence() -> None:
    text = (
        toml_item("full_fitout", "true")
        + toml_item("q3b", '"75%"')
        + toml_item("integrated_bathroom", '"缺项"')
        + toml_item("pipe_separation", "0.5")
        + toml_item("envelope_non_masonry", '"absent"')
    )
    declarations = parse_declarations(text, "toml", TABLE, "d.toml")
    items = declarations.items
    assert items["full_fitout"].value is True
    assert items["integrated_kitchen"].value == pytest.approx(0.75)  # by its symbol q3b
    assert items["integrated_bathroom"].absent and items["integrated_bathroom"].value is None
    assert items["pipe_separation"].value == 0.5
    assert items["envelope_non_masonry"].absent
    assert items["full_fitout"].declared_by == "张工"
    assert items["full_fitout"].date == "2026-05-01"
    assert items["integrated_kitchen"].line == 10  # each item takes 8 lines


def test_a_json_declaration_reads_the_same_fields(tmp_path: Path) -> None:
    path = tmp_path / "declaration.json"
    row = {"declared_by": "张工", "role": "建设单位", "date": "2026-05-01", "evidence": "合同"}
    path.write_text(
        json.dumps({"project": "长沙某项目", "items": [{"key": "full_fitout", "value": "是", **row}]}, ensure_ascii=False),
        encoding="utf-8",
    )
    declarations = load_declarations(path, TABLE)
    assert declarations.file == "declaration.json"
    assert declarations.project == "长沙某项目"
    assert declarations.items["full_fitout"].value is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (toml_item("kitchen", "0.8"), "d.toml line 2: unknown item 'kitchen'; declarable items: "),
        (toml_item("integrated_kitchen", "1.2"), "d.toml line 2: item 'integrated_kitchen': value 1.2 is out of range: a ratio must be between 0 and 1"),
        (toml_item("integrated_kitchen", "75"), "value 75 is out of range"),
        (toml_item("integrated_kitchen", '"120%"'), "value 120% is out of range"),
        (toml_item("integrated_kitchen", "-0.1"), "value -0.1 is out of range"),
        (toml_item("integrated_kitchen", '"a lot"'), "value 'a lot' is not a ratio"),
        (toml_item("integrated_kitchen", "true"), "must be a ratio between 0 and 1"),
        (toml_item("full_fitout", "0.5"), "item 'full_fitout': value 0.5 must be yes or no"),
        (toml_item("full_fitout", '"absent"'), "cannot be absent"),
        (toml_item("vertical_members", "0.5"), "item 'vertical_members' .* is computed from the model and cannot be declared"),
        (toml_item("envelope_non_masonry", "0.9"), "only its absence, value = \"absent\", can be declared"),
        ('[[items]]\nkey = "dry_floor"\nvalue = 0.8\n', "d.toml line 2: item 'dry_floor' missing declared_by, role, date, evidence"),
        (toml_item("dry_floor", "0.8", 'signed = "x"\n'), "unknown field signed"),
        (toml_item("dry_floor", "0.8").replace("2026-05-01", "01/05/2026"), "date '01/05/2026' is not an ISO date"),
        (toml_item("dry_floor", "0.8") + toml_item("dry_floor", "0.9"), "line 10: item 'dry_floor' is declared twice \\(first on line 2\\)"),
        ('title = "x"\n' + toml_item("dry_floor", "0.8"), "unknown top-level key title"),
        ('table = "DBJ43/T 1"\n' + toml_item("dry_floor", "0.8"), "declared for table 'DBJ43/T 1'"),
        ("items = []\n", "'items' must be a non-empty list"),
        ("[[items]\n", "not valid TOML"),
    ],
)
def test_a_bad_toml_declaration_is_refused_with_the_line_and_key_at_fault(text: str, message: str) -> None:
    with pytest.raises(DeclarationError, match=message):
        parse_declarations(text, "toml", TABLE, "d.toml")


def test_a_bad_json_declaration_names_the_line_of_the_item() -> None:
    text = (
        '{"items": [\n'
        '  {"key": "full_fitout", "value": true, "declared_by": "a", "role": "b", "date": "2026-05-01", "evidence": "c"},\n'
        '  {"key": "integrated_kitchen", "value": 1.5, "declared_by": "a", "role": "b", "date": "2026-05-01", "evidence": "c"}\n'
        "]}"
    )
    with pytest.raises(DeclarationError, match=r"d\.json line 3: item 'integrated_kitchen': value 1\.5 is out of range"):
        parse_declarations(text, "json", TABLE, "d.json")
    with pytest.raises(DeclarationError, match="line 1: not valid JSON"):
        parse_declarations('{"items": [', "json", TABLE, "d.json")


def test_a_declaration_file_must_exist_and_be_json_or_toml(tmp_path: Path) -> None:
    with pytest.raises(DeclarationError, match="no such declaration file"):
        load_declarations(tmp_path / "missing.toml", TABLE)
    path = tmp_path / "d.yaml"
    path.write_text("items: []", encoding="utf-8")
    with pytest.raises(DeclarationError, match=r"must be \.json or \.toml"):
        load_declarations(path, TABLE)
