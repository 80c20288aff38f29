"""Shared measurements rules take from the index: areas, heights, widths — always SI.

Each returns None when the model does not carry the value, so the rule reports
missing_data instead of guessing.
"""

from __future__ import annotations

from zhijian.domain.bim.index import Element, ModelIndex


def space_net_area(index: ModelIndex, space: Element) -> float | None:
    """使用面积: NetFloorArea (IFC4 Qto or IFC2X3 BaseQuantities), else from geometry."""
    value = space.quantity("NetFloorArea", "Qto_SpaceBaseQuantities")
    return value if value is not None else index.derived_quantity(space.guid, "NetFloorArea")


def space_clear_height(index: ModelIndex, space: Element) -> float | None:
    """室内净高: FinishCeilingHeight, else the net height exporters write (ArchiCAD NetHeight)."""
    for name in ("FinishCeilingHeight", "NetHeight", "ClearHeight"):
        value = space.quantity(name, "Qto_SpaceBaseQuantities")
        if value is not None:
            return value
    return index.derived_quantity(space.guid, "FinishCeilingHeight")


def door_width(door: Element) -> float | None:
    """门洞宽: the door's OverallWidth, else its Qto Width."""
    return door.dims.get("OverallWidth") or door.quantity("Width", "Qto_DoorBaseQuantities")


def door_height(door: Element) -> float | None:
    return door.dims.get("OverallHeight") or door.quantity("Height", "Qto_DoorBaseQuantities")


def served_functions(index: ModelIndex, element: Element) -> set[str]:
    """Function categories of the spaces an element bounds (e.g. the rooms a door opens into)."""
    return {s.function.category for s in index.bounded_spaces(element.guid) if s.function}


def railing_height(railing: Element) -> float | None:
    value = railing.prop("Pset_RailingCommon", "Height")
    if isinstance(value, (int, float)):
        return float(value)
    return railing.quantity("Height", "Qto_RailingBaseQuantities")


def stair_riser(flight: Element) -> float | None:
    for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
        value = flight.prop(pset, "RiserHeight")
        if isinstance(value, (int, float)):
            return float(value)
    return flight.dims.get("RiserHeight")


def stair_tread(flight: Element) -> float | None:
    for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
        value = flight.prop(pset, "TreadLength")
        if isinstance(value, (int, float)):
            return float(value)
    return flight.dims.get("TreadLength")
