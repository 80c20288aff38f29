"""GB 50016-2014 5.5.30 — least clear widths of evacuation doors, corridors and stairs in dwellings.

Doors: dwelling entrance doors (户门) and fire exits 0.90 m; first-storey external exits
1.10 m. Public corridors 1.10 m. Stairs 1.10 m, or 1.00 m in buildings up to 18 m whose
stair has a railing on one side (the height must be stated or follow from the storeys, and
the railing modelled as part of the stair; otherwise 1.10 m applies).
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb50016_2014 import rule_meta
from zhijian.domain.review.evacuation_width_rules import WidthProvision, evacuation_width_rules
from zhijian.domain.review.measures_fire import (
    is_dwelling_entrance,
    is_fire_exit,
    is_first_storey_exterior_exit,
    is_public_corridor,
    narrow_stair_allowed,
    public_stair_assumed,
)
from zhijian.domain.review.rule import CheckContext, Limit

CLAUSE = "5.5.30"
DOOR = Limit.at_least(0.90, "m", CLAUSE, "户门、安全出口", "dwelling entrance doors and exits")
GROUND_EXIT = Limit.at_least(1.10, "m", CLAUSE, "首层疏散外门", "first-storey external exit")
CORRIDOR = Limit.at_least(1.10, "m", CLAUSE, "疏散走道", "evacuation corridor")
STAIR = Limit.at_least(1.10, "m", CLAUSE, "疏散楼梯", "evacuation stair")
STAIR_LOW = Limit.at_least(
    1.00, "m", CLAUSE, "建筑高度不大于18m且一边设栏杆的疏散楼梯",
    "stair with a railing on one side in a building up to 18 m",
)
STAIR_HEIGHT_UNKNOWN = Limit.at_least(
    1.10, "m", CLAUSE, "建筑高度未知，按1.10m检查", "building height unknown; checked at 1.10 m"
)


def stair_limit(unit: Element, ctx: CheckContext) -> Limit:
    allowed = narrow_stair_allowed(ctx.index, unit)
    if allowed is None:
        return STAIR_HEIGHT_UNKNOWN
    return STAIR_LOW if allowed else STAIR


RULES = evacuation_width_rules(
    "GB50016-2014-5.5.30",
    rule_meta,
    clause=CLAUSE,
    building_uses=("residential",),
    door=WidthProvision(
        title_zh="住宅户门和安全出口净宽",
        title_en="Clear width of dwelling entrance doors and exits",
        text_zh="住宅建筑的户门和安全出口净宽不应小于0.90m，首层疏散外门净宽不应小于1.10m。",
        text_en="Dwelling entrance doors and exits at least 0.90 m clear; first-storey external exits 1.10 m.",
        parameters=(("door", DOOR), ("ground_exit", GROUND_EXIT)),
        limit=lambda d, ctx: GROUND_EXIT if is_first_storey_exterior_exit(ctx.index, d) else DOOR,
        applies=lambda d, ctx: is_fire_exit(d) or is_dwelling_entrance(ctx.index, d),
    ),
    corridor=WidthProvision(
        title_zh="住宅疏散走道净宽",
        title_en="Clear width of residential evacuation corridors",
        text_zh="住宅建筑的疏散走道净宽不应小于1.10m。",
        text_en="Evacuation corridors of residential buildings are at least 1.10 m clear.",
        parameters=(("corridor", CORRIDOR),),
        limit=lambda s, ctx: CORRIDOR,
        applies=lambda s, ctx: is_public_corridor(s, ctx.building_use),
    ),
    stair=WidthProvision(
        title_zh="住宅疏散楼梯净宽",
        title_en="Clear width of residential evacuation stairs",
        text_zh="住宅建筑的疏散楼梯净宽不应小于1.10m；建筑高度不大于18m且一边设置栏杆的疏散楼梯，不应小于1.0m。",
        text_en=(
            "Residential evacuation stairs are at least 1.10 m clear, or 1.0 m in buildings up "
            "to 18 m high when the stair has a railing on one side."
        ),
        parameters=(("stair", STAIR), ("stair_low", STAIR_LOW)),
        limit=stair_limit,
        also_advisory=public_stair_assumed,
    ),
)
