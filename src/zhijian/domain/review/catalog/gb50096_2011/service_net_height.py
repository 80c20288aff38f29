"""GB 50096-2011 5.5.4 — clear height of kitchens and bathrooms."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.room_rules import clear_height_rule
from zhijian.domain.review.rule import Limit

CLEAR_HEIGHT = Limit.at_least(2.20, "m", "5.5.4", "厨房、卫生间", "kitchen, bathroom")

RULE = clear_height_rule(
    rule_meta(
        rule_id="GB50096-2011-5.5.4",
        clause="5.5.4",
        title_zh="厨房、卫生间室内净高",
        title_en="Clear height of kitchens and bathrooms",
        text_zh="厨房、卫生间的室内净高不应低于2.20m。",
        text_en="Kitchens and bathrooms have a clear height of at least 2.20 m.",
        ifc_classes=("IfcSpace",),
        functions=("kitchen", "bathroom"),
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    CLEAR_HEIGHT,
)
