"""GB 50096-2011 5.2.2 — minimum usable floor area of the living room."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit

LIVING = Limit.at_least(10.0, "m2", "5.2.2", "起居室（厅）", "living room")

RULE = usable_area_rule(
    rule_meta(
        rule_id="GB50096-2011-5.2.2",
        clause="5.2.2",
        title_zh="起居室使用面积",
        title_en="Living room usable floor area",
        text_zh="起居室（厅）的使用面积不应小于10m²。",
        text_en="A living room shall have a usable floor area of at least 10 m².",
        ifc_classes=("IfcSpace",),
        functions=("living",),
        parameters=(("living", LIVING),),
    ),
    LIVING,
)
