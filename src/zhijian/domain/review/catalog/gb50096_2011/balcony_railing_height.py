"""GB 50096-2011 5.6.3 — balcony railing height by the building's storey count (advisory)."""

from zhijian.domain.review.catalog.gb50096_2011 import (
    REPEALED_EN,
    REPEALED_ZH,
    rule_meta,
)
from zhijian.domain.review.measures import (
    is_balcony_railing,
    railing_height,
    residential_storey_count,
)
from zhijian.domain.review.rule import Limit, StandardStatus, ThresholdRule, Verification

UP_TO_SIX = Limit.at_least(1.05, "m", "5.6.3", "六层及六层以下住宅", "dwellings of up to six storeys")
SEVEN_AND_MORE = Limit.at_least(1.10, "m", "5.6.3", "七层及七层以上住宅", "dwellings of seven storeys or more")


def _limit(railing, ctx):
    return UP_TO_SIX if residential_storey_count(ctx.index) <= 6 else SEVEN_AND_MORE


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB50096-2011-5.6.3",
        clause="5.6.3",
        title_zh="阳台栏杆净高",
        title_en="Balcony railing height",
        text_zh="阳台栏板或栏杆净高：六层及六层以下住宅不应低于1.05m，七层及七层以上住宅不应低于1.10m。",
        text_en=(
            "Balcony guards are at least 1.05 m high in dwellings of up to six storeys and 1.10 m from "
            "seven storeys up (storeys counted above ground, roof levels left out). Balcony railings "
            "are those bounding or standing in a balcony space, or named for one."
        ),
        ifc_classes=("IfcRailing",),
        verification=Verification.SECOND_HAND,
        standard_status=StandardStatus.MANDATORY_REPEALED,
        status_note_zh=REPEALED_ZH,
        status_note_en=REPEALED_EN,
        check_type="topology",
        parameters=(("up_to_six", UP_TO_SIX), ("seven_and_more", SEVEN_AND_MORE)),
    ),
    measure=lambda railing, ctx: railing_height(railing, ctx.index),
    limit=_limit,
    applies=lambda railing, ctx: is_balcony_railing(ctx.index, railing),
    quantity_zh="栏杆净高",
    quantity_en="railing height",
)
