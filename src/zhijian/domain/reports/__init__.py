"""Report writers. The JSON report is canonical; every other format is derived from it.

Each writer is ``write(report: dict, out_dir: Path, lang: str) -> Path``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhijian.domain.reports.json_report import write_json

Writer = Callable[[dict[str, Any], Path, str], Path]


def writers() -> dict[str, Writer]:
    """Format name → writer. Imported lazily so that one format's libraries load only when used."""
    found: dict[str, Writer] = {"json": write_json}
    try:
        from zhijian.domain.reports.html_report import write_html

        found["html"] = write_html
    except ImportError:
        pass
    try:
        from zhijian.domain.reports.bcf_report import write_bcf

        found["bcf"] = write_bcf
    except ImportError:
        pass
    try:
        from zhijian.domain.reports.csv_report import write_csv

        found["csv"] = write_csv
    except ImportError:
        pass
    return found
