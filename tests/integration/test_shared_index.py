"""The index on real models made by others (../shared/data/ifc, read in place, never copied).

Skipped with a reason when the shared folder is absent; everything else in the suite still runs.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import ifcopenshell
import pytest

from tests.conftest import SHARED_IFC, shared_models
from zhijian.domain.bim.index import ModelIndex, load_index
from zhijian.domain.bim.model_file import schema_family

pytestmark = pytest.mark.shared_data

MODELS = shared_models()
ABSENT = f"shared data not present at {SHARED_IFC} (tests read ../shared/data in place)"


def _each_model() -> list:
    if not MODELS:
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT))]
    return [pytest.param(path, id=path.name) for path in MODELS]


@pytest.fixture
def shared(shared_ifc_dir: Path):
    """Index a shared model by file name (each model indexed once per session)."""
    return lambda name: _index(shared_ifc_dir / name)


@cache
def _index(path: Path) -> ModelIndex:
    return load_index(path)


@cache
def _published_sha256_prefixes() -> dict[str, str]:
    """file name → sha256[:16], from the inventory table of SOURCES.md."""
    sources = SHARED_IFC / "SOURCES.md"
    if not sources.is_file():
        return {}
    rows = re.findall(r"^\| (\S+\.ifc) \|.*\| ([0-9a-f]{16}) \|$", sources.read_text("utf-8"), re.MULTILINE)
    return dict(rows)


@pytest.mark.parametrize("path", _each_model())
def test_every_shared_model_indexes_with_sane_counts(path: Path) -> None:
    index = _index(path)
    model: ifcopenshell.file = index.ifc
    raw_guids = {e.GlobalId for cls in ("IfcElement", "IfcSpace") for e in model.by_type(cls)}
    assert set(index.elements) == raw_guids
    for cls in ("IfcDoor", "IfcWindow", "IfcWall", "IfcSlab", "IfcSpace", "IfcBeam", "IfcColumn"):
        assert len(index.of_class(cls)) == len(model.by_type(cls)), cls
    storey_guids = {s.guid for s in index.storeys}
    assert storey_guids == {s.GlobalId for s in model.by_type("IfcBuildingStorey")}
    assert all(e.storey_guid is None or e.storey_guid in storey_guids for e in index)
    published = _published_sha256_prefixes().get(path.name)
    if published:
        assert index.sha256 is not None and index.sha256.startswith(published)


@pytest.mark.parametrize("path", _each_model())
def test_storeys_are_sorted_by_elevation(path: Path) -> None:
    storeys = _index(path).storeys
    assert [s.elevation_m for s in storeys] == sorted(s.elevation_m for s in storeys)
    assert [s.index for s in storeys] == list(range(len(storeys)))


def test_the_shared_models_cover_ifc2x3_ifc4_and_ifc4x3(shared_ifc_dir: Path) -> None:
    families = {schema_family(_index(path).schema) for path in MODELS}
    assert {"IFC2X3", "IFC4", "IFC4X3"} <= families


def test_ac20_space_areas_are_square_metres(shared) -> None:
    spaces = shared("AC20-FZK-Haus.ifc").spaces()
    assert len(spaces) == 7
    for space in spaces:
        assert 1.0 < space.quantity("NetFloorArea", "Qto_SpaceBaseQuantities") < 200.0, space.long_name


def test_millimetre_model_storey_elevations_are_in_metres(shared) -> None:
    index = shared("Schependomlaan_ROOT-staal.ifc")
    assert index.units.length_unit == "MILLIMETRE"
    raw = sorted(s.Elevation for s in index.ifc.by_type("IfcBuildingStorey"))
    assert raw == [0.0, 3000.0, 6000.0, 9000.0, 12000.0]
    assert [s.elevation_m for s in index.storeys] == [0.0, 3.0, 6.0, 9.0, 12.0]
    house = shared("Xbim_House.ifc")
    assert house.units.length_unit == "MILLIMETRE"
    assert [s.elevation_m for s in house.storeys] == pytest.approx([-0.6, 2.85, 3.35])
    assert [s.above_ground_index for s in house.storeys] == [None, 1, 2]


def test_ifc2x3_base_quantities_match_the_ifc4_variant(shared) -> None:
    ifc4 = {s.guid: s for s in shared("AC20-FZK-Haus.ifc").spaces()}
    ifc2x3 = {s.guid: s for s in shared("AC20-FZK-Haus_ifc23.ifc").spaces()}
    assert ifc4.keys() == ifc2x3.keys()
    for guid, space in ifc2x3.items():
        assert "BaseQuantities" in space.qsets
        area = space.quantity("NetFloorArea", "Qto_SpaceBaseQuantities")
        assert area is not None and area == pytest.approx(ifc4[guid].quantity("NetFloorArea", "Qto_SpaceBaseQuantities"))


@pytest.mark.parametrize("name", ["AC20-FZK-Haus.ifc", "AC20-FZK-Haus_ifc23.ifc", "duplex.ifc"])
def test_space_boundaries_are_read(shared, name: str) -> None:
    index = shared(name)
    assert index.ifc.by_type("IfcRelSpaceBoundary")
    doors = index.of_class("IfcDoor")
    assert doors and all(index.bounded_spaces(door.guid) for door in doors)
    for guids in index.spaces_of.values():
        assert all(index.elements[g].ifc_class == "IfcSpace" for g in guids)


@pytest.mark.parametrize("path", _each_model())
def test_materials_are_read_where_the_model_has_them(path: Path) -> None:
    index = _index(path)
    associated = {
        obj.GlobalId for rel in index.ifc.by_type("IfcRelAssociatesMaterial") for obj in rel.RelatedObjects or ()
    }
    if not associated & index.elements.keys():
        pytest.skip("no material associated with an indexed element")
    names = {m.Name for m in index.ifc.by_type("IfcMaterial")}
    with_materials = [e for e in index if e.materials]
    assert with_materials
    assert all(set(e.materials) <= names for e in with_materials)


def test_layered_materials_are_resolved_to_names(shared) -> None:
    walls = shared("AC20-FZK-Haus.ifc").of_class("IfcWall")
    assert walls and all(w.materials for w in walls)  # via IfcMaterialLayerSetUsage


@pytest.mark.parametrize("path", _each_model())
def test_classifications_are_read_where_the_model_has_them(path: Path) -> None:
    index = _index(path)
    classified = {
        obj.GlobalId for rel in index.ifc.by_type("IfcRelAssociatesClassification") for obj in rel.RelatedObjects or ()
    }
    if not classified & index.elements.keys():
        pytest.skip("no classification associated with an indexed element")
    references = index.ifc.by_type("IfcClassificationReference")
    known = {str(getattr(r, "Identification", None) or getattr(r, "ItemReference", None) or "") for r in references}
    rows = [row for e in index for row in e.classifications]
    assert rows
    assert all(identification in known for _, identification, _ in rows if identification)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "AC20-FZK-Haus.ifc",
            {"Schlafzimmer": "bedroom", "Bad": "bathroom", "Buero": "study", "Wohnen": "living",
             "Flur": "corridor", "Küche": "kitchen"},
        ),
        (
            "AC20-FZK-Haus_ifc23.ifc",
            {"Schlafzimmer": "bedroom", "Bad": "bathroom", "Küche": "kitchen", "Wohnen": "living"},
        ),
        (
            "duplex.ifc",
            {"Living Room": "living", "Kitchen": "kitchen", "Bathroom 1": "bathroom", "Bathroom 2": "bathroom",
             "Bedroom 1": "bedroom", "Bedroom 2": "bedroom", "Hallway": "corridor", "Foyer": "corridor",
             "Stair": "stair"},
        ),
        ("SampleHouse4.ifc", {"Living room": "living", "Bedroom": "bedroom", "Entrance hall": "corridor"}),
    ],
)
def test_space_functions_recognise_the_room_names(shared, name: str, expected: dict[str, str]) -> None:
    found = {s.long_name: (s.function.category if s.function else None) for s in shared(name).spaces()}
    assert {room: found.get(room) for room in expected} == expected
