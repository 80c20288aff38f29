"""GB 55038-2025 4.1.15 — balcony railing height at least 1.20 m."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import is_balcony_railing, railing_height
from zhijian.domain.review.rule import Limit, ThresholdRule

RAILING = Limit.at_least(1.20, "m", "4.1.15", "阳台栏杆（栏板）净高", "balcony guard height")

RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55038-2025-4.1.15",
        clause="4.1.15",
        title_zh="阳台栏杆净高",
        title_en="Balcony railing height",
        text_zh="阳台栏杆（栏板）净高不应低于1.20m，竖向杆件净距不应大于0.11m，并应防攀登、防坠物。",
        text_en=(
            "Balcony guards are at least 1.20 m high. Baluster spacing (0.11 m) needs railing geometry "
            "and is not checked here. Balcony railings bound or stand in a balcony space, or are named for one."
        ),
        ifc_classes=("IfcRailing",),
        check_type="topology",
        parameters=(("railing", RAILING),),
    ),
    measure=lambda railing, ctx: railing_height(railing, ctx.index),
    limit=lambda railing, ctx: RAILING,
    applies=lambda railing, ctx: is_balcony_railing(ctx.index, railing),
    quantity_zh="栏杆净高",
    quantity_en="railing height",
)
