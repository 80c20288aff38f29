"""GB 50096-2011 5.4.1 — a bathroom with all three fixtures needs 2.50 m²."""

from zhijian.domain.review.catalog.gb50096_2011 import (
    REPEALED_EN,
    REPEALED_ZH,
    rule_meta,
)
from zhijian.domain.review.room_rules import three_fixture_bathroom_rule
from zhijian.domain.review.rule import Limit, StandardStatus

THREE_FIXTURES = Limit.at_least(2.5, "m2", "5.4.1", "便器、洗浴器、洗面器三件集中配置", "toilet, shower or bath and basin together")

ASSUMED_ZH = "模型未将卫生器具关联到房间，按三件集中配置的卫生间检查"
ASSUMED_EN = "the model links no sanitary fixtures to spaces; checked as a three-fixture bathroom"


RULE = three_fixture_bathroom_rule(
    rule_meta(
        rule_id="GB50096-2011-5.4.1",
        clause="5.4.1",
        title_zh="卫生间使用面积（三件卫生设备）",
        title_en="Bathroom area with three fixtures",
        text_zh="每套住宅应设卫生间，应至少配置便器、洗浴器、洗面器三件卫生设备或预留位置；三件卫生设备集中配置的卫生间使用面积不应小于2.50m²。",
        text_en=(
            "Every dwelling has a bathroom with (or space for) a toilet, a shower or bath and a basin; "
            "a bathroom holding all three needs at least 2.50 m². Fixtures are counted from sanitary "
            "terminals contained in or bounding the space; where the model links none, the bathroom "
            "is checked as a three-fixture one and the result is advisory."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bathroom",),
        standard_status=StandardStatus.MANDATORY_REPEALED,
        status_note_zh=REPEALED_ZH,
        status_note_en=REPEALED_EN,
        check_type="topology",
        parameters=(("three_fixtures", THREE_FIXTURES),),
    ),
    THREE_FIXTURES,
    assumed=(ASSUMED_ZH, ASSUMED_EN),
)
