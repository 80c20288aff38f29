"""GB 55038-2025 4.1.1 — minimum usable floor area of bedrooms."""

from zhijian.domain.review.catalog.gb55038_2025 import STANDARD, TITLE_EN, TITLE_ZH
from zhijian.domain.review.measures import space_net_area
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

BEDROOM = Limit.at_least(5.0, "m2", "4.1.1", "卧室", "bedroom")
WITH_LIVING = Limit.at_least(9.0, "m2", "4.1.1", "兼起居的卧室", "bedroom used as living room")


def _limit(space, ctx):
    key = space.function.function if space.function else ""
    return WITH_LIVING if key == "bedroom_living" else BEDROOM


RULE = ThresholdRule(
    meta=RuleMeta(
        rule_id="GB55038-2025-4.1.1",
        version="1",
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        clause="4.1.1",
        mandatory=True,
        discipline="architecture",
        title_zh="卧室使用面积",
        title_en="Bedroom usable floor area",
        text_zh="卧室的使用面积不应小于5m²，兼起居的卧室不应小于9m²；卧室短边净宽不应小于1.80m。",
        text_en=(
            "Bedrooms at least 5 m², bedrooms doubling as living rooms 9 m². The 1.80 m short-side "
            "width needs plan geometry and is not checked by this rule."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bedroom",),
        parameters=(("bedroom", BEDROOM), ("with_living", WITH_LIVING)),
    ),
    measure=lambda space, ctx: space_net_area(ctx.index, space),
    limit=_limit,
    quantity_zh="使用面积",
    quantity_en="usable floor area",
)
