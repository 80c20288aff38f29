"""GB 55019-2021 2.8.1 — handrails of accessible ramps and stairs are 850–900 mm high.

Handrails are railings (not typed GUARDRAIL or BALUSTRADE) modelled as parts of a ramp or
stair flagged HandicapAccessible, or flagged so themselves. A two-level handrail's lower rail
(650–700 mm) needs both heights, which Pset_RailingCommon does not hold; not checked.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55019_2021 import rule_meta
from zhijian.domain.review.measures_fire import (
    GUARD_TYPES,
    flag,
    railing_height,
    railing_owner,
    ramp_is_accessible,
    stair_of,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "2.8.1"
HEIGHT = Limit.between(0.85, 0.90, "m", CLAUSE)


def accessible_handrail(railing: Element, ctx: CheckContext) -> bool:
    if railing.predefined_type in GUARD_TYPES:
        return False
    if flag(railing, "HandicapAccessible") is True:
        return True
    owner = railing_owner(ctx.index, railing)
    if owner is None:
        return False
    if owner.ifc_class.startswith("IfcRamp"):
        return ramp_is_accessible(ctx.index, owner)
    return any(flag(e, "HandicapAccessible") is True for e in (owner, stair_of(ctx.index, owner)))


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55019-2021-2.8.1",
        clause=CLAUSE,
        title_zh="无障碍扶手高度",
        title_en="Height of accessible handrails",
        text_zh="单层扶手的高度应为850mm～900mm；设置双层扶手时，上层扶手高度应为850mm～900mm，下层扶手高度应为650mm～700mm。",
        text_en="Single handrails are 850–900 mm high; with two levels the upper is 850–900 mm and the lower 650–700 mm.",
        ifc_classes=("IfcRailing",),
        parameters=(("height", HEIGHT),),
    ),
    measure=lambda r, ctx: railing_height(ctx.index, r),
    limit=lambda r, ctx: HEIGHT,
    applies=accessible_handrail,
    quantity_zh="扶手高度",
    quantity_en="handrail height",
)
