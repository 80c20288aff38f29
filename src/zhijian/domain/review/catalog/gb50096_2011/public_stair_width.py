"""GB 50096-2011 6.3.1 — clear width of public stair flights."""

from zhijian.domain.review.catalog.gb50096_2011 import REPEALED_EN, REPEALED_ZH, rule_meta
from zhijian.domain.review.measures import residential_storey_count, stair_has_railing
from zhijian.domain.review.rule import Limit, StandardStatus
from zhijian.domain.review.stair_width_rule import public_stair_unit, stair_width_rule

GENERAL = Limit.at_least(1.10, "m", "6.3.1", "住宅公共楼梯梯段", "public stair flight")
LOW_RISE_RAILING = Limit.at_least(
    1.00, "m", "6.3.1", "不超过六层、一边设栏杆的梯段", "up to six storeys, railing on one side"
)


def _limit(flight, ctx):
    if residential_storey_count(ctx.index) <= 6 and stair_has_railing(ctx.index, flight):
        return LOW_RISE_RAILING
    return GENERAL


RULE = stair_width_rule(
    rule_meta(
        rule_id="GB50096-2011-6.3.1",
        clause="6.3.1",
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
    limit=_limit,
    applies=public_stair_unit,
)
