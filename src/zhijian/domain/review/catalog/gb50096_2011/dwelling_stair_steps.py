"""GB 50096-2011 5.7.4 — tread and riser of stairs inside a dwelling (second-hand: advisory)."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.rule import Limit, RuleMeta, Verification
from zhijian.domain.review.stair_step_rules import stair_step_rules
from zhijian.domain.review.stair_width_rule import dwelling_stair_unit

TREAD = Limit.at_least(0.22, "m", "5.7.4", "套内楼梯踏步宽度", "tread inside a dwelling")
RISER = Limit.at_most(0.20, "m", "5.7.4", "套内楼梯踏步高度", "riser inside a dwelling")


def _meta(rule_id: str, title_zh: str, title_en: str, parameter: tuple[str, Limit]) -> RuleMeta:
    return rule_meta(
        rule_id=rule_id,
        clause="5.7.4",
        title_zh=title_zh,
        title_en=title_en,
        text_zh="套内楼梯的踏步宽度不应小于0.22m，高度不应大于0.20m。",
        text_en="Stairs inside a dwelling: treads at least 0.22 m, risers at most 0.20 m (values read second-hand).",
        ifc_classes=("IfcStairFlight", "IfcStair"),
        verification=Verification.SECOND_HAND,
        parameters=(parameter,),
    )


TREAD_RULE, RISER_RULE = stair_step_rules(
    "GB50096-2011-5.7.4", _meta, tread=TREAD, riser=RISER, applies=dwelling_stair_unit, label_zh="套内楼梯", titles_en=("Tread of stairs inside a dwelling", "Riser of stairs inside a dwelling")
)

RULES = (TREAD_RULE, RISER_RULE)
