"""GB 55031-2022 5.3.10 — risers of adjacent flights differ by at most 0.01 m.

Flights are adjacent when they are parts of the same stair, ordered by height; each flight
is held to its neighbours.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures_fire import riser_height, whole_of
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

DIFFERENCE = Limit.at_most(0.01, "m", "5.3.10")


def sibling_flights(ctx: CheckContext, flight: Element) -> list[Element]:
    """The flights of the stair this flight belongs to, bottom first."""
    stair = whole_of(ctx.index, flight.guid)
    if stair is None:
        return []
    flights = [
        ctx.index.elements[g]
        for g in ctx.index.parts_of.get(stair.guid, ())
        if g in ctx.index.elements and ctx.index.elements[g].ifc_class == "IfcStairFlight"
    ]
    return sorted(flights, key=lambda f: (ctx.index.elevation_of(f.guid), f.name or "", f.guid))


def neighbour_difference(flight: Element, ctx: CheckContext) -> float | None:
    """The largest riser difference between this flight and the flights next to it."""
    flights = sibling_flights(ctx, flight)
    position = flights.index(flight)
    neighbours = flights[max(position - 1, 0) : position] + flights[position + 1 : position + 2]
    own = riser_height(ctx.index, flight)
    others = [r for f in neighbours if (r := riser_height(ctx.index, f)) is not None]
    if own is None or not others:
        return None
    return max(abs(own - r) for r in others)


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-5.3.10",
        clause="5.3.10",
        title_zh="相邻梯段踏步高度差",
        title_en="Riser difference between adjacent flights",
        text_zh="每个梯段的踏步高度、宽度应一致，相邻梯段的踏步高度差不应大于0.01m。",
        text_en="Steps within a flight are uniform; risers of adjacent flights differ by no more than 0.01 m.",
        ifc_classes=("IfcStairFlight",),
        building_uses=("residential", "public"),
        parameters=(("difference", DIFFERENCE),),
    ),
    measure=neighbour_difference,
    limit=lambda e, ctx: DIFFERENCE,
    applies=lambda e, ctx: len(sibling_flights(ctx, e)) > 1,
    quantity_zh="与相邻梯段踏步高度差",
    quantity_en="riser difference to the adjacent flight",
)
