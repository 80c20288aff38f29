"""Precast (预制) and non-masonry (非砌筑) decisions, each with the rule that decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhijian.domain.bim.index import Element
from zhijian.domain.errors import OverrideError
from zhijian.domain.prefab.precast import (
    NO_OVERRIDES,
    Override,
    Overrides,
    check_overrides,
    decide_non_masonry,
    decide_precast,
    load_overrides,
)


def element(
    name: str | None = "构件",
    *,
    ifc_class: str = "IfcWall",
    psets: dict[str, dict[str, Any]] | None = None,
    materials: tuple[str, ...] = (),
    predefined_type: str | None = None,
    type_name: str | None = None,
    object_type: str | None = None,
    guid: str = "0000000000000000000001",
) -> Element:
    return Element(
        guid=guid,
        ifc_class=ifc_class,
        predefined_type=predefined_type,
        name=name,
        long_name=None,
        object_type=object_type,
        type_name=type_name,
        type_class=None,
        storey_guid=None,
        psets=psets or {},
        qsets={},
        materials=materials,
    )


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"psets": {"Pset_PrecastConcreteElementGeneral": {"PieceMark": "YWQ-1"}}}, "pset"),
        ({"psets": {"Pset_PrecastConcreteElementFabrication": {"SerialNumber": "1"}}}, "pset"),
        ({"psets": {"构件属性": {"是否预制": "是"}}}, "property"),
        ({"psets": {"构件属性": {"预制构件": True}}}, "property"),
        ({"psets": {"Custom": {"IsPrecast": 1}}}, "property"),
        ({"name": "预制剪力墙 YWQ-1"}, "name"),
        ({"name": "PC-外墙板"}, "name"),
        ({"name": "叠合板 DBS1-67"}, "name"),
        ({"type_name": "Precast wall panel 200"}, "name"),
        ({"object_type": "prefab balcony"}, "name"),
        ({"materials": ("C35 混凝土（预制）",)}, "material"),
        ({"materials": ("02 Beton gewapend - prefab",)}, "material"),
        ({"ifc_class": "IfcBuildingElementPart", "predefined_type": "PRECASTPANEL"}, "predefined_type"),
    ],
)
def test_each_kind_of_evidence_makes_an_element_precast(kwargs: dict[str, Any], rule: str) -> None:
    decision = decide_precast(element(**{"name": "墙", **kwargs}))
    assert decision.value is True
    assert decision.rule == rule
    assert decision.evidence[0].detail


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"name": "现浇剪力墙"}, "name"),
        ({"name": "非预制墙"}, "name"),
        ({"psets": {"构件属性": {"是否预制": "否"}}}, "property"),
        ({"materials": ("Concrete, Cast-in-Place gray",)}, "material"),
        ({"name": "PCB cable tray"}, "none"),  # PC only as a token of its own
        ({"name": "UPC wall"}, "none"),
        ({"name": "Wall 200"}, "none"),
    ],
)
def test_cast_in_place_or_no_evidence_is_not_precast(kwargs: dict[str, Any], rule: str) -> None:
    decision = decide_precast(element(**kwargs))
    assert decision.value is False
    assert decision.rule == rule


def test_no_evidence_says_so_for_the_sheet() -> None:
    decision = decide_precast(element("Wall 200"))
    assert "no precast evidence" in decision.explanation


def test_an_explicit_property_wins_over_a_name() -> None:
    decision = decide_precast(element("预制墙", psets={"属性": {"是否预制": "否"}}))
    assert (decision.value, decision.rule) == (False, "property")
    assert len(decision.evidence) == 2  # the name is kept as (overruled) evidence


def test_an_override_wins_over_everything_and_carries_its_reason() -> None:
    overrides = Overrides(
        "overrides.csv",
        {"0000000000000000000001": Override("0000000000000000000001", False, "现场改为现浇", "李工", 3)},
    )
    decision = decide_precast(
        element(psets={"Pset_PrecastConcreteElementGeneral": {}}), overrides=overrides
    )
    assert (decision.value, decision.rule) == (False, "override")
    assert "overrides.csv line 3" in decision.evidence[0].detail
    assert "现场改为现浇" in decision.evidence[0].detail


def test_steel_and_timber_members_count_only_where_the_table_policy_says_so() -> None:
    steel = element("HEB 200", ifc_class="IfcColumn", materials=("Metal - Steel - 345 MPa",))
    assert decide_precast(steel).value is False
    decision = decide_precast(steel, non_concrete_prefabricated=True)
    assert (decision.value, decision.rule) == (True, "non_concrete")
    concrete = element("C1", ifc_class="IfcColumn", materials=("Concrete",))
    assert decide_precast(concrete, non_concrete_prefabricated=True).value is False


def test_a_flight_inherits_precast_evidence_from_its_stair() -> None:
    stair = element("预制楼梯 ST-1", ifc_class="IfcStair", guid="stair")
    flight = element(None, ifc_class="IfcStairFlight", guid="flight")
    decision = decide_precast(flight, whole=stair)
    assert (decision.value, decision.rule) == (True, "assembly")
    assert "预制楼梯" in decision.explanation


@pytest.mark.parametrize(
    ("width", "counted"),
    [(0.4, True), (0.6, True), (0.61, False), (None, False)],
)
def test_a_cast_in_place_joint_counts_up_to_the_width_the_clause_allows(width: float | None, counted: bool) -> None:
    props: dict[str, Any] = {"CastInPlaceJoint": True}
    if width is not None:
        props["JointWidth"] = width
    joint = element("后浇段", psets={"Zhijian_Joint": props})
    decision = decide_precast(joint, joint_max_width_m=0.6, joint_clause="4.0.3")
    assert (decision.value, decision.rule) == (counted, "joint")
    assert "4.0.3" in decision.explanation


@pytest.mark.parametrize(
    ("kwargs", "value", "rule"),
    [
        ({"name": "ALC 条板外墙"}, True, "name"),
        ({"materials": ("Plasterboard", "Metal - Stud Layer")}, True, "material"),
        ({"ifc_class": "IfcCurtainWall", "name": "CW-1"}, True, "class"),
        ({"name": "加气混凝土砌块外墙"}, False, "name"),
        ({"materials": ("Plasterboard", "Masonry - Concrete Block")}, False, "material"),  # masonry wins
        ({"name": "Wall 200", "materials": ("Concrete",)}, False, "none"),
        ({"psets": {"属性": {"非砌筑": "是"}}}, True, "property"),
        ({"psets": {"属性": {"是否砌筑": "是"}}}, False, "property"),
    ],
)
def test_non_masonry_decisions(kwargs: dict[str, Any], value: bool, rule: str) -> None:
    decision = decide_non_masonry(element(**{"name": "墙", **kwargs}))
    assert (decision.value, decision.rule) == (value, rule)


def test_a_precast_wall_is_non_masonry() -> None:
    wall = element("预制外墙板")
    decision = decide_non_masonry(wall, precast=decide_precast(wall))
    assert (decision.value, decision.rule) == (True, "precast")


# -- override files -----------------------------------------------------------------------------
def test_overrides_load_from_csv_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text("guid,precast,reason,declared_by\nA1,true,工厂生产记录 PO-12,王工\nB2,否,现场改现浇,\n", encoding="utf-8")
    overrides = load_overrides(path)
    assert overrides.entries["A1"] == Override("A1", True, "工厂生产记录 PO-12", "王工", 2)
    assert overrides.entries["B2"].precast is False
    assert overrides.entries["B2"].line == 3


def test_overrides_load_from_json(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    path.write_text('{"overrides": [\n  {"guid": "A1", "precast": true, "reason": "图纸 S-12"}\n]}', encoding="utf-8")
    assert load_overrides(path).entries["A1"].line == 2


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("o.csv", "guid,precast,reason\nA1,maybe,x\n", "line 2: guid A1: precast must be true or false"),
        ("o.csv", "guid,precast,reason\nA1,true,\n", "line 2: guid A1: a reason is required"),
        ("o.csv", "guid,precast,reason\nA1,true,x\nA1,false,y\n", "line 3: guid A1 is overridden twice"),
        ("o.csv", "guid,reason\nA1,x\n", "line 1: the header must name guid, precast and reason"),
        ("o.json", '{"overrides": [{"guid": "A1", "precast": true}]}', "a reason is required"),
        ("o.json", '{"overides": []}', "unknown top-level key overides"),
        ("o.json", '{"overrides": [', "line 1: not valid JSON"),
        ("o.txt", "x", "must be .json or .csv"),
    ],
)
def test_a_bad_override_file_is_refused_with_the_line_at_fault(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverrideError, match=message):
        load_overrides(path)


def test_an_override_for_an_unknown_element_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("guid,precast,reason\nNOPE,true,x\n", encoding="utf-8")
    with pytest.raises(OverrideError, match=r"o\.csv line 2: guid NOPE is not an element of this model"):
        check_overrides(load_overrides(path), {"A1"})
    check_overrides(NO_OVERRIDES, set())
