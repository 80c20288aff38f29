"""GB 55038-2025 4.1.1 — minimum usable floor area of bedrooms."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit

BEDROOM = Limit.at_least(5.0, "m2", "4.1.1", "卧室", "bedroom")
WITH_LIVING = Limit.at_least(9.0, "m2", "4.1.1", "兼起居的卧室", "bedroom used as living room")


def _limit(space, ctx):
    key = space.function.function if space.function else ""
    return WITH_LIVING if key == "bedroom_living" else BEDROOM


RULE = usable_area_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.1",
        clause="4.1.1",
        title_zh="卧室使用面积",
        title_en="Bedroom usable floor area",
        text_zh="卧室的使用面积不应小于5m²，兼起居的卧室不应小于9m²；卧室短边净宽不应小于1.80m。",
        text_en=(
            "Bedrooms at least 5 m², bedrooms doubling as living rooms 9 m². The 1.80 m short-side "
            "width needs plan geometry and is not checked by this rule."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bedroom",),
        parameters=(("bedroom", BEDROOM), ("with_living", WITH_LIVING)),
    ),
    _limit,
)
