"""The rule on passages inside a dwelling (套内过道), built once for every clause that has it
(GB 50096-2011 5.7.1, GB 55038-2025 4.1.13).

Both clauses set a least clear width by what a passage leads to (the entrance, bedrooms and
the living room, or kitchen, bathroom and storage), read from the doors it shares with rooms;
only the limits, the clause metadata and what makes a result advisory differ.
"""

from __future__ import annotations

from zhijian.domain.bim.index import Element
from zhijian.domain.review.measures import dwelling_corridor_kind, is_public, space_width
from zhijian.domain.review.rule import CheckContext, Limit, RuleMeta, ThresholdRule

# When no door says where a passage leads, it is checked as a passage to bedrooms.
FALLBACK_KIND = "rooms"


def passage_width_rule(
    meta: RuleMeta,
    *,
    limits: dict[str, Limit],
    unknown: tuple[str, str],
    advisory_kinds: tuple[str | None, ...],
) -> ThresholdRule:
    """The rule for ``limits`` by kind ("entrance", "rooms", "service"); ``unknown`` is the
    (zh, en) remark when no door says where a passage leads, ``advisory_kinds`` the kinds
    (None: unknown) whose results are advisory. ``meta`` lists the limits as parameters."""

    def kind(space: Element, ctx: CheckContext) -> str | None:
        return dwelling_corridor_kind(ctx.index, space)

    return ThresholdRule(
        meta=meta,
        measure=lambda space, ctx: space_width(ctx.index, space),
        limit=lambda space, ctx: limits[kind(space, ctx) or FALLBACK_KIND],
        applies=lambda space, ctx: not is_public(space),
        quantity_zh="过道净宽",
        quantity_en="passage clear width",
        remark=lambda space, ctx: unknown if kind(space, ctx) is None else None,
        advisory=lambda space, ctx: kind(space, ctx) in advisory_kinds,
    )
