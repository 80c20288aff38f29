"""findings.csv: UTF-8 with BOM, one row per finding with every contract field."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.unit.test_reports_common import sample_report
from zhijian.domain.reports.csv_report import COLUMNS, write_csv

CONTRACT_FIELDS = {
    "rule_id", "rule_version", "standard", "clause", "mandatory", "status", "guid", "ifc_class",
    "name", "storey", "measured", "required", "unit", "message_zh", "message_en",
}  # fmt: skip


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_starts_with_a_bom_and_reads_back_row_for_row(tmp_path: Path) -> None:
    report = sample_report()
    path = write_csv(report, tmp_path)
    assert path.name == "findings.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_rows(path)
    assert len(rows) == len(report["findings"])
    assert set(rows[0]) >= CONTRACT_FIELDS and list(rows[0]) == list(COLUMNS)
    for row, finding in zip(rows, report["findings"], strict=True):
        assert row["guid"] == finding["guid"]
        assert row["rule_id"] == finding["rule_id"] and row["status"] == finding["status"]
        assert row["mandatory"] == ("true" if finding["mandatory"] else "false")
        assert row["message_zh"] == finding["message_zh"] and row["message_en"] == finding["message_en"]
        assert row["storey"] == (finding["storey"] or "")
        if finding["measured"] is None:
            assert row["measured"] == ""
        else:
            assert float(row["measured"]) == finding["measured"]


def test_chinese_text_survives_the_round_trip(tmp_path: Path) -> None:
    rows = read_rows(write_csv(sample_report(), tmp_path))
    assert rows[0]["name"] == "房间 1"
    assert rows[0]["message_zh"].startswith("使用面积 8.25 m²，不满足要求 ≥ 9 m²")


def test_cells_that_would_run_as_spreadsheet_formulas_are_defused(tmp_path: Path) -> None:
    rows = read_rows(write_csv(sample_report(), tmp_path))
    hostile = next(r for r in rows if "HYPERLINK" in r["name"])
    assert hostile["name"] == "'=HYPERLINK(\"http://evil\")"


def test_report_without_findings_gives_a_header_only(tmp_path: Path) -> None:
    report = sample_report()
    report["findings"] = []
    path = write_csv(report, tmp_path)
    assert read_rows(path) == []
    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(COLUMNS)
