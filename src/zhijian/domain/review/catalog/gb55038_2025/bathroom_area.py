"""GB 55038-2025 4.1.6 — a bathroom with all three fixtures needs 2.5 m²."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.room_rules import three_fixture_bathroom_rule
from zhijian.domain.review.rule import Limit

THREE_FIXTURES = Limit.at_least(2.5, "m2", "4.1.6", "三件卫生器具集中配置", "three fixtures together")

ASSUMED_ZH = "模型未将卫生器具关联到房间，按三件集中配置的卫生间检查（建议性结果）"
ASSUMED_EN = "the model links no sanitary fixtures to spaces; checked as a three-fixture bathroom (advisory)"


RULE = three_fixture_bathroom_rule(
    rule_meta(
        rule_id="GB55038-2025-4.1.6",
        clause="4.1.6",
        title_zh="卫生间使用面积（三件卫生器具）",
        title_en="Bathroom area with three fixtures",
        text_zh="每套住宅应设卫生间，并应配置或预留便器、洗浴器、洗面器三件卫生器具；三件集中配置的卫生间使用面积不应小于2.5m²；布置便器的卫生间门不应直接开在厨房内。",
        text_en=(
            "Every dwelling has a bathroom with (or space for) toilet, shower or bath and basin; one "
            "holding all three needs at least 2.5 m². Fixtures are counted from sanitary terminals in "
            "or at the space; where the model links none the bathroom is checked as a three-fixture one "
            "and the result is advisory. The door-into-kitchen provision is not checked here."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bathroom",),
        check_type="topology",
        parameters=(("three_fixtures", THREE_FIXTURES),),
    ),
    THREE_FIXTURES,
    assumed=(ASSUMED_ZH, ASSUMED_EN),
)
