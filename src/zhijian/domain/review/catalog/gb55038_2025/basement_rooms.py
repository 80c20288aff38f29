"""GB 55038-2025 4.1.3 — no bedroom, living room or kitchen in a basement.

A basement (地下室) has its floor below the outdoor ground by more than half the room's
clear height (GB 50352 terms). Depth is taken below ±0.000, since outdoor ground levels are
rarely modelled; that makes the check stricter, never laxer, than the real ground level.
"""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import space_clear_height, storey_height
from zhijian.domain.review.rule import Limit, ThresholdRule


def _storey(space, ctx):
    return ctx.index.storey(space.storey_guid)


def _limit(space, ctx):
    storey = _storey(space, ctx)
    if storey is None or storey.elevation_m >= 0:
        return None  # at or above ±0.000: not a basement
    height = space_clear_height(ctx.index, space) or storey_height(ctx.index, storey)
    if height is None:
        return None
    return Limit.at_most(
        height / 2, "m", "4.1.3", "地面低于室外地坪超过房间净高的 1/2 即为地下室", "deeper than half the clear height is a basement"
    )


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55038-2025-4.1.3",
        clause="4.1.3",
        title_zh="卧室、起居室、厨房不应设在地下室",
        title_en="No bedroom, living room or kitchen in a basement",
        text_zh="卧室、起居室、厨房不应布置在地下室；布置在半地下室时，应采取采光、通风、防潮、排水及安全防护措施。",
        text_en=(
            "Bedrooms, living rooms and kitchens shall not be in a basement (floor deeper below ground than "
            "half the room's clear height; depth taken below ±0.000). Semi-basement measures are not checked."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bedroom", "living", "kitchen"),
        check_type="topology",
    ),
    measure=lambda space, ctx: -_storey(space, ctx).elevation_m,
    limit=_limit,
    quantity_zh="楼面低于 ±0.000 的深度",
    quantity_en="floor depth below ±0.000",
)
