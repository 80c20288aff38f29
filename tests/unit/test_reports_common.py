"""A sample report (contract version 1) shared by the writer tests, and what all writers share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhijian.domain.reports import writers

STOREYS = [
    {"guid": "2O2Fr$t4X7Zf8NOew3FL9r", "name": "1F", "elevation_m": 0.0},
    {"guid": "2O2Fr$t4X7Zf8NOew3FLAA", "name": "2F", "elevation_m": 3.0},
]

RULES = [
    {
        "rule_id": "GB55038-2025-4.2.1",
        "version": "1",
        "standard": "GB 55038-2025",
        "clause": "4.2.1",
        "mandatory": True,
        "advisory": False,
        "verification": "V",
        "standard_status": "current",
        "discipline": "architecture",
        "title_zh": "卧室使用面积",
        "title_en": "Bedroom floor area",
        "checked": 10,
        "passed": 6,
        "failed": 4,
        "missing_data": 0,
        "not_applicable": 0,
    },
    {
        "rule_id": "GB50096-2011-6.1.3",
        "version": "2",
        "standard": "GB 50096-2011",
        "clause": "6.1.3",
        "mandatory": False,
        "advisory": False,
        "verification": "V",
        "standard_status": "mandatory_repealed",
        "discipline": "architecture",
        "title_zh": "栏杆高度",
        "title_en": "Railing height",
        "checked": 70,
        "passed": 6,
        "failed": 61,
        "missing_data": 3,
        "not_applicable": 1,
    },
    {
        "rule_id": "GB50016-2014-5.5.18",
        "version": "1",
        "standard": "GB 50016-2014",
        "clause": "5.5.18",
        "mandatory": True,
        "advisory": True,
        "verification": "S",
        "standard_status": "current",
        "discipline": "fire",
        "title_zh": "疏散门净宽",
        "title_en": "Exit door clear width",
        "checked": 0,
        "passed": 0,
        "failed": 0,
        "missing_data": 0,
        "not_applicable": 0,
    },
]


def _guid(n: int) -> str:
    return f"0{n:021d}"


def _finding(rule: dict[str, Any], n: int, storey: str | None, status: str = "fail", **extra: Any) -> dict[str, Any]:
    return {
        "rule_id": rule["rule_id"],
        "rule_version": rule["version"],
        "standard": rule["standard"],
        "clause": rule["clause"],
        "mandatory": rule["mandatory"],
        "advisory": rule["advisory"],
        "status": status,
        "guid": _guid(n),
        "ifc_class": "IfcSpace",
        "name": f"房间 {n}",
        "storey": storey,
        "measured": 8.25 if status == "fail" else None,
        "required": 9.0,
        "unit": "m2",
        "message_zh": f"使用面积 8.25 m²，不满足要求 ≥ 9 m²（{n}）",
        "message_en": f"usable floor area 8.25 m² does not meet the requirement ≥ 9 m² ({n})",
        **extra,
    }


def sample_report() -> dict[str, Any]:
    """Findings: rule 1 fails 3× on 1F (one with hostile text) and 1× on 2F; rule 2 fails 60×
    on 2F and once without a storey, and lacks data 3× on 1F."""
    bedroom, railing, _ = RULES
    findings = [_finding(bedroom, n, "1F") for n in (1, 2)]
    findings.append(_finding(bedroom, 3, "1F", name="<script>alert('x')</script>", message_zh="<b>粗</b> & 细"))
    findings.append(_finding(bedroom, 4, "2F", name="=HYPERLINK(\"http://evil\")"))
    findings += [_finding(railing, 100 + n, "2F") for n in range(60)]
    findings.append(_finding(railing, 200, None))
    findings += [_finding(railing, 300 + n, "1F", status="missing_data") for n in range(3)]
    return {
        "report_version": 1,
        "model": {
            "file": "示例住宅.ifc",
            "sha256": "ab" * 32,
            "schema": "IFC4",
            "length_unit": "MILLIMETRE",
            "elements": 120,
            "storeys": STOREYS,
        },
        "packs": [
            {"id": "gb55038-2025", "version": "2025.1", "title": "住宅项目规范", "title_en": "Residential project code"},
            {"id": "gb50096-2011", "version": "2011.1", "title": "住宅设计规范", "title_en": "Residential design code"},
        ],
        "summary": {
            "rules": 3,
            "elements_checked": 80,
            "failed": 65,
            "missing_data": 3,
            "mandatory_failed": 4,
            "duration_s": 0.42,
        },
        "rules": [dict(r) for r in RULES],
        "findings": findings,
    }


def empty_report() -> dict[str, Any]:
    report = sample_report()
    report["model"]["storeys"] = []
    report["findings"] = []
    report["summary"].update(failed=0, missing_data=0, mandatory_failed=0)
    return report


def test_every_format_has_a_writer() -> None:
    assert set(writers()) == {"json", "html", "bcf", "csv"}


@pytest.mark.parametrize("fmt", ["json", "html", "bcf", "csv"])
def test_every_writer_handles_a_report_without_findings_or_storeys(tmp_path: Path, fmt: str) -> None:
    path = writers()[fmt](empty_report(), tmp_path, "zh")
    assert path.parent == tmp_path and path.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["json", "html", "bcf", "csv"])
def test_every_writer_creates_the_output_directory(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "a" / "b"
    assert writers()[fmt](sample_report(), out, "en").is_file()
