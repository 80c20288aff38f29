"""GB 50096-2011 5.3.1 — minimum usable floor area of the kitchen, by dwelling type."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import dwelling_zone_functions
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit

ORDINARY = Limit.at_least(4.0, "m2", "5.3.1", "普通套型", "ordinary dwelling")
MINIMUM = Limit.at_least(
    3.5, "m2", "5.3.1", "由兼起居的卧室、厨房和卫生间组成的最小套型", "minimum dwelling (bedsit, kitchen, bathroom)"
)
_BEDROOMS = {"bedroom", "bedroom_master", "bedroom_secondary", "living"}


def _limit(space, ctx):
    # The minimum dwelling type is known only when the model groups spaces into dwellings
    # (IfcZone): one with a bedsit and no other bedroom or living room. Otherwise the
    # ordinary type's 4.0 m² applies.
    functions = dwelling_zone_functions(ctx.index, space)
    if functions and "bedroom_living" in functions and not functions & _BEDROOMS:
        return MINIMUM
    return ORDINARY


RULE = usable_area_rule(
    rule_meta(
        rule_id="GB50096-2011-5.3.1",
        clause="5.3.1",
        title_zh="厨房使用面积",
        title_en="Kitchen usable floor area",
        text_zh="普通套型的厨房使用面积不应小于4.0m²；由兼起居的卧室、厨房和卫生间等组成的最小套型，厨房不应小于3.5m²。",
        text_en=(
            "Kitchens of ordinary dwellings at least 4.0 m²; in a minimum dwelling (bedsit, kitchen and "
            "bathroom) at least 3.5 m². The minimum type is recognised from an IfcZone grouping the dwelling."
        ),
        ifc_classes=("IfcSpace",),
        functions=("kitchen",),
        parameters=(("ordinary", ORDINARY), ("minimum", MINIMUM)),
    ),
    _limit,
)
