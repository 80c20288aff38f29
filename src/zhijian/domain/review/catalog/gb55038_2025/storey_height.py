"""GB 55038-2025 4.1.2 — storey height of new dwellings at least 3.00 m."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import is_dwelling_storey, storey_height
from zhijian.domain.review.rule import Limit, StoreyThresholdRule

STOREY_HEIGHT = Limit.at_least(3.00, "m", "4.1.2", "新建住宅层高", "storey height of new dwellings")


def _limit(storey, ctx):
    return STOREY_HEIGHT if ctx.new_build and is_dwelling_storey(ctx.index, storey) else None


RULE = StoreyThresholdRule(
    meta=rule_meta(
        rule_id="GB55038-2025-4.1.2-storey-height",
        clause="4.1.2",
        title_zh="新建住宅层高",
        title_en="Storey height of new dwellings",
        text_zh="新建住宅的层高不应低于3.00m。",
        text_en=(
            "New dwellings have a storey height of at least 3.00 m, taken as the difference between "
            "consecutive storey elevations for storeys holding dwelling rooms."
        ),
        ifc_classes=("IfcBuildingStorey",),
        parameters=(("storey_height", STOREY_HEIGHT),),
    ),
    measure=lambda storey, ctx: storey_height(ctx.index, storey),
    limit=_limit,
    quantity_zh="层高",
    quantity_en="storey height",
    missing_zh="上方没有楼层，无法由楼层标高差求得层高",
    missing_en="no storey above, so the storey height cannot be taken from storey elevations",
)
