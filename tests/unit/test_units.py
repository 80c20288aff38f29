"""Every value leaves the index in SI, whatever units and schema the model was written in."""

from __future__ import annotations

from typing import Any

import ifcopenshell
import ifcopenshell.guid
import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import ModelIndex, build_index


def _building(schema: str, unit: str) -> ModelBuilder:
    """One small dwelling storey; every size is given in metres and written in ``unit``."""
    b = ModelBuilder(schema=schema, unit=unit)
    ground = b.storey("1F", 0.0, height=3.0)
    upper = b.storey("2F", 3.0)
    basement = b.storey("B1", -3.2)
    bedroom = b.space(
        ground, "101", "主卧", area=12.5, height=2.8, finish_ceiling_height=2.7,
        quantities={"GrossFloorArea": 13.1, "NetVolume": 35.0},
    )
    living = b.space(ground, "102", "客厅", area=20.25, height=2.8)
    b.space(basement, "B01", "储藏", area=6.0, height=2.4)
    wall = b.element(
        "IfcWall", ground, "W1",
        quantities={"Length": 4.0, "Width": 0.2, "Height": 2.9, "NetSideArea": 11.6, "NetVolume": 2.32},
        psets={"Pset_WallCommon": {"IsExternal": True, "FireRating": "2.00h"}},
    )
    b.door(
        ground, "M1", width=0.9, height=2.1, between=[bedroom, living],
        quantities={"Width": 0.9, "Height": 2.1, "Area": 1.89},
    )
    b.window(ground, "C1", width=1.5, height=1.8, sill=0.9)
    b.railing(upper, "R1", height=1.1)
    b.stair_flight(ground, "F1", riser=0.16, tread=0.27, risers=18, width=1.2)
    b.element(
        "IfcSlab", upper, "B1", predefined_type="FLOOR",
        quantities={"Depth": 0.12, "NetArea": 40.0, "NetVolume": 4.8},
    )
    assert wall is not None
    return b


def _by_name(index: ModelIndex) -> dict[str, Any]:
    return {e.name: e for e in index}


def _flat(sets: dict[str, dict[str, Any]], *, by_set: bool = True) -> dict[Any, Any]:
    return {(name if by_set else "", key): value for name, values in sets.items() for key, value in values.items()}


def _same(a: dict[Any, Any], b: dict[Any, Any]) -> None:
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, float):
            assert b[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
        else:
            assert b[key] == value, key


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3", "IFC4X3"])
def test_millimetre_and_metre_models_give_identical_si_values(schema: str) -> None:
    in_mm = build_index(_building(schema, "mm").file)
    in_m = build_index(_building(schema, "m").file)
    assert in_mm.units.length_unit == "MILLIMETRE" and in_m.units.length_unit == "METRE"
    mm, m = _by_name(in_mm), _by_name(in_m)
    assert mm.keys() == m.keys()
    for name in mm:
        _same(_flat(m[name].psets), _flat(mm[name].psets))
        _same(_flat(m[name].qsets), _flat(mm[name].qsets))
        _same(m[name].dims, mm[name].dims)
    assert [(s.name, s.elevation_m) for s in in_mm.storeys] == [(s.name, s.elevation_m) for s in in_m.storeys]


def test_values_are_si_whatever_the_unit() -> None:
    for unit in ("mm", "m"):
        elements = _by_name(build_index(_building("IFC4", unit).file))
        bedroom, wall, door = elements["101"], elements["W1"], elements["M1"]
        assert bedroom.quantity("NetFloorArea") == pytest.approx(12.5)
        assert bedroom.quantity("NetVolume") == pytest.approx(35.0)
        assert bedroom.quantity("FinishCeilingHeight") == pytest.approx(2.7)
        assert wall.quantity("NetSideArea") == pytest.approx(11.6)
        assert wall.quantity("NetVolume") == pytest.approx(2.32)
        assert door.dims == pytest.approx({"OverallWidth": 0.9, "OverallHeight": 2.1})
        assert elements["R1"].prop("Pset_RailingCommon", "Height") == pytest.approx(1.1)


def test_ifc2x3_base_quantities_match_the_ifc4_quantity_sets() -> None:
    ifc4 = _by_name(build_index(_building("IFC4", "mm").file))
    ifc2x3 = _by_name(build_index(_building("IFC2X3", "mm").file))
    assert "BaseQuantities" in ifc2x3["101"].qsets and "Qto_SpaceBaseQuantities" in ifc4["101"].qsets
    for name in ifc4:
        _same(_flat(ifc4[name].qsets, by_set=False), _flat(ifc2x3[name].qsets, by_set=False))
        shared_dims = ifc4[name].dims.keys() & ifc2x3[name].dims.keys()
        _same({k: ifc4[name].dims[k] for k in shared_dims}, {k: ifc2x3[name].dims[k] for k in shared_dims})
    assert ifc2x3["101"].quantity("NetFloorArea", "Qto_SpaceBaseQuantities") == pytest.approx(12.5)


def test_storeys_are_sorted_by_elevation_in_metres() -> None:
    index = build_index(_building("IFC4", "mm").file)
    assert [(s.name, s.elevation_m, s.above_ground_index) for s in index.storeys] == [
        ("B1", -3.2, None),
        ("1F", 0.0, 1),
        ("2F", 3.0, 2),
    ]


def _set_unit_prefix(model: ifcopenshell.file, unit_type: str, prefix: str | None) -> None:
    (assignment,) = model.by_type("IfcUnitAssignment")
    for unit in assignment.Units:
        if unit.is_a("IfcSIUnit") and unit.UnitType == unit_type:
            unit.Prefix = prefix


def _add_raw_sets(model: ifcopenshell.file, product: ifcopenshell.entity_instance) -> None:
    """Quantities and properties written as raw numbers, in whatever the file's units are."""
    quantities = [
        model.create_entity("IfcQuantityArea", Name="NetFloorArea", AreaValue=12.5),
        model.create_entity("IfcQuantityLength", Name="Height", LengthValue=2800.0),
        model.create_entity("IfcQuantityVolume", Name="NetVolume", VolumeValue=35.0),
    ]
    qto = model.create_entity(
        "IfcElementQuantity", GlobalId=ifcopenshell.guid.new(), Name="Qto_SpaceBaseQuantities", Quantities=quantities
    )
    props = [
        model.create_entity("IfcPropertySingleValue", Name="GrossPlannedArea", NominalValue=model.create_entity("IfcAreaMeasure", 13.0)),
        model.create_entity("IfcPropertySingleValue", Name="Reference", NominalValue=model.create_entity("IfcIdentifier", "B-101")),
    ]
    pset = model.create_entity("IfcPropertySet", GlobalId=ifcopenshell.guid.new(), Name="Pset_SpaceCommon", HasProperties=props)
    for definition in (qto, pset):
        model.create_entity(
            "IfcRelDefinesByProperties", GlobalId=ifcopenshell.guid.new(), RelatedObjects=[product],
            RelatingPropertyDefinition=definition,
        )


def test_square_metre_areas_in_a_millimetre_model_are_not_scaled_again() -> None:
    # Revit exports: LENGTHUNIT mm, but AREAUNIT m² and VOLUMEUNIT m³.
    b = ModelBuilder(schema="IFC4", unit="mm")
    space = b.space(b.storey("1F", 0.0), "101", "卧室")
    _set_unit_prefix(b.file, "AREAUNIT", None)
    _set_unit_prefix(b.file, "VOLUMEUNIT", None)
    _add_raw_sets(b.file, space)
    index = build_index(b.file)
    assert (index.units.length, index.units.area, index.units.volume) == (0.001, 1.0, 1.0)
    (element,) = index.spaces()
    assert element.quantity("NetFloorArea") == pytest.approx(12.5)
    assert element.quantity("Height") == pytest.approx(2.8)
    assert element.quantity("NetVolume") == pytest.approx(35.0)
    assert element.prop("Pset_SpaceCommon", "GrossPlannedArea") == pytest.approx(13.0)
    assert element.prop("Pset_SpaceCommon", "Reference") == "B-101"


def test_unassigned_area_and_volume_units_follow_the_length_unit() -> None:
    b = ModelBuilder(schema="IFC4", unit="mm")
    space = b.space(b.storey("1F", 0.0), "101", "卧室")
    (assignment,) = b.file.by_type("IfcUnitAssignment")
    assignment.Units = [u for u in assignment.Units if u.UnitType not in ("AREAUNIT", "VOLUMEUNIT")]
    _add_raw_sets(b.file, space)
    (element,) = build_index(b.file).spaces()
    assert element.quantity("NetFloorArea") == pytest.approx(12.5e-6)  # 12.5 mm²
    assert element.quantity("NetVolume") == pytest.approx(35.0e-9)  # 35 mm³
    assert element.quantity("Height") == pytest.approx(2.8)
