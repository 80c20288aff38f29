"""Rules on the rooms of a dwelling, one value per space: usable floor area (使用面积) and
clear height (室内净高), built once for every clause that has one (GB 50096-2011 5.2–5.5,
GB 55038-2025 4.1).

Every such rule measures a space against a limit; the clauses differ in the limit (by room
function or dwelling type) and their metadata. The three-fixture bathroom rule of both codes
also shares when it applies and what makes its result advisory.
"""

from __future__ import annotations

from typing import Any

from zhijian.domain.bim.index import Element
from zhijian.domain.review.measures import has_three_fixtures, space_clear_height, space_net_area
from zhijian.domain.review.rule import CheckContext, Limit, LimitFor, RuleMeta, ThresholdRule


def usable_area_rule(meta: RuleMeta, limit: Limit | LimitFor, **options: Any) -> ThresholdRule:
    """A space's usable floor area held to ``limit`` (one for every space, or by space);
    ``options`` are further ThresholdRule fields (remark, advisory …)."""
    limit_for = (lambda space, ctx: limit) if isinstance(limit, Limit) else limit
    return ThresholdRule(
        meta=meta,
        measure=lambda space, ctx: space_net_area(ctx.index, space),
        limit=limit_for,
        quantity_zh="使用面积",
        quantity_en="usable floor area",
        **options,
    )


def three_fixture_bathroom_rule(
    meta: RuleMeta, limit: Limit, *, assumed: tuple[str, str]
) -> ThresholdRule:
    """A bathroom with toilet, shower or bath and basin held to ``limit``. Known fixtures
    decide (fewer than three kinds: not applicable, another clause's case); where the model links none to the
    space, the bathroom is checked as a three-fixture one, with the (zh, en) remark
    ``assumed``, and the result is advisory."""

    def fixtures_assumed(space: Element, ctx: CheckContext) -> bool:
        return has_three_fixtures(ctx.index, space) is None

    return usable_area_rule(
        meta,
        lambda space, ctx: None if has_three_fixtures(ctx.index, space) is False else limit,
        remark=lambda space, ctx: assumed if fixtures_assumed(space, ctx) else None,
        advisory=fixtures_assumed,
    )


def clear_height_rule(
    meta: RuleMeta, limit: Limit, *, new_build_only: bool = False
) -> ThresholdRule:
    """A space's clear height held to ``limit``; with ``new_build_only`` the clause governs
    new dwellings only, and spaces of an existing building are not applicable."""

    def limit_for(space: Element, ctx: CheckContext) -> Limit | None:
        return limit if ctx.new_build or not new_build_only else None

    return ThresholdRule(
        meta=meta,
        measure=lambda space, ctx: space_clear_height(ctx.index, space),
        limit=limit_for,
        quantity_zh="室内净高",
        quantity_en="clear height",
    )
