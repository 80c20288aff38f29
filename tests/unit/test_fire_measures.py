"""Measurements behind the fire, civil-building and accessibility rules (measures_fire)."""

from __future__ import annotations

import math

import ifcopenshell.api.unit
import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import ModelIndex, build_index
from zhijian.domain.review import measures
from zhijian.domain.review import measures_fire as mf


def _index(b: ModelBuilder) -> ModelIndex:
    return build_index(b.file)


def _one(index: ModelIndex, cls: str, name: str):
    return next(e for e in index.of_class(cls) if e.name == name)


# -- plain values ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "metres"),
    [
        (0.9, 0.9),  # a typed length, already SI
        (900.0, 0.9),  # an untyped number above 10 can only be millimetres
        ("900", 0.9),
        ("900mm", 0.9),
        ("1.2 m", 1.2),
        ("wide", None),
        (True, None),
        (0, None),
        (None, None),
    ],
)
def test_property_values_read_as_metres(value, metres) -> None:
    assert mf.as_metres(value) == metres


def test_a_common_property_set_wins_over_an_exporter_set() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.door(storey, "D1", width=1.0, psets={"Revit_Other": {"FireExit": True}, "Pset_DoorCommon": {"FireExit": False}})
    b.door(storey, "D2", width=1.0, psets={"PSet_Revit_Type_Other": {"IsFireExit": "Yes"}})
    index = _index(b)
    assert mf.is_fire_exit(_one(index, "IfcDoor", "D1")) is False
    assert mf.is_fire_exit(_one(index, "IfcDoor", "D2")) is True


# -- doors ----------------------------------------------------------------------------------
def test_door_clear_width_is_estimated_from_the_overall_width_and_says_so() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    b.door(storey, "D1", width=1.0)
    b.door(storey, "D2", width=1.0, psets={"CN_Door": {"通行净宽": b.length(0.93)}})
    index = _index(b)
    estimated = mf.door_clear_width(_one(index, "IfcDoor", "D1"), 0.12)
    assert estimated is not None and estimated.estimated
    assert estimated.value == pytest.approx(0.88)
    assert "1 m" in estimated.note_zh and "0.12 m" in estimated.note_en
    stated = mf.door_clear_width(_one(index, "IfcDoor", "D2"))
    assert stated is not None and not stated.estimated and stated.value == pytest.approx(0.93)


def test_door_without_any_width_has_no_clear_width() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.element("IfcDoor", storey, "D1")
    assert mf.door_clear_width(_one(_index(b), "IfcDoor", "D1")) is None


def test_first_storey_exterior_exit_needs_all_three_facts() -> None:
    b = ModelBuilder()
    ground, upper = b.storey("1F", 0.0), b.storey("2F", 3.0)
    both = {"Pset_DoorCommon": {"FireExit": True, "IsExternal": True}}
    b.door(ground, "A", width=1.2, psets=both)
    b.door(upper, "B", width=1.2, psets=both)
    b.door(ground, "C", width=1.2, psets={"Pset_DoorCommon": {"FireExit": True}})
    index = _index(b)
    assert [mf.is_first_storey_exterior_exit(index, _one(index, "IfcDoor", n)) for n in "ABC"] == [True, False, False]


# -- stairs and railings --------------------------------------------------------------------
def test_a_stair_with_flights_is_checked_through_its_flights_only() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    stair = b.element("IfcStair", storey, "LT1", psets={"Pset_StairCommon": {"RiserHeight": b.length(0.16)}})
    flight = b.element("IfcStairFlight", storey, "LT1-1")
    b.aggregate(stair, [flight])
    b.element("IfcStair", storey, "LT2")  # no flights: checked itself
    index = _index(b)
    assert sorted(e.name for e in mf.stair_units(index)) == ["LT1-1", "LT2"]
    # a flight without its own values takes its stair's
    assert mf.riser_height(index, _one(index, "IfcStairFlight", "LT1-1")) == pytest.approx(0.16)


def test_riser_count_falls_back_to_the_flight_attribute() -> None:
    b = ModelBuilder(schema="IFC4")
    storey = b.storey("1F", 0.0)
    b.element("IfcStairFlight", storey, "F1", NumberOfRisers=12)
    b.element("IfcStairFlight", storey, "F2")
    index = _index(b)
    assert mf.riser_count(index, _one(index, "IfcStairFlight", "F1")) == 12
    assert mf.riser_count(index, _one(index, "IfcStairFlight", "F2")) is None


def test_narrow_residential_stair_needs_a_railing_and_a_known_low_height() -> None:
    def build(height: float | None, railing: bool) -> bool | None:
        b = ModelBuilder()
        if height is not None:
            b.add_quantities(b.building, {"Height": height}, "Qto_BuildingBaseQuantities")
        storey = b.storey("1F", 0.0)
        stair = b.element("IfcStair", storey, "LT1")
        parts = [b.stair_flight(storey, "LT1-1", riser=0.16, tread=0.27, risers=10, width=1.0)]
        if railing:
            parts.append(b.railing(storey, "R", height=0.9, predefined_type="HANDRAIL"))
        b.aggregate(stair, parts)
        index = _index(b)
        return mf.narrow_stair_allowed(index, _one(index, "IfcStairFlight", "LT1-1"))

    assert build(18.0, railing=True) is True
    assert build(18.5, railing=True) is False
    assert build(None, railing=True) is None
    assert build(12.0, railing=False) is False


def test_guards_are_typed_or_stand_at_balconies_but_handrails_never() -> None:
    b = ModelBuilder()
    storey = b.storey("2F", 3.0)
    balcony = b.space(storey, "B", "阳台", area=4.0)
    b.railing(storey, "typed", height=1.1)
    b.railing(storey, "at balcony", height=1.1, bounds=[balcony], predefined_type="NOTDEFINED")
    b.railing(storey, "handrail at balcony", height=0.9, bounds=[balcony], predefined_type="HANDRAIL")
    b.railing(storey, "loose", height=0.9, predefined_type="NOTDEFINED")
    index = _index(b)
    guards = sorted(r.name for r in index.of_class("IfcRailing") if mf.is_guard_railing(index, r))
    assert guards == ["at balcony", "typed"]


# -- ramps ----------------------------------------------------------------------------------
def test_ramp_slope_from_an_angle_in_radians_and_rise_from_length() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    b.ramp_flight(storey, "R", slope=1 / 12, width=1.2, length=6.0)
    index = _index(b)
    ramp = _one(index, "IfcRampFlight", "R")
    assert mf.ramp_slope(index, ramp) == pytest.approx(1 / 12)
    assert mf.ramp_rise(index, ramp) == pytest.approx(0.5)
    assert mf.ramp_is_accessible(index, ramp)


def test_ramp_slope_angle_follows_the_project_angle_unit() -> None:
    b = ModelBuilder()
    degree = ifcopenshell.api.unit.add_conversion_based_unit(b.file, name="degree")
    ifcopenshell.api.unit.assign_unit(b.file, units=[degree])
    storey = b.storey("1F", 0.0)
    b.element("IfcRampFlight", storey, "R", psets={"Pset_RampFlightCommon": {"Slope": math.degrees(math.atan(0.1))}})
    index = _index(b)
    assert mf.ramp_slope(index, _one(index, "IfcRampFlight", "R")) == pytest.approx(0.1)


@pytest.mark.parametrize(("text", "ratio"), [("1:12", 1 / 12), ("1：10", 0.1), ("8%", 0.08), ("steep", None)])
def test_ramp_slope_written_as_text(text: str, ratio: float | None) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.element("IfcRampFlight", storey, "R", psets={"CN_Ramp": {"坡度": text}})
    index = _index(b)
    found = mf.ramp_slope(index, _one(index, "IfcRampFlight", "R"))
    assert found == (pytest.approx(ratio) if ratio is not None else None)


def test_window_bottom_from_a_stated_sill_else_from_its_placement() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("2F", 3.0)
    b.window(storey, "placed", width=1.2, height=1.2, sill=0.9)
    b.window(storey, "stated", width=1.2, height=1.2, sill=0.0, psets={"PSet_Revit_Constraints": {"Sill Height": 1100.0}})
    index = _index(b)
    assert mf.window_bottom(index, _one(index, "IfcWindow", "placed")) == pytest.approx(0.9)
    assert mf.window_bottom(index, _one(index, "IfcWindow", "stated")) == pytest.approx(1.1)
    assert mf.window_sash_reaches_bottom(index, _one(index, "IfcWindow", "placed")) is None


# -- building and storeys -------------------------------------------------------------------
def test_building_height_stated_in_millimetres_without_a_unit() -> None:
    b = ModelBuilder(unit="mm")
    b.add_pset(b.building, "CN_Building", {"BuildingHeight": 53800.0, "主要垂直交通": "电梯"})
    b.storey("1F", 0.0)
    facts = mf.building_facts(_index(b))
    assert facts.height_m == pytest.approx(53.8)
    assert facts.taller_than(54.0) is False and facts.at_most(54.0) is True
    assert facts.elevator_primary


def test_building_height_as_an_untyped_number_up_to_1000_is_metres() -> None:
    b = ModelBuilder()
    b.add_pset(b.building, "CN_Building", {"BuildingHeight": 54.0})
    b.storey("1F", 0.0)
    assert mf.building_facts(_index(b)).height_m == pytest.approx(54.0)
    # A door or a room reads the same number as millimetres: the threshold is the only difference.
    assert mf.as_metres(54.0) == pytest.approx(0.054)
    assert [measures.property_length(v, millimetres_above=1000.0) for v in (54.0, "54 m", 53800.0, "53800mm", "x")] \
        == [54.0, 54.0, pytest.approx(53.8), pytest.approx(53.8), None]


def test_building_height_unknown_still_has_a_lower_bound_from_the_storeys() -> None:
    b = ModelBuilder()
    for level in range(20):
        b.storey(f"{level + 1}F", level * 3.0)
    facts = mf.building_facts(_index(b))
    assert facts.height_m is None and facts.top_storey_m == pytest.approx(57.0)
    assert facts.taller_than(54.0) is True  # the roof is above the top floor
    assert facts.taller_than(60.0) is None  # cannot tell
    assert not facts.elevator_primary  # no lift modelled, none stated


def test_a_modelled_lift_makes_lifts_the_main_vertical_transport() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.element("IfcTransportElement", storey, "DT1", predefined_type="ELEVATOR")
    assert mf.building_facts(_index(b)).elevator_primary


def test_storey_area_prefers_the_storey_quantity_then_space_areas() -> None:
    b = ModelBuilder(unit="mm")
    first = b.storey("1F", 0.0)
    b.add_quantities(first, {"GrossFloorArea": 812.5}, "Qto_BuildingStoreyBaseQuantities")
    second = b.storey("2F", 3.0)
    b.space(second, "201", "卧室", area=300.0)
    b.space(second, "202", "起居室", area=350.0)
    third = b.storey("3F", 6.0)
    b.space(third, "301", "卧室")  # no area
    index = _index(b)
    by_name = {s.name: s.guid for s in index.storeys}
    stated = mf.storey_area(index, by_name["1F"])
    assert stated is not None and stated.value == pytest.approx(812.5) and not stated.estimated
    summed = mf.storey_area(index, by_name["2F"])
    assert summed is not None and summed.value == pytest.approx(650.0) and summed.estimated
    assert mf.storey_area(index, by_name["3F"]) is None


def test_exits_are_the_flagged_doors_of_the_storey() -> None:
    b = ModelBuilder()
    first, second = b.storey("1F", 0.0), b.storey("2F", 3.0)
    exit_ = {"Pset_DoorCommon": {"FireExit": True}}
    b.door(first, "FM1", width=1.2, psets=exit_)
    b.door(first, "M1", width=0.9)
    b.door(second, "FM2", width=1.2, psets=exit_)
    index = _index(b)
    first_guid = next(s.guid for s in index.storeys if s.name == "1F")
    assert [d.name for d in mf.exits_on_storey(index, first_guid)] == ["FM1"]
