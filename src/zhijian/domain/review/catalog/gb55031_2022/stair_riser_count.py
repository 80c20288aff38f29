"""GB 55031-2022 5.3.8 — a public stair flight has at least 2 and at most 18 risers."""

from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures_fire import (
    is_stair_unit,
    public_stair_assumed,
    public_stair_remark,
    riser_count,
    stair_is_public,
)
from zhijian.domain.review.rule import Limit, ThresholdRule

RISERS = Limit.between(2, 18, "1", "5.3.8")

RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-5.3.8",
        clause="5.3.8",
        title_zh="公共楼梯每梯段踏步级数",
        title_en="Risers per flight of public stairs",
        text_zh="公共楼梯每个梯段的踏步级数不应少于2级，且不应多于18级。",
        text_en="Each flight of a public stair has no fewer than 2 and no more than 18 risers.",
        ifc_classes=("IfcStairFlight", "IfcStair"),
        building_uses=("residential", "public"),
        parameters=(("risers", RISERS),),
    ),
    measure=lambda e, ctx: riser_count(ctx.index, e),
    limit=lambda e, ctx: RISERS,
    applies=lambda e, ctx: is_stair_unit(ctx.index, e) and stair_is_public(ctx.index, e),
    remark=public_stair_remark,
    advisory=public_stair_assumed,
    quantity_zh="踏步级数",
    quantity_en="number of risers",
)
