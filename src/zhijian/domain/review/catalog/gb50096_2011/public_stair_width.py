"""GB 50096-2011 6.3.1 — clear width of public stair flights."""

from zhijian.domain.review.catalog.gb50096_2011 import (
    REPEALED_EN,
    REPEALED_ZH,
    STANDARD,
    TITLE_EN,
    TITLE_ZH,
)
from zhijian.domain.review.measures import (
    is_stair_unit,
    residential_storey_count,
    stair_has_railing,
    stair_location,
    stair_location_presumed,
    stair_notes,
    stair_width,
)
from zhijian.domain.review.rule import Limit, RuleMeta, StandardStatus, ThresholdRule

GENERAL = Limit.at_least(1.10, "m", "6.3.1", "住宅公共楼梯梯段", "public stair flight")
LOW_RISE_RAILING = Limit.at_least(
    1.00, "m", "6.3.1", "不超过六层、一边设栏杆的梯段", "up to six storeys, railing on one side"
)


def _limit(flight, ctx):
    if residential_storey_count(ctx.index) <= 6 and stair_has_railing(ctx.index, flight):
        return LOW_RISE_RAILING
    return GENERAL


def _measure(flight, ctx):
    width = stair_width(ctx.index, flight)
    return width[0] if width else None


def _advisory(flight, ctx) -> bool:
    width = stair_width(ctx.index, flight)
    return stair_location_presumed(ctx.index, flight) or bool(width and width[1])


RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB50096-2011-6.3.1",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="6.3.1",
        mandatory=False,
        discipline="architecture",
        title_zh="公共楼梯梯段净宽",
        title_en="Clear width of public stair flights",
        text_zh="楼梯梯段净宽不应小于1.10m；不超过六层的住宅，一边设有栏杆的梯段净宽不应小于1.00m（净宽自墙面至扶手中心）。",
        text_en=(
            "Public stair flights are at least 1.10 m clear (wall face to handrail centre); in dwellings "
            "of up to six storeys a flight with a railing on one side may be 1.00 m. A flight width "
            "without handrail deduction is an estimate, so such results are advisory."
        ),
        ifc_classes=("IfcStairFlight", "IfcStair"),
        standard_status=StandardStatus.MANDATORY_REPEALED,
        status_note_zh=REPEALED_ZH + "新建住宅见 GB 55038-2025 第 4.2.2 条。",
        status_note_en=REPEALED_EN + " For new dwellings see GB 55038-2025 4.2.2.",
        check_type="geometry",
        parameters=(("general", GENERAL), ("low_rise_railing", LOW_RISE_RAILING)),
    ),
    measure=_measure,
    limit=_limit,
    applies=lambda e, ctx: is_stair_unit(ctx.index, e) and stair_location(ctx.index, e) != "dwelling",
    quantity_zh="梯段净宽",
    quantity_en="flight clear width",
    remark=lambda e, ctx: stair_notes(ctx.index, e, width=True),
    advisory=_advisory,
)
