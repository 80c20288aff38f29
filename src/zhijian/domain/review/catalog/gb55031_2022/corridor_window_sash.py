"""GB 55031-2022 6.5.4 — sashes of windows onto public corridors open no lower than 2.00 m.

Windows bounding a public corridor. A window whose bottom is at least 2.00 m above the floor
passes whatever opens. A lower window fails only when the model shows an opening sash that
starts at the window's bottom (IfcWindowPanelProperties on its type: a bottom panel, or a
full-height one); a window that does not open is not concerned; without panel data it is
missing data, since a fixed lower pane under a top sash would comply.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures import related_spaces
from zhijian.domain.review.measures_fire import (
    is_public_corridor,
    window_bottom,
    window_sash_reaches_bottom,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

CLAUSE = "6.5.4"
SASH = Limit.at_least(2.00, "m", CLAUSE, "开启扇底面距走道地面", "sash bottom above the corridor floor")


def onto_public_corridor(window: Element, ctx: CheckContext) -> bool:
    return any(is_public_corridor(s, ctx.building_use) for s in related_spaces(ctx.index, window))


def sash_limit(window: Element, ctx: CheckContext) -> Limit | None:
    bottom = window_bottom(ctx.index, window)
    if bottom is not None and round(bottom, 6) >= SASH.value:
        return SASH
    return None if window_sash_reaches_bottom(ctx.index, window) is False else SASH


def sash_bottom(window: Element, ctx: CheckContext) -> float | None:
    bottom = window_bottom(ctx.index, window)
    if bottom is None:
        return None
    if round(bottom, 6) >= SASH.value or window_sash_reaches_bottom(ctx.index, window):
        return bottom
    return None  # a top sash or no panel data: where the sash starts is unknown


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-6.5.4",
        clause=CLAUSE,
        title_zh="开向公共走道的窗扇高度",
        title_en="Height of window sashes opening onto public corridors",
        text_zh="开向公共走道的窗扇，其底面距走道地面的高度不应小于2.00m，开启时不应影响人员通行。",
        text_en="Window sashes opening onto public corridors are at least 2.00 m above the corridor floor.",
        ifc_classes=("IfcWindow",),
        building_uses=("residential", "public"),
        check_type="topology",
        parameters=(("sash_bottom", SASH),),
    ),
    measure=sash_bottom,
    limit=sash_limit,
    applies=onto_public_corridor,
    quantity_zh="开启扇底面高度",
    quantity_en="sash bottom height",
    missing_zh="模型未载明窗扇开启方式与位置（窗类型的 IfcWindowPanelProperties），窗底低于2.00m，无法判断开启扇高度",
    missing_en=(
        "the model does not say which sash opens (IfcWindowPanelProperties on the window type) "
        "and the window starts below 2.00 m; cannot tell the sash height"
    ),
)
