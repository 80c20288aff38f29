"""GB 55031-2022 5.3.12 — public corridors of non-residential buildings are at least 1.30 m wide."""

from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures_fire import is_corridor, space_clear_width
from zhijian.domain.review.rule import Limit, ThresholdRule

CORRIDOR = Limit.at_least(1.30, "m", "5.3.12")


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-5.3.12",
        clause="5.3.12",
        title_zh="公共走廊净宽",
        title_en="Clear width of public corridors",
        text_zh="除住宅外，民用建筑的公共走廊净宽应满足各功能场所的要求，且不应小于1.30m。",
        text_en=(
            "Except in dwellings, public corridors of civil buildings meet the widths their uses "
            "need and are at least 1.30 m clear."
        ),
        ifc_classes=("IfcSpace",),
        building_uses=("public",),
        check_type="geometry",
        parameters=(("corridor_width", CORRIDOR),),
    ),
    measure=lambda e, ctx: space_clear_width(ctx.index, e),
    limit=lambda e, ctx: CORRIDOR,
    applies=lambda e, ctx: is_corridor(e),
    quantity_zh="走廊净宽",
    quantity_en="corridor clear width",
)
