"""GB 55031-2022 5.3.9 — least tread and greatest riser of public stairs, by building class.

Table 5.3.9 has three rows. The row comes from the building use and, for public buildings,
from whether lifts are the main vertical transport (a stated MainVerticalTransport / 主要垂直
交通 on IfcBuilding, else the presence of a lift) and the building height (high-rise > 24 m).
When the height is unknown the stricter multi-storey row is used.
"""

from zhijian.domain.bim.index import Element
from zhijian.domain.review.catalog.gb55031_2022 import rule_meta
from zhijian.domain.review.measures_fire import (
    building_facts,
    is_stair_unit,
    public_stair_assumed,
    public_stair_remark,
    riser_height,
    stair_is_public,
    tread_length,
)
from zhijian.domain.review.rule import CheckContext, Limit, ThresholdRule

ROW_STAIR = ("以楼梯为主要垂直交通的公共建筑、非住宅类居住建筑", "public building served mainly by stairs")
ROW_RESIDENTIAL = (
    "住宅公共楼梯、以电梯为主的多层公共建筑或高层裙房",
    "public stair of a residential building, or lift-served multi-storey public building / podium",
)
ROW_HIGH_RISE = ("以电梯为主的高层、超高层建筑", "lift-served high-rise building")

TREAD = {
    ROW_STAIR: Limit.at_least(0.26, "m", "5.3.9", *ROW_STAIR),
    ROW_RESIDENTIAL: Limit.at_least(0.26, "m", "5.3.9", *ROW_RESIDENTIAL),
    ROW_HIGH_RISE: Limit.at_least(0.25, "m", "5.3.9", *ROW_HIGH_RISE),
}
RISER = {
    ROW_STAIR: Limit.at_most(0.165, "m", "5.3.9", *ROW_STAIR),
    ROW_RESIDENTIAL: Limit.at_most(0.175, "m", "5.3.9", *ROW_RESIDENTIAL),
    ROW_HIGH_RISE: Limit.at_most(0.18, "m", "5.3.9", *ROW_HIGH_RISE),
}
HIGH_RISE_HEIGHT = 24.0  # a public building over 24 m is high-rise (GB 50352 / GB 50016)


def table_row(ctx: CheckContext) -> tuple[str, str]:
    if ctx.building_use == "residential":
        return ROW_RESIDENTIAL
    facts = building_facts(ctx.index)
    if not facts.elevator_primary:
        return ROW_STAIR
    return ROW_HIGH_RISE if facts.taller_than(HIGH_RISE_HEIGHT) else ROW_RESIDENTIAL


def _public_stair(element: Element, ctx: CheckContext) -> bool:
    return is_stair_unit(ctx.index, element) and stair_is_public(ctx.index, element)


_COMMON = dict(
    clause="5.3.9",
    ifc_classes=("IfcStairFlight", "IfcStair"),
    building_uses=("residential", "public"),
    text_zh=(
        "公共楼梯踏步的最小宽度和最大高度按建筑类别取值：以楼梯为主要垂直交通的公共建筑及非住宅类"
        "居住建筑 0.26/0.165 m；住宅公共楼梯、以电梯为主的多层公共建筑和高层裙房 0.26/0.175 m；"
        "以电梯为主的高层和超高层建筑 0.25/0.18 m。托幼、中小学、老年人照料设施另有规定。"
    ),
    text_en=(
        "Public stair steps: least tread / greatest riser by building class — stair-served public "
        "and non-dwelling residential buildings 0.26/0.165 m; public stairs of dwellings and "
        "lift-served multi-storey public buildings or podiums 0.26/0.175 m; lift-served high-rise "
        "0.25/0.18 m. Nurseries, schools and elderly care follow their own codes."
    ),
)

RULES = (
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55031-2022-5.3.9-tread",
            title_zh="公共楼梯踏步最小宽度",
            title_en="Least tread of public stairs",
            parameters=tuple((f"tread_{i}", limit) for i, limit in enumerate(TREAD.values(), 1)),
            **_COMMON,
        ),
        measure=lambda e, ctx: tread_length(ctx.index, e),
        limit=lambda e, ctx: TREAD[table_row(ctx)],
        applies=_public_stair,
        remark=public_stair_remark,
        advisory=public_stair_assumed,
        quantity_zh="踏步宽度",
        quantity_en="tread",
    ),
    ThresholdRule(
        meta=rule_meta(
            rule_id="GB55031-2022-5.3.9-riser",
            title_zh="公共楼梯踏步最大高度",
            title_en="Greatest riser of public stairs",
            parameters=tuple((f"riser_{i}", limit) for i, limit in enumerate(RISER.values(), 1)),
            **_COMMON,
        ),
        measure=lambda e, ctx: riser_height(ctx.index, e),
        limit=lambda e, ctx: RISER[table_row(ctx)],
        applies=_public_stair,
        remark=public_stair_remark,
        advisory=public_stair_assumed,
        quantity_zh="踏步高度",
        quantity_en="riser",
    ),
)
