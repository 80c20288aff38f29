"""Facts the index reads from elements: materials, kinds."""

from __future__ import annotations

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import build_index


def test_an_element_with_two_material_associations_keeps_both() -> None:
    import ifcopenshell.guid

    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    wall = b.element("IfcWall", storey, "W1")
    for name in ("C30混凝土", "保温层"):
        material = b.file.create_entity("IfcMaterial", Name=name)
        b.file.create_entity(
            "IfcRelAssociatesMaterial",
            GlobalId=ifcopenshell.guid.new(),
            RelatedObjects=[wall],
            RelatingMaterial=material,
        )
    assert len(b.file.by_type("IfcRelAssociatesMaterial")) == 2
    index = build_index(b.file)
    assert index.elements[wall.GlobalId].materials == ("C30混凝土", "保温层")


def test_an_ifc2x3_lift_reads_its_kind_from_operation_type() -> None:
    b = ModelBuilder(schema="IFC2X3", unit="m")
    storey = b.storey("1F", 0.0)
    lift = b.element("IfcTransportElement", storey, "电梯", OperationType="ELEVATOR")
    assert build_index(b.file).elements[lift.GlobalId].predefined_type == "ELEVATOR"


def test_a_roof_level_is_not_counted_as_a_storey() -> None:
    b = ModelBuilder()
    for number in range(1, 4):
        b.storey(f"{number}F", (number - 1) * 3.0)
    b.storey("屋面", 9.0)
    index = build_index(b.file)
    assert len(index.storeys) == 4
    assert index.storey_count_above_ground() == 3
