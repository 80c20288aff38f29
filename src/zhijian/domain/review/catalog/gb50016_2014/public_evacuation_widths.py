"""GB 50016-2014 5.5.18 — least clear widths of exits, corridors and stairs in public buildings.

Exits 0.90 m, corridors and stairs 1.10 m. For high-rise public buildings (over 24 m, stated
or following from the storey elevations) table 5.5.18's "other high-rise" column applies:
first-storey exits 1.20 m, corridors 1.30 m (single-loaded; a double-loaded corridor needs
1.40 m, which needs the plan layout), stairs 1.20 m. Hospitals (larger values) are not told
apart.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb50016_2014 import rule_meta
from zhijian.domain.review.evacuation_width_rules import WidthProvision, evacuation_width_rules
from zhijian.domain.review.measures_fire import (
    building_facts,
    is_corridor,
    is_fire_exit,
    on_first_storey,
)
from zhijian.domain.review.rule import CheckContext, Limit

CLAUSE = "5.5.18"
HIGH_RISE = 24.0
DOOR = Limit.at_least(0.90, "m", CLAUSE, "疏散门、安全出口", "exit doors")
GROUND_EXIT_HIGH = Limit.at_least(
    1.20, "m", CLAUSE, "高层公共建筑首层疏散门（表5.5.18）", "first-storey exit of a high-rise (table 5.5.18)"
)
CORRIDOR = Limit.at_least(1.10, "m", CLAUSE, "疏散走道", "evacuation corridor")
CORRIDOR_HIGH = Limit.at_least(
    1.30, "m", CLAUSE, "高层公共建筑单面布房走道（双面布房为1.40m）",
    "high-rise, single-loaded corridor (double-loaded: 1.40 m)",
)
STAIR = Limit.at_least(1.10, "m", CLAUSE, "疏散楼梯", "evacuation stair")
STAIR_HIGH = Limit.at_least(1.20, "m", CLAUSE, "高层公共建筑疏散楼梯", "high-rise evacuation stair")


def high_rise(ctx: CheckContext) -> bool:
    return bool(building_facts(ctx.index).taller_than(HIGH_RISE))


def door_limit(door: Element, ctx: CheckContext) -> Limit:
    return GROUND_EXIT_HIGH if high_rise(ctx) and on_first_storey(ctx.index, door) else DOOR


RULES = evacuation_width_rules(
    "GB50016-2014-5.5.18",
    rule_meta,
    clause=CLAUSE,
    building_uses=("public",),
    door=WidthProvision(
        title_zh="公共建筑疏散门和安全出口净宽",
        title_en="Clear width of exits in public buildings",
        text_zh="公共建筑内疏散门和安全出口的净宽度不应小于0.90m；高层公共建筑首层疏散门按表5.5.18取值。",
        text_en="Exit doors of public buildings at least 0.90 m clear; first-storey exits of high-rise buildings per table 5.5.18.",
        parameters=(("door", DOOR), ("ground_exit_high_rise", GROUND_EXIT_HIGH)),
        limit=door_limit,
        applies=lambda d, ctx: is_fire_exit(d),
    ),
    corridor=WidthProvision(
        title_zh="公共建筑疏散走道净宽",
        title_en="Clear width of corridors in public buildings",
        text_zh="公共建筑疏散走道的净宽度不应小于1.10m；高层公共建筑按表5.5.18取值。",
        text_en="Evacuation corridors of public buildings at least 1.10 m clear; high-rise buildings per table 5.5.18.",
        parameters=(("corridor", CORRIDOR), ("corridor_high_rise", CORRIDOR_HIGH)),
        limit=lambda s, ctx: CORRIDOR_HIGH if high_rise(ctx) else CORRIDOR,
        applies=lambda s, ctx: is_corridor(s),
    ),
    stair=WidthProvision(
        title_zh="公共建筑疏散楼梯净宽",
        title_en="Clear width of stairs in public buildings",
        text_zh="公共建筑疏散楼梯的净宽度不应小于1.10m；高层公共建筑按表5.5.18取值。",
        text_en="Evacuation stairs of public buildings at least 1.10 m clear; high-rise buildings per table 5.5.18.",
        parameters=(("stair", STAIR), ("stair_high_rise", STAIR_HIGH)),
        limit=lambda u, ctx: STAIR_HIGH if high_rise(ctx) else STAIR,
    ),
)
