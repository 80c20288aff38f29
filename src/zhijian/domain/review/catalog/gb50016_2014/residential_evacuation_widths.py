"""GB 50016-2014 5.5.30 — least clear widths of evacuation doors, corridors and stairs in dwellings.

Doors: dwelling entrance doors (户门) and fire exits 0.90 m; first-storey external exits
1.10 m. Public corridors 1.10 m. Stairs 1.10 m, or 1.00 m in buildings up to 18 m whose
stair has a railing on one side (the height must be stated or follow from the storeys, and
the railing modelled as part of the stair; otherwise 1.10 m applies).
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb50016_2014 import rule_meta
from zhijian.domain.review.measures_fire import (
    DEFAULT_FRAME_DEDUCTION,
    MeasuredBy,
    door_clear_width,
    is_dwelling_entrance,
    is_fire_exit,
    is_first_storey_exterior_exit,
    is_public_corridor,
    is_stair_unit,
    narrow_stair_allowed,
    public_stair_assumed,
    space_clear_width,
    stair_clear_width,
    stair_is_public,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

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
FRAME = Limit.setting(DEFAULT_FRAME_DEDUCTION, "m", CLAUSE, "门框扣减（估算净宽用）", "door-frame deduction")

door_width = MeasuredBy(lambda door, ctx: door_clear_width(door, FRAME.value))
stair_width = MeasuredBy(lambda unit, ctx: stair_clear_width(ctx.index, unit))


def stair_limit(unit: Element, ctx: CheckContext) -> Limit:
    allowed = narrow_stair_allowed(ctx.index, unit)
    if allowed is None:
        return STAIR_HEIGHT_UNKNOWN
    return STAIR_LOW if allowed else STAIR


_COMMON = dict(clause=CLAUSE, building_uses=("residential",))

RULES = (
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB50016-2014-5.5.30-door",
            title_zh="住宅户门和安全出口净宽",
            title_en="Clear width of dwelling entrance doors and exits",
            text_zh="住宅建筑的户门和安全出口净宽不应小于0.90m，首层疏散外门净宽不应小于1.10m。",
            text_en="Dwelling entrance doors and exits at least 0.90 m clear; first-storey external exits 1.10 m.",
            ifc_classes=("IfcDoor",),
            parameters=(("door", DOOR), ("ground_exit", GROUND_EXIT), ("frame_deduction", FRAME)),
            **_COMMON,
        ),
        measure=door_width.measure,
        limit=lambda d, ctx: GROUND_EXIT if is_first_storey_exterior_exit(ctx.index, d) else DOOR,
        applies=lambda d, ctx: is_fire_exit(d) or is_dwelling_entrance(ctx.index, d),
        quantity_zh="门净宽",
        quantity_en="door clear width",
        remark=door_width.remark,
        advisory=door_width.advisory,
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB50016-2014-5.5.30-corridor",
            title_zh="住宅疏散走道净宽",
            title_en="Clear width of residential evacuation corridors",
            text_zh="住宅建筑的疏散走道净宽不应小于1.10m。",
            text_en="Evacuation corridors of residential buildings are at least 1.10 m clear.",
            ifc_classes=("IfcSpace",),
            check_type="geometry",
            parameters=(("corridor", CORRIDOR),),
            **_COMMON,
        ),
        measure=lambda s, ctx: space_clear_width(ctx.index, s),
        limit=lambda s, ctx: CORRIDOR,
        applies=lambda s, ctx: is_public_corridor(s, ctx.building_use),
        quantity_zh="走道净宽",
        quantity_en="corridor clear width",
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB50016-2014-5.5.30-stair",
            title_zh="住宅疏散楼梯净宽",
            title_en="Clear width of residential evacuation stairs",
            text_zh="住宅建筑的疏散楼梯净宽不应小于1.10m；建筑高度不大于18m且一边设置栏杆的疏散楼梯，不应小于1.0m。",
            text_en=(
                "Residential evacuation stairs are at least 1.10 m clear, or 1.0 m in buildings up "
                "to 18 m high when the stair has a railing on one side."
            ),
            ifc_classes=("IfcStairFlight", "IfcStair"),
            check_type="geometry",
            parameters=(("stair", STAIR), ("stair_low", STAIR_LOW)),
            **_COMMON,
        ),
        measure=stair_width.measure,
        limit=stair_limit,
        applies=lambda u, ctx: is_stair_unit(ctx.index, u) and stair_is_public(ctx.index, u),
        quantity_zh="梯段净宽",
        quantity_en="stair clear width",
        remark=stair_width.remark,
        advisory=lambda u, ctx: stair_width.advisory(u, ctx) or public_stair_assumed(u, ctx),
    ),
)
