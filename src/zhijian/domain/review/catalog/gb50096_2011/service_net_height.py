"""GB 50096-2011 5.5.4 — clear height of kitchens and bathrooms."""

from zhijian.domain.review.catalog.gb50096_2011 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_clear_height
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

CLEAR_HEIGHT = Limit.at_least(2.20, "m", "5.5.4", "厨房、卫生间", "kitchen, bathroom")

RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB50096-2011-5.5.4",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="5.5.4",
        mandatory=False,
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
    limit=lambda space, ctx: CLEAR_HEIGHT,
    quantity_zh="室内净高",
    quantity_en="clear height",
)
