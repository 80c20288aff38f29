"""GB 50096-2011 5.5.2 — clear height of bedrooms and living rooms."""

from zhijian.domain.review.catalog.gb50096_2011 import (
    REPEALED_EN,
    REPEALED_ZH,
    rule_meta,
)
from zhijian.domain.review.room_rules import clear_height_rule
from zhijian.domain.review.rule import Limit, StandardStatus

CLEAR_HEIGHT = Limit.at_least(2.40, "m", "5.5.2", "卧室、起居室（厅）", "bedroom, living room")

RULE = clear_height_rule(
    rule_meta(
        rule_id="GB50096-2011-5.5.2",
        clause="5.5.2",
        title_zh="卧室、起居室室内净高",
        title_en="Clear height of bedrooms and living rooms",
        text_zh="卧室、起居室（厅）的室内净高不应低于2.40m；局部净高不应低于2.10m，且局部净高的室内面积不应大于室内使用面积的1/3。",
        text_en=(
            "Bedrooms and living rooms have a clear height of at least 2.40 m. The local-height part "
            "(2.10 m over at most a third of the floor) needs geometry and is not checked here."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bedroom", "living"),
        standard_status=StandardStatus.MANDATORY_REPEALED,
        status_note_zh=REPEALED_ZH,
        status_note_en=REPEALED_EN,
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    CLEAR_HEIGHT,
)
