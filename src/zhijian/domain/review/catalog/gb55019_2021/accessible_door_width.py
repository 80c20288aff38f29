"""GB 55019-2021 2.5.3–2.5.5 — clear width of doors on accessible routes.

Doors flagged Pset_DoorCommon.HandicapAccessible: manual doors at least 0.90 m clear when
newly built (0.80 m when an existing building is altered), automatic doors (HasDrive) at
least 1.00 m. Thresholds, level changes and the spacing of successive doors need geometry
and are not checked.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55019_2021 import rule_meta
from zhijian.domain.review.measures_fire import (
    DEFAULT_FRAME_DEDUCTION,
    MeasuredBy,
    door_clear_width,
    door_is_automatic,
    flag,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "2.5.3~2.5.5"
MANUAL_NEW = Limit.at_least(0.90, "m", CLAUSE, "新建、扩建的手动门", "manual door, new build")
MANUAL_EXISTING = Limit.at_least(0.80, "m", CLAUSE, "既有建筑改造的手动门", "manual door, existing building")
AUTOMATIC = Limit.at_least(1.00, "m", CLAUSE, "自动门", "automatic door")
FRAME = Limit.setting(DEFAULT_FRAME_DEDUCTION, "m", CLAUSE, "门框扣减（估算净宽用）", "door-frame deduction")

door_width = MeasuredBy(lambda door, ctx: door_clear_width(door, FRAME.value))


def door_limit(door: Element, ctx: CheckContext) -> Limit:
    if door_is_automatic(door):
        return AUTOMATIC
    return MANUAL_NEW if ctx.new_build else MANUAL_EXISTING


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55019-2021-2.5-door-width",
        clause=CLAUSE,
        title_zh="无障碍门通行净宽",
        title_en="Clear width of accessible doors",
        text_zh=(
            "无障碍通行路线上的门，手动门开启后的通行净宽新建、扩建时不应小于900mm，既有建筑改造"
            "时不应小于800mm；自动门开启后的通行净宽不应小于1.00m。"
        ),
        text_en=(
            "Doors on accessible routes: manual doors open at least 900 mm clear (800 mm when an "
            "existing building is altered), automatic doors at least 1.00 m."
        ),
        ifc_classes=("IfcDoor",),
        parameters=(
            ("manual_new", MANUAL_NEW),
            ("manual_existing", MANUAL_EXISTING),
            ("automatic", AUTOMATIC),
            ("frame_deduction", FRAME),
        ),
    ),
    measure=door_width.measure,
    limit=door_limit,
    applies=lambda d, ctx: flag(d, "HandicapAccessible") is True,
    quantity_zh="门通行净宽",
    quantity_en="door clear width",
    remark=door_width.remark,
    advisory=door_width.advisory,
)
