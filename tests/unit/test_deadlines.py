"""Review time limits in working days: worked examples counted by hand on the published calendars."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from zhijian.domain.errors import InputError, UnknownReviewClassError, WorkingCalendarError
from zhijian.domain.review.deadlines import (
    LIMITS_FILE,
    WorkingCalendar,
    add_working_days,
    filing_deadline,
    load_calendar,
    load_limits,
    review_classes,
    review_deadline,
    working_days_between,
)

D = dt.date


def test_the_table_holds_the_national_limits_of_section_1_4() -> None:
    assert {key: days for key, _, _, days in review_classes()} == {
        "large": 15,
        "medium_or_small": 10,
        "survey_grade_a": 7,
        "survey_grade_b_or_lower": 5,
    }


def test_a_large_building_submitted_before_spring_festival_skips_the_holiday_and_works_the_saturdays() -> None:
    # 2026-02-10 (Tue). 1 Feb 11, 2 Feb 12, 3 Feb 13, 4 Sat Feb 14 (调休), holiday Feb 15–23,
    # 5 Feb 24 … 8 Feb 27, 9 Sat Feb 28 (调休), 10 Mar 2 … 14 Mar 6, 15 Mon Mar 9.
    deadline = review_deadline(D(2026, 2, 10), "large")
    assert deadline.due == D(2026, 3, 9)
    assert deadline.working_days == 15
    assert deadline.label_zh == "大型房屋建筑、市政基础设施工程"


def test_a_medium_building_around_mid_autumn_and_national_day() -> None:
    # 2026-09-24 (Thu). Holidays Sep 25–27 and Oct 1–7; Sat Oct 10 worked.
    # 1 Sep 28, 2 Sep 29, 3 Sep 30, 4 Oct 8, 5 Oct 9, 6 Oct 10, 7 Oct 12 … 10 Oct 15.
    assert review_deadline(D(2026, 9, 24), "medium_or_small").due == D(2026, 10, 15)


def test_a_deadline_across_new_year_rests_on_both_calendars() -> None:
    # 2025-12-25 (Thu): 1 Dec 26, 2–4 Dec 29–31, holiday Jan 1–3, 5 Sun Jan 4 (调休), 6–10 Jan 5–9.
    deadline = review_deadline(D(2025, 12, 25), "medium_or_small")
    assert deadline.due == D(2026, 1, 9)
    marks = {b.fact: b.verification for b in deadline.basis}
    assert marks["holiday calendar 2025"] == "S"
    assert marks["holiday calendar 2026"] == "V"


def test_the_submission_day_is_not_counted_even_on_a_working_day() -> None:
    # Mon 2026-03-02 + 5 survey days (grade B) = Mon 2026-03-09, not Fri 03-06.
    assert review_deadline(D(2026, 3, 2), "survey_grade_b_or_lower").due == D(2026, 3, 9)


def test_a_submission_on_a_holiday_starts_counting_on_the_next_working_day() -> None:
    # Sun 2026-02-15 (holiday) + 7: Feb 24 is day 1, Feb 28 (Sat, 调休) day 5, Mar 3 day 7.
    assert review_deadline(D(2026, 2, 15), "survey_grade_a").due == D(2026, 3, 3)


def test_a_year_without_a_calendar_counts_weekends_only_and_says_so() -> None:
    deadline = review_deadline(D(2027, 3, 1), "medium_or_small")  # Mon
    assert deadline.due == D(2027, 3, 15)
    assert deadline.advisory
    gap = next(b for b in deadline.basis if b.fact == "holiday calendar 2027")
    assert gap.verification == "U" and "weekends only" in gap.note


def test_every_deadline_is_advisory_while_the_counting_convention_is_second_hand() -> None:
    deadline = review_deadline(D(2026, 2, 10), "large")
    marks = {b.fact: b.verification for b in deadline.basis}
    assert marks["limit large: 15 working days"] == "V"
    assert marks["counting: the start day is not counted"] == "S"
    assert deadline.advisory


def test_filing_is_due_five_working_days_after_approval() -> None:
    # Thu 2026-04-30; holiday May 1–5; 1 May 6, 2 May 7, 3 May 8, 4 Sat May 9 (调休), 5 Mon May 11.
    deadline = filing_deadline(D(2026, 4, 30))
    assert deadline.due == D(2026, 5, 11)
    assert deadline.kind == "filing" and deadline.advisory


def test_a_datetime_counts_from_its_calendar_day() -> None:
    assert review_deadline(dt.datetime(2026, 2, 10, 17, 30), "large").due == D(2026, 3, 9)


def test_working_days_between_counts_the_days_after_the_start_up_to_the_end() -> None:
    assert working_days_between(D(2026, 2, 10), D(2026, 3, 9)) == 15
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 1)) == 0
    assert add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)


def test_a_custom_calendar_is_used_when_given() -> None:
    closed = WorkingCalendar(holidays=frozenset({D(2026, 3, 3)}), years={2026: "U"})
    assert review_deadline(D(2026, 3, 2), "survey_grade_b_or_lower", calendar=closed).due == D(2026, 3, 10)


# -- bad input ----------------------------------------------------------------------------
def test_an_unknown_building_class_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownReviewClassError, match="unknown building class 'huge'; known: large"):
        review_deadline(D(2026, 3, 2), "huge")
    assert issubclass(UnknownReviewClassError, InputError)


def _calendar_file(tmp_path: Path, year: dict) -> Path:
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"years": {"2026": {"verification": "V", **year}}}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("year", "reason"),
    [
        ({"holidays": [["2026-13-01", "2026-13-02"]]}, "is not a date"),
        ({"holidays": [["2025-12-31", "2026-01-01"]]}, "is not in 2026"),
        ({"holidays": [["2026-01-03", "2026-01-01"]]}, "ends before it starts"),
        ({"holidays": ["2026-01-01"]}, "must be \\[first, last\\]"),
        ({"working_weekend_days": ["2026-01-05"]}, "is not a Saturday or Sunday"),
        ({"holidays": [["2026-01-04", "2026-01-04"]], "working_weekend_days": ["2026-01-04"]}, "both a holiday"),
        ({"verification": "X"}, "verification must be V, S or U"),
    ],
)
def test_a_bad_calendar_file_is_refused_with_the_entry_at_fault(tmp_path: Path, year: dict, reason: str) -> None:
    with pytest.raises(WorkingCalendarError, match=reason):
        load_calendar(_calendar_file(tmp_path, year))


def test_a_calendar_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "calendar.json"
    path.write_text("{years: ", encoding="utf-8")
    with pytest.raises(WorkingCalendarError, match=r"calendar\.json: not valid JSON"):
        load_calendar(path)
    with pytest.raises(WorkingCalendarError, match="no such file"):
        load_calendar(tmp_path / "absent.json")


def test_a_limit_table_with_a_bad_limit_or_another_counting_rule_is_refused(tmp_path: Path) -> None:
    good = json.loads(LIMITS_FILE.read_text(encoding="utf-8"))
    bad_days = {**good, "limits": {"large": {**good["limits"]["large"], "working_days": 0}}}
    counted = {**good, "counting": {**good["counting"], "start_day_counted": True}}
    for data, reason in ((bad_days, "working_days must be a whole number"), (counted, "start_day_counted")):
        path = tmp_path / "limits.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(WorkingCalendarError, match=reason):
            load_limits(path)
