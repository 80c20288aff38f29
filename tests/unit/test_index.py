"""The model index: what it reads, and that its fast paths read the same thing as the slow ones."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import pickle
import zipfile
from pathlib import Path

import ifcopenshell
import ifcopenshell.guid
import pytest

from zhijian.domain.bim import index as ix
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import Element, build_index, load_index
from zhijian.domain.bim.space_functions import infer_space_function

SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")

# (class, position the index reads, attribute it means to read there)
POSITIONS = [
    ("IfcRoot", ix._GLOBAL_ID, "GlobalId"),
    ("IfcRoot", ix._NAME, "Name"),
    ("IfcObject", ix._OBJECT_TYPE, "ObjectType"),
    ("IfcRelDefinesByType", ix._REL_A, "RelatedObjects"),
    ("IfcRelDefinesByType", ix._REL_B, "RelatingType"),
    ("IfcRelDefinesByProperties", ix._REL_A, "RelatedObjects"),
    ("IfcRelDefinesByProperties", ix._REL_B, "RelatingPropertyDefinition"),
    ("IfcRelContainedInSpatialStructure", ix._REL_A, "RelatedElements"),
    ("IfcRelContainedInSpatialStructure", ix._REL_B, "RelatingStructure"),
    ("IfcRelAggregates", ix._REL_A, "RelatingObject"),
    ("IfcRelAggregates", ix._REL_B, "RelatedObjects"),
    ("IfcRelNests", ix._REL_A, "RelatingObject"),
    ("IfcRelNests", ix._REL_B, "RelatedObjects"),
    ("IfcRelAssociatesMaterial", ix._REL_A, "RelatedObjects"),
    ("IfcRelAssociatesMaterial", ix._REL_B, "RelatingMaterial"),
    ("IfcRelAssociatesClassification", ix._REL_A, "RelatedObjects"),
    ("IfcRelAssociatesClassification", ix._REL_B, "RelatingClassification"),
    ("IfcRelSpaceBoundary", ix._REL_A, "RelatingSpace"),
    ("IfcRelSpaceBoundary", ix._REL_B, "RelatedBuildingElement"),
    ("IfcRelVoidsElement", ix._REL_A, "RelatingBuildingElement"),
    ("IfcRelVoidsElement", ix._REL_B, "RelatedOpeningElement"),
    ("IfcRelFillsElement", ix._REL_A, "RelatingOpeningElement"),
    ("IfcRelFillsElement", ix._REL_B, "RelatedBuildingElement"),
    ("IfcTypeObject", ix._HAS_PROPERTY_SETS, "HasPropertySets"),
    ("IfcPropertySet", ix._HAS_PROPERTIES, "HasProperties"),
    ("IfcElementQuantity", ix._QUANTITIES, "Quantities"),
    ("IfcPropertySingleValue", ix._PROPERTY_NAME, "Name"),
    ("IfcPropertySingleValue", ix._PROPERTY_VALUE, "NominalValue"),
    ("IfcPropertyEnumeratedValue", ix._PROPERTY_VALUE, "EnumerationValues"),
    ("IfcPropertyListValue", ix._PROPERTY_VALUE, "ListValues"),
    ("IfcPropertyBoundedValue", ix._PROPERTY_VALUE, "UpperBoundValue"),
    ("IfcPropertyBoundedValue", ix._PROPERTY_LOWER, "LowerBoundValue"),
    ("IfcQuantityLength", ix._PROPERTY_NAME, "Name"),
    ("IfcQuantityLength", ix._QUANTITY_VALUE, "LengthValue"),
    ("IfcQuantityArea", ix._QUANTITY_VALUE, "AreaValue"),
    ("IfcQuantityVolume", ix._QUANTITY_VALUE, "VolumeValue"),
    ("IfcQuantityCount", ix._QUANTITY_VALUE, "CountValue"),
    ("IfcQuantityWeight", ix._QUANTITY_VALUE, "WeightValue"),
    ("IfcQuantityTime", ix._QUANTITY_VALUE, "TimeValue"),
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_positional_reads_name_the_same_attribute_in_every_schema(schema: str) -> None:
    declarations = ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema)
    for cls, position, attribute in POSITIONS:
        assert declarations.declaration_by_name(cls).attribute_by_index(position).name() == attribute, (cls, schema)


def _raw_property(model: ifcopenshell.file, name: str, value: ifcopenshell.entity_instance | None):
    return model.create_entity("IfcPropertySingleValue", Name=name, NominalValue=value)


def _raw_pset(model: ifcopenshell.file, product, name: str, props: list) -> None:
    pset = model.create_entity("IfcPropertySet", GlobalId=ifcopenshell.guid.new(), Name=name, HasProperties=props)
    model.create_entity(
        "IfcRelDefinesByProperties", GlobalId=ifcopenshell.guid.new(), RelatedObjects=[product],
        RelatingPropertyDefinition=pset,
    )


@pytest.fixture(scope="module")
def house() -> ModelBuilder:
    b = ModelBuilder(schema="IFC4", unit="mm")
    ground = b.storey("1F", 0.0)
    b.storey("B1", -3.0)
    bedroom = b.space(ground, "101", "主卧", area=12.0, height=2.8)
    hall = b.space(ground, "102", "门厅", area=6.0, height=2.8)
    wall = b.element("IfcWall", ground, "W1", size=(4.0, 0.2, 2.8), material="C30混凝土")
    door_type = b.element_type(
        "IfcDoorType", "FM乙1021", predefined_type="DOOR",
        psets={"Pset_DoorCommon": {"FireRating": "甲级", "IsExternal": False, "Reference": "T-1"}},
        material="钢",
    )
    door = b.door(
        ground, "M1", width=1.0, height=2.1, between=[bedroom, hall], x=1.0, quantities={"Width": 1.0, "Height": 2.1}
    )
    b.assign_type(door, door_type)
    # Occurrence values win over the type's, but a property left empty never hides one.
    _raw_pset(b.file, door, "Pset_DoorCommon", [
        _raw_property(b.file, "FireRating", b.file.create_entity("IfcLabel", "乙级")),
        _raw_property(b.file, "Reference", None),
    ])
    b.fill_opening(wall, door, width=1.0, height=2.1, depth=0.2)
    stair = b.element("IfcStair", ground, "S1")
    flight = b.stair_flight(ground, "F1", riser=0.16, tread=0.27, risers=18)
    b.aggregate(stair, [flight])
    b.storey("B1 storage", -3.0)  # same elevation as B1: file order is kept among equals
    return b


@pytest.fixture(scope="module")
def house_index(house: ModelBuilder) -> ix.ModelIndex:
    return build_index(house.file)


def _named(index: ix.ModelIndex, name: str) -> Element:
    return next(e for e in index if e.name == name)


def test_type_values_are_inherited_and_occurrence_values_win(house_index: ix.ModelIndex) -> None:
    door = _named(house_index, "M1")
    assert door.type_name == "FM乙1021" and door.type_class == "IfcDoorType"
    assert door.prop("Pset_DoorCommon", "FireRating") == "乙级"
    assert door.prop("Pset_DoorCommon", "IsExternal") is False
    assert door.prop("Pset_DoorCommon", "Reference") == "T-1"
    assert door.materials == ("钢",)
    assert _named(house_index, "W1").materials == ("C30混凝土",)


def test_relations_are_indexed(house_index: ix.ModelIndex) -> None:
    door, wall = _named(house_index, "M1"), _named(house_index, "W1")
    assert {s.name for s in house_index.bounded_spaces(door.guid)} == {"101", "102"}
    assert house_index.host_of[door.guid] == wall.guid
    opening = house_index.elements[house_index.opening_of[door.guid]]
    assert opening.ifc_class == "IfcOpeningElement"
    assert house_index.parts_of[_named(house_index, "S1").guid] == [_named(house_index, "F1").guid]
    assert house_index.storey_name(door) == "1F"
    assert house_index.storey_name(_named(house_index, "F1")) == "1F"
    assert house_index.storey_name(_named(house_index, "101")) == "1F"


def test_storeys_are_sorted_by_elevation_then_file_order(house_index: ix.ModelIndex) -> None:
    assert [(s.name, s.index, s.above_ground_index) for s in house_index.storeys] == [
        ("B1", 0, None),
        ("B1 storage", 1, None),
        ("1F", 2, 1),
    ]


def test_of_class_includes_subclasses_once(house_index: ix.ModelIndex) -> None:
    building_elements = house_index.of_class("IfcBuildingElement", "IfcDoor")
    assert len(building_elements) == len({e.guid for e in building_elements})
    assert {"W1", "M1", "S1", "F1"} <= {e.name for e in building_elements}
    assert [e.name for e in house_index.of_class("IfcSpace")] == ["101", "102"]


def test_property_sets_are_plain_dicts_read_on_first_use(house: ModelBuilder) -> None:
    index = build_index(house.file)
    door = _named(index, "M1")
    assert type(door.psets) is dict and type(door.qsets) is dict
    # Copies, pickles and replacements carry the values, not the reader holding the model.
    for twin in (copy.deepcopy(door), pickle.loads(pickle.dumps(door)), dataclasses.replace(door)):
        assert twin == door and twin.psets == door.psets
    wall = _named(index, "W1")
    assert dataclasses.asdict(wall)["psets"] == wall.psets
    with pytest.raises(AttributeError):
        _ = door.no_such_attribute


def test_sets_read_in_either_order_are_the_same(house: ModelBuilder) -> None:
    psets_first, qsets_first = build_index(house.file), build_index(house.file)
    for guid, element in psets_first.elements.items():
        other = qsets_first.elements[guid]
        other_qsets = other.qsets  # quantity sets first here, property sets first above
        assert element.psets == other.psets
        assert element.qsets == other_qsets
    assert any(e.psets and e.qsets for e in psets_first)


def test_elements_built_directly_still_work() -> None:
    element = Element(
        guid="g", ifc_class="IfcWall", predefined_type=None, name="W", long_name=None, object_type=None,
        type_name=None, type_class=None, storey_guid=None, psets={"P": {"a": 1}}, qsets={"Q": {"Length": 2.0}},
    )
    assert element.prop("P", "a") == 1 and element.quantity("Length") == 2.0


@pytest.mark.parametrize(
    "names",
    [
        ("Küche", "Schlafzimmer"),  # a bedroom row precedes the kitchen row in the table
        ("0101-1", "主卧"),
        ("卫生间", "客厅"),
        ("Flur", None, "Bad"),
        ("12", "34"),
    ],
)
def test_space_function_is_the_tables_first_match_over_all_names(names: tuple[str | None, ...]) -> None:
    b = ModelBuilder(schema="IFC4", unit="m")
    space = b.space(b.storey("1F", 0.0), names[0], names[1])
    if len(names) > 2:
        space.ObjectType = names[2]
    (element,) = build_index(b.file).spaces()
    assert element.function == infer_space_function(names[1], names[0], *names[2:])


def test_load_index_hashes_the_file_as_stored(tmp_path: Path, house: ModelBuilder) -> None:
    path = house.save(tmp_path / "house.ifc")
    index = load_index(path)
    assert index.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    archive = tmp_path / "house.ifczip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(path, "house.ifc")
    zipped_index = load_index(archive)
    assert zipped_index.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert len(zipped_index) == len(index)
