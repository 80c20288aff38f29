"""GB 50096-2011 5.7.3 — clear width of stairs inside a dwelling (套内楼梯)."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import stair_has_railing
from zhijian.domain.review.rule import Limit
from zhijian.domain.review.stair_width_rule import dwelling_stair_unit, stair_width_rule

OPEN_SIDE = Limit.at_least(0.75, "m", "5.7.3", "一边临空", "open on one side")
BETWEEN_WALLS = Limit.at_least(0.90, "m", "5.7.3", "两侧有墙（未见栏杆）", "between walls (no railing modelled)")

RULE = stair_width_rule(
    rule_meta(
        rule_id="GB50096-2011-5.7.3",
        clause="5.7.3",
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
    limit=lambda e, ctx: OPEN_SIDE if stair_has_railing(ctx.index, e) else BETWEEN_WALLS,
    applies=dwelling_stair_unit,
)
