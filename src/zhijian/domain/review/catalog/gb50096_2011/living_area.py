"""GB 50096-2011 5.2.2 — minimum usable floor area of the living room."""

from zhijian.domain.review.catalog.gb50096_2011 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_net_area
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

LIVING = Limit.at_least(10.0, "m2", "5.2.2", "起居室（厅）", "living room")

RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB50096-2011-5.2.2",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="5.2.2",
        mandatory=False,
        discipline="architecture",
        title_zh="起居室使用面积",
        title_en="Living room usable floor area",
        text_zh="起居室（厅）的使用面积不应小于10m²。",
        text_en="A living room shall have a usable floor area of at least 10 m².",
        ifc_classes=("IfcSpace",),
        functions=("living",),
        parameters=(("living", LIVING),),
    ),
    measure=lambda space, ctx: space_net_area(ctx.index, space),
    limit=lambda space, ctx: LIVING,
    quantity_zh="使用面积",
    quantity_en="usable floor area",
)
