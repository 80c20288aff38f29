"""GB 55038-2025 4.1.2 — clear height of bedrooms and living rooms at least 2.60 m."""

from zhijian.domain.review.catalog.gb55038_2025 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_clear_height
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

CLEAR_HEIGHT = Limit.at_least(2.60, "m", "4.1.2", "卧室、起居室", "bedroom, living room")

RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB55038-2025-4.1.2-habitable-height",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="4.1.2",
        mandatory=True,
        discipline="architecture",
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
    measure=lambda space, ctx: space_clear_height(ctx.index, space),
    limit=lambda space, ctx: CLEAR_HEIGHT if ctx.new_build else None,  # 4.1.2 governs new dwellings
    quantity_zh="室内净高",
    quantity_en="clear height",
)
