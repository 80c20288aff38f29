"""``zhijian assembly-rate``: files written, exit codes, one-line reasons on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.assembly_models import WORKED_DECLARATION, residence, worked_example
from zhijian.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_worked_example_writes_json_and_the_calculation_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = worked_example("mm").save(tmp_path / "worked.ifc")
    declaration = tmp_path / "declaration.toml"
    declaration.write_text(WORKED_DECLARATION, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, _ = _run(capsys, "assembly-rate", str(model), "--declare", str(declaration), "--out", str(out))
    assert code == 0
    assert "P = 59.7 %" in stdout and "prefabricated building: yes" in stdout and "grade: none" in stdout
    data = json.loads((out / "assembly-rate.json").read_text(encoding="utf-8"))
    assert data["result_version"] == 1
    assert data["P"] == 59.7
    assert data["scores"] == {"Q1": 37.4, "Q2": 12.5, "Q3": 9.8, "Q4": 0.0}
    assert data["building"] == "1#楼"
    assert data["inputs"]["declarations"] == "declaration.toml"
    assert data["recognised"] is True and data["grade"] is None and data["advisory"] is True
    q1a = next(i for i in data["items"] if i["symbol"] == "q1a")
    assert q1a["counts"] == {"elements": 3, "counted": 2, "unmeasured": 0}
    assert {e["name"]: e["quantity"] for e in q1a["elements"]}["预制剪力墙 YWQ-1"] == 1200.0
    kitchen = next(i for i in data["items"] if i["key"] == "integrated_kitchen")
    assert kitchen["declaration"]["declared_by"] == "张工"
    html = (out / "assembly-rate.html").read_text(encoding="utf-8")
    assert "装配式建筑评价表" in html and "59.7%" in html and "预制剪力墙 YWQ-1" in html
    assert "<link" not in html and "<script" not in html  # self-contained


def test_the_sheet_can_be_written_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = residence(vertical=(40.0, 60.0), horizontal=(80.0, 20.0)).save(tmp_path / "m.ifc")
    code, _, _ = _run(capsys, "assembly-rate", str(model), "--out", str(tmp_path), "--lang", "en")
    assert code == 0
    html = (tmp_path / "assembly-rate.html").read_text(encoding="utf-8")
    assert "Prefabricated building assessment" in html and 'lang="en"' in html


def test_element_lists_are_bounded_but_state_the_full_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder = residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0))
    storey = builder.file.by_type("IfcBuildingStorey")[0]
    for n in range(205):
        builder.element("IfcColumn", storey, f"KZ-{n}", quantities={"NetVolume": 0.1})
    model = builder.save(tmp_path / "m.ifc")
    assert _run(capsys, "assembly-rate", str(model), "--out", str(tmp_path))[0] == 0
    html = (tmp_path / "assembly-rate.html").read_text(encoding="utf-8")
    assert "共 207 个，显示前 200 个" in html
    assert "KZ-199" in html and "KZ-200" not in html  # columns come first
    data = json.loads((tmp_path / "assembly-rate.json").read_text(encoding="utf-8"))
    assert len(data["items"][0]["elements"]) == 207  # the JSON is complete


def test_a_model_without_structural_elements_exits_2_naming_the_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = residence(envelope=(10.0, 0.0)).save(tmp_path / "m.ifc")
    code, _, err = _run(capsys, "assembly-rate", str(model), "--out", str(tmp_path))
    assert code == 2
    assert err.startswith("zhijian: error: cannot compute the assembly rate: q1a 柱、支撑、承重墙、延性墙板等竖向构件")
    assert "no vertical load-bearing members" in err and "q1b" in err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "assembly-rate.html").exists()  # the sheet still says what is missing


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--building", "9#楼"], "no building named '9#楼' in the model; buildings: 1#楼"),
        (["--declare", "{bad_declaration}"], "line 2: unknown item 'kitchen'"),
        (["--declare", "{missing}"], "no such declaration file"),
        (["--override", "{bad_override}"], "line 2: guid NOPE is not an element of this model"),
        (["--table", "hunan"], "unknown scoring table 'hunan'"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    model = residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0)).save(tmp_path / "m.ifc")
    bad_declaration = tmp_path / "d.toml"
    bad_declaration.write_text(
        '[[items]]\nkey = "kitchen"\nvalue = 0.8\ndeclared_by = "a"\nrole = "b"\ndate = "2026-05-01"\nevidence = "c"\n',
        encoding="utf-8",
    )
    bad_override = tmp_path / "o.csv"
    bad_override.write_text("guid,precast,reason\nNOPE,true,x\n", encoding="utf-8")
    paths = {"bad_declaration": bad_declaration, "missing": tmp_path / "nope.toml", "bad_override": bad_override}
    argv = [a.format(**paths) for a in extra]
    code, _, err = _run(capsys, "assembly-rate", str(model), "--out", str(tmp_path / "out"), *argv)
    assert code == 2
    assert err.startswith("zhijian: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_that_is_not_ifc_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.ifc"
    path.write_text("hello", encoding="utf-8")
    code, _, err = _run(capsys, "assembly-rate", str(path), "--out", str(tmp_path))
    assert code == 2 and "not an IFC file" in err
