"""Residential measures and inference: door and space functions, storeys, fixtures, stairs,
slabs, and the advisory results of the GB 50096 / GB 55038 rules that rest on estimates."""

from __future__ import annotations

from pathlib import Path

import ifcopenshell.api.group
import ifcopenshell.api.material
import ifcopenshell.api.root
import pytest

from tests.rules.fixtures.gb50096_2011._sanitary import fixtures
from tests.rules.fixtures.gb50096_2011._stairs import stair
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.door_functions import infer_door_function
from zhijian.domain.bim.index import ModelIndex, build_index, load_index
from zhijian.domain.bim.space_functions import infer_space_function
from zhijian.domain.review import measures
from zhijian.domain.review.catalog.gb50096_2011 import bathroom_area as bathroom_50096
from zhijian.domain.review.catalog.gb50096_2011 import kitchen_area as kitchen_50096
from zhijian.domain.review.catalog.gb55038_2025 import door_clear_width, storey_height
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import select_packs
from zhijian.domain.review.rule import CheckContext, Status


def _f(name: str):
    return infer_space_function(name)


def _index(b: ModelBuilder) -> ModelIndex:
    return build_index(b.file)


def _by_name(index: ModelIndex, name: str):
    return next(e for e in index if e.name == name)


def _length(b: ModelBuilder, metres: float):
    return b.file.create_entity("IfcPositiveLengthMeasure", b.length(metres))


# -- space functions ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("Спальня", "bedroom"),
        ("Детская", "bedroom_secondary"),
        ("Гостиная", "living"),
        ("Большая комната", "living"),
        ("Кухня", "kitchen"),
        ("Кухня-столовая", "kitchen"),
        ("Санузел", "bathroom"),
        ("С/У", "bathroom"),
        ("Ванная", "bathroom"),
        ("Прихожая", "entrance_hall"),
        ("Тамбур", "entrance_hall"),
        ("Холл", "corridor"),
        ("Коридор", "corridor"),
        ("Кладовая", "storage"),
        ("Гараж", "garage"),
        ("Waschküche", "utility"),
        ("Utility", "utility"),
        ("单元门厅", "entrance_lobby"),
        ("入户花园", "balcony"),
        ("Bad", "bathroom"),
    ],
)
def test_space_names_in_several_languages_give_their_function(name: str, function: str) -> None:
    found = infer_space_function(name)
    assert found is not None and found.function == function


@pytest.mark.parametrize("name", ["Комната", "Room", "Galerie", "Badminton", "Roof"])
def test_generic_or_unrelated_space_names_give_no_function(name: str) -> None:
    assert infer_space_function(name) is None


def test_xbim_house_russian_rooms_are_recognised(shared_ifc_dir: Path) -> None:
    index = load_index(shared_ifc_dir / "Xbim_House.ifc")
    functions = {s.label: s.function.function if s.function else None for s in index.spaces()}
    assert functions["С/У"] == "bathroom"
    assert functions["Прихожая"] == "entrance_hall"
    assert functions["Холл"] == "corridor"
    assert functions["Студия-гостиная"] == "living"
    assert functions["Комната"] is None  # a bare "room" is not guessed to be a bedroom


# -- door functions -------------------------------------------------------------------------
def _door(names: list[str | None], *spaces: str) -> str | None:
    inference = infer_door_function(names, [_f(s) for s in spaces])
    return inference.door.function if inference else None


def test_door_between_corridor_and_bedroom_is_a_bedroom_door() -> None:
    assert _door([], "过道", "主卧") == "bedroom"


def test_door_between_bedroom_and_its_bathroom_is_the_bathroom_door() -> None:
    assert _door([], "主卧", "主卫") == "bathroom"


def test_door_between_public_corridor_and_dwelling_is_the_entrance_door() -> None:
    assert _door([], "公共走廊", "玄关") == "dwelling_entrance"
    assert _door([], "楼梯间", "客厅") == "dwelling_entrance"


def test_door_between_stairwell_and_plant_room_is_not_a_dwelling_door() -> None:
    assert _door([], "楼梯间", "水泵房") is None


def test_two_known_spaces_win_over_the_door_name() -> None:
    assert _door(["厨房门"], "过道", "卧室") == "bedroom"


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("入户门", "dwelling_entrance"),
        ("防盗门 FDM1021", "dwelling_entrance"),
        ("Haustuer", "dwelling_entrance"),
        ("单元门", "common_entrance"),
        ("卧室门 M0921", "bedroom"),
        ("卫生间门", "bathroom"),
        ("Terrassentuer", "balcony"),
        ("Кухонная дверь", "kitchen"),
    ],
)
def test_door_name_decides_when_spaces_are_unknown(name: str, function: str) -> None:
    assert _door([name]) == function
    assert _door([name], "Flur") == function  # one bounded space of no door function either


def test_door_into_an_entrance_hall_alone_is_the_entrance_door() -> None:
    assert _door(["M1021"], "Foyer") == "dwelling_entrance"


def test_unknown_door_has_no_function() -> None:
    assert _door(["M0921"]) is None
    assert _door([None], "公共走廊") is None


def test_door_inference_says_how_it_was_made() -> None:
    inference = infer_door_function(["卧室门"], [])
    assert inference is not None and inference.basis == "name"
    zh, en = inference.describe()
    assert "卧室门" in zh and "名称" in zh and "name" in en


def test_duplex_doors_are_read_from_their_rooms(shared_ifc_dir: Path) -> None:
    index = load_index(shared_ifc_dir / "duplex.ifc")
    functions: dict[str, set] = {}
    for door in index.of_class("IfcDoor"):
        inference = measures.door_function(index, door)
        rooms = " + ".join(sorted(s.label for s in index.bounded_spaces(door.guid)))
        functions.setdefault(rooms, set()).add(inference.door.function if inference else None)
    assert functions["Bedroom 1 + Hallway"] == {"bedroom"}
    assert functions["Bathroom 2 + Hallway"] == {"bathroom"}
    assert functions["Bathroom 1 + Foyer"] == {"bathroom"}
    assert functions["Foyer"] == {"dwelling_entrance"}  # exterior door into the entrance hall


# -- storeys --------------------------------------------------------------------------------
def _tower(b: ModelBuilder, elevations: list[float], rooms: bool = True) -> None:
    for position, elevation in enumerate(elevations):
        storey = b.storey(f"{position + 1}F", elevation)
        if rooms:
            b.space(storey, f"{position + 1}01", "卧室", area=12.0)
    b.storey("Roof", elevations[-1] + 3.0)


def test_storey_height_is_the_difference_of_consecutive_elevations() -> None:
    b = ModelBuilder(unit="mm")
    _tower(b, [0.0, 3.1, 5.9])
    index = _index(b)
    heights = {s.name: measures.storey_height(index, s) for s in index.storeys}
    assert heights["1F"] == pytest.approx(3.1)
    assert heights["2F"] == pytest.approx(2.8)
    assert heights["Roof"] is None


def test_only_storeys_with_dwelling_rooms_are_dwelling_storeys() -> None:
    b = ModelBuilder()
    _tower(b, [0.0, 3.0])
    shop = b.storey("0F", -3.0)
    b.space(shop, "B01", "车库", area=50.0)
    index = _index(b)
    dwelling = {s.name for s in index.storeys if measures.is_dwelling_storey(index, s)}
    assert dwelling == {"1F", "2F"}


def test_without_rooms_the_top_storey_is_taken_for_the_roof() -> None:
    b = ModelBuilder()
    _tower(b, [0.0, 3.0], rooms=False)
    index = _index(b)
    dwelling = {s.name for s in index.storeys if measures.is_dwelling_storey(index, s)}
    assert dwelling == {"1F", "2F"}


def test_roof_levels_do_not_count_as_storeys() -> None:
    b = ModelBuilder()
    _tower(b, [0.0, 3.0, 6.0, 9.0, 12.0, 15.0])
    b.storey("屋面机房层", 21.0)
    index = _index(b)
    assert measures.residential_storey_count(index) == 6
    assert measures.highest_entrance_elevation(index) == pytest.approx(15.0)


def test_a_top_dwelling_storey_without_a_storey_above_is_missing_data() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "101", "卧室", area=12.0)
    outcomes = list(storey_height.RULE.evaluate(CheckContext(_index(b))))
    assert [o.status for o in outcomes] == [Status.MISSING_DATA]
    assert "no storey above" in outcomes[0].message_en


def test_storey_height_of_existing_buildings_is_not_checked() -> None:
    b = ModelBuilder()
    _tower(b, [0.0, 2.8])
    outcomes = list(storey_height.RULE.evaluate(CheckContext(_index(b), new_build=False)))
    assert {o.status for o in outcomes} == {Status.NOT_APPLICABLE}


def test_storey_findings_name_the_storey_in_the_report() -> None:
    b = ModelBuilder()
    _tower(b, [0.0, 2.7])
    report = run_review(_index(b), select_packs(["gb50096-2011", "gb55038-2025"]))
    storey_findings = [f for f in report["findings"] if f["ifc_class"] == "IfcBuildingStorey"]
    assert {(f["rule_id"], f["name"], f["advisory"]) for f in storey_findings} == {
        ("GB50096-2011-5.5.1", "1F", True),  # 宜: advice
        ("GB55038-2025-4.1.2-storey-height", "1F", False),
    }
    assert all(f["storey"] == "1F" for f in storey_findings)


# -- bathrooms and kitchens -----------------------------------------------------------------
def test_sanitary_fixtures_unknown_when_none_is_linked_to_a_space() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "101", "卫生间", area=2.0)
    index = _index(b)
    assert measures.sanitary_kinds(index, _by_name(index, "101")) is None
    outcome = next(iter(bathroom_50096.RULE.evaluate(CheckContext(index))))
    assert outcome.status is Status.FAIL and outcome.advisory
    assert "三件" in outcome.message_zh and "links no sanitary fixtures" in outcome.message_en


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3"])
def test_sanitary_fixtures_are_counted_per_space(schema: str) -> None:
    b = ModelBuilder(schema=schema)
    storey = b.storey("1F", 0.0)
    main = b.space(storey, "101", "主卫", area=4.0)
    guest = b.space(storey, "102", "客卫", area=1.5)
    fixtures(b, storey, main, "TOILETPAN", "WASHHANDBASIN", "SHOWER")
    fixtures(b, storey, guest, "TOILETPAN")
    index = _index(b)
    assert measures.sanitary_kinds(index, _by_name(index, "101")) == {"toilet", "basin", "bathing"}
    assert measures.has_three_fixtures(index, _by_name(index, "101")) is True
    assert measures.has_three_fixtures(index, _by_name(index, "102")) is False


def test_kitchen_of_a_minimum_dwelling_needs_3_5_m2_only_when_the_dwelling_is_grouped() -> None:
    def build(grouped: bool) -> list:
        b = ModelBuilder()
        storey = b.storey("1F", 0.0)
        spaces = [b.space(storey, "101", "兼起居卧室", area=15.0), b.space(storey, "102", "厨房", area=3.6)]
        if grouped:
            zone = ifcopenshell.api.root.create_entity(b.file, ifc_class="IfcZone", name="101户")
            ifcopenshell.api.group.assign_group(b.file, products=spaces, group=zone)
        return [o.status for o in kitchen_50096.RULE.evaluate(CheckContext(_index(b)))]

    assert build(grouped=True) == [Status.PASS]
    assert build(grouped=False) == [Status.FAIL]  # dwelling type unknown: the ordinary 4.0 m²


def test_fire_compartment_zones_are_not_dwellings() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    kitchen = b.space(storey, "102", "厨房", area=3.6)
    zone = ifcopenshell.api.root.create_entity(b.file, ifc_class="IfcZone", name="防火分区1")
    ifcopenshell.api.group.assign_group(b.file, products=[kitchen], group=zone)
    index = _index(b)
    assert measures.dwelling_zone_functions(index, _by_name(index, "102")) is None


# -- doors ----------------------------------------------------------------------------------
def test_stated_clear_width_wins_over_the_estimate() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    stated = b.door(storey, "卧室门", width=0.90)
    b.add_pset(stated, "Zhijian_Door", {"通行净宽": _length(b, 0.82)})
    b.door(storey, "厨房门", width=0.90)
    index = _index(b)
    assert measures.door_clear_width(_by_name(index, "卧室门"), 0.10) == (pytest.approx(0.82), False)
    assert measures.door_clear_width(_by_name(index, "厨房门"), 0.10) == (pytest.approx(0.80), True)


def test_estimated_clear_width_results_are_advisory_and_say_so() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.door(storey, "卧室门", width=0.85)  # 0.75 m estimated: fails 0.80
    stated = b.door(storey, "卫生间门", width=0.85)
    b.add_pset(stated, "Zhijian_Door", {"ClearWidth": _length(b, 0.65)})
    index = _index(b)
    outcomes = {index.elements[o.guid].name: o for o in door_clear_width.RULE.evaluate(CheckContext(index))}
    estimated, measured = outcomes["卧室门"], outcomes["卫生间门"]
    assert estimated.status is Status.FAIL and estimated.advisory
    assert "估算" in estimated.message_zh and "estimated" in estimated.message_en
    assert measured.status is Status.FAIL and not measured.advisory
    assert "估算" not in measured.message_zh


def test_estimated_failures_do_not_count_as_mandatory_failures() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.door(storey, "卧室门", width=0.85)
    report = run_review(_index(b), select_packs(["gb55038-2025"]))
    assert report["summary"]["failed"] == 1
    assert report["summary"]["mandatory_failed"] == 0
    assert report["findings"][0]["advisory"] is True


def test_existing_buildings_allow_0_80_m_entrance_doors() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    door = b.door(storey, "入户门", width=0.95)
    b.add_pset(door, "Zhijian_Door", {"ClearWidth": _length(b, 0.85)})
    index = _index(b)
    new = next(iter(door_clear_width.RULE.evaluate(CheckContext(index))))
    existing = next(iter(door_clear_width.RULE.evaluate(CheckContext(index, new_build=False))))
    assert (new.status, new.required) == (Status.FAIL, 0.90)
    assert (existing.status, existing.required) == (Status.PASS, 0.80)


# -- corridors ------------------------------------------------------------------------------
def test_a_passage_is_classed_by_the_rooms_its_doors_open_into() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "玄关", "玄关")
    to_bed = b.space(storey, "过道1", "过道")
    to_bath = b.space(storey, "过道2", "过道")
    b.space(storey, "过道3", "过道")
    b.door(storey, "M1", width=0.9, between=[to_bed, b.space(storey, "卧室", "卧室")])
    b.door(storey, "M2", width=0.8, between=[to_bath, b.space(storey, "卫生间", "卫生间")])
    b.door(storey, "M3", width=0.8, between=[to_bath, b.space(storey, "储藏", "储藏室")])
    index = _index(b)
    kinds = {n: measures.dwelling_corridor_kind(index, _by_name(index, n)) for n in ("玄关", "过道1", "过道2", "过道3")}
    assert kinds == {"玄关": "entrance", "过道1": "rooms", "过道2": "service", "过道3": None}


def test_corridor_width_from_a_stated_clear_width_or_width_else_missing() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    stated = b.space(storey, "A", "过道")
    b.add_pset(stated, "Zhijian_Space", {"净宽": _length(b, 1.05)})
    quantity = b.space(storey, "B", "过道")
    b.add_quantities(quantity, {"Width": 1.2}, qto_name="Zhijian_Qto")
    b.space(storey, "C", "过道")
    index = _index(b)
    assert measures.space_width(index, _by_name(index, "A")) == pytest.approx(1.05)
    assert measures.space_width(index, _by_name(index, "B")) == pytest.approx(1.2)
    assert measures.space_width(index, _by_name(index, "C")) is None


# -- stairs ---------------------------------------------------------------------------------
def test_stated_stair_clear_width_wins_over_the_flight_width() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    stair(b, storey, "LT1", width=1.30, clear_width=1.05)
    stair(b, storey, "LT2", width=1.20)
    index = _index(b)
    assert measures.stair_width(index, _by_name(index, "LT1-1")) == (pytest.approx(1.05), False)
    assert measures.stair_width(index, _by_name(index, "LT2-1")) == (pytest.approx(1.20), True)


def test_stair_location_stated_by_space_or_name_else_presumed() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    well = b.space(storey, "LT", "楼梯间")
    flight = stair(b, storey, "LT1")
    b.bound(well, flight)
    stair(b, storey, "套内楼梯")
    stair(b, storey, "ST")
    index = _index(b)
    located = {n: measures.stair_location(index, _by_name(index, n)) for n in ("LT1-1", "套内楼梯-1", "ST-1")}
    presumed = {n: measures.stair_location_presumed(index, _by_name(index, n)) for n in located}
    assert located == {"LT1-1": "public", "套内楼梯-1": "dwelling", "ST-1": "public"}
    assert presumed == {"LT1-1": False, "套内楼梯-1": False, "ST-1": True}


def test_a_house_without_stairwell_presumes_its_stairs_inside_the_dwelling() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "101", "客厅", area=20.0)
    stair(b, storey, "ST")
    index = _index(b)
    assert measures.stair_location(index, _by_name(index, "ST-1")) == "dwelling"
    notes = measures.stair_notes(index, _by_name(index, "ST-1"))
    assert notes is not None and "套内" in notes[0]


def test_stair_values_fall_back_to_the_stair_and_ignore_zero() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    whole = b.element("IfcStair", storey, "ST", psets={"Pset_StairCommon": {"RiserHeight": b.length(0.17), "TreadLength": b.length(0.27)}})
    flight = b.element("IfcStairFlight", storey, "ST-1", psets={"Pset_StairFlightCommon": {"RiserHeight": 0.0}})
    b.aggregate(whole, [flight])
    index = _index(b)
    assert measures.stair_riser(_by_name(index, "ST-1"), index) == pytest.approx(0.17)
    assert measures.stair_tread(_by_name(index, "ST-1"), index) == pytest.approx(0.27)
    assert not measures.is_stair_unit(index, _by_name(index, "ST"))


# -- slabs ----------------------------------------------------------------------------------
def _layered(b: ModelBuilder, slab, layers: list[tuple[str, float]]) -> None:
    layer_set = ifcopenshell.api.material.add_material_set(b.file, name="slab", set_type="IfcMaterialLayerSet")
    for name, thickness in layers:
        material = ifcopenshell.api.material.add_material(b.file, name=name)
        layer = ifcopenshell.api.material.add_layer(b.file, layer_set=layer_set, material=material)
        ifcopenshell.api.material.edit_layer(b.file, layer=layer, attributes={"LayerThickness": b.length(thickness)})
    ifcopenshell.api.material.assign_material(b.file, products=[slab], type="IfcMaterialLayerSet", material=layer_set)


@pytest.mark.parametrize(("schema", "unit"), [("IFC4", "mm"), ("IFC2X3", "m")])
def test_slab_thickness_counts_concrete_layers_only(schema: str, unit: str) -> None:
    b = ModelBuilder(schema=schema, unit=unit)
    storey = b.storey("1F", 0.0)
    layered = b.element("IfcSlab", storey, "A", predefined_type="FLOOR", quantities={"Width": 0.2})
    _layered(b, layered, [("Concrete, Sand/Cement Screed", 0.05), ("Insulation", 0.03), ("C30 混凝土", 0.12)])
    b.element("IfcSlab", storey, "B", predefined_type="FLOOR", quantities={"Width": 0.11})
    timber = b.element("IfcSlab", storey, "C", predefined_type="FLOOR")
    _layered(b, timber, [("Wood - Dimensional Lumber", 0.2)])
    index = _index(b)
    assert measures.slab_thickness(index, _by_name(index, "A")) == pytest.approx(0.12)
    assert measures.slab_thickness(index, _by_name(index, "B")) == pytest.approx(0.11)
    assert measures.slab_is_concrete(index, _by_name(index, "A")) is True
    assert measures.slab_is_concrete(index, _by_name(index, "B")) is None
    assert measures.slab_is_concrete(index, _by_name(index, "C")) is False


def test_slab_thickness_from_volume_over_area_then_a_small_depth() -> None:
    b = ModelBuilder(unit="mm")
    storey = b.storey("1F", 0.0)
    b.element("IfcSlab", storey, "V", predefined_type="FLOOR", quantities={"NetVolume": 12.0, "NetArea": 100.0, "Depth": 8.0})
    b.element("IfcSlab", storey, "D", predefined_type="FLOOR", quantities={"Depth": 0.09})
    b.element("IfcSlab", storey, "L", predefined_type="FLOOR", quantities={"Depth": 6.0})
    index = _index(b)
    assert measures.slab_thickness(index, _by_name(index, "V")) == pytest.approx(0.12)
    assert measures.slab_thickness(index, _by_name(index, "D")) == pytest.approx(0.09)
    assert measures.slab_thickness(index, _by_name(index, "L")) is None  # 6 m is a plan size


def test_xbim_slab_thickness_from_its_reinforced_concrete_layer(shared_ifc_dir: Path) -> None:
    index = load_index(shared_ifc_dir / "Xbim_House.ifc")
    floors = [s for s in index.of_class("IfcSlab") if s.predefined_type == "FLOOR"]
    thicknesses = {round(measures.slab_thickness(index, s) or 0, 3) for s in floors if measures.slab_is_concrete(index, s)}
    assert thicknesses and all(t > 0 for t in thicknesses)


# -- railings -------------------------------------------------------------------------------
def test_balcony_railings_are_found_by_space_or_name_and_handrails_are_not() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    balcony = b.space(storey, "阳台", "阳台")
    b.railing(storey, "LG1", height=1.1, bounds=[balcony])
    b.railing(storey, "Balkongeländer", height=1.1)
    b.railing(storey, "阳台扶手", height=0.9, predefined_type="HANDRAIL")
    b.railing(storey, "楼梯栏杆", height=0.9)
    index = _index(b)
    found = {r.name for r in index.of_class("IfcRailing") if measures.is_balcony_railing(index, r)}
    assert found == {"LG1", "Balkongeländer"}
