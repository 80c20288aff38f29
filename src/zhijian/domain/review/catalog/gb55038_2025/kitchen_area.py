"""GB 55038-2025 4.1.4 — minimum usable floor area of the kitchen."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit

KITCHEN = Limit.at_least(3.5, "m2", "4.1.4", "厨房", "kitchen")

RULE = usable_area_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.4",
        clause="4.1.4",
        title_zh="厨房使用面积",
        title_en="Kitchen usable floor area",
        text_zh="厨房的使用面积不应小于3.5m²（不再区分普通套型与最小套型）。",
        text_en="Kitchens have a usable floor area of at least 3.5 m², whatever the dwelling type.",
        ifc_classes=("IfcSpace",),
        functions=("kitchen",),
        parameters=(("kitchen", KITCHEN),),
    ),
    KITCHEN,
)
