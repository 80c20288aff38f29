"""GB 50096-2011 6.3.2 — tread and riser of public stairs (second-hand values: advisory)."""

from zhijian.domain.review.catalog.gb50096_2011 import (
    REPEALED_EN,
    REPEALED_ZH,
    rule_meta,
)
from zhijian.domain.review.rule import Limit, RuleMeta, StandardStatus, Verification
from zhijian.domain.review.stair_step_rules import stair_step_rules
from zhijian.domain.review.stair_width_rule import public_stair_unit

TREAD = Limit.at_least(0.26, "m", "6.3.2", "公共楼梯踏步宽度", "public stair tread")
RISER = Limit.at_most(0.175, "m", "6.3.2", "公共楼梯踏步高度", "public stair riser")


def _meta(rule_id: str, title_zh: str, title_en: str, parameter: tuple[str, Limit]) -> RuleMeta:
    return rule_meta(
        rule_id=rule_id,
        clause="6.3.2",
        title_zh=title_zh,
        title_en=title_en,
        text_zh="楼梯踏步宽度不应小于0.26m，踏步高度不应大于0.175m。",
        text_en="Public stair treads at least 0.26 m, risers at most 0.175 m (values read second-hand).",
        ifc_classes=("IfcStairFlight", "IfcStair"),
        verification=Verification.SECOND_HAND,
        standard_status=StandardStatus.MANDATORY_REPEALED,
        status_note_zh=REPEALED_ZH,
        status_note_en=REPEALED_EN,
        parameters=(parameter,),
    )


TREAD_RULE, RISER_RULE = stair_step_rules(
    "GB50096-2011-6.3.2", _meta, tread=TREAD, riser=RISER, applies=public_stair_unit, label_zh="公共楼梯", titles_en=("Public stair tread", "Public stair riser")
)

RULES = (TREAD_RULE, RISER_RULE)
