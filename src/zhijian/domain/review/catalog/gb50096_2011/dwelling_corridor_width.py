"""GB 50096-2011 5.7.1 — clear width of passages inside a dwelling, by what they lead to."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.passage_width_rule import passage_width_rule
from zhijian.domain.review.rule import Limit

ENTRANCE = Limit.at_least(1.20, "m", "5.7.1", "套内入口过道，“不宜小于”，建议性", "entrance passage; 'should', advisory")
TO_ROOMS = Limit.at_least(1.00, "m", "5.7.1", "通往卧室、起居室（厅）的过道", "passage to bedrooms or living room")
TO_SERVICE = Limit.at_least(0.90, "m", "5.7.1", "通往厨房、卫生间、贮藏室的过道", "passage to kitchen, bathroom, storage")
LIMITS = {"entrance": ENTRANCE, "rooms": TO_ROOMS, "service": TO_SERVICE}

UNKNOWN_ZH = "未能由门判断过道通往的房间，按通往卧室、起居室计"
UNKNOWN_EN = "no door says where the passage leads; checked as a passage to bedrooms"

RULE = passage_width_rule(
    rule_meta(
        rule_id="GB50096-2011-5.7.1",
        clause="5.7.1",
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
    limits=LIMITS,
    unknown=(UNKNOWN_ZH, UNKNOWN_EN),
    # the entrance width is advice (不宜小于), so its results are advisory too
    advisory_kinds=(None, "entrance"),
)
