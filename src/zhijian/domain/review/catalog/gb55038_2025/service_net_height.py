"""GB 55038-2025 4.1.2 — clear height of kitchens and bathrooms at least 2.20 m."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.room_rules import clear_height_rule
from zhijian.domain.review.rule import Limit

CLEAR_HEIGHT = Limit.at_least(2.20, "m", "4.1.2", "厨房、卫生间", "kitchen, bathroom")

RULE = clear_height_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.2-service-height",
        clause="4.1.2",
        title_zh="厨房、卫生间室内净高",
        title_en="Clear height of kitchens and bathrooms",
        text_zh="厨房、卫生间的室内净高不应低于2.20m。",
        text_en="Kitchens and bathrooms have a clear height of at least 2.20 m.",
        ifc_classes=("IfcSpace",),
        functions=("kitchen", "bathroom"),
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    CLEAR_HEIGHT,
    new_build_only=True,  # 4.1.2 governs new dwellings
)
