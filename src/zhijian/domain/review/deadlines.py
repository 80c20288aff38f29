"""Review time limits in working days (审查时限, review-workflow.md §1.4 and §1.5).

The limits per building class (大型 15, 中型及以下 10, 勘察甲级 7, 乙级及以下 5 working days)
are data in ``data/review_deadlines.json``; the public holidays and the weekend days worked in
exchange (调休) are data in ``data/working_calendar.json``, one year per State Council notice.

A deadline lists every fact it rests on with its verification level and is ``advisory`` when
any of them is not V: today always, because the counting convention (the day of submission is
not counted) is taken from the Civil Code by analogy (S). A year without a calendar is counted
with weekends only and says so. Limits exclude the designer's revision time and the re-review
(V): a deadline is for one review, counted from that round's submission.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from zhijian.domain.errors import UnknownReviewClassError, WorkingCalendarError

DATA = Path(__file__).parent / "data"
LIMITS_FILE = DATA / "review_deadlines.json"
CALENDAR_FILE = DATA / "working_calendar.json"
VERIFICATION = ("V", "S", "U")
# Bounds the walk over days so that a calendar without working days cannot loop forever.
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday–Friday work unless a holiday; Saturday and Sunday rest unless worked (调休)."""

    holidays: frozenset[dt.date] = frozenset()
    working_weekend_days: frozenset[dt.date] = frozenset()
    years: Mapping[int, str] = field(default_factory=dict, hash=False)  # year → V/S/U

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekend_days


@dataclass(frozen=True)
class Limit:
    key: str
    working_days: int
    zh: str
    en: str
    verification: str
    source: str


@dataclass(frozen=True)
class LimitTable:
    limits: Mapping[str, Limit] = field(hash=False)
    filing: Limit
    counting_verification: str
    counting_note: str


@dataclass(frozen=True)
class Basis:
    """One fact a deadline rests on, with its verification level (V, S or U)."""

    fact: str
    verification: str
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    start: dt.date  # the submission (or approval) date; not counted
    due: dt.date  # the last working day of the limit
    working_days: int
    kind: str  # a key of the limit table, or "filing"
    label_zh: str
    label_en: str
    basis: tuple[Basis, ...]

    @property
    def advisory(self) -> bool:
        return any(b.verification != "V" for b in self.basis)


# -- working days -------------------------------------------------------------------------
def add_working_days(start: dt.date, days: int, calendar: WorkingCalendar | None = None) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError(f"days must be ≥ 0, got {days}")
    calendar = calendar or default_calendar()
    day, counted = _as_date(start), 0
    for _ in range(MAX_SPAN_DAYS):
        if counted == days:
            return day
        day += dt.timedelta(days=1)
        counted += calendar.is_working_day(day)
    raise WorkingCalendarError(f"no {days} working days within {MAX_SPAN_DAYS} days of {start}")


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``).

    The time one round took, e.g. from submission to the letter, for the §5 indicators.
    """
    calendar = calendar or default_calendar()
    start, end = _as_date(start), _as_date(end)
    return sum(calendar.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))


# -- deadlines ----------------------------------------------------------------------------
def review_deadline(
    submitted_on: dt.date,
    review_class: str,
    *,
    calendar: WorkingCalendar | None = None,
    limits: LimitTable | None = None,
) -> Deadline:
    """The last day of one review of a submission made on ``submitted_on``.

    ``review_class`` is a key of the limit table: ``large``, ``medium_or_small``,
    ``survey_grade_a``, ``survey_grade_b_or_lower`` (see :func:`review_classes`).
    """
    limits = limits or default_limits()
    limit = limits.limits.get(review_class)
    if limit is None:
        known = ", ".join(limits.limits)
        raise UnknownReviewClassError(f"unknown building class {review_class!r}; known: {known}")
    return _deadline(submitted_on, limit, limits, calendar or default_calendar())


def filing_deadline(
    approved_on: dt.date, *, calendar: WorkingCalendar | None = None, limits: LimitTable | None = None
) -> Deadline:
    """The last day to file the approval with the housing authority (备案, 5 working days)."""
    limits = limits or default_limits()
    return _deadline(approved_on, limits.filing, limits, calendar or default_calendar())


def review_classes(limits: LimitTable | None = None) -> tuple[tuple[str, str, str, int], ...]:
    """(key, Chinese label, English label, working days) of each building class, in table order."""
    limits = limits or default_limits()
    return tuple((x.key, x.zh, x.en, x.working_days) for x in limits.limits.values())


def _deadline(start: dt.date, limit: Limit, limits: LimitTable, calendar: WorkingCalendar) -> Deadline:
    start = _as_date(start)
    due = add_working_days(start, limit.working_days, calendar)
    basis = [
        Basis(f"limit {limit.key}: {limit.working_days} working days", limit.verification, limit.source),
        Basis("counting: the start day is not counted", limits.counting_verification, limits.counting_note),
    ]
    for year in range(start.year, due.year + 1):
        if year in calendar.years:
            basis.append(Basis(f"holiday calendar {year}", calendar.years[year]))
        else:
            basis.append(Basis(f"holiday calendar {year}", "U", "no calendar for this year: weekends only"))
    return Deadline(start, due, limit.working_days, limit.key, limit.zh, limit.en, tuple(basis))


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date too; only its calendar day matters here.
    return value.date() if isinstance(value, dt.datetime) else value


# -- data files ---------------------------------------------------------------------------
@cache
def default_calendar() -> WorkingCalendar:
    return load_calendar(CALENDAR_FILE)


@cache
def default_limits() -> LimitTable:
    return load_limits(LIMITS_FILE)


def load_calendar(path: Path) -> WorkingCalendar:
    """A working-day calendar file (the shape of ``data/working_calendar.json``), validated."""
    data = _read_json(Path(path))
    years = data.get("years")
    if not isinstance(years, dict):
        raise WorkingCalendarError(f"{Path(path).name}: 'years' must be an object")
    holidays: set[dt.date] = set()
    worked: set[dt.date] = set()
    marks: dict[int, str] = {}
    for key, entry in years.items():
        where = f"{Path(path).name} year {key}"
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4) or not isinstance(entry, dict):
            raise WorkingCalendarError(f"{where}: must be a 4-digit year mapped to an object")
        year = int(key)
        marks[year] = _verification(entry.get("verification"), where)
        for pair in entry.get("holidays", []):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise WorkingCalendarError(f"{where}: a holiday must be [first, last], got {pair!r}")
            first, last = (_day(x, year, where) for x in pair)
            if last < first:
                raise WorkingCalendarError(f"{where}: holiday {first}…{last} ends before it starts")
            holidays.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        for text in entry.get("working_weekend_days", []):
            day = _day(text, year, where)
            if day.weekday() < 5:
                raise WorkingCalendarError(f"{where}: working weekend day {day} is not a Saturday or Sunday")
            worked.add(day)
    if clash := sorted(holidays & worked):
        raise WorkingCalendarError(f"{Path(path).name}: {clash[0]} is both a holiday and a working day")
    return WorkingCalendar(frozenset(holidays), frozenset(worked), marks)


def load_limits(path: Path) -> LimitTable:
    """A time-limit table file (the shape of ``data/review_deadlines.json``), validated."""
    name = Path(path).name
    data = _read_json(Path(path))
    rows = data.get("limits")
    if not isinstance(rows, dict) or not rows:
        raise WorkingCalendarError(f"{name}: 'limits' must be a non-empty object")
    limits = {key: _limit(key, row, f"{name} limit {key}") for key, row in rows.items()}
    filing = _limit("filing", data.get("filing"), f"{name} filing")
    counting = data.get("counting")
    if not isinstance(counting, dict) or counting.get("start_day_counted") is not False:
        # Only the Civil Code convention is implemented; refuse a file that asks for another.
        raise WorkingCalendarError(f"{name}: counting.start_day_counted must be false")
    return LimitTable(
        limits, filing, _verification(counting.get("verification"), f"{name} counting"), str(counting.get("note", ""))
    )


def _limit(key: str, row: Any, where: str) -> Limit:
    if not isinstance(row, dict):
        raise WorkingCalendarError(f"{where}: must be an object")
    days = row.get("working_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise WorkingCalendarError(f"{where}: working_days must be a whole number ≥ 1, got {days!r}")
    return Limit(
        key, days, str(row.get("zh", key)), str(row.get("en", key)),
        _verification(row.get("verification"), where), str(row.get("source", "")),
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkingCalendarError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorkingCalendarError(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise WorkingCalendarError(f"{path.name}: must hold a JSON object")
    return data


def _verification(value: Any, where: str) -> str:
    if value not in VERIFICATION:
        raise WorkingCalendarError(f"{where}: verification must be V, S or U, got {value!r}")
    return str(value)


def _day(text: Any, year: int, where: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise WorkingCalendarError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None
    if day.year != year:
        raise WorkingCalendarError(f"{where}: {day} is not in {year}")
    return day
