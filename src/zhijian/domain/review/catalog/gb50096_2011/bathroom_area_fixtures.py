"""GB 50096-2011 5.4.2 — area of bathrooms with one or two fixtures, by combination."""

from zhijian.domain.review.catalog.gb50096_2011 import rule_meta
from zhijian.domain.review.measures import sanitary_kinds
from zhijian.domain.review.room_rules import usable_area_rule
from zhijian.domain.review.rule import Limit

TOILET_BASIN = Limit.at_least(1.80, "m2", "5.4.2", "便器、洗面器", "toilet and basin")
TOILET_BATHING = Limit.at_least(2.00, "m2", "5.4.2", "便器、洗浴器", "toilet and shower or bath")
BASIN_BATHING = Limit.at_least(2.00, "m2", "5.4.2", "洗面器、洗浴器", "basin and shower or bath")
TOILET_ONLY = Limit.at_least(1.10, "m2", "5.4.2", "单设便器", "toilet only")
COMBINATIONS = {
    frozenset({"toilet", "basin"}): TOILET_BASIN,
    frozenset({"toilet", "bathing"}): TOILET_BATHING,
    frozenset({"basin", "bathing"}): BASIN_BATHING,
    frozenset({"toilet"}): TOILET_ONLY,
}


def _limit(space, ctx):
    # Only where the model links fixtures to the space: the combination decides the limit.
    kinds = sanitary_kinds(ctx.index, space)
    return COMBINATIONS.get(kinds) if kinds is not None else None


RULE = usable_area_rule(
    rule_meta(
        rule_id="GB50096-2011-5.4.2",
        clause="5.4.2",
        title_zh="卫生间使用面积（两件或单件卫生设备）",
        title_en="Bathroom area with one or two fixtures",
        text_zh=(
            "卫生设备分设时，每个卫生间的使用面积：设便器、洗面器的不应小于1.80m²；设便器、洗浴器的不应小于2.00m²；"
            "设洗面器、洗浴器的不应小于2.00m²；设洗面器、洗衣机的不应小于1.80m²；单设便器的不应小于1.10m²。"
        ),
        text_en=(
            "Bathrooms with fixtures split up: toilet and basin 1.80 m², toilet and shower/bath 2.00 m², "
            "basin and shower/bath 2.00 m², toilet only 1.10 m². Checked where the model links sanitary "
            "terminals to the space; the basin-and-washing-machine case is not (washing machines are not "
            "sanitary terminals)."
        ),
        ifc_classes=("IfcSpace",),
        functions=("bathroom",),
        check_type="topology",
        parameters=tuple((name, limit) for name, limit in (
            ("toilet_basin", TOILET_BASIN), ("toilet_bathing", TOILET_BATHING),
            ("basin_bathing", BASIN_BATHING), ("toilet_only", TOILET_ONLY),
        )),
    ),
    _limit,
)
