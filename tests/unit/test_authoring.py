"""ModelBuilder writes valid models with geometry in every schema and unit."""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.placement
import numpy as np
import pytest
from shapely.geometry import Polygon

from zhijian.domain.bim.authoring import ModelBuilder, stair_profile
from zhijian.domain.bim.index import ModelIndex, load_index

SCHEMAS = ["IFC2X3", "IFC4", "IFC4X3"]
VARIANTS = [(schema, unit) for schema in SCHEMAS for unit in ("mm", "m")]


def _reopen(builder: ModelBuilder, tmp_path: Path) -> ModelIndex:
    return load_index(builder.save(tmp_path / f"{builder.schema}-{builder.unit}.ifc"))


def _world_verts(entity: ifcopenshell.entity_instance) -> np.ndarray:
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    shape = ifcopenshell.geom.create_shape(settings, entity)
    return np.asarray(shape.geometry.verts).reshape(-1, 3)


@pytest.mark.parametrize(("schema", "unit"), VARIANTS)
def test_bodies_land_where_they_are_placed_in_metres(schema: str, unit: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit=unit)
    storey = b.storey("2F", 3.0)
    wall = b.element("IfcWall", storey, "W", x=1.0, y=2.0, rotation=90, size=(5.0, 0.2, 2.8))
    space = b.space(storey, "0201-01", "主卧", x=1.0, y=2.0, size=(4.0, 3.0, 2.8))
    slab = b.element("IfcSlab", storey, "板", footprint=[(0, 0), (6, 0), (6, 4), (0, 4)], body_height=0.13, body_offset=(0, 0, -0.13))
    index = _reopen(b, tmp_path)
    model = index.ifc
    lo, hi = _world_verts(model.by_guid(wall.GlobalId)).min(0), _world_verts(model.by_guid(wall.GlobalId)).max(0)
    assert lo == pytest.approx((0.8, 2.0, 3.0)) and hi == pytest.approx((1.0, 7.0, 5.8))  # Y runs to −X
    verts = _world_verts(model.by_guid(space.GlobalId))
    assert verts.min(0) == pytest.approx((1.0, 2.0, 3.0)) and verts.max(0) == pytest.approx((5.0, 5.0, 5.8))
    verts = _world_verts(model.by_guid(slab.GlobalId))
    assert verts[:, 2].min() == pytest.approx(2.87) and verts[:, 2].max() == pytest.approx(3.0)
    assert index.elevation_of(wall.GlobalId) == pytest.approx(3.0)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_quantities_are_written_in_file_units_and_read_in_si(schema: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit="mm")
    storey = b.storey("1F", 0.0)
    wall = b.element("IfcWall", storey, "W", quantities={"Length": 4.0, "NetSideArea": 11.2})
    b.add_quantities(wall, {"NetVolume": 2.24})  # joins the same set
    index = _reopen(b, tmp_path)
    (qset,) = index.elements[wall.GlobalId].qsets.values()
    assert qset == {"Length": pytest.approx(4.0), "NetSideArea": pytest.approx(11.2), "NetVolume": pytest.approx(2.24)}
    raw = {q.Name: q[3] for q in index.ifc.by_type("IfcPhysicalSimpleQuantity")}
    assert raw == {"Length": 4000.0, "NetSideArea": pytest.approx(11.2e6), "NetVolume": pytest.approx(2.24e9)}


@pytest.mark.parametrize("schema", SCHEMAS)
def test_property_sets_follow_the_templates(schema: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit="mm")
    storey = b.storey("8F", 20.9)
    railing = b.railing(storey, "阳台栏杆", height=1.05, length=4.2)
    b.add_pset(railing, "CN_Prefab", {"是否预制": "否", "层数": 8, "IsExternal": True})
    index = _reopen(b, tmp_path)
    element = index.elements[railing.GlobalId]
    assert element.prop("Pset_RailingCommon", "Height") == pytest.approx(1.05)  # a length, scaled
    assert element.psets["CN_Prefab"] == {"是否预制": "否", "层数": 8, "IsExternal": True}
    height = next(p for p in index.ifc.by_type("IfcPropertySingleValue") if p.Name == "Height")
    assert height.NominalValue.is_a("IfcPositiveLengthMeasure")
    assert index.derived_quantity(railing.GlobalId, "Height") == pytest.approx(1.05)


def test_enumerated_properties_go_through_the_api(tmp_path: Path) -> None:
    b = ModelBuilder(schema="IFC4")
    storey = b.storey("1F", 0.0)
    railing = b.railing(storey, "R", height=1.2)
    b.add_pset(railing, "Pset_RailingCommon", {"Status": "NEW"})
    index = _reopen(b, tmp_path)
    element = index.elements[railing.GlobalId]
    assert element.prop("Pset_RailingCommon", "Status") == "NEW"
    assert element.prop("Pset_RailingCommon", "Height") == pytest.approx(1.2)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_types_carry_property_sets_and_materials(schema: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema)
    storey = b.storey("3F", 6.0)
    wall_type = b.element_type(
        "IfcWallType", "预制剪力墙外墙板", predefined_type="SHEAR",
        psets={"Pset_WallCommon": {"LoadBearing": True}}, material="C30混凝土", material_category="concrete",
    )
    walls = [b.element("IfcWall", storey, f"YWQ-{i}", predefined_type="PRECAST", size=(3, 0.2, 2.87)) for i in range(3)]
    for wall in walls:
        b.assign_type(wall, wall_type)
    index = _reopen(b, tmp_path)
    for wall in walls:
        element = index.elements[wall.GlobalId]
        assert element.type_name == "预制剪力墙外墙板"
        assert element.prop("Pset_WallCommon", "LoadBearing") is True
        assert element.materials == ("C30混凝土",)
        assert element.object_type == "PRECAST"
    assert len(index.ifc.by_type("IfcRelDefinesByType")) == 1


@pytest.mark.parametrize("schema", SCHEMAS)
def test_doors_fill_openings_and_voids_cut_walls(schema: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit="mm")
    storey = b.storey("1F", 0.0)
    wall = b.element("IfcWall", storey, "W", x=0, y=-0.1, size=(4.0, 0.2, 2.87))
    door = b.door(storey, "卧室门", width=0.9, thickness=0.2, x=1.0, y=-0.1)
    b.fill_opening(wall, door, width=0.9, height=2.1, depth=0.2)
    b.void(wall, storey, "电梯门洞", x=2.5, y=-0.1, width=0.9, height=2.1, depth=0.2)
    index = _reopen(b, tmp_path)
    assert index.host_of[door.GlobalId] == wall.GlobalId
    assert len(index.ifc.by_type("IfcRelVoidsElement")) == 2
    assert index.derived_quantity(wall.GlobalId, "NetVolume") == pytest.approx(4.0 * 0.2 * 2.87 - 2 * 0.9 * 2.1 * 0.2)
    opening = index.ifc.by_type("IfcRelFillsElement")[0].RelatingOpeningElement
    assert opening.ObjectPlacement.PlacementRelTo == index.ifc.by_guid(wall.GlobalId).ObjectPlacement


def test_a_flight_is_drawn_step_by_step() -> None:
    profile = stair_profile(0.15, 0.26, 10, 0.12)
    polygon = Polygon(profile)
    assert polygon.is_valid
    run, top = 9 * 0.26, 9 * 0.15  # the tenth riser is the landing's edge
    xs, zs = zip(*profile, strict=True)
    assert (min(xs), max(xs), max(zs)) == (pytest.approx(0.0), pytest.approx(run), pytest.approx(top))
    steps = 9 * 0.26 * 0.15 / 2  # the step triangles above the line of inner corners
    waist = 0.12 * np.hypot(run, top)  # a 120 mm slab along that line
    assert polygon.area == pytest.approx(steps + waist, rel=1e-3)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_stair_flight_has_its_steps_in_psets_and_in_ifc2x3_attributes(schema: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit="mm")
    storey = b.storey("B1", -3.6)
    flight = b.stair_flight(storey, "梯段", riser=0.18, tread=0.26, risers=10, width=1.25, body=True)
    index = _reopen(b, tmp_path)
    element = index.elements[flight.GlobalId]
    assert element.prop("Pset_StairFlightCommon", "RiserHeight") == pytest.approx(0.18)
    assert element.prop("Pset_StairFlightCommon", "NumberOfRiser") == 10
    if schema == "IFC2X3":
        assert element.dims["RiserHeight"] == pytest.approx(0.18)
    verts = _world_verts(index.ifc.by_guid(flight.GlobalId))
    assert verts[:, 2].max() == pytest.approx(-3.6 + 9 * 0.18)  # its last tread


def test_spaces_and_elements_share_one_owner_history(tmp_path: Path) -> None:
    b = ModelBuilder(schema="IFC2X3")
    storey = b.storey("1F", 0.0)
    walls = [b.element("IfcWall", storey, f"W{i}", size=(1, 0.2, 1)) for i in range(5)]
    assert len({w.OwnerHistory.id() for w in walls}) == 1
    index = _reopen(b, tmp_path)
    assert all(index.elements[w.GlobalId].storey_guid == storey.GlobalId for w in walls)


def test_an_external_space_is_marked_in_every_schema(tmp_path: Path) -> None:
    for schema in SCHEMAS:
        b = ModelBuilder(schema=schema)
        storey = b.storey("1F", 0.0)
        space = b.space(storey, "0101-09", "阳台", size=(4, 1.4, 2.87), predefined_type="EXTERNAL")
        marker = space.InteriorOrExteriorSpace if schema == "IFC2X3" else space.PredefinedType
        assert marker == "EXTERNAL"


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_model_with_every_feature_is_schema_valid(schema: str) -> None:
    import ifcopenshell.validate

    b = ModelBuilder(schema=schema, unit="mm")
    storey = b.storey("1F", 0.0, height=3.0)
    space = b.space(storey, "0101-01", "主卧", footprint=[(0, 0), (3.4, 0), (3.4, 4.3), (0, 4.3)], body_height=2.87, area=14.62)
    wall_type = b.element_type("IfcWallType", "预制剪力墙外墙板", predefined_type="SHEAR", material="C30混凝土")
    wall = b.element("IfcWall", storey, "YWQ", predefined_type="PRECAST", size=(3.6, 0.2, 2.87), quantities={"NetVolume": 2.0})
    b.assign_type(wall, wall_type)
    b.add_pset(wall, "Pset_PrecastConcreteElementGeneral", {"TypeDesignator": "YWQ-01"})
    door = b.door(storey, "卧室门", width=0.9, thickness=0.2, x=1.0, between=[space], material="木门")
    b.fill_opening(wall, door, width=0.9, height=2.1, depth=0.2)
    b.void(wall, storey, "洞口", x=2.2, y=0.0, width=0.6, height=0.6, z=1.0, depth=0.2)
    b.bound(space, wall)
    b.railing(storey, "阳台栏杆", height=1.2, footprint=[(0, -1.5), (4, -1.5), (4, -1.45), (0, -1.45)], bounds=[space])
    b.stair_flight(storey, "梯段", riser=0.15, tread=0.26, risers=10, width=1.25, body=True, rotation=90)
    logger = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(b.file, logger, express_rules=True)
    assert logger.statements == []
