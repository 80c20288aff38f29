"""GB 50096-2011 5.8.7 — minimum door opening width and height by room (table 5.8.7).

Two rules, width and height. The room a door serves comes from the spaces it bounds, else
from its names (``bim/door_functions``). The values were read second-hand: advisory.
"""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import door_function, door_height, door_width
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule, Verification

# Opening widths of table 5.8.7 by door function (bim/data/door_functions.json keys).
WIDTHS = {
    "common_entrance": Limit.at_least(1.20, "m", "5.8.7", "共用外门", "common entrance door"),
    "dwelling_entrance": Limit.at_least(1.00, "m", "5.8.7", "户（套）门", "dwelling entrance door"),
    "living": Limit.at_least(0.90, "m", "5.8.7", "起居室（厅）门", "living room door"),
    "bedroom": Limit.at_least(0.90, "m", "5.8.7", "卧室门", "bedroom door"),
    "kitchen": Limit.at_least(0.80, "m", "5.8.7", "厨房门", "kitchen door"),
    "bathroom": Limit.at_least(0.70, "m", "5.8.7", "卫生间门", "bathroom door"),
    "balcony": Limit.at_least(0.70, "m", "5.8.7", "阳台门（单扇）", "balcony door (single leaf)"),
}
HEIGHT = Limit.at_least(2.00, "m", "5.8.7", "门洞高度，不含上亮子", "opening height without transom")


def _function(door, ctx):
    inference = door_function(ctx.index, door)
    return inference.door.function if inference else None


def _remark(door, ctx):
    inference = door_function(ctx.index, door)
    return inference.describe() if inference else None


def _meta(rule_id: str, title_zh: str, title_en: str) -> RuleMeta:
    return rule_meta(
        rule_id=rule_id,
        clause="5.8.7",
        title_zh=title_zh,
        title_en=title_en,
        text_zh=(
            "各部位门洞的最小尺寸（宽×高，m）：共用外门 1.20×2.00，户（套）门 1.00×2.00，起居室（厅）门 "
            "0.90×2.00，卧室门 0.90×2.00，厨房门 0.80×2.00，卫生间门 0.70×2.00，阳台门（单扇）0.70×2.00；"
            "门洞高度不含上亮子，门两侧地面有高差时以高地面为起算高度。"
        ),
        text_en=(
            "Minimum door openings (width × height, m): common entrance 1.20×2.00, dwelling entrance "
            "1.00×2.00, living room and bedroom 0.90×2.00, kitchen 0.80×2.00, bathroom and single-leaf "
            "balcony door 0.70×2.00. Opening = the door's OverallWidth/OverallHeight; the room a door "
            "serves is read from the spaces it bounds, else its name."
        ),
        ifc_classes=("IfcDoor",),
        verification=Verification.SECOND_HAND,
        check_type="topology",
        parameters=(*WIDTHS.items(), ("height", HEIGHT)),
    )


WIDTH_RULE = ThresholdRule(
    meta=_meta("GB50096-2011-5.8.7-width", "门洞最小宽度", "Minimum door opening width"),
    measure=lambda door, ctx: door_width(door),
    limit=lambda door, ctx: WIDTHS.get(_function(door, ctx) or ""),
    quantity_zh="门洞宽度",
    quantity_en="opening width",
    remark=_remark,
)

HEIGHT_RULE = ThresholdRule(
    meta=_meta("GB50096-2011-5.8.7-height", "门洞最小高度", "Minimum door opening height"),
    measure=lambda door, ctx: door_height(door),
    limit=lambda door, ctx: HEIGHT if _function(door, ctx) in WIDTHS else None,
    quantity_zh="门洞高度",
    quantity_en="opening height",
    remark=_remark,
)

RULES = (WIDTH_RULE, HEIGHT_RULE)
