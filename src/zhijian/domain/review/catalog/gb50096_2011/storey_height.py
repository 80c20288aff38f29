"""GB 50096-2011 5.5.1 — recommended storey height of dwellings (宜, advisory)."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import is_dwelling_storey, storey_height
from zhijian.domain.review.rule import Limit, StoreyThresholdRule

RECOMMENDED = Limit.at_least(2.80, "m", "5.5.1", "推荐值", "recommended value")

RULE = StoreyThresholdRule(
    meta=rule_meta(
        rule_id="GB50096-2011-5.5.1",
        clause="5.5.1",
        title_zh="住宅层高",
        title_en="Storey height of dwellings",
        text_zh="住宅层高宜为2.80m（推荐性要求）。",
        text_en=(
            "The storey height of dwellings should be 2.80 m (a recommendation, so results are "
            "advisory). Storey height is the difference between consecutive storey elevations."
        ),
        ifc_classes=("IfcBuildingStorey",),
        recommended=True,
        parameters=(("recommended", RECOMMENDED),),
    ),
    measure=lambda storey, ctx: storey_height(ctx.index, storey),
    limit=lambda storey, ctx: RECOMMENDED if is_dwelling_storey(ctx.index, storey) else None,
    quantity_zh="层高",
    quantity_en="storey height",
    missing_zh="上方没有楼层，无法由楼层标高差求得层高",
    missing_en="no storey above, so the storey height cannot be taken from storey elevations",
)
