"""GB 50352-2019 6.7.2 — pedestrian ramps: indoor slope at most 1:8, outdoor at most 1:10
(宜; values seen second-hand, so advisory). Every ramp is checked, barrier-free or not;
wheelchair ramps have the stricter GB 55019 rule as well."""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb50352_2019 import rule_meta
from zhijian.domain.review.measures_fire import is_ramp_unit, ramp_is_external, ramp_slope
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "6.7.2"
INDOOR = Limit.at_most(1 / 8, "1", CLAUSE, "室内坡道，即1:8", "indoor ramp, i.e. 1:8")
OUTDOOR = Limit.at_most(1 / 10, "1", CLAUSE, "室外坡道，即1:10", "outdoor ramp, i.e. 1:10")


def slope_limit(unit: Element, ctx: CheckContext) -> Limit:
    return OUTDOOR if ramp_is_external(ctx.index, unit) else INDOOR


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB50352-2019-6.7.2",
        clause=CLAUSE,
        title_zh="坡道坡度",
        title_en="Slope of ramps",
        text_zh="室内坡道坡度不宜大于1:8，室外坡道坡度不宜大于1:10。",
        text_en="Indoor ramps should slope at most 1:8, outdoor ramps at most 1:10.",
        ifc_classes=("IfcRampFlight", "IfcRamp"),
        parameters=(("indoor", INDOOR), ("outdoor", OUTDOOR)),
    ),
    measure=lambda u, ctx: ramp_slope(ctx.index, u),
    limit=slope_limit,
    applies=lambda u, ctx: is_ramp_unit(ctx.index, u),
    quantity_zh="坡度",
    quantity_en="slope",
)
