"""GB 55031-2022 3.2.7 — the lowest clear height where people normally move is at least 2.00 m.

Applies to corridors and halls, to every space below ground except plant rooms, and to
spaces named as mezzanines (夹层), refuge areas (避难) or open ground floors (架空). The
height is the space's clear (finish ceiling) height; beams and ducts below it need geometry.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures import space_clear_height
from zhijian.domain.review.measures_fire import is_below_ground
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLEAR_HEIGHT = Limit.at_least(2.00, "m", "3.2.7")
NAMED = ("夹层", "避难", "架空")


def people_move_here(space: Element, ctx: CheckContext) -> bool:
    if space.function is not None and space.function.category == "equipment":
        return False
    if space.function is not None and space.function.category == "corridor":
        return True
    if is_below_ground(ctx.index, space):
        return True
    names = " ".join(n for n in (space.name, space.long_name, space.object_type) if n)
    return any(word in names for word in NAMED)


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-3.2.7",
        clause="3.2.7",
        title_zh="人员正常活动处最低净高",
        title_en="Least clear height where people normally move",
        text_zh="地下室、局部夹层、公共走道、建筑避难区、架空层等有人员正常活动的场所，最低处净高不应小于2.00m。",
        text_en=(
            "Basements, mezzanines, public corridors, refuge areas, open ground floors and other "
            "places where people normally move have a clear height of at least 2.00 m at the lowest point."
        ),
        ifc_classes=("IfcSpace",),
        building_uses=("residential", "public"),
        check_type="geometry",
        parameters=(("clear_height", CLEAR_HEIGHT),),
    ),
    measure=lambda e, ctx: space_clear_height(ctx.index, e),
    limit=lambda e, ctx: CLEAR_HEIGHT,
    applies=people_move_here,
    quantity_zh="净高",
    quantity_en="clear height",
)
