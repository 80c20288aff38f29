"""GB 55038-2025 4.2.2 — public stairs: flight width by building height, riser, tread.

Three rules. Flight width and riser are verified values; the tread value was read
second-hand, so the tread rule is advisory. The building height that sets the width is the
elevation of the highest dwelling storey above ±0.000 (the outdoor design ground level is
rarely in a model; ±0.000 is used and said).
"""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import (
    highest_entrance_elevation,
    stair_has_railing,
    stair_location_presumed,
    stair_notes,
    stair_riser,
    stair_tread,
)
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule, Verification
from zhijian.domain.review.stair_width_rule import public_stair_unit, stair_width_rule

ENTRANCE_HEIGHT = Limit.setting(
    15.0, "m", "4.2.2", "最高入户层楼面距室外设计地面的高度分界（按 ±0.000 计）", "height of the highest entrance floor separating the two cases (from ±0.000)"
)
LOW_RAILING = Limit.at_least(1.00, "m", "4.2.2", "入户层 ≤15 m，一边设栏杆", "entrance floors up to 15 m, railing on one side")
LOW_WALLS = Limit.at_least(1.10, "m", "4.2.2", "入户层 ≤15 m，两侧为墙", "entrance floors up to 15 m, walls on both sides")
HIGH = Limit.at_least(1.10, "m", "4.2.2", "入户层 >15 m", "entrance floors above 15 m")
RISER = Limit.at_most(0.175, "m", "4.2.2", "住宅公共楼梯踏步高度", "public stair riser")
TREAD = Limit.at_least(0.26, "m", "4.2.2", "住宅公共楼梯踏步宽度", "public stair tread")

TEXT_ZH = (
    "住宅公共楼梯：最高入户层楼面距室外设计地面不大于15m时，一边设栏杆的梯段净宽不应小于1.00m、两侧为墙的"
    "不应小于1.10m；大于15m时梯段净宽不应小于1.10m。踏步高度不应大于0.175m，踏步宽度不应小于0.26m；"
    "水平段栏杆长度大于0.50m时扶手高度不应低于1.20m，竖向杆件净距不应大于0.11m。"
)


def _meta(rule_id: str, title_zh: str, title_en: str, text_en: str, parameters, verification=Verification.VERIFIED) -> RuleMeta:
    return rule_meta(
        rule_id=rule_id,
        clause="4.2.2",
        title_zh=title_zh,
        title_en=title_en,
        text_zh=TEXT_ZH,
        text_en=text_en,
        ifc_classes=("IfcStairFlight", "IfcStair"),
        verification=verification,
        parameters=tuple(parameters),
    )


def _width_limit(flight, ctx):
    height = highest_entrance_elevation(ctx.index)
    if height is not None and height > ENTRANCE_HEIGHT.value:
        return HIGH
    return LOW_RAILING if stair_has_railing(ctx.index, flight) else LOW_WALLS


def _assumed_location(flight, ctx) -> bool:
    return stair_location_presumed(ctx.index, flight)


WIDTH_RULE = stair_width_rule(
    _meta(
        "GB55038-2025-4.2.2-width",
        "公共楼梯梯段净宽",
        "Public stair flight clear width",
        "Public stair flights: up to 15 m to the highest entrance floor, 1.00 m with a railing on one side "
        "and 1.10 m between walls; above 15 m, 1.10 m. Flight widths without handrail deduction are "
        "estimates, so such results are advisory.",
        (("low_railing", LOW_RAILING), ("low_walls", LOW_WALLS), ("high", HIGH), ("entrance_height", ENTRANCE_HEIGHT)),
    ),
    limit=_width_limit,
    applies=public_stair_unit,
)

RISER_RULE = ThresholdRule(
    meta=_meta(
        "GB55038-2025-4.2.2-riser",
        "公共楼梯踏步高度",
        "Public stair riser",
        "Public stair risers are at most 0.175 m.",
        (("riser", RISER),),
    ),
    measure=lambda e, ctx: stair_riser(e, ctx.index),
    limit=lambda e, ctx: RISER,
    applies=public_stair_unit,
    quantity_zh="踏步高度",
    quantity_en="riser",
    remark=lambda e, ctx: stair_notes(ctx.index, e),
    advisory=_assumed_location,
)

TREAD_RULE = ThresholdRule(
    meta=_meta(
        "GB55038-2025-4.2.2-tread",
        "公共楼梯踏步宽度",
        "Public stair tread",
        "Public stair treads are at least 0.26 m (value read second-hand: advisory).",
        (("tread", TREAD),),
        verification=Verification.SECOND_HAND,
    ),
    measure=lambda e, ctx: stair_tread(e, ctx.index),
    limit=lambda e, ctx: TREAD,
    applies=public_stair_unit,
    quantity_zh="踏步宽度",
    quantity_en="tread",
    remark=lambda e, ctx: stair_notes(ctx.index, e),
)

RULES = (WIDTH_RULE, RISER_RULE, TREAD_RULE)
