"""GB 55031-2022 6.6.1 — guard railings at open edges are at least 1.10 m high.

Guards are railings typed GUARDRAIL or BALUSTRADE, or (unless typed HANDRAIL) railings at a
balcony, corridor or roof terrace space. The height is the modelled railing height; the
clause measures from a climbable ledge (≥0.22 m wide, ≤0.45 m high) when there is one, which
needs geometry the model rarely carries.
"""

from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures_fire import is_guard_railing, railing_height
from zhijian.domain.review.rule import Limit, ThresholdRule

GUARD = Limit.at_least(1.10, "m", "6.6.1")

RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55031-2022-6.6.1",
        clause="6.6.1",
        title_zh="临空处防护栏杆高度",
        title_en="Height of guard railings at open edges",
        text_zh=(
            "阳台、外廊、室内回廊、中庭、内天井、上人屋面及楼梯等临空处应设防护栏杆（栏板），"
            "其垂直高度不应小于1.10m，自楼地面或屋面（有可踏部位时自可踏面）量至扶手顶面。"
        ),
        text_en=(
            "Open edges of balconies, external corridors, galleries, atria, light wells, accessible "
            "roofs and stairs have guard railings at least 1.10 m high, measured from the floor "
            "(or from a climbable ledge) to the top of the rail."
        ),
        ifc_classes=("IfcRailing",),
        building_uses=("residential", "public"),
        parameters=(("guard_height", GUARD),),
    ),
    measure=lambda e, ctx: railing_height(ctx.index, e),
    limit=lambda e, ctx: GUARD,
    applies=lambda e, ctx: is_guard_railing(ctx.index, e),
    quantity_zh="栏杆高度",
    quantity_en="railing height",
)
