"""GB 55037-2022 7.1.11 — external evacuation stairs: railings ≥ 1.10 m, pitch ≤ 45°.

A stair is external when the model says so (Pset_StairCommon.IsExternal on the flight or its
stair) and is not marked as no fire exit (FireExit = False). Its railings are those modelled
as parts of the stair or flight. The 2.0 m opening-free zone around the stair needs
geometry and is not checked.
"""

import math

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55037_2022 import rule_meta
from zhijian.domain.review.measures_fire import (
    flag,
    is_stair_unit,
    railing_height,
    railing_owner,
    riser_height,
    stair_is_external,
    stair_of,
    tread_length,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "7.1.11"
RAILING = Limit.at_least(1.10, "m", CLAUSE)
PITCH = Limit.at_most(45.0, "°", CLAUSE)


def external_evacuation_stair(unit: Element, ctx: CheckContext) -> bool:
    if not stair_is_external(ctx.index, unit):
        return False
    return flag(unit, "FireExit") is not False and flag(stair_of(ctx.index, unit), "FireExit") is not False


def railing_of_external_stair(railing: Element, ctx: CheckContext) -> bool:
    owner = railing_owner(ctx.index, railing)
    return owner is not None and owner.ifc_class.startswith("IfcStair") and external_evacuation_stair(owner, ctx)


def pitch_degrees(unit: Element, ctx: CheckContext) -> float | None:
    riser, tread = riser_height(ctx.index, unit), tread_length(ctx.index, unit)
    if riser is None or tread is None:
        return None
    return math.degrees(math.atan2(riser, tread))


_COMMON = dict(
    clause=CLAUSE,
    building_uses=("residential", "public"),
    text_zh=(
        "室外疏散楼梯的栏杆扶手高度不应小于1.10m，倾斜角度不应大于45°；楼梯周围2.0m内的墙面上"
        "除疏散门外不应设其他开口，疏散门不应正对梯段。"
    ),
    text_en=(
        "External evacuation stairs have railings at least 1.10 m high and a pitch of at most "
        "45°; walls within 2.0 m have no openings but the exit door, which does not face a flight."
    ),
)

RULES = (
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.1.11-railing",
            title_zh="室外疏散楼梯栏杆扶手高度",
            title_en="Railing height of external evacuation stairs",
            ifc_classes=("IfcRailing",),
            parameters=(("railing", RAILING),),
            **_COMMON,
        ),
        measure=lambda r, ctx: railing_height(ctx.index, r),
        limit=lambda r, ctx: RAILING,
        applies=railing_of_external_stair,
        quantity_zh="栏杆扶手高度",
        quantity_en="railing height",
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.1.11-pitch",
            title_zh="室外疏散楼梯倾斜角度",
            title_en="Pitch of external evacuation stairs",
            ifc_classes=("IfcStairFlight", "IfcStair"),
            parameters=(("pitch", PITCH),),
            **_COMMON,
        ),
        measure=pitch_degrees,
        limit=lambda u, ctx: PITCH,
        applies=lambda u, ctx: is_stair_unit(ctx.index, u) and external_evacuation_stair(u, ctx),
        quantity_zh="倾斜角度",
        quantity_en="pitch",
    ),
)
