"""GB 50352-2019 6.8.8 — indoor stair handrails at least 0.90 m high, measured from the nosing
(宜; values seen second-hand, so advisory). GB 55031-2022 has no handrail-height clause.

Handrails are railings typed HANDRAIL, or untyped railings, modelled as parts of an indoor
stair or flight. The 1.05 m for horizontal runs over 0.50 m needs the railing's geometry.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb50352_2019 import rule_meta
from zhijian.domain.review.measures_fire import (
    GUARD_TYPES,
    railing_height,
    railing_owner,
    stair_is_external,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "6.8.8"
HEIGHT = Limit.at_least(0.90, "m", CLAUSE)


def indoor_stair_handrail(railing: Element, ctx: CheckContext) -> bool:
    if railing.predefined_type in GUARD_TYPES:
        return False
    owner = railing_owner(ctx.index, railing)
    return (
        owner is not None
        and owner.ifc_class.startswith("IfcStair")
        and not stair_is_external(ctx.index, owner)
    )


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB50352-2019-6.8.8",
        clause=CLAUSE,
        title_zh="室内楼梯扶手高度",
        title_en="Height of indoor stair handrails",
        text_zh="室内楼梯扶手高度自踏步前缘线量起不宜小于0.90m；楼梯水平栏杆长度大于0.50m时，其高度不应小于1.05m。",
        text_en=(
            "Indoor stair handrails should be at least 0.90 m above the nosing line; horizontal "
            "runs longer than 0.50 m at least 1.05 m."
        ),
        ifc_classes=("IfcRailing",),
        parameters=(("height", HEIGHT),),
    ),
    measure=lambda r, ctx: railing_height(ctx.index, r),
    limit=lambda r, ctx: HEIGHT,
    applies=indoor_stair_handrail,
    quantity_zh="扶手高度",
    quantity_en="handrail height",
)
