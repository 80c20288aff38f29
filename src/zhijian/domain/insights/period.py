"""The period and district filters of the city statistics, and calendar months."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zhijian.domain.errors import InputError

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
# Bounds a period so that a monthly series (one point per month) stays a chart, not a table dump.
MAX_MONTHS = 240


class InvalidFilterError(InputError):
    """A filter value of the statistics that cannot be understood (a bad date, from after to)."""

    code = "invalid_filter"


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included; ``None`` leaves that side open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat() if self.start else None, "to": self.end.isoformat() if self.end else None}


def _parse(value: str, name: str, *, end: bool) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        if _DAY.match(value):
            return dt.date.fromisoformat(value)
        if _MONTH.match(value):  # a month: its first day, or its last when it closes the period
            first = dt.date.fromisoformat(f"{value}-01")
            return add_months(first, 1) - dt.timedelta(days=1) if end else first
    except ValueError:
        pass
    raise InvalidFilterError(f"'{name}' must be a date YYYY-MM-DD or a month YYYY-MM, not {value!r}")


def parse_period(start: str = "", end: str = "") -> Period:
    """``from`` and ``to`` as given in a query string (``YYYY-MM-DD`` or ``YYYY-MM``, either may be empty)."""
    period = Period(_parse(start, "from", end=False), _parse(end, "to", end=True))
    if period.start and period.end:
        if period.start > period.end:
            raise InvalidFilterError(f"'from' ({period.start}) is after 'to' ({period.end})")
        if months_spanned(period.start, period.end) > MAX_MONTHS:
            raise InvalidFilterError(f"the period may span at most {MAX_MONTHS} months")
    return period


def parse_district(value: str, known: tuple[str, ...] | list[str]) -> str:
    """``""`` (the whole city) or one of ``known``."""
    value = (value or "").strip()
    if value and value not in known:
        raise InvalidFilterError(f"unknown district {value!r}; one of: {', '.join(known)}")
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_key(day: dt.date | dt.datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_spanned(start: dt.date, end: dt.date) -> int:
    """How many calendar months ``start`` to ``end`` touch (both included)."""
    return (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1


def month_range(start: dt.date, end: dt.date) -> list[str]:
    """Every month from ``start``'s to ``end``'s, as ``YYYY-MM`` (empty when end is before start)."""
    months, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        months.append(month_key(day))
        day = add_months(day, 1)
    return months
