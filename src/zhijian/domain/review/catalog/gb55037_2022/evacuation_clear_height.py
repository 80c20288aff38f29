"""GB 55037-2022 7.1.5 — evacuation routes and exit doors are at least 2.1 m clear high.

Door heights are the stated clear height, else the door's overall height (frame included,
so the result is an estimate). Corridor heights are the space's clear height; beams and
ducts below the ceiling need geometry.
"""

from zhijian.domain.review.catalog.gb55037_2022 import rule_meta
from zhijian.domain.review.measures import space_clear_height
from zhijian.domain.review.measures_fire import (
    MeasuredBy,
    door_clear_height,
    is_fire_exit,
    is_public_corridor,
)
from zhijian.domain.review.rule import Limit, ThresholdRule

CLAUSE = "7.1.5"
CLEAR_HEIGHT = Limit.at_least(2.10, "m", CLAUSE)

door_height = MeasuredBy(lambda door, ctx: door_clear_height(door))

_COMMON = dict(
    clause=CLAUSE,
    building_uses=("residential", "public"),
    parameters=(("clear_height", CLEAR_HEIGHT),),
    text_zh="疏散通道、疏散走道、疏散出口的净高度均不应小于2.1m，且不应有影响疏散的凸出物或障碍物。",
    text_en="Evacuation passages, corridors and exits are at least 2.1 m clear high, free of obstructions.",
)

RULES = (
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.1.5-door",
            title_zh="疏散出口净高",
            title_en="Clear height of exits",
            ifc_classes=("IfcDoor",),
            **_COMMON,
        ),
        measure=door_height.measure,
        limit=lambda d, ctx: CLEAR_HEIGHT,
        applies=lambda d, ctx: is_fire_exit(d),
        quantity_zh="门净高",
        quantity_en="door clear height",
        remark=door_height.remark,
        advisory=door_height.advisory,
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.1.5-corridor",
            title_zh="疏散走道净高",
            title_en="Clear height of evacuation corridors",
            ifc_classes=("IfcSpace",),
            check_type="geometry",
            **_COMMON,
        ),
        measure=lambda s, ctx: space_clear_height(ctx.index, s),
        limit=lambda s, ctx: CLEAR_HEIGHT,
        applies=lambda s, ctx: is_public_corridor(s, ctx.building_use),
        quantity_zh="走道净高",
        quantity_en="corridor clear height",
    ),
)
