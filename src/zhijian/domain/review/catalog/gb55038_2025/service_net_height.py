"""GB 55038-2025 4.1.2 — clear height of kitchens and bathrooms at least 2.20 m."""

from zhijian.domain.review.catalog.gb55038_2025 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_clear_height
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

CLEAR_HEIGHT = Limit.at_least(2.20, "m", "4.1.2", "厨房、卫生间", "kitchen, bathroom")

RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB55038-2025-4.1.2-service-height",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="4.1.2",
        mandatory=True,
        discipline="architecture",
        title_zh="厨房、卫生间室内净高",
        title_en="Clear height of kitchens and bathrooms",
        text_zh="厨房、卫生间的室内净高不应低于2.20m。",
        text_en="Kitchens and bathrooms have a clear height of at least 2.20 m.",
        ifc_classes=("IfcSpace",),
        functions=("kitchen", "bathroom"),
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    measure=lambda space, ctx: space_clear_height(ctx.index, space),
    limit=lambda space, ctx: CLEAR_HEIGHT if ctx.new_build else None,  # 4.1.2 governs new dwellings
    quantity_zh="室内净高",
    quantity_en="clear height",
)
