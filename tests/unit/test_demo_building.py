"""The demo building: written in IFC4/mm, IFC4/m and IFC2X3, re-read, and what it promises.

What is checked here is what the module docstring of zhijian.domain.demo.building states:
storeys, rooms, precast members, the six deliberate violations and nothing else failing.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import ifcopenshell
import pytest

from zhijian.domain.bim.index import Element, ModelIndex, load_index
from zhijian.domain.demo.building import precast_summary, write_demo_building
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import all_packs

VARIANTS = {"IFC4-mm": ("IFC4", "mm"), "IFC4-m": ("IFC4", "m"), "IFC2X3-mm": ("IFC2X3", "mm")}


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    return {key: write_demo_building(folder / f"{key}.ifc", unit=unit, schema=schema) for key, (schema, unit) in VARIANTS.items()}


@pytest.fixture(scope="module")
def demo_indexes(demo_files: dict[str, Path]) -> dict[str, ModelIndex]:
    return {key: load_index(path) for key, path in demo_files.items()}


@pytest.fixture(params=sorted(VARIANTS))
def index(request: pytest.FixtureRequest, demo_indexes: dict[str, ModelIndex]) -> ModelIndex:
    return demo_indexes[request.param]


def _on(index: ModelIndex, element: Element) -> str | None:
    return index.storey_name(element)


def _precast(element: Element) -> bool:
    return element.psets.get("CN_Prefab", {}).get("是否预制") == "是"


# -- the building -----------------------------------------------------------------------------
def test_storeys_are_b1_to_11f_with_a_roof_level(index: ModelIndex) -> None:
    names = [s.name for s in index.storeys]
    assert names == ["B1", *(f"{n}F" for n in range(1, 12)), "屋面"]
    elevations = {s.name: s.elevation_m for s in index.storeys}
    assert elevations["B1"] == pytest.approx(-3.6)
    assert elevations["1F"] == pytest.approx(0.0)
    assert elevations["7F"] == pytest.approx(17.9)
    assert elevations["屋面"] == pytest.approx(32.9)
    assert [s.above_ground_index for s in index.storeys][:2] == [None, 1]


def test_every_storey_is_3_m_but_b1_and_the_low_6f(index: ModelIndex) -> None:
    rows = index.storeys
    heights = {low.name: round(high.elevation_m - low.elevation_m, 6) for low, high in pairwise(rows)}
    assert heights.pop("B1") == pytest.approx(3.6)
    assert heights.pop("6F") == pytest.approx(2.9)
    assert set(heights.values()) == {3.0}


def test_space_counts_per_function(index: ModelIndex) -> None:
    counts = Counter(space.long_name for space in index.spaces())
    dwelling_rooms = ("主卧", "次卧", "客厅", "餐厅", "厨房", "卫生间", "阳台", "走道", "门厅")
    core_rooms = ("楼梯间", "电梯井", "管道井", "电梯厅", "公共走廊")
    assert counts == {**{r: 22 for r in dwelling_rooms}, **{r: 12 for r in core_rooms}, "地下储藏室": 2}
    functions = Counter(space.function.category for space in index.spaces() if space.function)
    assert functions["bedroom"] == 44 and functions["kitchen"] == 22 and functions["balcony"] == 22


def test_rooms_are_numbered_per_dwelling(index: ModelIndex) -> None:
    names = [space.name for space in index.spaces()]
    assert len(names) == len(set(names)) == 260
    bedroom = next(s for s in index.spaces() if s.name == "0302-06")
    assert (bedroom.long_name, _on(index, bedroom)) == ("次卧", "3F")


def test_element_counts(index: ModelIndex) -> None:
    counts = Counter(e.ifc_class for e in index)
    # B1: 3 per dwelling + 12 core; 18 per dwelling + 12 core a storey; 2F's variants add one each
    assert counts["IfcWall"] == 18 + 10 * 48 + 50
    assert counts["IfcDoor"] == 3 + 11 * 13 + 1
    assert counts["IfcWindow"] == 11 * 13 - 1  # 1F has the 单元门 where the lobby window is
    assert counts["IfcStairFlight"] == 22
    assert counts["IfcStair"] == 11
    assert counts["IfcColumn"] == 44 and counts["IfcBeam"] == 22
    assert counts["IfcRailing"] == 22 + 22 + 1
    assert counts["IfcTransportElement"] == 1


def test_every_stair_has_two_flights_a_landing_and_balustrades(index: ModelIndex) -> None:
    for stair in index.of_class("IfcStair"):
        parts = Counter(index.elements[g].ifc_class for g in index.parts_of[stair.guid])
        assert parts == {"IfcStairFlight": 2, "IfcSlab": 1, "IfcRailing": 2}
        assert _on(index, stair) is not None


def test_the_lift_is_an_elevator(demo_indexes: dict[str, ModelIndex]) -> None:
    (lift,) = demo_indexes["IFC4-mm"].of_class("IfcTransportElement")
    assert lift.predefined_type == "ELEVATOR"
    assert lift.prop("CN_Elevator", "轿厢宽度") == pytest.approx(1.6)
    entity = demo_indexes["IFC2X3-mm"].ifc.by_type("IfcTransportElement")[0]
    assert entity.OperationType == "ELEVATOR"


# -- precast ---------------------------------------------------------------------------------
def test_precast_members_from_the_third_storey(index: ModelIndex) -> None:
    precast = [e for e in index if _precast(e)]
    kinds = Counter((e.ifc_class, e.psets["CN_Prefab"]["构件类型"]) for e in precast)
    assert kinds == {
        ("IfcWall", "预制剪力墙外墙板"): 144,
        ("IfcWall", "预制剪力墙内墙板"): 36,
        ("IfcSlab", "叠合板"): 144,
        ("IfcSlab", "预制阳台板"): 18,
        ("IfcStairFlight", "预制楼梯"): 16,
    }
    storeys = {_on(index, e) for e in precast}
    assert storeys == {f"{n}F" for n in range(3, 12)}
    mark = "TypeDesignator" if index.schema.upper() == "IFC2X3" else "PieceMark"
    for element in precast:
        assert element.object_type == "PRECAST"
        assert element.prop("Pset_PrecastConcreteElementGeneral", mark)
        assert element.materials == ("C30混凝土",)
    pieces = [e.prop("Pset_PrecastConcreteElementGeneral", mark) for e in precast]
    assert len(set(pieces)) == len(pieces)


def test_cast_in_place_members_say_so(index: ModelIndex) -> None:
    low = [e for e in index if _on(index, e) in ("B1", "1F", "2F") and "CN_Prefab" in e.psets]
    assert low and not any(_precast(e) for e in low)
    masonry = [e for e in index.of_class("IfcWall") if e.psets["CN_Prefab"].get("是否砌筑") == "是"]
    assert all(e.prop("Pset_WallCommon", "LoadBearing") is False for e in masonry)
    assert len(masonry) == 11 * 16 + 3  # S2 and seven partitions per dwelling; 2F's variants add 3


def test_precast_shares_are_those_documented(demo_indexes: dict[str, ModelIndex]) -> None:
    rows = precast_summary(demo_indexes["IFC4-mm"])
    above = [row for storey, row in rows.items() if storey != "B1"]
    vertical = sum(r.get("vertical_m3", 0.0) for r in above)
    vertical_precast = sum(r.get("vertical_precast_m3", 0.0) for r in above)
    horizontal = sum(r.get("horizontal_m2", 0.0) for r in above)
    horizontal_precast = sum(r.get("horizontal_precast_m2", 0.0) for r in above)
    assert (vertical_precast, vertical) == (pytest.approx(322.026, abs=1e-3), pytest.approx(657.296, abs=1e-3))
    assert (horizontal_precast, horizontal) == (pytest.approx(2019.96, abs=1e-2), pytest.approx(2944.26, abs=1e-2))
    assert rows["3F"]["vertical_precast_m3"] / rows["3F"]["vertical_m3"] == pytest.approx(0.597, abs=1e-3)


# -- the deliberate violations ---------------------------------------------------------------
def _spaces(index: ModelIndex, long_name: str) -> list[Element]:
    return [s for s in index.spaces() if s.long_name == long_name]


def test_one_4_6_m2_second_bedroom_on_2f(index: ModelIndex) -> None:
    small = [s for s in _spaces(index, "次卧") if s.quantity("NetFloorArea") < 5.0]
    assert [(s.name, _on(index, s)) for s in small] == [("0202-06", "2F")]
    assert small[0].quantity("NetFloorArea") == pytest.approx(4.6)
    # the geometry agrees with the quantity
    assert index.derived_quantity(small[0].guid, "NetFloorArea") == pytest.approx(4.6, abs=1e-6)
    assert min(s.quantity("NetFloorArea") for s in _spaces(index, "主卧")) >= 9.0


def test_one_3_2_m2_kitchen_on_2f(index: ModelIndex) -> None:
    small = [s for s in _spaces(index, "厨房") if s.quantity("NetFloorArea") < 4.0]
    assert [(s.name, _on(index, s)) for s in small] == [("0201-04", "2F")]
    assert small[0].quantity("NetFloorArea") == pytest.approx(3.2)


def test_one_0_75_m_bedroom_door_on_4f(index: ModelIndex) -> None:
    doors = index.of_class("IfcDoor")
    narrow = [d for d in doors if d.name == "卧室门" and d.dims["OverallWidth"] < 0.9 - 1e-9]
    assert len(narrow) == 1 and _on(index, narrow[0]) == "4F"
    assert narrow[0].dims["OverallWidth"] == pytest.approx(0.75)
    assert {s.long_name for s in index.bounded_spaces(narrow[0].guid)} == {"主卧", "走道"}
    minimum = {"户门": 1.0, "卧室门": 0.9, "厨房门": 0.8, "卫生间门": 0.8, "阳台门": 0.8, "楼梯间门": 1.0, "单元门": 1.5, "储藏室门": 1.0}
    for door in doors:
        if door is not narrow[0]:
            assert door.dims["OverallWidth"] == pytest.approx(minimum[door.name]), door.name
            assert door.dims["OverallHeight"] >= 2.1 - 1e-9


def test_one_1_05_m_balcony_railing_on_8f(index: ModelIndex) -> None:
    balcony = [r for r in index.of_class("IfcRailing") if r.name == "阳台栏杆"]
    assert len(balcony) == 22
    low = [r for r in balcony if r.prop("Pset_RailingCommon", "Height") < 1.2 - 1e-9]
    assert len(low) == 1 and _on(index, low[0]) == "8F"
    assert low[0].prop("Pset_RailingCommon", "Height") == pytest.approx(1.05)
    assert {s.long_name for s in index.bounded_spaces(low[0].guid)} == {"阳台"}


def test_one_flight_with_0_18_m_risers_in_b1(index: ModelIndex) -> None:
    flights = index.of_class("IfcStairFlight")
    steep = [f for f in flights if f.prop("Pset_StairFlightCommon", "RiserHeight") > 0.175]
    assert len(steep) == 1 and _on(index, steep[0]) == "B1"
    assert steep[0].prop("Pset_StairFlightCommon", "RiserHeight") == pytest.approx(0.18)
    assert all(f.prop("Pset_StairFlightCommon", "TreadLength") == pytest.approx(0.26) for f in flights)


def test_rooms_keep_2_6_m_clear_height_even_on_the_low_storey(index: ModelIndex) -> None:
    habitable = [s for s in index.spaces() if s.function and s.function.category in ("bedroom", "living")]
    heights = {round(s.quantity("FinishCeilingHeight"), 6) for s in habitable}
    assert heights == {2.82, 2.72}


def test_the_review_finds_the_violations_and_nothing_else(demo_indexes: dict[str, ModelIndex]) -> None:
    index = demo_indexes["IFC4-mm"]
    report = run_review(index, list(all_packs()))
    assert report["summary"]["missing_data"] == 0
    by_name = {s.name: s.guid for s in index.spaces()}
    deliberate = {
        by_name["0202-06"], by_name["0201-04"],
        *(d.guid for d in index.of_class("IfcDoor") if d.dims["OverallWidth"] == pytest.approx(0.75)),
        *(r.guid for r in index.of_class("IfcRailing") if r.prop("Pset_RailingCommon", "Height") == pytest.approx(1.05)),
        *(f.guid for f in index.of_class("IfcStairFlight") if _on(index, f) == "B1"),
        next(s.guid for s in index.storeys if s.name == "6F"),
    }
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    unexpected = [(f["rule_id"], f["name"], f["storey"]) for f in failed if f["guid"] not in deliberate]
    assert unexpected == [], "the demo is meant to fail only its documented violations"
    registered = {r["rule_id"] for r in report["rules"]}
    expected = {
        "GB50096-2011-5.2.1", "GB55038-2025-4.1.1", "GB50096-2011-5.3.1", "GB55038-2025-4.1.4",
        "GB55038-2025-4.1.14", "GB55038-2025-4.1.15", "GB50096-2011-5.6.3",
    }
    assert expected & registered <= {f["rule_id"] for f in failed}
    assert len({f["guid"] for f in failed}) >= 6


# -- the file itself --------------------------------------------------------------------------
def test_global_ids_are_unique(demo_files: dict[str, Path]) -> None:
    for path in demo_files.values():
        model = ifcopenshell.open(str(path))
        guids = [e.GlobalId for e in model.by_type("IfcRoot")]
        assert len(guids) == len(set(guids))


def _has_body(entity: ifcopenshell.entity_instance) -> bool:
    shape = entity.Representation
    return shape is not None and any(r.RepresentationIdentifier == "Body" for r in shape.Representations)


def test_every_space_and_element_has_a_body(demo_files: dict[str, Path]) -> None:
    for path in demo_files.values():
        model = ifcopenshell.open(str(path))
        for entity in (*model.by_type("IfcSpace"), *model.by_type("IfcElement")):
            if entity.is_a("IfcStair"):  # an aggregate: its parts carry the geometry
                parts = [p for rel in entity.IsDecomposedBy for p in rel.RelatedObjects]
                assert parts and all(_has_body(p) for p in parts)
                continue
            assert _has_body(entity), (path.name, entity)
            assert entity.ObjectPlacement is not None


def test_millimetres_and_metres_give_the_same_si_values(demo_indexes: dict[str, ModelIndex]) -> None:
    def facts(index: ModelIndex) -> list[tuple]:
        rows = []
        for element in index:
            numbers = tuple(
                sorted(
                    (group, name, round(value, 6))
                    for sets in (element.qsets, element.psets)
                    for group, values in sets.items()
                    for name, value in values.items()
                    if isinstance(value, float)
                )
            )
            dims = tuple(sorted((k, round(v, 6)) for k, v in element.dims.items()))
            rows.append((element.ifc_class, _on(index, element), element.name, element.long_name, numbers, dims))
        return sorted(rows, key=repr)

    mm, m = facts(demo_indexes["IFC4-mm"]), facts(demo_indexes["IFC4-m"])
    assert len(mm) == len(m)
    assert mm == m


def test_the_file_is_small(demo_files: dict[str, Path]) -> None:
    assert all(path.stat().st_size < 5_000_000 for path in demo_files.values())
