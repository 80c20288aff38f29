"""Quantities derived from body geometry when a model lacks quantity sets."""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.geometry import body_mesh, derive_quantity, projected_area
from zhijian.domain.bim.index import ModelIndex, build_index, load_index

UNITS = [("IFC4", "mm"), ("IFC4", "m"), ("IFC2X3", "mm"), ("IFC4X3", "m")]


def _index(builder: ModelBuilder, tmp_path: Path) -> ModelIndex:
    """Written and read back, as a model reaches the platform."""
    return load_index(builder.save(tmp_path / f"{builder.schema}-{builder.unit}.ifc"))


@pytest.mark.parametrize(("schema", "unit"), UNITS)
def test_a_4_by_3_space_without_quantities_has_12_m2_and_2_8_m(schema: str, unit: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit=unit)
    storey = b.storey("3F", 6.0)
    space = b.space(storey, "0301-05", "主卧", x=2.0, y=1.0, footprint=[(0, 0), (4, 0), (4, 3), (0, 3)], body_height=2.8)
    index = _index(b, tmp_path)
    element = index.elements[space.GlobalId]
    assert element.qsets == {}
    assert index.derived_quantity(space.GlobalId, "NetFloorArea") == pytest.approx(12.0, abs=1e-6)
    assert index.derived_quantity(space.GlobalId, "GrossFloorArea") == pytest.approx(12.0, abs=1e-6)
    assert index.derived_quantity(space.GlobalId, "Height") == pytest.approx(2.8, abs=1e-6)
    assert index.derived_quantity(space.GlobalId, "FinishCeilingHeight") == pytest.approx(2.8, abs=1e-6)
    assert index.derived_quantity(space.GlobalId, "NetVolume") == pytest.approx(33.6, abs=1e-5)
    assert index.derived_quantity(space.GlobalId, "Width") == pytest.approx(3.0, abs=1e-6)
    assert index.derived_quantity(space.GlobalId, "Length") == pytest.approx(4.0, abs=1e-6)


def test_an_l_shaped_space_has_its_area_but_no_single_width(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    outline = [(0, 0), (5, 0), (5, 2.5), (7.2, 2.5), (7.2, 4.5), (0, 4.5)]
    space = b.space(storey, "0101-02", "客厅", footprint=outline, body_height=2.87)
    index = _index(b, tmp_path)
    assert index.derived_quantity(space.GlobalId, "NetFloorArea") == pytest.approx(5 * 4.5 + 2.2 * 2.0)
    assert index.derived_quantity(space.GlobalId, "Width") is None


def test_a_space_without_a_body_derives_nothing(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    space = b.space(storey, "0101-01", "卧室")
    index = _index(b, tmp_path)
    assert index.derived_quantity(space.GlobalId, "NetFloorArea") is None
    assert index.derived_quantity(space.GlobalId, "Height") is None


def test_names_geometry_cannot_answer_are_none(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    space = b.space(storey, "0101-01", "卧室", size=(3, 3, 2.8))
    wall = b.element("IfcWall", storey, "W", size=(4, 0.2, 2.8))
    index = _index(b, tmp_path)
    assert index.derived_quantity(space.GlobalId, "NetWallArea") is None
    assert index.derived_quantity(wall.GlobalId, "NetFloorArea") is None
    assert index.derived_quantity(wall.GlobalId, "NetArea") is None  # a wall's area is no plan
    assert derive_quantity(index, "no such guid", "Height") is None


def test_derived_values_are_cached_per_guid_and_name(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    space = b.space(storey, "0101-01", "卧室", size=(3, 3, 2.8))
    index = _index(b, tmp_path)
    first = index.derived_quantity(space.GlobalId, "NetFloorArea")
    assert index._derived[(space.GlobalId, "NetFloorArea")] == first
    index._derived[(space.GlobalId, "NetFloorArea")] = 99.0  # proves the second call reads the cache
    assert index.derived_quantity(space.GlobalId, "NetFloorArea") == 99.0
    assert body_mesh(index, space.GlobalId) is index._derived[(space.GlobalId, "mesh")]


@pytest.mark.parametrize(("schema", "unit"), UNITS)
def test_a_wall_with_a_door_has_net_and_gross_volumes(schema: str, unit: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit=unit)
    storey = b.storey("2F", 3.0)
    wall = b.element("IfcWall", storey, "W", x=1.0, y=2.0, rotation=30, size=(5.0, 0.2, 2.8))
    door = b.door(storey, "卧室门", width=0.9, thickness=0.2, x=1.0, y=2.0, rotation=30)
    b.fill_opening(wall, door, width=0.9, height=2.1, depth=0.2)
    index = _index(b, tmp_path)
    def q(name: str) -> float | None:
        return index.derived_quantity(wall.GlobalId, name)

    assert q("Length") == pytest.approx(5.0, abs=1e-6)
    assert q("Width") == pytest.approx(0.2, abs=1e-6)
    assert q("Height") == pytest.approx(2.8, abs=1e-6)
    assert q("GrossVolume") == pytest.approx(2.8, abs=1e-6)
    assert q("NetVolume") == pytest.approx(2.8 - 0.9 * 2.1 * 0.2, abs=1e-6)
    assert q("GrossSideArea") == pytest.approx(14.0, abs=1e-6)
    assert q("NetSideArea") == pytest.approx(14.0 - 0.9 * 2.1, abs=1e-5)
    assert q("NetFootprintArea") == pytest.approx(1.0, abs=1e-6)
    assert index.host_of[door.GlobalId] == wall.GlobalId
    assert index.derived_quantity(door.GlobalId, "Width") == pytest.approx(0.9, abs=1e-6)
    assert index.derived_quantity(door.GlobalId, "Height") == pytest.approx(2.1, abs=1e-6)


@pytest.mark.parametrize(("schema", "unit"), UNITS)
def test_slabs_columns_and_beams_are_named_as_their_quantity_sets_name_them(schema: str, unit: str, tmp_path: Path) -> None:
    b = ModelBuilder(schema=schema, unit=unit)
    storey = b.storey("3F", 6.0)
    slab = b.element("IfcSlab", storey, "叠合板", size=(6.0, 4.0, 0.13), body_offset=(0, 0, -0.13))
    column = b.element("IfcColumn", storey, "KZ1", size=(0.4, 0.5, 2.87))
    beam = b.element("IfcBeam", storey, "KL1", size=(6.0, 0.2, 0.5), rotation=90, z=2.37)
    index = _index(b, tmp_path)

    def q(product: ifcopenshell.entity_instance, name: str) -> float | None:
        return index.derived_quantity(product.GlobalId, name)

    assert q(slab, "Width") == pytest.approx(0.13, abs=1e-6)  # IFC4: the slab's thickness
    assert (q(slab, "Length"), q(slab, "Depth")) == (pytest.approx(6.0), pytest.approx(4.0))
    assert q(slab, "NetArea") == pytest.approx(24.0)
    assert q(slab, "NetVolume") == pytest.approx(24.0 * 0.13)
    assert projected_area(index, slab.GlobalId) == pytest.approx(24.0)
    assert q(column, "Length") == pytest.approx(2.87)
    assert q(column, "CrossSectionArea") == pytest.approx(0.2)
    assert (q(column, "Width"), q(column, "Depth")) == (pytest.approx(0.4), pytest.approx(0.5))
    assert q(beam, "Length") == pytest.approx(6.0)
    assert q(beam, "Depth") == pytest.approx(0.5)
    assert q(beam, "CrossSectionArea") == pytest.approx(0.1)
    assert projected_area(index, beam.GlobalId) == pytest.approx(1.2)


def test_a_stair_flight_projects_its_run_and_width(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("3F", 6.0)
    flight = b.stair_flight(storey, "预制楼梯", riser=0.15, tread=0.26, risers=10, width=1.25, body=True, rotation=-90)
    index = _index(b, tmp_path)
    assert projected_area(index, flight.GlobalId) == pytest.approx(9 * 0.26 * 1.25, abs=1e-6)
    assert index.derived_quantity(flight.GlobalId, "Width") == pytest.approx(1.25, abs=1e-6)


def test_broken_geometry_gives_none_not_an_exception(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    space = b.space(storey, "0101-01", "卧室", size=(3, 3, 2.8))
    # Sabotage the body: a profile whose outline is a single repeated point.
    profile = next(iter(b.file.by_type("IfcArbitraryClosedProfileDef")))
    curve = profile.OuterCurve
    curve.Points = b.file.create_entity("IfcCartesianPointList2D", [(0.0, 0.0), (0.0, 0.0)])
    index = build_index(b.file)
    assert index.derived_quantity(space.GlobalId, "NetFloorArea") is None
    assert index.derived_quantity(space.GlobalId, "Height") is None


# -- real models -------------------------------------------------------------------------
# ArchiCAD's NetFloorArea of FZK-Haus leaves out a strip along the walls (finish) and, in the
# attic (Galerie), the floor under 1.5/2 m of headroom (German practice): neither is in the
# geometry. Its GrossFloorArea is the plan of the space body, which geometry must match.
FZK_ROOMS_UNDER_FLAT_CEILINGS = {"Schlafzimmer", "Bad", "Buero", "Wohnen", "Flur", "Küche"}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["AC20-FZK-Haus.ifc", "AC20-FZK-Haus_ifc23.ifc"])
def test_fzk_haus_space_areas_from_geometry_match_its_quantities(shared_ifc_dir: Path, name: str) -> None:
    index = load_index(shared_ifc_dir / name)
    spaces = index.spaces()
    assert len(spaces) == 7
    for space in spaces:
        gross = space.quantity("GrossFloorArea")
        derived = index.derived_quantity(space.guid, "NetFloorArea")
        assert derived == pytest.approx(gross, rel=1e-3), space.long_name
        if space.long_name in FZK_ROOMS_UNDER_FLAT_CEILINGS:
            net = space.quantity("NetFloorArea")
            assert derived == pytest.approx(net, rel=0.04), space.long_name  # within 4 %
            assert index.derived_quantity(space.guid, "Height") == pytest.approx(space.quantity("Height"), abs=1e-3)


@pytest.mark.shared_data
def test_the_same_house_in_millimetres_derives_the_same_areas(shared_ifc_dir: Path) -> None:
    index = load_index(shared_ifc_dir / "SampleHouse4.ifc")
    assert index.units.length_unit == "MILLIMETRE"
    for space in index.spaces():
        assert index.derived_quantity(space.guid, "NetFloorArea") == pytest.approx(space.quantity("NetFloorArea"), rel=1e-4)
        assert index.derived_quantity(space.guid, "Height") == pytest.approx(space.quantity("Height"), abs=1e-3)


def test_a_stair_without_a_body_is_measured_by_its_parts(tmp_path: Path) -> None:
    b = ModelBuilder()
    storey = b.storey("3F", 6.0)
    stair = b.element("IfcStair", storey, "1#公共楼梯")
    flight = b.stair_flight(storey, "梯段", riser=0.15, tread=0.26, risers=10, width=1.25, body=True)
    landing = b.element("IfcSlab", storey, "平台板", x=2.34, size=(1.4, 1.25, 0.13), z=1.5, body_offset=(0, 0, -0.13))
    b.aggregate(stair, [flight, landing])
    index = _index(b, tmp_path)
    assert projected_area(index, stair.GlobalId) == pytest.approx((2.34 + 1.4) * 1.25, abs=1e-6)
    volumes = [index.derived_quantity(g, "NetVolume") for g in (flight.GlobalId, landing.GlobalId)]
    assert index.derived_quantity(stair.GlobalId, "NetVolume") == pytest.approx(sum(volumes))
    assert volumes[1] == pytest.approx(1.4 * 1.25 * 0.13)
