"""GB 55019-2021 2.2.2 — accessible passages are at least 1.20 m clear.

Passages are corridor and lobby spaces flagged Pset_SpaceCommon.HandicapAccessible, or named
无障碍通道. Crowded public places need 1.80 m; the model does not say which places are
crowded, so that part is not checked.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55019_2021 import rule_meta
from zhijian.domain.review.measures_fire import flag, space_clear_width
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "2.2.2"
WIDTH = Limit.at_least(1.20, "m", CLAUSE)
PASSAGE_CATEGORIES = ("corridor", "lobby")


def accessible_passage(space: Element, ctx: CheckContext) -> bool:
    names = " ".join(n for n in (space.name, space.long_name, space.object_type) if n)
    if "无障碍通道" in names:
        return True
    is_passage = space.function is not None and space.function.category in PASSAGE_CATEGORIES
    return is_passage and flag(space, "HandicapAccessible") is True


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55019-2021-2.2.2",
        clause=CLAUSE,
        title_zh="无障碍通道通行净宽",
        title_en="Clear width of accessible passages",
        text_zh="无障碍通道的通行净宽不应小于1.20m，人员密集的公共场所不应小于1.80m。",
        text_en="Accessible passages are at least 1.20 m clear, 1.80 m in crowded public places.",
        ifc_classes=("IfcSpace",),
        check_type="geometry",
        parameters=(("width", WIDTH),),
    ),
    measure=lambda s, ctx: space_clear_width(ctx.index, s),
    limit=lambda s, ctx: WIDTH,
    applies=accessible_passage,
    quantity_zh="通道净宽",
    quantity_en="passage clear width",
)
