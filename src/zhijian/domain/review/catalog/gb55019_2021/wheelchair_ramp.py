"""GB 55019-2021 2.3.1–2.3.4 — wheelchair ramps: slope, rise per run, clear width.

Ramps (or ramp flights) flagged HandicapAccessible. Slope at most 1:12 (1:10 where the rise
is at most 150 mm and space is constrained — taken as allowed, and said so); each run rises
at most 0.75 m; clear width at least 1.20 m. Landings, handrails on both sides and the cross
slope are not checked here (landings need geometry; handrail heights: 2.8.1).
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55019_2021 import rule_meta
from zhijian.domain.review.measures_fire import (
    Measured,
    MeasuredBy,
    is_ramp_unit,
    ramp_clear_width,
    ramp_is_accessible,
    ramp_rise,
    ramp_slope,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "2.3.1~2.3.4"
SLOPE = Limit.at_most(1 / 12, "1", CLAUSE, "即1:12", "i.e. 1:12")
SLOPE_SHORT = Limit.at_most(
    1 / 10, "1", CLAUSE, "即1:10，起止高差不大于150mm且条件受限时", "i.e. 1:10, rise ≤ 150 mm where space is constrained"
)
SHORT_RISE = 0.15
RISE = Limit.at_most(0.75, "m", CLAUSE)
WIDTH = Limit.at_least(1.20, "m", CLAUSE)


def wheelchair_ramp(unit: Element, ctx: CheckContext) -> bool:
    return is_ramp_unit(ctx.index, unit) and ramp_is_accessible(ctx.index, unit)


def slope_limit(unit: Element, ctx: CheckContext) -> Limit:
    rise = ramp_rise(ctx.index, unit)
    return SLOPE_SHORT if rise is not None and round(rise, 6) <= SHORT_RISE else SLOPE


def ramp_width(unit: Element, ctx: CheckContext) -> Measured | None:
    return ramp_clear_width(ctx.index, unit)


width = MeasuredBy(ramp_width)

_COMMON = dict(
    clause=CLAUSE,
    ifc_classes=("IfcRampFlight", "IfcRamp"),
    text_zh=(
        "轮椅坡道的纵向坡度不应大于1:12，当条件受限且坡段起止点的高差不大于150mm时不应大于1:10；"
        "每段坡道的提升高度不应大于750mm；通行净宽不应小于1.20m。"
    ),
    text_en=(
        "Wheelchair ramps slope at most 1:12 (1:10 where space is constrained and the rise is at "
        "most 150 mm), rise at most 750 mm per run and are at least 1.20 m clear."
    ),
)

RULES = (
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55019-2021-2.3-ramp-slope",
            title_zh="轮椅坡道纵坡",
            title_en="Slope of wheelchair ramps",
            parameters=(("slope", SLOPE), ("slope_short", SLOPE_SHORT)),
            **_COMMON,
        ),
        measure=lambda u, ctx: ramp_slope(ctx.index, u),
        limit=slope_limit,
        applies=wheelchair_ramp,
        quantity_zh="纵坡",
        quantity_en="slope",
        advisory=lambda u, ctx: slope_limit(u, ctx) is SLOPE_SHORT,
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55019-2021-2.3-ramp-rise",
            title_zh="轮椅坡道每段提升高度",
            title_en="Rise per run of wheelchair ramps",
            parameters=(("rise", RISE),),
            **_COMMON,
        ),
        measure=lambda u, ctx: ramp_rise(ctx.index, u),
        limit=lambda u, ctx: RISE,
        applies=wheelchair_ramp,
        quantity_zh="提升高度",
        quantity_en="rise",
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55019-2021-2.3-ramp-width",
            title_zh="轮椅坡道通行净宽",
            title_en="Clear width of wheelchair ramps",
            parameters=(("width", WIDTH),),
            check_type="geometry",
            **_COMMON,
        ),
        measure=width.measure,
        limit=lambda u, ctx: WIDTH,
        applies=wheelchair_ramp,
        quantity_zh="通行净宽",
        quantity_en="clear width",
        remark=width.remark,
        advisory=width.advisory,
    ),
)
