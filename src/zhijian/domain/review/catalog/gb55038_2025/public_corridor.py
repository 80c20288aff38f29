"""GB 55038-2025 4.2.1 — clear width and clear height of public corridors (two rules)."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import space_clear_height, space_width
from zhijian.domain.review.rule import Limit, RuleMeta, ThresholdRule

WIDTH = Limit.at_least(1.20, "m", "4.2.1", "公共走廊净宽", "public corridor clear width")
HEIGHT = Limit.at_least(2.20, "m", "4.2.1", "公共走廊净高", "public corridor clear height")


def _meta(rule_id: str, title_zh: str, title_en: str, parameter: tuple[str, Limit]) -> RuleMeta:
    return rule_meta(
        rule_id=rule_id,
        clause="4.2.1",
        title_zh=title_zh,
        title_en=title_en,
        text_zh="住宅公共走廊的通行净宽不应小于1.20m，净高不应低于2.20m；封闭外廊应设置可开启的窗扇。",
        text_en=(
            "Public corridors of residential buildings are at least 1.20 m wide and 2.20 m high in the "
            "clear (width from a stated clear width or Width of the space, else geometry). The openable "
            "windows of enclosed galleries are not checked here."
        ),
        ifc_classes=("IfcSpace",),
        functions=("corridor",),
        parameters=(parameter,),
    )


def _public(space, ctx) -> bool:
    return space.function is not None and space.function.function == "public_corridor"


WIDTH_RULE = ThresholdRule(
    meta=_meta("GB55038-2025-4.2.1-width", "公共走廊净宽", "Public corridor clear width", ("width", WIDTH)),
    measure=lambda space, ctx: space_width(ctx.index, space),
    limit=lambda space, ctx: WIDTH,
    applies=_public,
    quantity_zh="走廊净宽",
    quantity_en="corridor clear width",
)

HEIGHT_RULE = ThresholdRule(
    meta=_meta("GB55038-2025-4.2.1-height", "公共走廊净高", "Public corridor clear height", ("height", HEIGHT)),
    measure=lambda space, ctx: space_clear_height(ctx.index, space),
    limit=lambda space, ctx: HEIGHT,
    applies=_public,
    quantity_zh="走廊净高",
    quantity_en="corridor clear height",
)

RULES = (WIDTH_RULE, HEIGHT_RULE)
