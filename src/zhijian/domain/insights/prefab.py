"""Precast indicators of the city: monthly output, QC first-pass rate, site rejection rate,
and the assembly-rate grades of buildings, from counts the database aggregated.

- *Produced / shipped / installed*: lifecycle events ``finish_production`` / ``ship`` /
  ``install`` by the month of their event time (a reworked component is produced once).
- *QC first-pass rate*: components QC'd in the period without any ``fail_qc`` ÷ components QC'd.
- *Site rejection rate*: components rejected on site ÷ components inspected (accepted or rejected).
- *Grades* (GB/T 51129): each building's current rating (the newest finished as-built
  evaluation, else the newest pre-evaluation). The grade bands rest on unverified facts (U in
  the scoring table), so the distribution is advisory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zhijian.domain.insights.stats import rate

GRADE_CLASSES = ("not_recognised", "recognised", "A", "AA", "AAA")  # "recognised": no grade yet (P < 60 %)
UNEVALUATED = "unevaluated"


@dataclass(frozen=True)
class PrefabMonth:
    month: str  # YYYY-MM
    produced: int
    shipped: int
    installed: int


@dataclass(frozen=True)
class QualityCount:
    qc_checked: int  # components with a QC result in the period
    qc_failed: int  # of those, components with a failed QC
    inspected: int  # components accepted or rejected on site
    rejected: int

    def __post_init__(self) -> None:
        if self.qc_failed > self.qc_checked or self.rejected > self.inspected:
            raise ValueError("more failures than components checked")


@dataclass(frozen=True)
class PrefabDistrict:
    district: str
    produced: int
    shipped: int
    installed: int
    quality: QualityCount


@dataclass(frozen=True)
class GradeCount:
    district: str
    recognised: bool | None  # None: no finished evaluation
    grade: str  # "", A, AA, AAA
    buildings: int


def fill_prefab_months(rows: Sequence[PrefabMonth], months: Sequence[str] | None) -> list[PrefabMonth]:
    found = {row.month: row for row in rows}
    if months is None:
        return [found[m] for m in sorted(found)]
    return [found.get(month, PrefabMonth(month, 0, 0, 0)) for month in months]


def quality_rates(quality: QualityCount) -> dict[str, Any]:
    passed = quality.qc_checked - quality.qc_failed
    first_pass = rate(passed, quality.qc_checked)
    rejection = rate(quality.rejected, quality.inspected)
    return {
        "qc_checked": quality.qc_checked, "qc_failed": quality.qc_failed,
        "qc_first_pass_rate": None if first_pass is None else round(first_pass, 4),
        "inspected": quality.inspected, "rejected": quality.rejected,
        "site_rejection_rate": None if rejection is None else round(rejection, 4),
    }


def prefab_indicators(months: Sequence[PrefabMonth], quality: QualityCount, districts: Sequence[PrefabDistrict] = (),
                      *, period_months: Sequence[str] | None = None) -> dict[str, Any]:
    series = fill_prefab_months(months, period_months)
    return {
        "produced": sum(m.produced for m in months),
        "shipped": sum(m.shipped for m in months),
        "installed": sum(m.installed for m in months),
        **quality_rates(quality),
        "months": [vars(m) for m in series],
        "districts": [
            {"district": d.district, "produced": d.produced, "shipped": d.shipped, "installed": d.installed,
             **quality_rates(d.quality)}
            for d in sorted(districts, key=lambda d: (-d.produced, -d.installed, d.district))
        ],
    }


def grade_class(recognised: bool | None, grade: str) -> str:
    """The class of a building's current rating: ``unevaluated``, ``not_recognised``,
    ``recognised`` (a prefabricated building without a grade) or its grade."""
    if grade:
        if grade not in GRADE_CLASSES[2:]:
            raise ValueError(f"unknown grade {grade!r}")
        if recognised is not True:
            raise ValueError(f"grade {grade} on a building not recognised as prefabricated")
        return grade
    if recognised is None:
        return UNEVALUATED
    return "recognised" if recognised else "not_recognised"


def grade_distribution(rows: Sequence[GradeCount]) -> dict[str, Any]:
    """Buildings per rating class, per district and for the whole selection."""
    classes = (*GRADE_CLASSES, UNEVALUATED)
    totals = dict.fromkeys(classes, 0)
    by_district: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.buildings < 0:
            raise ValueError("counts cannot be negative")
        cls = grade_class(row.recognised, row.grade)
        counts = by_district.setdefault(row.district, dict.fromkeys(classes, 0))
        counts[cls] += row.buildings
        totals[cls] += row.buildings
    evaluated = sum(totals[c] for c in GRADE_CLASSES)
    graded = sum(totals[c] for c in GRADE_CLASSES[2:])
    return {
        "classes": list(GRADE_CLASSES),
        "totals": totals,
        "evaluated": evaluated,
        "graded_share": None if evaluated == 0 else round(graded / evaluated, 4),
        "districts": [
            {"district": district, "counts": counts, "evaluated": sum(counts[c] for c in GRADE_CLASSES)}
            for district, counts in sorted(by_district.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ],
        "advisory": True,
    }
