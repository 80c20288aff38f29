"""The assembly-rate result: frozen values, and its canonical JSON form.

``assembly-rate.json`` (``result_version`` 1) is :meth:`AssemblyRateResult.to_dict`::

    { "result_version": 1,
      "table":    {"id", "version", "edition", "file", "title_zh", "title_en", "formula_zh"},
      "model":    {"file", "sha256", "schema", "length_unit"},
      "building": "1#楼",
      "inputs":   {"declarations": FILE | null, "overrides": FILE | null},
      "P": 59.7,                       # assembly rate in %, 1 decimal (null when 100 − Q4 = 0)
      "scores":   {"Q1": 37.4, "Q2": 12.5, "Q3": 9.8, "Q4": 0.0},   # Q4 = missing items
      "missing_symbol": "Q4",
      "parts":    [{"key", "zh", "en", "score", "max_score", "min_score"}],
      "items":    [{"key", "symbol", "part", "zh", "en", "kind", "requirement_zh", "requirement_en",
                    "q_min", "q_max", "s_min", "s_max", "verification", "basis_verification",
                    "basis_zh", "basis_en",
                    "status": "evaluated" | "absent" | "not_evaluated",
                    "source": "model" | "declaration" | null,
                    "ratio", "value", "numerator", "denominator", "unit", "score", "max_score",
                    "complete", "reason", "notes": [...],
                    "declaration": {"value", "absent", "declared_by", "role", "date", "evidence", "line"} | null,
                    "counts": {"elements", "counted", "unmeasured"},
                    "elements":   [{"guid", "ifc_class", "name", "storey", "category", "quantity",
                                    "quantity_source", "counted", "rule", "evidence": [...], "note"}],
                    "unmeasured": [{... as elements, "reason"}]}],
      "preconditions":       [{"key", "zh", "en", "required", "actual", "met", "verification"}],
      "recognised": true,               # 认定为装配式建筑: every precondition met
      "grade_preconditions": [...as preconditions],
      "grade": "A" | "AA" | "AAA" | null, "grade_zh",
      "grade_rule": "lower_bound" | "round_integer",
      "grade_bands": [{"grade", "p_min", "p_max", "zh", "en", "verification"}],
      "advisory": true, "advisory_reasons": [...],   # some fact used is unverified (U)
      "complete": false,                # every item evaluated and every element measured
      "not_evaluated": ["q2b 围护墙…: why"],
      "blocking": ["q1a …: why"],       # required model items not evaluated (the CLI exits 2)
      "excluded":  [{"guid", "ifc_class", "name", "storey", "reason"}],   # candidates left out
      "out_of_building": 0,
      "notes": [...], "duration_s": 0.12 }

Quantities are SI (m³ for vertical members, m² otherwise); ratios are fractions (0–1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhijian.domain.prefab.declaration import Declared
from zhijian.domain.prefab.scoring_table import Grade

RESULT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ElementLine:
    guid: str
    ifc_class: str
    name: str | None
    storey: str | None
    category: str | None
    quantity: float | None = None
    quantity_source: str = ""
    counted: bool = False
    rule: str = ""
    evidence: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""  # why it was not measured or left out

    def to_dict(self, *, with_reason: bool = False) -> dict[str, Any]:
        row: dict[str, Any] = {
            "guid": self.guid,
            "ifc_class": self.ifc_class,
            "name": self.name,
            "storey": self.storey,
            "category": self.category,
            "quantity": _round(self.quantity),
            "quantity_source": self.quantity_source,
            "counted": self.counted,
            "rule": self.rule,
            "evidence": list(self.evidence),
            "note": self.note,
        }
        if with_reason:
            row["reason"] = self.reason
        return row


@dataclass(frozen=True)
class ItemMeasurement:
    """What the model shows for one item: the ratio's parts, element by element."""

    key: str
    numerator: float = 0.0
    denominator: float = 0.0
    unit: str = ""
    available: bool = True  # False: the model carries nothing for this item
    reason: str = ""  # why not available / not evaluable
    elements: tuple[ElementLine, ...] = ()
    unmeasured: tuple[ElementLine, ...] = ()
    notes: tuple[str, ...] = ()
    rules_used: frozenset[str] = frozenset()  # deciding rules, to flag policies resting on U facts

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator > 0 else None


@dataclass(frozen=True)
class ItemResult:
    key: str
    symbol: str
    part: str
    zh: str
    en: str
    kind: str
    requirement_zh: str
    requirement_en: str
    score_range: str
    q_min: float | None
    q_max: float | None
    s_min: float | None
    s_max: float
    verification: str
    basis_verification: str
    basis_zh: str
    basis_en: str
    status: str  # evaluated | absent | not_evaluated
    source: str | None  # model | declaration
    score: float
    ratio: float | None = None
    value: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    unit: str = ""
    complete: bool = True
    reason: str = ""
    notes: tuple[str, ...] = ()
    declaration: Declared | None = None
    elements: tuple[ElementLine, ...] = ()
    unmeasured: tuple[ElementLine, ...] = ()

    @property
    def counted(self) -> int:
        return sum(1 for e in self.elements if e.counted)

    def to_dict(self) -> dict[str, Any]:
        declared = self.declaration
        return {
            "key": self.key,
            "symbol": self.symbol,
            "part": self.part,
            "zh": self.zh,
            "en": self.en,
            "kind": self.kind,
            "requirement_zh": self.requirement_zh,
            "requirement_en": self.requirement_en,
            "q_min": self.q_min,
            "q_max": self.q_max,
            "s_min": self.s_min,
            "s_max": self.s_max,
            "verification": self.verification,
            "basis_verification": self.basis_verification,
            "basis_zh": self.basis_zh,
            "basis_en": self.basis_en,
            "status": self.status,
            "source": self.source,
            "ratio": _round(self.ratio),
            "value": self.value,
            "numerator": _round(self.numerator),
            "denominator": _round(self.denominator),
            "unit": self.unit,
            "score": self.score,
            "max_score": self.s_max,
            "complete": self.complete,
            "reason": self.reason,
            "notes": list(self.notes),
            "declaration": None
            if declared is None
            else {
                "value": declared.value,
                "absent": declared.absent,
                "declared_by": declared.declared_by,
                "role": declared.role,
                "date": declared.date,
                "evidence": declared.evidence,
                "line": declared.line,
            },
            "counts": {"elements": len(self.elements), "counted": self.counted, "unmeasured": len(self.unmeasured)},
            "elements": [e.to_dict() for e in self.elements],
            "unmeasured": [e.to_dict(with_reason=True) for e in self.unmeasured],
        }


@dataclass(frozen=True)
class PartResult:
    key: str
    zh: str
    en: str
    score: float
    max_score: float
    min_score: float | None


@dataclass(frozen=True)
class Check:
    key: str
    zh: str
    en: str
    required: str
    actual: str
    met: bool
    verification: str


@dataclass(frozen=True)
class ModelInfo:
    file: str | None
    sha256: str | None
    schema: str
    length_unit: str


@dataclass(frozen=True)
class AssemblyRateResult:
    table_id: str
    table_version: int
    table_edition: str
    table_file: str
    table_title_zh: str
    table_title_en: str
    formula_zh: str
    model: ModelInfo | None
    building: str | None
    p: float | None
    parts: tuple[PartResult, ...]
    missing_symbol: str
    missing_score: float
    items: tuple[ItemResult, ...]
    preconditions: tuple[Check, ...]
    recognised: bool
    grade_preconditions: tuple[Check, ...]
    grade: str | None
    grade_zh: str | None
    advisory: bool
    advisory_reasons: tuple[str, ...]
    complete: bool
    not_evaluated: tuple[str, ...]
    excluded: tuple[ElementLine, ...] = ()
    out_of_building: int = 0
    declarations_file: str | None = None
    overrides_file: str | None = None
    notes: tuple[str, ...] = ()
    duration_s: float = 0.0
    blocking: tuple[str, ...] = field(default=())  # required items that could not be evaluated
    grade_bands: tuple[Grade, ...] = ()
    grade_rule: str = ""

    def item(self, key: str) -> ItemResult:
        return next(i for i in self.items if i.key == key or i.symbol == key)

    @property
    def scores(self) -> dict[str, float]:
        found = {p.key: p.score for p in self.parts}
        found[self.missing_symbol] = self.missing_score
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "result_version": RESULT_VERSION,
            "table": {
                "id": self.table_id,
                "version": self.table_version,
                "edition": self.table_edition,
                "file": self.table_file,
                "title_zh": self.table_title_zh,
                "title_en": self.table_title_en,
                "formula_zh": self.formula_zh,
            },
            "model": None
            if self.model is None
            else {
                "file": self.model.file,
                "sha256": self.model.sha256,
                "schema": self.model.schema,
                "length_unit": self.model.length_unit,
            },
            "building": self.building,
            "inputs": {"declarations": self.declarations_file, "overrides": self.overrides_file},
            "P": self.p,
            "scores": self.scores,
            "missing_symbol": self.missing_symbol,
            "parts": [
                {"key": p.key, "zh": p.zh, "en": p.en, "score": p.score, "max_score": p.max_score, "min_score": p.min_score}
                for p in self.parts
            ],
            "items": [i.to_dict() for i in self.items],
            "preconditions": [_check(c) for c in self.preconditions],
            "recognised": self.recognised,
            "grade_preconditions": [_check(c) for c in self.grade_preconditions],
            "grade": self.grade,
            "grade_zh": self.grade_zh,
            "grade_rule": self.grade_rule,
            "grade_bands": [
                {"grade": g.grade, "p_min": g.p_min, "p_max": g.p_max, "zh": g.zh, "en": g.en, "verification": g.verification.value}
                for g in self.grade_bands
            ],
            "advisory": self.advisory,
            "advisory_reasons": list(self.advisory_reasons),
            "complete": self.complete,
            "not_evaluated": list(self.not_evaluated),
            "blocking": list(self.blocking),
            "excluded": [
                {"guid": e.guid, "ifc_class": e.ifc_class, "name": e.name, "storey": e.storey, "reason": e.reason}
                for e in self.excluded
            ],
            "out_of_building": self.out_of_building,
            "notes": list(self.notes),
            "duration_s": round(self.duration_s, 3),
        }


def _check(check: Check) -> dict[str, Any]:
    return {
        "key": check.key,
        "zh": check.zh,
        "en": check.en,
        "required": check.required,
        "actual": check.actual,
        "met": check.met,
        "verification": check.verification,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
