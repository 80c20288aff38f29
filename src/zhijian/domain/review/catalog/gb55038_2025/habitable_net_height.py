"""GB 55038-2025 4.1.2 — clear height of bedrooms and living rooms at least 2.60 m."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.room_rules import clear_height_rule
from zhijian.domain.review.rule import Limit

CLEAR_HEIGHT = Limit.at_least(2.60, "m", "4.1.2", "卧室、起居室", "bedroom, living room")

RULE = clear_height_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.2-habitable-height",
        clause="4.1.2",
        title_zh="卧室、起居室室内净高",
        title_en="Clear height of bedrooms and living rooms",
        text_zh=(
            "卧室、起居室的室内净高不应低于2.60m；局部净高不应低于2.20m，且净高低于2.60m的面积不应大于该房间"
            "使用面积的1/3；坡屋顶内的卧室、起居室净高不低于2.20m的面积不应小于1/2。"
        ),
        text_en=(
            "Bedrooms and living rooms have a clear height of at least 2.60 m. The local-height and "
            "sloped-roof provisions need geometry and are not checked by this rule."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bedroom", "living"),
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    CLEAR_HEIGHT,
    new_build_only=True,  # 4.1.2 governs new dwellings
)
