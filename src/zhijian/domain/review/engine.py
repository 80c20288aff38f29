"""Run rule packs (and IDS files) over a model index and build the canonical JSON report.

The report is the contract of shared/DESIGN.md ("Review report (JSON, version 1)"); every
other format is derived from it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from zhijian.domain.bim.index import ModelIndex
from zhijian.domain.review.packs import Pack
from zhijian.domain.review.rule import CheckContext, Outcome, Rule, Status

REPORT_VERSION = 1

Progress = Callable[[int, int, str], None]


def run_review(
    index: ModelIndex,
    packs: Sequence[Pack],
    *,
    building_use: str = "residential",
    new_build: bool = True,
    ids_files: Sequence[Path] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Check every rule of the packs (then the IDS files) and return the JSON report.

    ``new_build=False`` reviews the renovation of an existing building, for which several
    codes set other limits (e.g. GB 55038 4.1.14 entrance doors, GB 55019 door widths).
    """
    started = time.perf_counter()
    ctx = CheckContext(index=index, building_use=building_use, new_build=new_build)
    rules = [rule for pack in packs for rule in pack.rules]
    total = len(rules) + len(ids_files)
    rule_rows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for position, rule in enumerate(rules):
        if progress:
            progress(position, total, rule.meta.rule_id)
        outcomes = list(rule.evaluate(ctx))
        rule_rows.append(_rule_row(rule, outcomes))
        findings.extend(_finding(index, rule, o) for o in outcomes if o.status in (Status.FAIL, Status.MISSING_DATA))
    pack_rows = [
        {"id": p.info.id, "version": p.info.version, "title": p.info.title_zh, "title_en": p.info.title_en}
        for p in packs
    ]
    if ids_files:
        from zhijian.domain.review.ids import run_ids  # ifctester is imported only when used

        for offset, ids_path in enumerate(ids_files):
            if progress:
                progress(len(rules) + offset, total, f"IDS {Path(ids_path).name}")
            ids_pack, ids_rules, ids_findings = run_ids(index, Path(ids_path))
            pack_rows.append(ids_pack)
            rule_rows.extend(ids_rules)
            findings.extend(ids_findings)
    if progress:
        progress(total, total, "done")
    return build_report(index, pack_rows, rule_rows, findings, time.perf_counter() - started)


def build_report(
    index: ModelIndex,
    packs: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    duration_s: float,
) -> dict[str, Any]:
    findings.sort(key=lambda f: (_storey_order(index, f["storey"]), f["rule_id"], f["guid"]))
    checked = _checked_guids(rules)
    return {
        "report_version": REPORT_VERSION,
        "model": model_summary(index),
        "packs": packs,
        "summary": {
            "rules": len(rules),
            "elements_checked": len(checked),
            "failed": sum(1 for f in findings if f["status"] == "fail"),
            "missing_data": sum(1 for f in findings if f["status"] == "missing_data"),
            "mandatory_failed": sum(
                1 for f in findings if f["status"] == "fail" and f["mandatory"] and not f.get("advisory")
            ),
            "duration_s": round(duration_s, 3),
        },
        "rules": rules,
        "findings": findings,
    }


def _checked_guids(rules: list[dict[str, Any]]) -> set[str]:
    """Distinct elements any rule checked; the private lists are dropped from the rows."""
    guids: set[str] = set()
    for row in rules:
        guids.update(row.pop("_guids", ()))
    return guids


def model_summary(index: ModelIndex) -> dict[str, Any]:
    return {
        "file": index.path.name if index.path else None,
        "sha256": index.sha256,
        "schema": index.schema,
        "length_unit": index.units.length_unit,
        "elements": len(index),
        "storeys": [
            {"guid": s.guid, "name": s.name, "elevation_m": s.elevation_m} for s in index.storeys
        ],
    }


def _storey_order(index: ModelIndex, storey_name: str | None) -> int:
    for storey in index.storeys:
        if storey.name == storey_name:
            return storey.index
    return 10_000


def _rule_row(rule: Rule, outcomes: list[Outcome]) -> dict[str, Any]:
    counts = Counter(o.status for o in outcomes)
    meta = rule.meta
    return {
        "rule_id": meta.rule_id,
        "version": meta.version,
        "standard": meta.standard,
        "clause": meta.clause,
        "mandatory": meta.mandatory,
        "advisory": meta.advisory,
        "verification": meta.verification.value,
        "standard_status": meta.standard_status.value,
        "status_note_zh": meta.status_note_zh,
        "status_note_en": meta.status_note_en,
        "discipline": meta.discipline,
        "title_zh": meta.title_zh,
        "title_en": meta.title_en,
        "checked": sum(counts[s] for s in (Status.PASS, Status.FAIL, Status.MISSING_DATA)),
        "passed": counts[Status.PASS],
        "failed": counts[Status.FAIL],
        "missing_data": counts[Status.MISSING_DATA],
        "not_applicable": counts[Status.NOT_APPLICABLE],
        "_guids": [o.guid for o in outcomes if o.status is not Status.NOT_APPLICABLE],
    }


def _finding(index: ModelIndex, rule: Rule, outcome: Outcome) -> dict[str, Any]:
    meta = rule.meta
    element = index.elements.get(outcome.guid)
    storey = index.storey(outcome.guid) if element is None else None  # storey-level rules
    return {
        "rule_id": meta.rule_id,
        "rule_version": meta.version,
        "standard": meta.standard,
        "clause": outcome.clause or meta.clause,
        "mandatory": meta.mandatory,
        "advisory": meta.advisory or outcome.advisory,
        "status": outcome.status.value,
        "guid": outcome.guid,
        "ifc_class": element.ifc_class if element else ("IfcBuildingStorey" if storey else None),
        "name": element.label if element else (storey.name if storey else None),
        "storey": index.storey_name(element) if element else (storey.name if storey else None),
        "measured": outcome.measured,
        "required": outcome.required,
        "unit": outcome.unit,
        "message_zh": outcome.message_zh,
        "message_en": outcome.message_en,
    }
