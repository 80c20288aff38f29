"""GB 55038-2025 4.1.13 — clear width of passages inside a dwelling, by what they lead to."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.passage_width_rule import passage_width_rule
from zhijian.domain.review.rule import Limit

ENTRANCE = Limit.at_least(1.10, "m", "4.1.13", "套内入口过道", "entrance passage")
TO_ROOMS = Limit.at_least(1.00, "m", "4.1.13", "通往卧室、起居室的过道", "passage to bedrooms or living room")
TO_SERVICE = Limit.at_least(0.90, "m", "4.1.13", "通往厨房、卫生间、贮藏室的过道", "passage to kitchen, bathroom, storage")
LIMITS = {"entrance": ENTRANCE, "rooms": TO_ROOMS, "service": TO_SERVICE}

UNKNOWN_ZH = "未能由门判断过道通往的房间，按通往卧室、起居室计（建议性结果）"
UNKNOWN_EN = "no door says where the passage leads; checked as a passage to bedrooms (advisory)"

RULE = passage_width_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.13",
        clause="4.1.13",
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
    limits=LIMITS,
    unknown=(UNKNOWN_ZH, UNKNOWN_EN),
    advisory_kinds=(None,),
)
