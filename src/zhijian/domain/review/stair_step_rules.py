"""The tread and riser rules of a stair clause, built once for every clause that needs them.

Several clauses limit the same two values of a stair flight (tread at least, riser at most);
only the limits, the clause metadata and which stairs they apply to differ.
"""

from __future__ import annotations

from collections.abc import Callable

from zhijian.domain.review.measures import stair_notes, stair_riser, stair_tread
from zhijian.domain.review.rule import Limit, RuleMeta, Selector, ThresholdRule

MetaFor = Callable[[str, str, str, tuple[str, Limit]], RuleMeta]


def stair_step_rules(
    rule_id: str,
    meta_for: MetaFor,
    *,
    tread: Limit,
    riser: Limit,
    applies: Selector,
    label_zh: str,
    titles_en: tuple[str, str],
) -> tuple[ThresholdRule, ThresholdRule]:
    """(tread rule, riser rule) with ids ``<rule_id>-tread`` and ``<rule_id>-riser``;
    Chinese titles are ``label_zh`` + 踏步宽度/踏步高度, English ones (tread, riser) given."""

    def rule(kind: str, limit: Limit, measure: Callable, word_zh: str, title_en: str) -> ThresholdRule:
        return ThresholdRule(
            meta=meta_for(f"{rule_id}-{kind}", f"{label_zh}{word_zh}", title_en, (kind, limit)),
            measure=lambda e, ctx: measure(e, ctx.index),
            limit=lambda e, ctx: limit,
            applies=applies,
            quantity_zh=word_zh,
            quantity_en=kind,
            remark=lambda e, ctx: stair_notes(ctx.index, e),
        )

    return (
        rule("tread", tread, stair_tread, "踏步宽度", titles_en[0]),
        rule("riser", riser, stair_riser, "踏步高度", titles_en[1]),
    )
