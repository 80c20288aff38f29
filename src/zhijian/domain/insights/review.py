"""Review indicators of the city (review-workflow.md §5), from counts the database aggregated.

Conventions (written on the dashboard too):

- *First-pass approval rate* (一次审查合格率): submissions whose round 1 was approved ÷
  submissions whose round 1 has been decided (approved or returned).
- *Rounds to approval*: the number of the approving round, averaged over approved submissions.
- *Review time*: a round's submission to its decision, in calendar hours (the designer's
  revision time falls between rounds, so it is not counted, as the rules ask; working days
  need the calendar of ``domain.review.deadlines`` and are not computed here).
- *Findings* are those of each submission's round-1 check (一次审查, the national statistic's
  basis): ``fail`` findings are violations, mandatory ones are 违反强制性条文; ``missing_data``
  is counted apart and never as a violation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zhijian.domain.insights.stats import (
    histogram_mean,
    histogram_quantile,
    histogram_total,
    per,
    rate,
)
from zhijian.domain.review.workflow import State

STATES = tuple(state.value for state in State)  # in the workflow's order
TOP_RULES = 10


@dataclass(frozen=True)
class StandardCount:
    standard: str
    failed: int
    mandatory_failed: int
    missing_data: int


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    standard: str
    clause: str
    mandatory: bool
    failed: int  # fail findings
    submissions: int  # submissions with at least one


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    submitted: int  # first rounds submitted that month (new submissions)
    approved: int  # approvals decided that month


@dataclass(frozen=True)
class DistrictReviewCount:
    district: str
    submissions: int
    first_decided: int
    first_approved: int
    first_checked: int
    mandatory_failed: int


@dataclass(frozen=True)
class ReviewCounts:
    by_state: Mapping[str, int]
    first_decided: int
    first_approved: int
    approval_rounds: Mapping[int, int]  # round number of the approval → submissions
    review_hours: Mapping[int, int]  # whole hours from submission to decision → rounds
    first_checked: int  # submissions whose round-1 check finished
    first_mandatory_failed: int  # mandatory fail findings of those checks
    by_standard: Sequence[StandardCount] = ()
    rules: Sequence[RuleCount] = ()
    months: Sequence[MonthCount] = ()
    districts: Sequence[DistrictReviewCount] = ()


@dataclass(frozen=True)
class ReviewIndicators:
    submissions: int
    by_state: dict[str, int]
    first_decided: int
    first_approved: int
    first_pass_rate: float | None
    approved: int
    mean_rounds_to_approval: float | None
    decided_rounds: int
    review_hours_median: int | None
    review_hours_p90: int | None
    first_checked: int
    mandatory_failed: int
    mandatory_per_submission: float | None
    mandatory_per_100: float | None
    by_standard: list[StandardCount] = field(default_factory=list)
    top_rules: list[RuleCount] = field(default_factory=list)
    months: list[MonthCount] = field(default_factory=list)
    districts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def days(hours: int | None) -> float | None:
            return None if hours is None else round(hours / 24, 1)

        return {
            "submissions": self.submissions,
            "by_state": [{"state": s, "count": n} for s, n in self.by_state.items()],
            "first_pass": {"decided": self.first_decided, "approved": self.first_approved,
                           "rate": _round(self.first_pass_rate)},
            "approved": self.approved,
            "mean_rounds_to_approval": _round(self.mean_rounds_to_approval, 2),
            "review_time": {"rounds": self.decided_rounds, "median_hours": self.review_hours_median,
                            "p90_hours": self.review_hours_p90, "median_days": days(self.review_hours_median),
                            "p90_days": days(self.review_hours_p90)},
            "mandatory": {"checked_submissions": self.first_checked, "failed": self.mandatory_failed,
                          "per_submission": _round(self.mandatory_per_submission, 2),
                          "per_100_submissions": _round(self.mandatory_per_100, 1)},
            "by_standard": [vars(s) for s in self.by_standard],
            "top_rules": [vars(r) for r in self.top_rules],
            "months": [vars(m) for m in self.months],
            "districts": self.districts,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def fill_months(rows: Sequence[MonthCount], months: Sequence[str]) -> list[MonthCount]:
    """One row per month of ``months`` (zeros where nothing happened), in that order."""
    found = {row.month: row for row in rows}
    return [found.get(month, MonthCount(month, 0, 0)) for month in months]


def review_indicators(counts: ReviewCounts, *, months: Sequence[str] | None = None,
                      top: int = TOP_RULES) -> ReviewIndicators:
    """The indicators; ``months`` (``YYYY-MM``) fills the monthly series, else the months counted."""
    unknown = set(counts.by_state) - set(STATES)
    if unknown:
        raise ValueError(f"unknown submission states: {sorted(unknown)}")
    if counts.first_approved > counts.first_decided:
        raise ValueError("more first-round approvals than first-round decisions")
    by_state = {state: int(counts.by_state.get(state, 0)) for state in STATES}
    rules = sorted(counts.rules, key=lambda r: (-r.failed, -r.submissions, not r.mandatory, r.rule_id))[:top]
    standards = sorted(counts.by_standard, key=lambda s: (-s.mandatory_failed, -s.failed, s.standard))
    monthly = sorted(counts.months, key=lambda m: m.month)
    districts = [
        {
            "district": d.district, "submissions": d.submissions, "first_decided": d.first_decided,
            "first_approved": d.first_approved, "first_pass_rate": _round(rate(d.first_approved, d.first_decided)),
            "first_checked": d.first_checked, "mandatory_failed": d.mandatory_failed,
            "mandatory_per_submission": _round(rate(d.mandatory_failed, d.first_checked), 2),
        }
        for d in sorted(counts.districts, key=lambda d: (-d.submissions, d.district))
    ]
    return ReviewIndicators(
        submissions=sum(by_state.values()),
        by_state=by_state,
        first_decided=counts.first_decided,
        first_approved=counts.first_approved,
        first_pass_rate=rate(counts.first_approved, counts.first_decided),
        approved=histogram_total(counts.approval_rounds),
        mean_rounds_to_approval=histogram_mean(counts.approval_rounds),
        decided_rounds=histogram_total(counts.review_hours),
        review_hours_median=histogram_quantile(counts.review_hours, 0.5),
        review_hours_p90=histogram_quantile(counts.review_hours, 0.9),
        first_checked=counts.first_checked,
        mandatory_failed=counts.first_mandatory_failed,
        mandatory_per_submission=rate(counts.first_mandatory_failed, counts.first_checked),
        mandatory_per_100=per(counts.first_mandatory_failed, counts.first_checked, 100),
        by_standard=standards,
        top_rules=rules,
        months=fill_months(monthly, months) if months is not None else monthly,
        districts=districts,
    )
