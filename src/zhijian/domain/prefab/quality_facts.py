"""QC measurement checks against the tolerance table, and a factory's quality and delivery facts.

Measurement checks follow precast-qc.md §0: every row of data/qc_tolerances.json carries its
verification (V / S / U). A value outside a row that is not enforced (by default only V rows
are) gives ``advisory``, never ``fail``; a result resting on any such row is marked advisory.
Today every row is U, so no measurement can fail a component until QA has checked the
numbers against the official text — by design.

Facts are computed from replayed histories (applied events only), per factory: the factory of
a component is the organisation that recorded its production.

- QC first-pass rate: components whose first QC verdict was a pass / components with a verdict.
- On-time delivery rate: components delivered by their due time / components due by ``as_of``
  (delivered, or overdue and not delivered). Components not yet due and not delivered are
  pending, not counted.
- Site rejection rate: site inspections that rejected / all site inspections (accept + reject);
  a component rejected, repaired and accepted counts two inspections, one rejection.

Each rate keeps its numerator and denominator so the platform can sum them across factories,
months or projects before dividing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.lifecycle import EventType, History, Measurement, OrgRole

CHINA_TIME = timezone(timedelta(hours=8), "CST")
ENFORCED = frozenset({"V"})

_LENGTH_UNITS = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
_STRESS_UNITS = {"mpa": 1.0, "n/mm2": 1.0, "n/mm²": 1.0}
_FORMULA = re.compile(r"L/(\d+(?:\.\d+)?)")


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"  # outside an enforced (verified) limit
    ADVISORY = "advisory"  # outside a limit that is not verified: a warning, not a failure
    MISSING_DATA = "missing_data"  # the row needs something the input lacks (L, a qualifier, the grade)
    NOT_APPLICABLE = "not_applicable"  # no row for this item and component class


_SEVERITY = {Verdict.FAIL: 4, Verdict.ADVISORY: 3, Verdict.MISSING_DATA: 2, Verdict.PASS: 1, Verdict.NOT_APPLICABLE: 0}


@dataclass(frozen=True)
class ToleranceRow:
    profile: str
    std: str
    clause: str
    item_code: str
    item_cn: str
    item_en: str
    applies_to: frozenset[str]
    condition: Mapping[str, Any]
    unit: str
    lower: float | None
    upper: float | None
    abs_max: float | None
    formula_divisor: float | None
    cap: float | None
    minimum: float | None
    maximum: float | None
    min_percent_of_grade: float | None
    method: str
    verification: str


@dataclass(frozen=True)
class ItemResult:
    item_code: str
    qualifier: str | None
    value: float
    unit: str
    verdict: Verdict
    limit: str  # the limit applied, for people: "−5…+5 mm", "≤ 4.8 mm (L/750)"
    verification: str | None  # of the row used
    std: str | None
    clause: str | None
    reason: str  # why missing data / not applicable / out of limits; "" on a pass


@dataclass(frozen=True)
class QcCheck:
    items: tuple[ItemResult, ...]
    verdict: Verdict  # the worst item: fail > advisory > missing data > pass
    advisory: bool  # the verdict rests on at least one row that is not enforced

    @property
    def failed(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.verdict is Verdict.FAIL)


@cache
def tolerance_table() -> Mapping[str, tuple[ToleranceRow, ...]]:
    """Profile id → rows, from data/qc_tolerances.json."""
    raw = json.loads(resources.files("zhijian.domain.prefab").joinpath("data/qc_tolerances.json").read_text("utf-8"))
    return {name: tuple(_row(name, profile, r) for r in profile["rows"]) for name, profile in raw["profiles"].items()}


@cache
def default_profiles() -> tuple[str, ...]:
    raw = json.loads(resources.files("zhijian.domain.prefab").joinpath("data/qc_tolerances.json").read_text("utf-8"))
    return (raw["default_profile"], "strength")


def _row(profile_id: str, profile: Mapping[str, Any], row: Mapping[str, Any]) -> ToleranceRow:
    formula = row.get("formula")
    divisor = None
    if formula is not None:
        match = _FORMULA.fullmatch(formula.replace(" ", ""))
        if match is None:
            raise ValueError(f"qc_tolerances.json: unsupported formula {formula!r} in {row['item_code']}")
        divisor = float(match.group(1))
    if row.get("verification") not in ("V", "S", "U"):
        raise ValueError(f"qc_tolerances.json: {row['item_code']} needs verification V, S or U")
    return ToleranceRow(
        profile=profile_id,
        std=profile["std"],
        clause=profile["clause"],
        item_code=row["item_code"],
        item_cn=row["item_cn"],
        item_en=row["item_en"],
        applies_to=frozenset(row["applies_to"]),
        condition=row.get("condition", {}),
        unit=row.get("unit", "mm"),
        lower=row.get("lower_mm"),
        upper=row.get("upper_mm"),
        abs_max=row.get("abs_max_mm"),
        formula_divisor=divisor,
        cap=row.get("cap_mm"),
        minimum=row.get("min"),
        maximum=row.get("max"),
        min_percent_of_grade=row.get("min_percent_of_grade"),
        method=row.get("method", ""),
        verification=row["verification"],
    )


# -- measurement checks ------------------------------------------------------------------------
def check_measurements(
    measurements: Iterable[Measurement],
    *,
    tolerance_class: str | None,
    length_m: float | None = None,
    height_m: float | None = None,
    concrete_grade: str | None = None,
    profiles: Iterable[str] | None = None,
    table: Mapping[str, tuple[ToleranceRow, ...]] | None = None,
    enforce: frozenset[str] = ENFORCED,
) -> QcCheck:
    """Each measurement against the rows of the chosen profiles (pure).

    ``tolerance_class`` is the component type's class (slab, wall, …; None for unknown
    types); ``length_m`` / ``height_m`` select length bands and evaluate L/750-type limits;
    ``concrete_grade`` ("C30") is needed for strength-against-grade rows.
    """
    table = tolerance_table() if table is None else table
    chosen = tuple(profiles) if profiles is not None else default_profiles()
    unknown = [p for p in chosen if p not in table]
    if unknown:
        raise InputError(f"unknown tolerance profile {unknown[0]!r}; known: {', '.join(table)}")
    rows = [row for p in chosen for row in table[p]]
    grade_mpa = _grade_mpa(concrete_grade)
    items = tuple(
        _check_one(m, rows, tolerance_class, length_m, height_m, grade_mpa, enforce) for m in measurements
    )
    worst = max((i.verdict for i in items), key=_SEVERITY.__getitem__, default=Verdict.NOT_APPLICABLE)
    used = [i for i in items if i.verification is not None]
    advisory = any(i.verification not in enforce for i in used)
    return QcCheck(items, worst, advisory)


def _check_one(
    m: Measurement,
    rows: list[ToleranceRow],
    tolerance_class: str | None,
    length_m: float | None,
    height_m: float | None,
    grade_mpa: float | None,
    enforce: frozenset[str],
) -> ItemResult:
    def result(verdict: Verdict, reason: str, row: ToleranceRow | None = None, limit: str = "") -> ItemResult:
        return ItemResult(
            m.item_code, m.qualifier, m.value, m.unit, verdict, limit,
            row.verification if row else None, row.std if row else None, row.clause if row else None, reason,
        )

    candidates = [
        r for r in rows
        if r.item_code == m.item_code and ("*" in r.applies_to or tolerance_class in r.applies_to)
    ]
    if not candidates:
        return result(Verdict.NOT_APPLICABLE, f"no tolerance for {m.item_code} on a {tolerance_class or 'unclassified'} component")
    matching, missing = [], []
    for row in candidates:
        fits, needs = _condition_fits(row.condition, m.qualifier, length_m, height_m)
        if fits:
            matching.append(row)
        elif needs:
            missing.append(needs)
    if not matching:
        reason = missing[0] if missing else f"no {m.item_code} row fits qualifier {m.qualifier!r}"
        return result(Verdict.MISSING_DATA, reason)
    row = matching[0]
    value = _in_row_unit(m, row)
    low, high, limit_text, needs = _bounds(row, length_m, grade_mpa)
    if needs:
        return result(Verdict.MISSING_DATA, needs, row)
    subject = abs(value) if row.abs_max is not None or row.formula_divisor is not None else value
    if (low is None or subject >= low - 1e-9) and (high is None or subject <= high + 1e-9):
        return result(Verdict.PASS, "", row, limit_text)
    verdict = Verdict.FAIL if row.verification in enforce else Verdict.ADVISORY
    note = "" if verdict is Verdict.FAIL else f" (limit {row.verification}: advisory until verified)"
    return result(verdict, f"{row.item_en}: {m.value:g} {m.unit} outside {limit_text}{note}", row, limit_text)


def _condition_fits(
    condition: Mapping[str, Any], qualifier: str | None, length_m: float | None, height_m: float | None
) -> tuple[bool, str]:
    """(fits, what is missing when it cannot be told)."""
    wanted = condition.get("qualifier")
    if wanted is not None:
        if qualifier is None:
            return False, f"say which: qualifier {wanted!r} or another selects the limit"
        if qualifier.strip().lower() != wanted:
            return False, ""
    for key, value in (("length_m", length_m), ("height_m", height_m)):
        band = condition.get(key)
        if band is None:
            continue
        if value is None:
            return False, f"the component's {key.removesuffix('_m')} is needed to choose the limit"
        if "min" in band and value < band["min"]:
            return False, ""
        if "max" in band and value >= band["max"]:
            return False, ""
        if "upto" in band and value > band["upto"]:
            return False, ""
        if "above" in band and value <= band["above"]:
            return False, ""
    return True, ""


def _bounds(row: ToleranceRow, length_m: float | None, grade_mpa: float | None) -> tuple[float | None, float | None, str, str]:
    """(lower, upper, limit text, missing) for a row."""
    if row.formula_divisor is not None:
        if length_m is None:
            return None, None, "", f"the component's length is needed for L/{row.formula_divisor:g}"
        limit = length_m * 1000 / row.formula_divisor
        if row.cap is not None:
            limit = min(limit, row.cap)
        cap = f", ≤ {row.cap:g}" if row.cap is not None else ""
        return None, limit, f"≤ {limit:.1f} mm (L/{row.formula_divisor:g}{cap})", ""
    if row.abs_max is not None:
        return None, row.abs_max, f"≤ {row.abs_max:g} mm", ""
    if row.lower is not None or row.upper is not None:
        return row.lower, row.upper, f"{_signed(row.lower)}…{_signed(row.upper)} mm", ""
    if row.min_percent_of_grade is not None:
        if grade_mpa is None:
            return None, None, "", "the concrete grade is needed for a strength against the grade"
        limit = grade_mpa * row.min_percent_of_grade / 100
        return limit, None, f"≥ {limit:g} MPa ({row.min_percent_of_grade:g}% of C{grade_mpa:g})", ""
    return row.minimum, row.maximum, _range_text(row.minimum, row.maximum, row.unit), ""


def _in_row_unit(m: Measurement, row: ToleranceRow) -> float:
    units = _STRESS_UNITS if row.unit == "MPa" else _LENGTH_UNITS
    factor = units.get(m.unit.strip().lower().replace(" ", ""))
    if factor is None:
        raise InputError(f"measurement {m.item_code} is in {m.unit!r}; {row.item_en} needs one of {', '.join(units)}")
    return m.value * factor


def _grade_mpa(grade: str | None) -> float | None:
    if grade is None:
        return None
    if "/" in grade:
        raise InputError(f"concrete grade {grade!r} is EN 206 notation; strength checks need the GB 50010 grade (e.g. C30)")
    match = re.fullmatch(r"\s*C\s?(\d{2,3})\s*", grade, re.IGNORECASE)
    if match is None:
        raise InputError(f"concrete grade {grade!r} is not like C30")
    return float(match.group(1))


def _signed(value: float | None) -> str:
    if value is None:
        return "∞"
    return "0" if value == 0 else f"{value:+g}"


def _range_text(low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low:g}…{high:g} {unit}"
    if low is not None:
        return f"≥ {low:g} {unit}"
    return f"≤ {high:g} {unit}"


# -- factory facts -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class FactoryFacts:
    factory: str  # organisation id
    components: int  # components whose production it recorded
    qc_first_pass: Rate
    on_time_delivery: Rate
    site_rejection: Rate
    pending_delivery: int  # due after as_of and not delivered yet


def factory_of(history: History) -> str | None:
    """The organisation that recorded the component's production (first applied event)."""
    for event in history.applied:
        if event.type in (EventType.START_PRODUCTION, EventType.FINISH_PRODUCTION) and event.role is OrgRole.FACTORY:
            return event.organisation
    return None


def factory_facts(
    histories: Mapping[str, History] | Iterable[History],
    *,
    as_of: datetime,
    due: Mapping[str, datetime | date] | None = None,
    local_time: tzinfo = CHINA_TIME,
) -> dict[str, FactoryFacts]:
    """Quality and delivery facts per factory from replayed histories (pure).

    ``due`` maps component codes to a due time, or a due date meaning the end of that day in
    ``local_time`` (Beijing time by default). ``as_of`` decides what is overdue.
    """
    if as_of.tzinfo is None:
        raise InputError("as_of needs a time zone")
    items = list(histories.values()) if isinstance(histories, Mapping) else list(histories)
    due = due or {}
    tallies: dict[str, dict[str, int]] = {}
    for history in items:
        factory = factory_of(history)
        if factory is None:
            continue
        t = tallies.setdefault(factory, dict.fromkeys(
            ("components", "qc_n", "qc_d", "ot_n", "ot_d", "rej_n", "rej_d", "pending"), 0,
        ))
        t["components"] += 1
        applied = history.applied
        verdicts = [e.type for e in applied if e.type in (EventType.PASS_QC, EventType.FAIL_QC)]
        if verdicts:
            t["qc_d"] += 1
            t["qc_n"] += verdicts[0] is EventType.PASS_QC
        inspections = [e.type for e in applied if e.type in (EventType.ACCEPT, EventType.REJECT)]
        t["rej_d"] += len(inspections)
        t["rej_n"] += sum(1 for e in inspections if e is EventType.REJECT)
        code = history.component
        if code is not None and code in due:
            deadline = _deadline(due[code], local_time)
            delivered = next((e.event_time for e in applied if e.type is EventType.DELIVER), None)
            if delivered is not None:
                t["ot_d"] += 1
                t["ot_n"] += delivered <= deadline
            elif as_of > deadline:
                t["ot_d"] += 1
            else:
                t["pending"] += 1
    return {
        factory: FactoryFacts(
            factory=factory,
            components=t["components"],
            qc_first_pass=Rate(t["qc_n"], t["qc_d"]),
            on_time_delivery=Rate(t["ot_n"], t["ot_d"]),
            site_rejection=Rate(t["rej_n"], t["rej_d"]),
            pending_delivery=t["pending"],
        )
        for factory, t in sorted(tallies.items())
    }


def _deadline(due: datetime | date, local_time: tzinfo) -> datetime:
    if isinstance(due, datetime):
        if due.tzinfo is None:
            raise InputError(f"due time {due.isoformat()} needs a time zone")
        return due
    # A due date means by the end of that day, local time.
    return datetime.combine(due + timedelta(days=1), time(0), local_time) - timedelta(microseconds=1)

