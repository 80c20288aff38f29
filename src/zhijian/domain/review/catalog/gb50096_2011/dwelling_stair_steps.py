"""GB 50096-2011 5.7.4 — tread and riser of stairs inside a dwelling (second-hand: advisory)."""

from zhijian.domain.review.catalog.gb50096_2011 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import (
    is_stair_unit,
    stair_location,
    stair_notes,
    stair_riser,
    stair_tread,
)
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule, Verification

TREAD = Limit.at_least(0.22, "m", "5.7.4", "套内楼梯踏步宽度", "tread inside a dwelling")
RISER = Limit.at_most(0.20, "m", "5.7.4", "套内楼梯踏步高度", "riser inside a dwelling")


def _meta(rule_id: str, title_zh: str, title_en: str, parameter: tuple[str, Limit]) -> RuleMeta:
    return RuleMeta(
        rule_id=rule_id,
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="5.7.4",
        mandatory=False,
        discipline="architecture",
        title_zh=title_zh,
        title_en=title_en,
        text_zh="套内楼梯的踏步宽度不应小于0.22m，高度不应大于0.20m。",
        text_en="Stairs inside a dwelling: treads at least 0.22 m, risers at most 0.20 m (values read second-hand).",
        ifc_classes=("IfcStairFlight", "IfcStair"),
        verification=Verification.SECOND_HAND,
        parameters=(parameter,),
    )


def _applies(element, ctx) -> bool:
    return is_stair_unit(ctx.index, element) and stair_location(ctx.index, element) == "dwelling"


TREAD_RULE = ThresholdRule(
    meta=_meta("GB50096-2011-5.7.4-tread", "套内楼梯踏步宽度", "Tread of stairs inside a dwelling", ("tread", TREAD)),
    measure=lambda e, ctx: stair_tread(e, ctx.index),
    limit=lambda e, ctx: TREAD,
    applies=_applies,
    quantity_zh="踏步宽度",
    quantity_en="tread",
    remark=lambda e, ctx: stair_notes(ctx.index, e),
)

RISER_RULE = ThresholdRule(
    meta=_meta("GB50096-2011-5.7.4-riser", "套内楼梯踏步高度", "Riser of stairs inside a dwelling", ("riser", RISER)),
    measure=lambda e, ctx: stair_riser(e, ctx.index),
    limit=lambda e, ctx: RISER,
    applies=_applies,
    quantity_zh="踏步高度",
    quantity_en="riser",
    remark=lambda e, ctx: stair_notes(ctx.index, e),
)

RULES = (TREAD_RULE, RISER_RULE)
