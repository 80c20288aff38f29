"""GB 50096-2011 5.7.1 — clear width of passages inside a dwelling, by what they lead to."""

from zhijian.domain.review.catalog.gb50096_2011 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import dwelling_corridor_kind, is_public, space_width
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

ENTRANCE = Limit.at_least(1.20, "m", "5.7.1", "套内入口过道，“不宜小于”，建议性", "entrance passage; 'should', advisory")
TO_ROOMS = Limit.at_least(1.00, "m", "5.7.1", "通往卧室、起居室（厅）的过道", "passage to bedrooms or living room")
TO_SERVICE = Limit.at_least(0.90, "m", "5.7.1", "通往厨房、卫生间、贮藏室的过道", "passage to kitchen, bathroom, storage")
LIMITS = {"entrance": ENTRANCE, "rooms": TO_ROOMS, "service": TO_SERVICE}

UNKNOWN_ZH = "未能由门判断过道通往的房间，按通往卧室、起居室计"
UNKNOWN_EN = "no door says where the passage leads; checked as a passage to bedrooms"


def _kind(space, ctx):
    return dwelling_corridor_kind(ctx.index, space)


RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB50096-2011-5.7.1",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="5.7.1",
        mandatory=False,
        discipline="architecture",
        title_zh="套内过道净宽",
        title_en="Clear width of passages in a dwelling",
        text_zh="套内入口过道净宽不宜小于1.20m；通往卧室、起居室（厅）的过道净宽不应小于1.00m；通往厨房、卫生间、贮藏室的过道净宽不应小于0.90m。",
        text_en=(
            "Inside a dwelling, the entrance passage should be at least 1.20 m wide (advice), passages to "
            "bedrooms or the living room at least 1.00 m, to kitchen, bathroom or storage at least 0.90 m. "
            "Width is a stated clear width or Width of the space, else geometry; where a passage leads is "
            "read from the doors it shares with rooms."
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
    advisory=lambda space, ctx: _kind(space, ctx) in (None, "entrance"),
)
