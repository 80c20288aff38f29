"""The door, corridor and stair rules of an evacuation-width clause, built once for every
clause that needs them (GB 50016-2014 5.5.18 and 5.5.30, GB 55037-2022 7.1.4).

Each such clause sets least clear widths of exit doors, evacuation corridors and evacuation
stairs. How each is measured is the same everywhere (a door's width less the frame, a
space's clear width, a public stair's clear width; estimates are said and advisory); only
the clause's texts, limits and which doors or corridors it covers differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zhijian.domain.review.measures_fire import (
    DEFAULT_FRAME_DEDUCTION,
    MeasuredBy,
    door_clear_width,
    is_stair_unit,
    space_clear_width,
    stair_clear_width,
    stair_is_public,
)
from zhijian.domain.review.rule import Limit, LimitFor, RuleMeta, Selector, ThresholdRule

STAIR_CLASSES = ("IfcStairFlight", "IfcStair")


@dataclass(frozen=True)
class WidthProvision:
    """What a clause says of one kind of element: texts, limits (as rule parameters), the
    limit for an element and which elements it covers (stairs: every public stair unit)."""

    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    parameters: tuple[tuple[str, Limit], ...]
    limit: LimitFor
    # Which elements of the kind the clause covers; None: every one (stairs: every public one).
    applies: Selector | None = None
    # Besides an estimated width, what else makes a result advisory (e.g. a stair assumed public).
    also_advisory: Selector | None = None


def evacuation_width_rules(
    rule_id: str,
    rule_meta: Callable[..., RuleMeta],
    *,
    clause: str,
    building_uses: tuple[str, ...],
    door: WidthProvision,
    corridor: WidthProvision,
    stair: WidthProvision,
) -> tuple[ThresholdRule, ThresholdRule, ThresholdRule]:
    """(door, corridor, stair) rules with ids ``<rule_id>-door``, ``-corridor``, ``-stair``.

    ``rule_meta`` is the pack's metadata helper; the door rule's parameters end with the
    door-frame deduction used to estimate a clear width from an overall one.
    """
    frame = Limit.setting(
        DEFAULT_FRAME_DEDUCTION, "m", clause, "门框扣减（估算净宽用）", "door-frame deduction"
    )
    door_width = MeasuredBy(lambda d, ctx: door_clear_width(d, frame.value))
    stair_width = MeasuredBy(lambda u, ctx: stair_clear_width(ctx.index, u))

    def meta(
        kind: str, provision: WidthProvision, ifc_classes: tuple[str, ...], **fields: object
    ) -> RuleMeta:
        return rule_meta(
            rule_id=f"{rule_id}-{kind}",
            title_zh=provision.title_zh,
            title_en=provision.title_en,
            text_zh=provision.text_zh,
            text_en=provision.text_en,
            ifc_classes=ifc_classes,
            clause=clause,
            building_uses=building_uses,
            **fields,
        )

    def advisory(measured_by: MeasuredBy, provision: WidthProvision) -> Callable:
        also = provision.also_advisory
        if also is None:
            return measured_by.advisory
        return lambda e, ctx: measured_by.advisory(e, ctx) or also(e, ctx)

    door_rule = ThresholdRule(
        meta=meta(
            "door", door, ("IfcDoor",), parameters=(*door.parameters, ("frame_deduction", frame))
        ),
        measure=door_width.measure,
        limit=door.limit,
        applies=door.applies or _everything,
        quantity_zh="门净宽",
        quantity_en="door clear width",
        remark=door_width.remark,
        advisory=advisory(door_width, door),
    )
    corridor_rule = ThresholdRule(
        meta=meta(
            "corridor",
            corridor,
            ("IfcSpace",),
            check_type="geometry",
            parameters=corridor.parameters,
        ),
        measure=lambda s, ctx: space_clear_width(ctx.index, s),
        limit=corridor.limit,
        applies=corridor.applies or _everything,
        quantity_zh="走道净宽",
        quantity_en="corridor clear width",
        advisory=corridor.also_advisory,
    )
    stair_rule = ThresholdRule(
        meta=meta(
            "stair", stair, STAIR_CLASSES, check_type="geometry", parameters=stair.parameters
        ),
        measure=stair_width.measure,
        limit=stair.limit,
        applies=stair.applies or _public_stair_unit,
        quantity_zh="梯段净宽",
        quantity_en="stair clear width",
        remark=stair_width.remark,
        advisory=advisory(stair_width, stair),
    )
    return door_rule, corridor_rule, stair_rule


def _everything(element, ctx) -> bool:
    return True


def _public_stair_unit(unit, ctx) -> bool:
    return is_stair_unit(ctx.index, unit) and stair_is_public(ctx.index, unit)
