"""``findings.csv``: one row per finding of the JSON report, for spreadsheets.

UTF-8 with a byte-order mark, because Excel reads a BOM-less CSV in the system code page and
garbles Chinese. Column names are the contract's field names in both languages, so the file
is also machine-readable; both messages are always included.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

# The finding fields of report version 1 (shared/DESIGN.md), then the engine's extras.
COLUMNS = (
    "rule_id",
    "rule_version",
    "standard",
    "clause",
    "mandatory",
    "advisory",
    "status",
    "guid",
    "ifc_class",
    "name",
    "storey",
    "measured",
    "required",
    "unit",
    "message_zh",
    "message_en",
)

# A text cell starting with one of these is run as a formula by spreadsheets (CSV injection);
# element names come from model files, so such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(report: dict[str, Any], out_dir: Path, lang: str = "zh") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "findings.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for finding in report["findings"]:
            writer.writerow([_cell(finding.get(column)) for column in COLUMNS])
    return path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
