"""GB 50096-2011 5.2.1 — minimum usable floor area of bedrooms."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import space_net_area
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit, StandardStatus

DOUBLE = Limit.at_least(9.0, "m2", "5.2.1", "双人卧室", "double bedroom")
SINGLE = Limit.at_least(5.0, "m2", "5.2.1", "单人卧室", "single bedroom")
WITH_LIVING = Limit.at_least(12.0, "m2", "5.2.1", "兼起居的卧室", "bedroom used as living room")


def _limit(space, ctx):
    # Double vs single is a design intent the model rarely states: master bedrooms are
    # double; an explicit 单人/次卧 is single; otherwise a room under 9 m² is read as single.
    key = space.function.function if space.function else ""
    if key == "bedroom_living":
        return WITH_LIVING
    if key == "bedroom_master":
        return DOUBLE
    if key == "bedroom_secondary":
        return SINGLE
    area = space_net_area(ctx.index, space)
    return SINGLE if area is not None and area < DOUBLE.value else DOUBLE


RULE = usable_area_rule(
    rule_meta(
        rule_id="GB50096-2011-5.2.1",
        clause="5.2.1",
        title_zh="卧室使用面积",
        title_en="Bedroom usable floor area",
        text_zh="双人卧室使用面积不应小于9m²，单人卧室不应小于5m²，兼起居的卧室不应小于12m²。",
        text_en="Double bedrooms at least 9 m², single bedrooms 5 m², bedrooms doubling as living rooms 12 m².",
        ifc_classes=("IfcSpace",),
        functions=("bedroom",),
        standard_status=StandardStatus.CURRENT,
        parameters=(("double", DOUBLE), ("single", SINGLE), ("with_living", WITH_LIVING)),
    ),
    _limit,
)
