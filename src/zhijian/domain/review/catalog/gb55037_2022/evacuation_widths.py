"""GB 55037-2022 7.1.4 — least clear widths of exit doors, evacuation corridors and stairs.

Exit doors and external evacuation stairs 0.80 m (so is a dwelling door opening straight to
the outside); first-storey external exits, evacuation corridors and public buildings'
indoor stairs 1.10 m; residential indoor stairs 1.10 m, or 1.00 m in buildings up to 18 m
with a railing on one side. Stairs wider than 4.0 m must be split by handrails; that needs
geometry and is not checked.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55037_2022 import rule_meta
from zhijian.domain.review.evacuation_width_rules import WidthProvision, evacuation_width_rules
from zhijian.domain.review.measures_fire import (
    is_dwelling_entrance,
    is_external,
    is_fire_exit,
    is_first_storey_exterior_exit,
    is_public_corridor,
    narrow_stair_allowed,
    public_stair_assumed,
    stair_is_external,
)
from zhijian.domain.review.rule import CheckContext, Limit

CLAUSE = "7.1.4"
EXIT_DOOR = Limit.at_least(0.80, "m", CLAUSE, "疏散出口门", "exit door")
GROUND_EXIT = Limit.at_least(1.10, "m", CLAUSE, "首层疏散外门", "first-storey external exit")
CORRIDOR = Limit.at_least(1.10, "m", CLAUSE, "疏散走道", "evacuation corridor")
OUTDOOR_STAIR = Limit.at_least(0.80, "m", CLAUSE, "室外疏散楼梯", "external evacuation stair")
INDOOR_STAIR = Limit.at_least(1.10, "m", CLAUSE, "室内疏散楼梯", "indoor evacuation stair")
LOW_RESIDENTIAL_STAIR = Limit.at_least(
    1.00, "m", CLAUSE, "建筑高度不大于18m且一边设栏杆的住宅室内疏散楼梯",
    "residential stair with a railing on one side, building up to 18 m",
)
HEIGHT_UNKNOWN_STAIR = Limit.at_least(
    1.10, "m", CLAUSE, "建筑高度未知，按1.10m检查", "building height unknown; checked at 1.10 m"
)


def is_exit_door(door: Element, ctx: CheckContext) -> bool:
    """疏散出口门, and a dwelling's entrance door that opens straight to the outside."""
    if is_fire_exit(door):
        return True
    return ctx.building_use == "residential" and is_external(door) and is_dwelling_entrance(ctx.index, door)


def door_limit(door: Element, ctx: CheckContext) -> Limit:
    if is_first_storey_exterior_exit(ctx.index, door) and not is_dwelling_entrance(ctx.index, door):
        return GROUND_EXIT
    return EXIT_DOOR


def stair_limit(unit: Element, ctx: CheckContext) -> Limit:
    if stair_is_external(ctx.index, unit):
        return OUTDOOR_STAIR
    if ctx.building_use != "residential":
        return INDOOR_STAIR
    allowed = narrow_stair_allowed(ctx.index, unit)
    if allowed is None:
        return HEIGHT_UNKNOWN_STAIR
    return LOW_RESIDENTIAL_STAIR if allowed else INDOOR_STAIR


RULES = evacuation_width_rules(
    "GB55037-2022-7.1.4",
    rule_meta,
    clause=CLAUSE,
    building_uses=("residential", "public"),
    door=WidthProvision(
        title_zh="疏散出口门净宽",
        title_en="Clear width of exit doors",
        text_zh=(
            "疏散出口门、室外疏散楼梯的净宽度不应小于0.80m；住宅建筑中直通室外地面的户门净宽度"
            "不应小于0.80m；首层疏散外门的净宽度不应小于1.10m。"
        ),
        text_en=(
            "Exit doors at least 0.80 m clear, as are dwelling doors opening straight to the "
            "outside; first-storey external exits at least 1.10 m."
        ),
        parameters=(("exit_door", EXIT_DOOR), ("ground_exit", GROUND_EXIT)),
        limit=door_limit,
        applies=is_exit_door,
    ),
    corridor=WidthProvision(
        title_zh="疏散走道净宽",
        title_en="Clear width of evacuation corridors",
        text_zh="疏散走道的净宽度不应小于1.10m。",
        text_en="Evacuation corridors are at least 1.10 m clear.",
        parameters=(("corridor", CORRIDOR),),
        limit=lambda s, ctx: CORRIDOR,
        applies=lambda s, ctx: is_public_corridor(s, ctx.building_use),
    ),
    stair=WidthProvision(
        title_zh="疏散楼梯净宽",
        title_en="Clear width of evacuation stairs",
        text_zh=(
            "室外疏散楼梯净宽度不应小于0.80m；公共建筑的室内疏散楼梯不应小于1.10m；住宅建筑的室内"
            "疏散楼梯不应小于1.10m，建筑高度不大于18m且一边设置栏杆时不应小于1.00m。"
        ),
        text_en=(
            "External evacuation stairs at least 0.80 m clear; indoor evacuation stairs 1.10 m, "
            "or 1.00 m in residential buildings up to 18 m whose stair has a railing on one side."
        ),
        parameters=(
            ("outdoor_stair", OUTDOOR_STAIR),
            ("indoor_stair", INDOOR_STAIR),
            ("low_residential_stair", LOW_RESIDENTIAL_STAIR),
        ),
        limit=stair_limit,
        also_advisory=public_stair_assumed,
    ),
)
