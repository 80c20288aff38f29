"""The assembly rate (装配率) of one building under GB/T 51129 (or a provincial table).

    P = (Q1 + Q2 + Q3) / (100 − Q4) × 100%

:func:`evaluate_assembly_rate` reads the model (classification, quantities, precast
evidence) and the declarations; :func:`assess` is the pure scoring over item measurements
and declarations, so the scoring can be checked by hand without a model. Both return an
:class:`~zhijian.domain.prefab.result.AssemblyRateResult`: every item's ratio and points, the
preconditions (3.0.3), the grade (5.0.2), each with its verification level, and ``advisory``
when any fact used is unverified (U).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal

from zhijian.domain.bim.index import ModelIndex
from zhijian.domain.errors import NotEvaluableError
from zhijian.domain.prefab.classify import select
from zhijian.domain.prefab.collect import measure_items
from zhijian.domain.prefab.declaration import NO_DECLARATIONS, Declarations, Declared
from zhijian.domain.prefab.precast import NO_OVERRIDES, Overrides, check_overrides
from zhijian.domain.prefab.result import (
    AssemblyRateResult,
    Check,
    ElementLine,
    ItemMeasurement,
    ItemResult,
    ModelInfo,
    PartResult,
)
from zhijian.domain.prefab.scoring_table import (
    Grade,
    Item,
    Precondition,
    ScoringTable,
    Verification,
    item_score,
    load_table,
    normalise_ratio,
    round_half_up,
)

U = Verification.UNVERIFIED
# Deciding rules that rest on a table policy (and so on that policy's verification level).
_POLICY_OF_RULE = {"non_concrete": "non_concrete_members_prefabricated", "joint": "joint_max_width_m"}


def evaluate_assembly_rate(
    index: ModelIndex,
    *,
    table: ScoringTable | None = None,
    building: str | None = None,
    declarations: Declarations = NO_DECLARATIONS,
    overrides: Overrides = NO_OVERRIDES,
    geometry: bool = True,
) -> AssemblyRateResult:
    """Evaluate one building of a model. Raises UnknownBuildingError / OverrideError on bad input.

    ``geometry=False`` measures from quantity sets only (no geometry fallback): fast, and
    every element without quantities is reported as not measurable.
    """
    started = time.perf_counter()
    table = table or load_table()
    check_overrides(overrides, index.elements)
    selection = select(index, building)
    measurements = measure_items(index, table, selection, overrides, geometry=geometry)
    excluded = tuple(
        ElementLine(
            guid=p.element.guid,
            ifc_class=p.element.ifc_class,
            name=p.element.label if p.element.name or p.element.long_name else None,
            storey=p.storey,
            category=None,
            reason=p.reason,
        )
        for p in selection.excluded
    )
    model = ModelInfo(
        file=index.path.name if index.path else None,
        sha256=index.sha256,
        schema=index.schema,
        length_unit=index.units.length_unit,
    )
    return assess(
        table,
        measurements,
        declarations,
        model=model,
        building=selection.building,
        excluded=excluded,
        out_of_building=selection.out_of_building,
        overrides_file=overrides.file or None,
        started=started,
    )


def require_evaluable(result: AssemblyRateResult) -> None:
    """Raise NotEvaluableError naming each required item the model could not give, and why."""
    if result.blocking:
        raise NotEvaluableError("cannot compute the assembly rate: " + "; ".join(result.blocking))


def assess(
    table: ScoringTable,
    measurements: Mapping[str, ItemMeasurement],
    declarations: Declarations = NO_DECLARATIONS,
    *,
    model: ModelInfo | None = None,
    building: str | None = None,
    excluded: tuple[ElementLine, ...] = (),
    out_of_building: int = 0,
    overrides_file: str | None = None,
    started: float | None = None,
) -> AssemblyRateResult:
    """Score items, sum parts, compute P, check preconditions and grade. Pure."""
    items: list[ItemResult] = []
    notes: list[str] = []
    for item in table.items:
        result, item_notes = _item_result(table, item, measurements.get(item.key), declarations.get(item.key))
        items.append(result)
        notes.extend(item_notes)
    by_key = {i.key: i for i in items}

    parts: list[PartResult] = []
    missing = Decimal(0)
    for part in table.parts:
        groups: dict[str, list[ItemResult]] = {}
        for item in table.items_of(part.key):
            groups.setdefault(item.alternative_group or item.key, []).append(by_key[item.key])
        score = sum((max(Decimal(str(r.score)) for r in group) for group in groups.values()), Decimal(0))
        for group in groups.values():
            if all(r.status == "absent" for r in group):
                missing += max(Decimal(str(r.s_max)) for r in group)
        parts.append(PartResult(part.key, part.zh, part.en, float(score), part.max_score, part.min_score))

    base = Decimal(str(table.total_score)) - missing
    total = sum((Decimal(str(p.score)) for p in parts), Decimal(0))
    p = float(round_half_up(total / base * 100, table.p_decimals)) if base > 0 else None

    part_scores = {pr.key: pr.score for pr in parts}
    preconditions = tuple(_check(pre, part_scores, by_key, p) for pre in table.preconditions)
    recognised = all(c.met for c in preconditions)
    grade_checks = tuple(_check(pre, part_scores, by_key, p) for pre in table.grade_preconditions)
    grade = _grade(table, p) if recognised and all(c.met for c in grade_checks) else None

    not_evaluated = tuple(f"{_label(i)}: {i.reason}" for i in items if i.status == "not_evaluated")
    blocking = tuple(
        f"{_label(i)} ({i.en}): {i.reason}"
        for i, item in zip(items, table.items, strict=True)
        if i.status == "not_evaluated" and item.source == "model" and not item.may_be_missing
    )
    incomplete = [f"{_label(i)}: {i.reason}" for i in items if i.status == "evaluated" and not i.complete]
    notes.extend(incomplete)
    advisory_reasons = _advisory_reasons(table, items, measurements, missing > 0, grade is not None or recognised)
    return AssemblyRateResult(
        table_id=table.id,
        table_version=table.version,
        table_edition=table.edition,
        table_file=table.file,
        table_title_zh=table.title_zh,
        table_title_en=table.title_en,
        formula_zh=table.formula_zh,
        model=model,
        building=building,
        p=p,
        parts=tuple(parts),
        missing_symbol=table.missing_symbol,
        missing_score=float(missing),
        items=tuple(items),
        preconditions=preconditions,
        recognised=recognised,
        grade_preconditions=grade_checks,
        grade=grade.grade if grade else None,
        grade_zh=grade.zh if grade else None,
        advisory=bool(advisory_reasons),
        advisory_reasons=tuple(advisory_reasons),
        complete=not not_evaluated and not incomplete,
        not_evaluated=not_evaluated,
        excluded=excluded,
        out_of_building=out_of_building,
        declarations_file=declarations.file or None,
        overrides_file=overrides_file,
        notes=tuple(dict.fromkeys(notes)),
        duration_s=time.perf_counter() - started if started is not None else 0.0,
        blocking=blocking,
        grade_bands=table.grades,
        grade_rule=table.grade_rule.value,
    )


# -- one item ---------------------------------------------------------------------------------
def _label(item: ItemResult | Item) -> str:
    return item.zh if item.symbol in ("", "—") else f"{item.symbol} {item.zh}"


def _item_result(
    table: ScoringTable, item: Item, measured: ItemMeasurement | None, declared: Declared | None
) -> tuple[ItemResult, list[str]]:
    notes: list[str] = []
    model_ok = measured is not None and measured.available and measured.ratio is not None
    base = {
        "key": item.key,
        "symbol": item.symbol,
        "part": item.part,
        "zh": item.zh,
        "en": item.en,
        "kind": item.kind,
        "requirement_zh": item.requirement_zh,
        "requirement_en": item.requirement_en,
        "score_range": item.score_range,
        "q_min": item.q_min,
        "q_max": item.q_max,
        "s_min": item.s_min,
        "s_max": item.s_max,
        "verification": item.verification.value,
        "basis_verification": item.basis_verification.value,
        "basis_zh": item.basis_zh,
        "basis_en": item.basis_en,
    }
    if measured is not None:
        base.update(elements=measured.elements, unmeasured=measured.unmeasured, unit=measured.unit)
        notes.extend(f"{_label(item)}: {n}" for n in measured.notes)

    if item.source != "declaration" and model_ok:
        assert measured is not None
        if declared is not None:
            notes.append(
                f"{_label(item)}: declared {declared.display} not used — the model shows this item "
                f"({len(measured.elements)} elements)"
            )
        ratio = measured.ratio or 0.0
        score = item_score(table, item, ratio)
        return ItemResult(
            **base,
            status="evaluated",
            source="model",
            score=float(score),
            ratio=ratio,
            numerator=measured.numerator,
            denominator=measured.denominator,
            complete=not measured.unmeasured,
            reason=measured.reason,
            declaration=declared,
        ), notes
    if declared is not None:
        if declared.absent:
            return ItemResult(
                **base, status="absent", source="declaration", score=0.0, declaration=declared,
                reason=f"declared absent (缺项) by {declared.declared_by}: full score {item.s_max:g} goes to {table.missing_symbol}",
            ), notes
        score = item_score(table, item, declared.value if declared.value is not None else 0.0)
        ratio = None if isinstance(declared.value, bool) else declared.value
        value = declared.value if isinstance(declared.value, bool) else None
        return ItemResult(
            **base, status="evaluated", source="declaration", score=float(score), ratio=ratio, value=value,
            declaration=declared,
        ), notes
    if item.source == "declaration":
        reason = "not declared (no entry in the declaration file)"
    else:
        reason = (measured.reason if measured is not None else "") or "the model gives no measurable elements"
        if item.source == "model_or_declaration":
            reason += "; and nothing was declared for it"
    return ItemResult(**base, status="not_evaluated", source=None, score=0.0, reason=reason, complete=False), notes


# -- preconditions and grade ------------------------------------------------------------------
def _num(value: float) -> str:
    return f"{value:g}"


def _check(pre: Precondition, part_scores: dict[str, float], items: dict[str, ItemResult], p: float | None) -> Check:
    if pre.kind == "part_min":
        score = part_scores[pre.part]
        met = round(score, 6) >= round(pre.min, 6)
        required, actual = f"≥ {_num(pre.min)}", _num(score)
    elif pre.kind == "p_min":
        met = p is not None and round(p, 6) >= round(pre.min, 6)
        required, actual = f"≥ {_num(pre.min)}%", "—" if p is None else f"{p:.1f}%"
    elif pre.kind == "item_yes":
        item = items[pre.item]
        met = item.status == "evaluated" and item.value is True
        required = "yes"
        actual = "not declared" if item.status == "not_evaluated" else ("yes" if item.value else "no")
    else:  # item_ratio_min
        item = items[pre.item]
        met = item.ratio is not None and normalise_ratio(item.ratio) >= normalise_ratio(pre.min)
        required = f"≥ {_num(pre.min * 100)}%"
        actual = "—" if item.ratio is None else f"{item.ratio * 100:.1f}%"
    return Check(pre.key, pre.zh, pre.en, required, actual, met, pre.verification.value)


def _grade(table: ScoringTable, p: float | None) -> Grade | None:
    if p is None:
        return None
    if table.grade_rule.value == "round_integer":
        whole = float(round_half_up(p, 0))
        return next(
            (g for g in table.grades if g.p_min <= whole and (g.p_max is None or whole <= g.p_max)), None
        )
    reached = [g for g in table.grades if round(p, 6) >= round(g.p_min, 6)]
    return reached[-1] if reached else None


def _advisory_reasons(
    table: ScoringTable,
    items: list[ItemResult],
    measurements: Mapping[str, ItemMeasurement],
    missing_used: bool,
    graded: bool,
) -> list[str]:
    reasons: list[str] = []
    if table.formula.verification == U:
        reasons.append("formula 4.0.1 unverified (U)")
    if missing_used and table.missing_rule.verification == U:
        reasons.append(f"what counts as a missing item ({table.missing_symbol}) is unverified (U)")
    if table.rounding.verification == U:
        reasons.append("rounding of scores and P (1 decimal, half up) is unverified (U)")
    for item in items:
        if item.status == "not_evaluated":
            continue
        if item.verification == U:
            reasons.append(f"{_label(item)}: scores unverified (U)")
        if item.source == "model" and item.basis_verification == U:
            reasons.append(f"{_label(item)}: measurement rule unverified (U)")
    used_rules = set().union(*(m.rules_used for m in measurements.values())) if measurements else set()
    for rule, policy_name in _POLICY_OF_RULE.items():
        policy = table.policy(policy_name)
        if rule in used_rules and policy is not None and policy.verification == U:
            reasons.append(f"policy {policy_name} unverified (U): {policy.note}")
    checks = [*table.preconditions, *table.grade_preconditions]
    reasons.extend(f"precondition {c.key} unverified (U)" for c in checks if c.verification == U)
    if graded:
        if table.grade_rule.verification == U:
            reasons.append(f"grade banding rule '{table.grade_rule.value}' is unverified (U)")
        reasons.extend(f"grade {g.grade} band unverified (U)" for g in table.grades if g.verification == U)
    return reasons
