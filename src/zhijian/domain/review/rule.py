"""What a rule is: metadata (clause, edition, mandatory flag, thresholds with units) and a check.

Most code provisions are "this measured value must be at least / at most that limit" for
some elements; :class:`ThresholdRule` expresses them declaratively so that a rule module is
mostly its metadata. Rules that need more write their own ``evaluate`` and still return
:class:`Outcome` values.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from zhijian.domain.bim.index import Element, ModelIndex, Storey

# Comparisons round to this many decimals (µm, µm², …) so that a model in millimetres and
# the same model in metres give identical findings despite float noise from unit scaling.
_DECIMALS = 6


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    MISSING_DATA = "missing_data"


class Verification(enum.StrEnum):
    """How sure we are of the clause text behind a rule (see shared/reference)."""

    VERIFIED = "V"  # read in the standard or a verbatim transcription
    SECOND_HAND = "S"  # seen only second-hand: results are advisory


class StandardStatus(enum.StrEnum):
    CURRENT = "current"
    MANDATORY_REPEALED = "mandatory_repealed"  # clause still valid as design guidance
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Limit:
    """A threshold with its unit and the clause it comes from."""

    value: float
    unit: str  # "m", "m2", "m3", "1" …
    comparison: str  # ">=", "<=" or "between" (value ≤ measured ≤ upper)
    clause: str = ""
    note_zh: str = ""
    note_en: str = ""
    upper: float | None = None  # upper bound of a "between" limit (e.g. handrails 0.85–0.90 m)

    @staticmethod
    def at_least(value: float, unit: str, clause: str = "", note_zh: str = "", note_en: str = "") -> Limit:
        return Limit(value, unit, ">=", clause, note_zh, note_en)

    @staticmethod
    def at_most(value: float, unit: str, clause: str = "", note_zh: str = "", note_en: str = "") -> Limit:
        return Limit(value, unit, "<=", clause, note_zh, note_en)

    @staticmethod
    def between(
        lower: float, upper: float, unit: str, clause: str = "", note_zh: str = "", note_en: str = ""
    ) -> Limit:
        return Limit(lower, unit, "between", clause, note_zh, note_en, upper)

    @staticmethod
    def setting(value: float, unit: str, clause: str = "", note_zh: str = "", note_en: str = "") -> Limit:
        """A parameter of a check that is not a threshold (e.g. a door-frame deduction)."""
        return Limit(value, unit, "=", clause, note_zh, note_en)

    def satisfied_by(self, measured: float) -> bool:
        measured = round(measured, _DECIMALS)
        limit = round(self.value, _DECIMALS)
        if self.comparison == "between":
            return limit <= measured <= round(self.upper if self.upper is not None else limit, _DECIMALS)
        return measured >= limit if self.comparison == ">=" else measured <= limit

    def bound_for(self, measured: float) -> float:
        """The bound a measured value is held to: the upper one when a range is exceeded."""
        if self.comparison == "between" and self.upper is not None and round(measured, _DECIMALS) > round(self.upper, _DECIMALS):
            return self.upper
        return self.value

    def describe(self) -> str:
        """The requirement as text: "≥ 1.1 m", "≤ 18", "0.85–0.9 m"."""
        if self.comparison == "between":
            return f"{fmt(self.value, '1')}–{fmt(self.upper if self.upper is not None else self.value, self.unit)}"
        return f"{self.symbol} {fmt(self.value, self.unit)}"

    @property
    def symbol(self) -> str:
        return {">=": "≥", "<=": "≤", "=": "="}.get(self.comparison, "≤")


@dataclass(frozen=True)
class RuleMeta:
    rule_id: str  # stable, e.g. "GB50096-2011-5.2.1-bedroom-area"
    version: str  # bump when the check or a threshold changes
    standard: str  # "GB 50096-2011"
    standard_title_zh: str
    standard_title_en: str
    clause: str  # "5.2.1"
    mandatory: bool  # 强制性条文 / 全文强制规范 in force today
    discipline: str  # "architecture", "fire", "accessibility", "structure"
    title_zh: str
    title_en: str
    text_zh: str  # the provision in our own words
    text_en: str
    ifc_classes: tuple[str, ...]
    building_uses: tuple[str, ...] = ("residential",)  # or "public", "any"
    functions: tuple[str, ...] = ()  # space function categories the rule applies to
    verification: Verification = Verification.VERIFIED
    standard_status: StandardStatus = StandardStatus.CURRENT
    status_note_zh: str = ""
    status_note_en: str = ""
    check_type: str = "attribute"  # attribute / geometry / topology
    parameters: tuple[tuple[str, Limit], ...] = ()
    recommended: bool = False  # a 宜/不宜 provision: design advice, so results are advisory

    @property
    def advisory(self) -> bool:
        """Results resting on second-hand facts or on advice (宜) are advisory, never a hard fail."""
        return self.verification is not Verification.VERIFIED or self.recommended


@dataclass(frozen=True)
class Outcome:
    guid: str
    status: Status
    measured: float | None = None
    required: float | None = None
    unit: str = ""
    message_zh: str = ""
    message_en: str = ""
    clause: str = ""  # sub-clause when it differs from the rule's clause
    advisory: bool = False  # this result rests on an estimate or assumption (see the message)


@dataclass(frozen=True)
class CheckContext:
    """Facts about the building that are not per element: use, height, storey count."""

    index: ModelIndex
    building_use: str = "residential"
    new_build: bool = True

    @property
    def storeys_above_ground(self) -> int:
        return self.index.storey_count_above_ground()


class Rule(Protocol):
    meta: RuleMeta

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]: ...


def fmt(value: float, unit: str) -> str:
    unit_text = {"m2": "m²", "m3": "m³", "1": ""}.get(unit, unit)
    return f"{value:.3f}".rstrip("0").rstrip(".") + (f" {unit_text}" if unit_text else "")


Selector = Callable[[Element, CheckContext], bool]
Measure = Callable[[Element, CheckContext], float | None]
LimitFor = Callable[[Element, CheckContext], Limit | None]


@dataclass(frozen=True)
class ThresholdRule:
    """A measured value per element compared with a limit.

    ``applies`` narrows the candidates (two-phase: class filter first, then this);
    ``measure`` returns the SI value or None when the model lacks it (missing_data);
    ``limit`` may depend on the element (e.g. railing height by storey) and returns None
    when the rule does not apply to that element after all.
    """

    meta: RuleMeta
    measure: Measure
    limit: LimitFor
    applies: Selector = field(default=lambda e, ctx: True)
    quantity_zh: str = "数值"
    quantity_en: str = "value"
    missing_zh: str = ""
    missing_en: str = ""
    # Per-element (zh, en) remark appended to pass/fail messages, e.g. "clear width estimated".
    remark: Callable[[Element, CheckContext], tuple[str, str] | None] | None = None
    # Per-element: True when the result rests on an estimate or assumption (advisory result).
    advisory: Callable[[Element, CheckContext], bool] | None = None

    def candidates(self, ctx: CheckContext) -> list[Element]:
        if "any" not in self.meta.building_uses and ctx.building_use not in self.meta.building_uses:
            return []
        elements = ctx.index.of_class(*self.meta.ifc_classes)
        if self.meta.functions:
            elements = [
                e for e in elements if e.function is not None and e.function.category in self.meta.functions
            ]
        return [e for e in elements if self.applies(e, ctx)]

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]:
        for element in self.candidates(ctx):
            limit = self.limit(element, ctx)
            if limit is None:
                yield Outcome(element.guid, Status.NOT_APPLICABLE)
                continue
            measured = self.measure(element, ctx)
            if measured is None:
                yield missing_outcome(element.guid, limit, self.quantity_zh, self.quantity_en, self.missing_zh, self.missing_en)
                continue
            yield judged_outcome(
                element.guid,
                limit,
                measured,
                self.quantity_zh,
                self.quantity_en,
                remark=self.remark(element, ctx) if self.remark else None,
                advisory=bool(self.advisory and self.advisory(element, ctx)),
            )


def missing_outcome(
    guid: str, limit: Limit, quantity_zh: str, quantity_en: str, missing_zh: str = "", missing_en: str = ""
) -> Outcome:
    return Outcome(
        guid,
        Status.MISSING_DATA,
        required=limit.value,
        unit=limit.unit,
        message_zh=missing_zh or f"模型缺少{quantity_zh}，无法检查",
        message_en=missing_en or f"the model lacks the {quantity_en}; cannot check",
        clause=limit.clause,
    )


def judged_outcome(
    guid: str,
    limit: Limit,
    measured: float,
    quantity_zh: str,
    quantity_en: str,
    *,
    remark: tuple[str, str] | None = None,
    advisory: bool = False,
) -> Outcome:
    """Pass or fail of a measured value against a limit, with the bilingual message."""
    ok = limit.satisfied_by(measured)
    return Outcome(
        guid,
        Status.PASS if ok else Status.FAIL,
        measured=round(measured, _DECIMALS),
        required=limit.bound_for(measured),
        unit=limit.unit,
        message_zh=(
            f"{quantity_zh} {fmt(measured, limit.unit)}，"
            f"{'满足' if ok else '不满足'}要求 {limit.describe()}"
            + (f"（{limit.note_zh}）" if limit.note_zh else "")
            + (f"；{remark[0]}" if remark else "")
        ),
        message_en=(
            f"{quantity_en} {fmt(measured, limit.unit)} "
            f"{'meets' if ok else 'does not meet'} the requirement "
            f"{limit.describe()}"
            + (f" ({limit.note_en})" if limit.note_en else "")
            + (f"; {remark[1]}" if remark else "")
        ),
        clause=limit.clause,
        advisory=advisory,
    )


StoreyMeasure = Callable[[Storey, CheckContext], float | None]
StoreyLimitFor = Callable[[Storey, CheckContext], Limit | None]


@dataclass(frozen=True)
class StoreyThresholdRule:
    """A measured value per building storey (e.g. storey height) compared with a limit.

    Outcomes carry the storey's GlobalId. ``limit`` returns None for storeys the rule does
    not apply to (below ground, a roof datum); ``measure`` None means missing data.
    """

    meta: RuleMeta
    measure: StoreyMeasure
    limit: StoreyLimitFor
    quantity_zh: str = "数值"
    quantity_en: str = "value"
    missing_zh: str = ""
    missing_en: str = ""

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]:
        if "any" not in self.meta.building_uses and ctx.building_use not in self.meta.building_uses:
            return
        for storey in ctx.index.storeys:
            limit = self.limit(storey, ctx)
            if limit is None:
                yield Outcome(storey.guid, Status.NOT_APPLICABLE)
                continue
            measured = self.measure(storey, ctx)
            if measured is None:
                yield missing_outcome(storey.guid, limit, self.quantity_zh, self.quantity_en, self.missing_zh, self.missing_en)
                continue
            yield judged_outcome(storey.guid, limit, measured, self.quantity_zh, self.quantity_en)
