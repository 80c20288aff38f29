"""The clear-width rule of a stair flight, built once for every residential clause that has
one (GB 50096-2011 5.7.3 and 6.3.1, GB 55038-2025 4.2.2).

The width is a stated clear width, else the flight's width without the handrail deducted, else
geometry; the last two are estimates, and so is a stair's location when the model does not
state it, which makes the result advisory. Only the limits, the clause metadata and which
stairs (inside a dwelling or public) differ.
"""

from __future__ import annotations

from zhijian.domain.bim.index import Element
from zhijian.domain.review.measures import (
    is_stair_unit,
    stair_location,
    stair_location_presumed,
    stair_notes,
    stair_width,
)
from zhijian.domain.review.rule import CheckContext, LimitFor, RuleMeta, Selector, ThresholdRule


def dwelling_stair_unit(element: Element, ctx: CheckContext) -> bool:
    """For ThresholdRule.applies: a stair unit inside a dwelling (套内楼梯)."""
    return is_stair_unit(ctx.index, element) and stair_location(ctx.index, element) == "dwelling"


def public_stair_unit(element: Element, ctx: CheckContext) -> bool:
    """For ThresholdRule.applies: a stair unit of the common parts (公共楼梯), or one whose
    location is unknown."""
    return is_stair_unit(ctx.index, element) and stair_location(ctx.index, element) != "dwelling"


def stair_width_rule(meta: RuleMeta, *, limit: LimitFor, applies: Selector) -> ThresholdRule:
    """The rule holding the flights of the stairs it ``applies`` to (dwelling_stair_unit or
    public_stair_unit) to ``limit``."""
    return ThresholdRule(
        meta=meta,
        measure=_width,
        limit=limit,
        applies=applies,
        quantity_zh="梯段净宽",
        quantity_en="flight clear width",
        remark=lambda e, ctx: stair_notes(ctx.index, e, width=True),
        advisory=_advisory,
    )


def _width(flight: Element, ctx: CheckContext) -> float | None:
    width = stair_width(ctx.index, flight)
    return width[0] if width else None


def _advisory(flight: Element, ctx: CheckContext) -> bool:
    width = stair_width(ctx.index, flight)
    return stair_location_presumed(ctx.index, flight) or bool(width and width[1])
