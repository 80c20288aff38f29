"""City statistics (domain.insights): every expected number is worked out by hand in the comment."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijian.domain.insights.period import (
    InvalidFilterError,
    month_range,
    parse_district,
    parse_period,
)
from zhijian.domain.insights.prefab import (
    GradeCount,
    PrefabDistrict,
    PrefabMonth,
    QualityCount,
    grade_class,
    grade_distribution,
    prefab_indicators,
)
from zhijian.domain.insights.review import (
    STATES,
    DistrictReviewCount,
    MonthCount,
    ReviewCounts,
    RuleCount,
    StandardCount,
    review_indicators,
)
from zhijian.domain.insights.stats import histogram_mean, histogram_quantile, rate


# -- statistics --------------------------------------------------------------------------
def test_rate_of_nothing_is_none_not_zero() -> None:
    assert rate(0, 0) is None
    assert rate(3, 4) == 0.75
    with pytest.raises(ValueError):
        rate(-1, 4)


def test_quantiles_by_nearest_rank() -> None:
    # 10 observations: 2×1 h, 3×5 h, 4×24 h, 1×100 h → sorted 1 1 5 5 5 24 24 24 24 100.
    hours = {24: 4, 1: 2, 100: 1, 5: 3}
    assert histogram_quantile(hours, 0.5) == 5  # rank ⌈5⌉ = 5th value = 5
    assert histogram_quantile(hours, 0.9) == 24  # rank 9 = 24
    assert histogram_quantile(hours, 1.0) == 100
    assert histogram_quantile(hours, 0.1) == 1
    assert histogram_quantile({}, 0.5) is None
    with pytest.raises(ValueError):
        histogram_quantile(hours, 0)


def test_histogram_mean() -> None:
    assert histogram_mean({1: 3, 2: 1}) == pytest.approx(1.25)  # (3·1 + 1·2) / 4
    assert histogram_mean({}) is None


# -- filters -----------------------------------------------------------------------------
def test_period_takes_days_and_months() -> None:
    period = parse_period("2026-02", "2026-02")
    assert period.start == dt.date(2026, 2, 1) and period.end == dt.date(2026, 2, 28)
    assert parse_period("2025-12-15", "").end is None
    assert parse_period().to_dict() == {"from": None, "to": None}


@pytest.mark.parametrize(("start", "end", "reason"), [
    ("2026-13", "", "YYYY-MM"), ("yesterday", "", "YYYY-MM-DD"), ("2026-02-30", "", "2026-02-30"),
    ("2026-03-01", "2026-02-01", "after"), ("1900-01", "2026-01", "at most"),
])
def test_bad_periods_are_refused_with_the_reason(start: str, end: str, reason: str) -> None:
    with pytest.raises(InvalidFilterError, match=reason) as err:
        parse_period(start, end)
    assert err.value.code == "invalid_filter"


def test_district_must_be_known() -> None:
    assert parse_district("", ["yuelu"]) == ""
    assert parse_district("yuelu", ["yuelu"]) == "yuelu"
    with pytest.raises(InvalidFilterError, match="unknown district"):
        parse_district("gotham", ["yuelu"])


def test_month_range_crosses_the_year() -> None:
    assert month_range(dt.date(2025, 11, 20), dt.date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range(dt.date(2026, 2, 1), dt.date(2026, 1, 1)) == []


# -- review ------------------------------------------------------------------------------
def _counts(**changes: object) -> ReviewCounts:
    base = dict(
        by_state={"draft": 1, "in_review": 2, "returned": 1, "approved": 4},
        first_decided=5, first_approved=2,
        approval_rounds={1: 2, 2: 1, 3: 1},
        review_hours={20: 3, 50: 4, 200: 1},
        first_checked=7, first_mandatory_failed=9,
        by_standard=[StandardCount("GB 50096-2011", 6, 2, 1), StandardCount("GB 55038-2025", 3, 3, 0)],
        rules=[RuleCount(f"R{i}", "S", "1", i % 2 == 0, failed=i, submissions=1) for i in range(1, 13)],
        months=[MonthCount("2026-03", 2, 1), MonthCount("2026-01", 3, 0)],
        districts=[DistrictReviewCount("yuelu", 3, 2, 1, 3, 4), DistrictReviewCount("kaifu", 5, 3, 1, 4, 5)],
    )
    base.update(changes)
    return ReviewCounts(**base)  # type: ignore[arg-type]


def test_review_indicators_from_counts() -> None:
    result = review_indicators(_counts(), months=["2026-01", "2026-02", "2026-03"])
    assert result.submissions == 8  # 1 + 2 + 1 + 4
    assert list(result.by_state) == list(STATES) and result.by_state["checking"] == 0
    assert result.first_pass_rate == pytest.approx(0.4)  # 2 of 5 decided first rounds
    assert result.approved == 4
    assert result.mean_rounds_to_approval == pytest.approx(1.75)  # (2·1 + 1·2 + 1·3) / 4
    assert result.decided_rounds == 8
    assert result.review_hours_median == 50  # 20 20 20 50 | 50 50 50 200: rank 4 → 50
    assert result.review_hours_p90 == 200  # rank ⌈7.2⌉ = 8 → 200
    assert result.mandatory_per_submission == pytest.approx(9 / 7)
    assert result.mandatory_per_100 == pytest.approx(900 / 7)
    # the months are filled (February had nothing) and in order
    assert [(m.month, m.submitted, m.approved) for m in result.months] == [
        ("2026-01", 3, 0), ("2026-02", 0, 0), ("2026-03", 2, 1)]
    # top 10 rules, most failures first; the standard with most mandatory failures first
    assert [r.rule_id for r in result.top_rules][:3] == ["R12", "R11", "R10"] and len(result.top_rules) == 10
    assert result.by_standard[0].standard == "GB 55038-2025"
    # districts: most submissions first, rates per district
    kaifu = result.districts[0]
    assert kaifu["district"] == "kaifu" and kaifu["first_pass_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert kaifu["mandatory_per_submission"] == 1.25  # 5 / 4
    data = result.to_dict()
    assert data["review_time"]["median_days"] == 2.1  # 50 h / 24
    assert data["first_pass"] == {"decided": 5, "approved": 2, "rate": 0.4}
    assert data["mandatory"]["per_100_submissions"] == 128.6


def test_an_empty_city_has_no_rates() -> None:
    empty = ReviewCounts(by_state={}, first_decided=0, first_approved=0, approval_rounds={}, review_hours={},
                         first_checked=0, first_mandatory_failed=0)
    result = review_indicators(empty, months=["2026-01"])
    assert result.submissions == 0 and result.first_pass_rate is None and result.review_hours_median is None
    assert result.mean_rounds_to_approval is None and result.mandatory_per_submission is None
    assert [m.submitted for m in result.months] == [0]


def test_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown submission states"):
        review_indicators(_counts(by_state={"lost": 1}))
    with pytest.raises(ValueError, match="more first-round approvals"):
        review_indicators(_counts(first_decided=1, first_approved=2))


# -- prefab ------------------------------------------------------------------------------
def test_prefab_indicators() -> None:
    months = [PrefabMonth("2026-02", 40, 30, 10), PrefabMonth("2026-01", 60, 50, 20)]
    quality = QualityCount(qc_checked=100, qc_failed=4, inspected=80, rejected=2)
    districts = [PrefabDistrict("yuelu", 100, 80, 30, quality)]
    result = prefab_indicators(months, quality, districts, period_months=["2025-12", "2026-01", "2026-02"])
    assert (result["produced"], result["shipped"], result["installed"]) == (100, 80, 30)
    assert result["qc_first_pass_rate"] == 0.96  # 96 of 100 never failed QC
    assert result["site_rejection_rate"] == 0.025  # 2 of 80 inspected
    assert [m["month"] for m in result["months"]] == ["2025-12", "2026-01", "2026-02"]
    assert result["months"][0]["produced"] == 0 and result["months"][1]["produced"] == 60
    assert result["districts"][0]["qc_first_pass_rate"] == 0.96
    nothing = prefab_indicators([], QualityCount(0, 0, 0, 0))
    assert nothing["qc_first_pass_rate"] is None and nothing["site_rejection_rate"] is None and nothing["months"] == []


def test_more_failures_than_checks_is_refused() -> None:
    with pytest.raises(ValueError):
        QualityCount(qc_checked=1, qc_failed=2, inspected=0, rejected=0)


def test_grade_classes() -> None:
    assert grade_class(None, "") == "unevaluated"
    assert grade_class(False, "") == "not_recognised"
    assert grade_class(True, "") == "recognised"
    assert grade_class(True, "AA") == "AA"
    with pytest.raises(ValueError):
        grade_class(False, "A")
    with pytest.raises(ValueError):
        grade_class(True, "B")


def test_grade_distribution_by_district() -> None:
    rows = [
        GradeCount("yuelu", False, "", 1), GradeCount("yuelu", True, "A", 1), GradeCount("yuelu", None, "", 2),
        GradeCount("kaifu", True, "AA", 1), GradeCount("kaifu", True, "A", 3), GradeCount("kaifu", True, "", 1),
    ]
    result = grade_distribution(rows)
    assert result["totals"] == {"not_recognised": 1, "recognised": 1, "A": 4, "AA": 1, "AAA": 0, "unevaluated": 2}
    assert result["evaluated"] == 7  # the unevaluated two are not in the classes
    assert result["graded_share"] == round(5 / 7, 4)
    assert [d["district"] for d in result["districts"]] == ["kaifu", "yuelu"]  # 5 buildings, then 4
    assert result["districts"][1]["evaluated"] == 2 and result["advisory"] is True
