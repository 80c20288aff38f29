"""GB 50096-2011 5.7.3 — clear width of stairs inside a dwelling (套内楼梯)."""

from zhijian.domain.review.catalog.gb50096_2011 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import (
    is_stair_unit,
    stair_has_railing,
    stair_location,
    stair_location_presumed,
    stair_notes,
    stair_width,
)
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

OPEN_SIDE = Limit.at_least(0.75, "m", "5.7.3", "一边临空", "open on one side")
BETWEEN_WALLS = Limit.at_least(0.90, "m", "5.7.3", "两侧有墙（未见栏杆）", "between walls (no railing modelled)")


def _measure(flight, ctx):
    width = stair_width(ctx.index, flight)
    return width[0] if width else None


def _advisory(flight, ctx) -> bool:
    width = stair_width(ctx.index, flight)
    return stair_location_presumed(ctx.index, flight) or bool(width and width[1])


RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB50096-2011-5.7.3",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="5.7.3",
        mandatory=False,
        discipline="architecture",
        title_zh="套内楼梯梯段净宽",
        title_en="Clear width of stairs inside a dwelling",
        text_zh="套内楼梯的梯段净宽，当一边临空时不应小于0.75m；当两侧有墙时不应小于0.90m，并应在其中一侧墙面设置扶手。",
        text_en=(
            "A stair inside a dwelling is at least 0.75 m clear where one side is open (a railing is "
            "modelled as part of it) and 0.90 m between walls. Flight widths without handrail deduction "
            "are estimates, so such results are advisory."
        ),
        ifc_classes=("IfcStairFlight", "IfcStair"),
        check_type="geometry",
        parameters=(("open_side", OPEN_SIDE), ("between_walls", BETWEEN_WALLS)),
    ),
    measure=_measure,
    limit=lambda e, ctx: OPEN_SIDE if stair_has_railing(ctx.index, e) else BETWEEN_WALLS,
    applies=lambda e, ctx: is_stair_unit(ctx.index, e) and stair_location(ctx.index, e) == "dwelling",
    quantity_zh="梯段净宽",
    quantity_en="flight clear width",
    remark=lambda e, ctx: stair_notes(ctx.index, e, width=True),
    advisory=_advisory,
)
