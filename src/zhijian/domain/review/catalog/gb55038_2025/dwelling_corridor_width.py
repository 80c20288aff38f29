"""GB 55038-2025 4.1.13 — clear width of passages inside a dwelling, by what they lead to."""

from zhijian.domain.review.catalog.gb55038_2025 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import dwelling_corridor_kind, is_public, space_width
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

ENTRANCE = Limit.at_least(1.10, "m", "4.1.13", "套内入口过道", "entrance passage")
TO_ROOMS = Limit.at_least(1.00, "m", "4.1.13", "通往卧室、起居室的过道", "passage to bedrooms or living room")
TO_SERVICE = Limit.at_least(0.90, "m", "4.1.13", "通往厨房、卫生间、贮藏室的过道", "passage to kitchen, bathroom, storage")
LIMITS = {"entrance": ENTRANCE, "rooms": TO_ROOMS, "service": TO_SERVICE}

UNKNOWN_ZH = "未能由门判断过道通往的房间，按通往卧室、起居室计（建议性结果）"
UNKNOWN_EN = "no door says where the passage leads; checked as a passage to bedrooms (advisory)"


def _kind(space, ctx):
    return dwelling_corridor_kind(ctx.index, space)


RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB55038-2025-4.1.13",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="4.1.13",
        mandatory=True,
        discipline="architecture",
        title_zh="套内过道净宽",
        title_en="Clear width of passages in a dwelling",
        text_zh="套内入口过道净宽不应小于1.10m；通往卧室、起居室的过道净宽不应小于1.00m；通往厨房、卫生间、贮藏室的过道净宽不应小于0.90m。",
        text_en=(
            "Inside a dwelling: entrance passage at least 1.10 m, passages to bedrooms or the living room "
            "1.00 m, to kitchen, bathroom or storage 0.90 m. Width is a stated clear width or Width of the "
            "space, else geometry; where a passage leads is read from the doors it shares with rooms."
        ),
        ifc_classes=("IfcSpace",),
        functions=("corridor",),
        check_type="topology",
        parameters=tuple(LIMITS.items()),
    ),
    measure=lambda space, ctx: space_width(ctx.index, space),
    limit=lambda space, ctx: LIMITS[_kind(space, ctx) or "rooms"],
    applies=lambda space, ctx: not is_public(space),
    quantity_zh="过道净宽",
    quantity_en="passage clear width",
    remark=lambda space, ctx: (UNKNOWN_ZH, UNKNOWN_EN) if _kind(space, ctx) is None else None,
    advisory=lambda space, ctx: _kind(space, ctx) is None,
)
