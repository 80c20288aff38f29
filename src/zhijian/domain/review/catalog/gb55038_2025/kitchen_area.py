"""GB 55038-2025 4.1.4 — minimum usable floor area of the kitchen."""

from zhijian.domain.review.catalog.gb55038_2025 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_net_area
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

KITCHEN = Limit.at_least(3.5, "m2", "4.1.4", "厨房", "kitchen")

RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB55038-2025-4.1.4",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="4.1.4",
        mandatory=True,
        discipline="architecture",
        title_zh="厨房使用面积",
        title_en="Kitchen usable floor area",
        text_zh="厨房的使用面积不应小于3.5m²（不再区分普通套型与最小套型）。",
        text_en="Kitchens have a usable floor area of at least 3.5 m², whatever the dwelling type.",
        ifc_classes=("IfcSpace",),
        functions=("kitchen",),
        parameters=(("kitchen", KITCHEN),),
    ),
    measure=lambda space, ctx: space_net_area(ctx.index, space),
    limit=lambda space, ctx: KITCHEN,
    quantity_zh="使用面积",
    quantity_en="usable floor area",
)
