"""GB 55037-2022 7.4.1 (public) and 7.3.1 (residential) — at least two exits per storey.

Exits are doors the model flags as fire exits (Pset_DoorCommon.FireExit); a model that flags
none lacks the data. Storeys are checked as one fire compartment each: where a storey holds
several compartments each needs its own exits, which needs IfcZone compartments (not
checked). Parts that need evacuation path lengths (7.3.1: dwelling door to the nearest exit
over 15 m / 10 m) are left out; so are the occupant counts of the single-exit exceptions
(7.4.1: ≤ 200 m² and ≤ 50 people), which the model does not carry: such a storey with one
exit passes as advisory. Storey areas fall back to the sum of the spaces' net areas, a lower
bound of the gross area, which the message says.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zhijian.domain.bim.index import Storey
from zhijian.domain.review.catalog.gb55037_2022 import rule_meta
from zhijian.domain.review.measures import is_dwelling_storey
from zhijian.domain.review.measures_fire import (
    Measured,
    building_facts,
    exits_on_storey,
    is_fire_exit,
    storey_area,
)
from zhijian.domain.review.rule import (
    CheckContext,
    Limit,
    Outcome,
    RuleMeta,
    Status,
    fmt,
    judged_outcome,
    missing_outcome,
)

TWO_EXITS = Limit.at_least(2, "1", "", "安全出口", "exits")
PUBLIC_SINGLE_EXIT_AREA = 200.0
SINGLE_EXIT_MAX_STOREY = 3  # no single-exit exception above the third storey (table 7.4.1)
RESIDENTIAL_AREA_TRIGGER = 650.0
RESIDENTIAL_HEIGHT_TRIGGER = 54.0


@dataclass(frozen=True)
class Requirement:
    """How many exits a storey needs, and why. ``settled`` is False when fewer exits than
    ``limit`` could still be right but the model lacks what decides it (e.g. the area)."""

    limit: Limit | None  # None: the model shows no trigger for two exits
    why_zh: str = ""
    why_en: str = ""
    settled: bool = True
    assumed: bool = False  # a pass rests on conditions the model does not carry (advisory)


@dataclass(frozen=True)
class ExitCountRule:
    meta: RuleMeta
    requirement: Callable[[Storey, CheckContext, Measured | None], Requirement]
    storeys: Callable[[CheckContext], Iterable[Storey]]

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]:
        if ctx.building_use not in self.meta.building_uses:
            return
        any_flagged = any(is_fire_exit(d) for d in ctx.index.of_class("IfcDoor"))
        for storey in self.storeys(ctx):
            need = self.requirement(storey, ctx, storey_area(ctx.index, storey.guid))
            if need.limit is None:
                yield Outcome(storey.guid, Status.NOT_APPLICABLE)
                continue
            exits = len(exits_on_storey(ctx.index, storey.guid))
            if not any_flagged:
                yield missing_outcome(
                    storey.guid, need.limit, "安全出口", "exits",
                    f"楼层 {storey.name}：模型未用 Pset_DoorCommon.FireExit 标注任何安全出口，无法检查",
                    f"storey {storey.name}: the model flags no door as a fire exit "
                    "(Pset_DoorCommon.FireExit); cannot check",
                )
            elif not need.settled and exits < need.limit.value:
                yield missing_outcome(
                    storey.guid, need.limit, "安全出口", "exits",
                    f"楼层 {storey.name}：安全出口 {exits} 个；{need.why_zh}",
                    f"storey {storey.name}: {exits} exit(s); {need.why_en}",
                )
            else:
                yield judged_outcome(
                    storey.guid, need.limit, exits, "安全出口数量", "number of exits",
                    remark=(f"楼层 {storey.name}，{need.why_zh}", f"storey {storey.name}, {need.why_en}"),
                    advisory=need.assumed,
                )


def _area_text(area: Measured | None) -> tuple[str, str]:
    if area is None:
        return "楼层面积未知", "storey area unknown"
    zh = f"楼层面积 {fmt(area.value, 'm2')}" + (f"（{area.note_zh}）" if area.note_zh else "")
    en = f"storey area {fmt(area.value, 'm2')}" + (f" ({area.note_en})" if area.note_en else "")
    return zh, en


def public_requirement(storey: Storey, ctx: CheckContext, area: Measured | None) -> Requirement:
    zh, en = _area_text(area)
    two = Limit.at_least(2, "1", "7.4.1", "安全出口", "exits")
    if area is None:
        # Two exits always suffice; whether one may do depends on the area.
        return Requirement(two, f"{zh}，无法判断能否只设一个安全出口", f"{en}; cannot tell whether one exit may do", False)
    if area.value > PUBLIC_SINGLE_EXIT_AREA:
        return Requirement(two, f"{zh} > 200 m²，不符合单出口条件", f"{en} > 200 m², no single-exit exception")
    if storey.above_ground_index is None:
        # Basements have their own single-exit provisions, not in this catalogue.
        return Requirement(two, f"{zh}，地下楼层单出口条件未检查", f"{en}; basement single-exit conditions not checked", False)
    if storey.above_ground_index > SINGLE_EXIT_MAX_STOREY:
        # Table 7.4.1 allows one exit up to the third storey; its values are second-hand.
        return Requirement(
            two, f"第{storey.above_ground_index}层，高于3层不符合表7.4.1单出口条件（表值为二手资料）",
            f"storey {storey.above_ground_index} is above the third: no single-exit exception "
            "in table 7.4.1 (second-hand values)",
            assumed=True,
        )
    return Requirement(
        Limit.at_least(1, "1", "7.4.1", "安全出口", "exits"),
        f"{zh} ≤ 200 m²，可否只设一个安全出口取决于人数、耐火等级等条件（模型未载明，未检查）",
        f"{en} ≤ 200 m²; whether one exit may do depends on occupant numbers and fire-resistance "
        "grade the model does not carry",
        assumed=True,
    )


def residential_requirement(storey: Storey, ctx: CheckContext, area: Measured | None) -> Requirement:
    zh, en = _area_text(area)
    two = Limit.at_least(2, "1", "7.3.1", "安全出口", "exits")
    if building_facts(ctx.index).taller_than(RESIDENTIAL_HEIGHT_TRIGGER):
        return Requirement(two, "建筑高度大于54m", "building higher than 54 m")
    if area is not None and area.value > RESIDENTIAL_AREA_TRIGGER:
        return Requirement(two, f"{zh} > 650 m²", f"{en} > 650 m²")
    if area is None:
        return Requirement(two, f"{zh}，无法判断是否须设两个安全出口", f"{en}; cannot tell whether two exits are required", False)
    return Requirement(None)


def _occupied_storeys(ctx: CheckContext) -> list[Storey]:
    """Storeys holding spaces or doors: a structural or services model has no exits to count."""
    used = {e.storey_guid for e in ctx.index.of_class("IfcSpace", "IfcDoor")}
    return [s for s in ctx.index.storeys if s.guid in used]


def _dwelling_storeys(ctx: CheckContext) -> list[Storey]:
    return [
        s for s in _occupied_storeys(ctx)
        if s.above_ground_index is not None and is_dwelling_storey(ctx.index, s)
    ]


RULES = (
    ExitCountRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.4.1",
            clause="7.4.1",
            title_zh="公共建筑每层安全出口数量",
            title_en="Exits per storey of public buildings",
            text_zh=(
                "公共建筑内每个防火分区或一个防火分区的每个楼层的安全出口不应少于2个；仅符合规定条件"
                "（如除托儿所、幼儿园外，建筑面积不大于200m²且人数不大于50人的单层建筑或多层建筑的首层）"
                "时可设置1个。"
            ),
            text_en=(
                "Every fire compartment, or every storey of one, of a public building has at least two "
                "exits; one suffices only under stated conditions (e.g. at most 200 m² and 50 people on "
                "a single storey or the first storey, nurseries excepted)."
            ),
            ifc_classes=("IfcBuildingStorey", "IfcDoor"),
            building_uses=("public",),
            check_type="topology",
            parameters=(("exits", TWO_EXITS), ("single_exit_area", Limit.at_most(PUBLIC_SINGLE_EXIT_AREA, "m2", "7.4.1"))),
        ),
        requirement=public_requirement,
        storeys=_occupied_storeys,
    ),
    ExitCountRule(
        meta=rule_meta(
            rule_id="GB55037-2022-7.3.1",
            clause="7.3.1",
            title_zh="住宅建筑每层安全出口数量",
            title_en="Exits per storey of residential buildings",
            text_zh=(
                "住宅建筑每个单元每层的安全出口不应少于2个的情形：任一层建筑面积大于650m²；建筑高度"
                "大于54m；建筑高度不大于27m且任一户门至最近安全出口的距离大于15m；建筑高度大于27m、"
                "不大于54m且任一户门至最近安全出口的距离大于10m。"
            ),
            text_en=(
                "Each unit of a residential building has at least two exits per storey when a storey "
                "exceeds 650 m², the building exceeds 54 m, or a dwelling door is more than 15 m "
                "(≤ 27 m high) or 10 m (27–54 m) from the nearest exit. Distances are not checked."
            ),
            ifc_classes=("IfcBuildingStorey", "IfcDoor"),
            building_uses=("residential",),
            check_type="topology",
            parameters=(
                ("exits", TWO_EXITS),
                ("storey_area_trigger", Limit.at_most(RESIDENTIAL_AREA_TRIGGER, "m2", "7.3.1")),
                ("height_trigger", Limit.at_most(RESIDENTIAL_HEIGHT_TRIGGER, "m", "7.3.1")),
            ),
        ),
        requirement=residential_requirement,
        storeys=_dwelling_storeys,
    ),
)
