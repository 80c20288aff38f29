"""GB 55038-2025 4.1.14 — clear passage width (通行净宽) of dwelling doors.

Clear width is not the opening width: a clear width the model states wins (ClearWidth,
通行净宽, 净宽 … in any property set); otherwise it is estimated as the opening width less a
frame deduction (a rule parameter), and the result says so and is advisory.
"""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import door_clear_width, door_function
from zhijian.domain.review.rule import Limit, ThresholdRule, fmt

FRAME_DEDUCTION = Limit.setting(
    0.10, "m", "4.1.14", "无净宽数据时由门洞宽扣除的门框宽度（估算）", "frame deducted from the opening width when no clear width is stated (estimate)"
)
ENTRANCE = Limit.at_least(0.90, "m", "4.1.14", "新建住宅户门", "dwelling entrance door, new build")
ENTRANCE_EXISTING = Limit.at_least(0.80, "m", "4.1.14", "既有住宅改造户门", "dwelling entrance door, existing building")
BEDROOM = Limit.at_least(0.80, "m", "4.1.14", "卧室门", "bedroom door")
KITCHEN = Limit.at_least(0.70, "m", "4.1.14", "厨房门", "kitchen door")
BATHROOM = Limit.at_least(0.70, "m", "4.1.14", "卫生间门", "bathroom door")
LIMITS = {"bedroom": BEDROOM, "kitchen": KITCHEN, "bathroom": BATHROOM}


def _limit(door, ctx):
    inference = door_function(ctx.index, door)
    key = inference.door.function if inference else None
    if key == "dwelling_entrance":
        return ENTRANCE if ctx.new_build else ENTRANCE_EXISTING
    return LIMITS.get(key or "")


def _clear(door, ctx):
    return door_clear_width(door, FRAME_DEDUCTION.value, ctx.index)


def _measure(door, ctx):
    clear = _clear(door, ctx)
    return clear[0] if clear else None


def _estimated(door, ctx) -> bool:
    clear = _clear(door, ctx)
    return bool(clear and clear[1])


def _remark(door, ctx):
    inference = door_function(ctx.index, door)
    zh, en = inference.describe() if inference else ("", "")
    if _estimated(door, ctx):
        deduction = fmt(FRAME_DEDUCTION.value, "m")
        zh += f"；模型无通行净宽，按门洞宽扣除门框 {deduction} 估算（估算值，建议性结果）"
        en += f"; no clear width in the model, estimated as the opening width less {deduction} of frame (advisory)"
    return zh, en


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55038-2025-4.1.14",
        clause="4.1.14",
        title_zh="门的通行净宽",
        title_en="Clear passage width of doors",
        text_zh="新建住宅户门通行净宽不应小于0.90m（既有住宅改造不应小于0.80m），卧室门不应小于0.80m，厨房门、卫生间门不应小于0.70m，并应预留无障碍改造条件。",
        text_en=(
            "Clear passage width: dwelling entrance doors 0.90 m in new dwellings (0.80 m when an existing "
            "building is altered), bedroom doors 0.80 m, kitchen and bathroom doors 0.70 m. A stated clear "
            "width is used; otherwise the opening width less the frame deduction, reported as an estimate."
        ),
        ifc_classes=("IfcDoor",),
        check_type="topology",
        parameters=(
            ("entrance", ENTRANCE),
            ("entrance_existing", ENTRANCE_EXISTING),
            *LIMITS.items(),
            ("frame_deduction", FRAME_DEDUCTION),
        ),
    ),
    measure=_measure,
    limit=_limit,
    quantity_zh="通行净宽",
    quantity_en="clear width",
    remark=_remark,
    advisory=_estimated,
)
