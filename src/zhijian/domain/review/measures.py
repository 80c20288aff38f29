"""Shared measurements rules take from the index: areas, heights, widths — always SI.

Each returns None when the model does not carry the value, so the rule reports
missing_data instead of guessing. The residential rules (GB 50096, GB 55038) take all their
measurements from here; fire and accessibility measures live in ``measures_fire``.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import Any

import ifcopenshell.util.element

from zhijian.domain.bim.door_functions import DoorInference, infer_door_function, is_public_space
from zhijian.domain.bim.index import Element, ModelIndex, Storey, attribute_of

# Space categories of the rooms people live in; a storey holding one is a dwelling storey.
DWELLING_ROOM_CATEGORIES = frozenset({"bedroom", "living", "dining", "kitchen", "bathroom", "study"})

# Storey names of roof datums and rooftop plant levels: not storeys of the building's count.
ROOF_STOREY_WORDS = ("屋面", "屋顶", "机房层", "roof", "dach", "dak", "кровля", "крыша")

# Property names under which designers state a clear width (通行净宽 / 净宽).
CLEAR_WIDTH_NAMES = ("ClearWidth", "ClearOpeningWidth", "Clear Width", "通行净宽", "净宽", "门净宽")

# GB 50096 5.4.1 / GB 55038 4.1.6: the three fixtures (便器, 洗面器, 洗浴器) by predefined type.
SANITARY_KINDS = {
    "TOILETPAN": "toilet",
    "WCSEAT": "toilet",
    "WASHHANDBASIN": "basin",
    "SINK": "basin",
    "SHOWER": "bathing",
    "BATH": "bathing",
}
THREE_FIXTURES = frozenset({"toilet", "basin", "bathing"})

# Words in material names: reinforced concrete, and the finishing layers that are not slab.
CONCRETE_WORDS = ("混凝土", "砼", "concrete", "beton", "бетон")
SCREED_WORDS = ("找平", "面层", "砂浆", "垫层", "screed", "mortar", "estrich", "стяжка", "finish")


def property_length(value: Any, *, millimetres_above: float = 10.0) -> float | None:
    """A length stated as a property value, in metres. Typed lengths (IfcLengthMeasure …)
    arrive in metres from the index; an untyped number (IfcReal, or text such as "900" or
    "900mm") carries no unit, and above ``millimetres_above`` (10: a door or a room; 1000: a
    building's height) it can only be millimetres."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|m)?\s*", value)
        if not match:
            return None
        if match.group(2):
            return float(match.group(1)) / (1000.0 if match.group(2) == "mm" else 1.0)
        value = float(match.group(1))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value) / 1000.0 if value > millimetres_above else float(value)


# -- per-index caches ---------------------------------------------------------------------
_CACHES: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _cache(index: ModelIndex) -> dict[str, Any]:
    """Derived lookups kept per model file (ModelIndex itself is unhashable)."""
    return _CACHES.setdefault(index.ifc, {})


def _whole_of(index: ModelIndex) -> dict[str, str]:
    cache = _cache(index)
    if "whole_of" not in cache:
        cache["whole_of"] = {part: whole for whole, parts in index.parts_of.items() for part in parts}
    return cache["whole_of"]


def _spaces_bounded_by(index: ModelIndex) -> dict[str, set[str]]:
    """space guid → guids of the elements that bound it (reverse of index.spaces_of)."""
    cache = _cache(index)
    if "bounded_by" not in cache:
        reverse: dict[str, set[str]] = {}
        for element, spaces in index.spaces_of.items():
            for space in spaces:
                reverse.setdefault(space, set()).add(element)
        cache["bounded_by"] = reverse
    return cache["bounded_by"]


def _containing_spaces(index: ModelIndex) -> dict[str, set[str]]:
    """element guid → guids of the spaces containing it (reverse of index.contents_of)."""
    cache = _cache(index)
    if "contained_in" not in cache:
        reverse: dict[str, set[str]] = {}
        for space, contents in index.contents_of.items():
            for element in contents:
                reverse.setdefault(element, set()).add(space)
        cache["contained_in"] = reverse
    return cache["contained_in"]


def related_spaces(index: ModelIndex, element: Element) -> list[Element]:
    """Spaces an element bounds or stands in (IfcRelSpaceBoundary, containment in a space)."""
    guids = set(index.spaces_of.get(element.guid, ())) | _containing_spaces(index).get(element.guid, set())
    return [index.elements[g] for g in sorted(guids) if g in index.elements]


def _texts(*elements: Element | None) -> list[str]:
    return [
        text.lower()
        for e in elements
        if e is not None
        for text in (e.name, e.long_name, e.object_type, e.type_name)
        if text
    ]


def _has_word(texts: Iterable[str], words: Iterable[str]) -> bool:
    return any(word in text for text in texts for word in words)


# -- spaces -------------------------------------------------------------------------------
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


def space_width(index: ModelIndex, space: Element) -> float | None:
    """净宽 of a corridor: a stated clear width, else a Width quantity or property, else geometry."""
    for name in (*CLEAR_WIDTH_NAMES, "Width"):
        value = space.quantity(name)
        if value is None:
            value = property_length(space.find_prop(name))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
    return index.derived_quantity(space.guid, "Width")


def connected_spaces(index: ModelIndex, space: Element) -> list[Element]:
    """The spaces a space opens into: those sharing a door with it."""
    found: dict[str, Element] = {}
    for guid in _spaces_bounded_by(index).get(space.guid, ()):
        element = index.elements.get(guid)
        if element is None or element.ifc_class not in ("IfcDoor", "IfcDoorStandardCase"):
            continue
        for other in index.bounded_spaces(guid):
            if other.guid != space.guid:
                found[other.guid] = other
    return list(found.values())


def corridor_leads_to(index: ModelIndex, corridor: Element) -> set[str]:
    """Categories of the rooms a corridor opens into (through doors), public parts left out."""
    return {
        s.function.category for s in connected_spaces(index, corridor) if s.function and not is_public(s)
    }


def dwelling_corridor_kind(index: ModelIndex, corridor: Element) -> str | None:
    """What a passage inside a dwelling serves, for the width rules (GB 50096 5.7.1,
    GB 55038 4.1.13): "entrance" (入口过道), "rooms" (to bedrooms or the living room),
    "service" (only to kitchen, bathroom, storage), or None when no door says."""
    if corridor.function is not None and corridor.function.function == "entrance_hall":
        return "entrance"
    leads_to = corridor_leads_to(index, corridor)
    if leads_to & {"bedroom", "living"}:
        return "rooms"
    if leads_to & {"kitchen", "bathroom", "storage"}:
        return "service"
    return None


def is_public(space: Element) -> bool:
    """Common parts of the building (stairwell, lobby, public corridor), not a dwelling's."""
    return space.function is not None and is_public_space(space.function)


def sanitary_kinds(index: ModelIndex, space: Element) -> frozenset[str] | None:
    """The kinds of fixture (toilet, basin, bathing) in or at a space; None when the model
    links no sanitary terminal to any space, so a bathroom's fixtures cannot be known."""
    by_space = _sanitary_by_space(index)
    if not by_space:
        return None
    return frozenset(by_space.get(space.guid, ()))


def has_three_fixtures(index: ModelIndex, space: Element) -> bool | None:
    """三件卫生设备集中配置: toilet, basin and shower or bath all in or at the space.
    None when the model does not link fixtures to spaces (the caller assumes and says so)."""
    kinds = sanitary_kinds(index, space)
    return None if kinds is None else kinds >= THREE_FIXTURES


def _sanitary_by_space(index: ModelIndex) -> dict[str, set[str]]:
    cache = _cache(index)
    if "sanitary" not in cache:
        # IFC4 has IfcSanitaryTerminal; IFC2X3 an IfcFlowTerminal typed by IfcSanitaryTerminalType.
        terminals = index.of_class("IfcSanitaryTerminal") + [
            e for e in index.of_class("IfcFlowTerminal") if e.type_class == "IfcSanitaryTerminalType"
        ]
        by_space: dict[str, set[str]] = {}
        for terminal in terminals:
            kind = SANITARY_KINDS.get(terminal.predefined_type or "")
            for space in related_spaces(index, terminal):
                kinds = by_space.setdefault(space.guid, set())
                if kind:
                    kinds.add(kind)
        cache["sanitary"] = by_space
    return cache["sanitary"]


DWELLING_ZONE_WORDS = ("户", "套", "dwelling", "apartment", "flat", "wohnung", "woning", "квартир")


def dwelling_zone_functions(index: ModelIndex, space: Element) -> set[str] | None:
    """Functions of every space in the same dwelling (an IfcZone grouping spaces), or None
    when the model does not group spaces into dwellings."""
    cache = _cache(index)
    if "zones" not in cache:
        zone_of: dict[str, list[str]] = {}
        for zone in index.ifc.by_type("IfcZone"):
            names = " ".join(n for n in (zone.Name, zone.ObjectType, attribute_of(zone, "LongName")) if n)
            if not _has_word([names.lower()], DWELLING_ZONE_WORDS):
                continue  # fire compartments, HVAC zones …
            members = [
                obj.GlobalId
                for rel in getattr(zone, "IsGroupedBy", None) or ()
                for obj in rel.RelatedObjects or ()
                if obj.is_a("IfcSpace")
            ]
            for guid in members:
                zone_of.setdefault(guid, []).extend(members)
        cache["zones"] = zone_of
    members = cache["zones"].get(space.guid)
    if members is None:
        return None
    return {index.elements[g].function.function for g in members if g in index.elements and index.elements[g].function}


# -- storeys ------------------------------------------------------------------------------
def is_roof_storey(storey: Storey) -> bool:
    name = storey.name.lower()
    return any(word in name for word in ROOF_STOREY_WORDS)


def _storey_room_categories(index: ModelIndex) -> dict[str, set[str]]:
    cache = _cache(index)
    if "storey_rooms" not in cache:
        rooms: dict[str, set[str]] = {}
        for space in index.spaces():
            if space.function is not None and space.storey_guid:
                rooms.setdefault(space.storey_guid, set()).add(space.function.category)
        cache["storey_rooms"] = rooms
    return cache["storey_rooms"]


def is_dwelling_storey(index: ModelIndex, storey: Storey) -> bool:
    """A storey people live on: it holds a bedroom, living room, kitchen … When the model has
    no room functions at all, every above-ground storey counts but roof datums and the top
    storey (in such models most often the roof level)."""
    rooms = _storey_room_categories(index)
    if any(categories & DWELLING_ROOM_CATEGORIES for categories in rooms.values()):
        return bool(rooms.get(storey.guid, set()) & DWELLING_ROOM_CATEGORIES)
    return storey.above_ground_index is not None and not is_roof_storey(storey) and storey_above(index, storey) is not None


def storey_above(index: ModelIndex, storey: Storey) -> Storey | None:
    """The next storey up (the next higher elevation)."""
    higher = [s for s in index.storeys if s.elevation_m > storey.elevation_m + 1e-6]
    return min(higher, key=lambda s: s.elevation_m) if higher else None


def storey_height(index: ModelIndex, storey: Storey) -> float | None:
    """层高: floor-to-floor, from the elevations of this storey and the next one up.

    Elevations must share one datum (architectural or structural), as the reference notes.
    """
    above = storey_above(index, storey)
    return above.elevation_m - storey.elevation_m if above is not None else None


def residential_storey_count(index: ModelIndex) -> int:
    """住宅层数: above-ground storeys, without roof datums and rooftop plant levels."""
    return sum(1 for s in index.storeys if s.above_ground_index is not None and not is_roof_storey(s))


def highest_entrance_elevation(index: ModelIndex) -> float | None:
    """最高住户入口层楼面标高 (relative to ±0.000): the highest dwelling storey's elevation."""
    elevations = [s.elevation_m for s in index.storeys if is_dwelling_storey(index, s)]
    return max(elevations) if elevations else None


# -- doors --------------------------------------------------------------------------------
def door_width(door: Element) -> float | None:
    """门洞宽: the door's OverallWidth, else its Qto Width."""
    return door.dims.get("OverallWidth") or door.quantity("Width", "Qto_DoorBaseQuantities")


def door_height(door: Element) -> float | None:
    return door.dims.get("OverallHeight") or door.quantity("Height", "Qto_DoorBaseQuantities")


def door_stated_clear_width(door: Element) -> float | None:
    """通行净宽 stated by the model under any of CLEAR_WIDTH_NAMES, in any set."""
    if not door.psets and not door.qsets:
        return None
    for name in CLEAR_WIDTH_NAMES:
        value = door.quantity(name)
        if value is None:
            value = property_length(door.find_prop(name))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def door_clear_width(
    door: Element, frame_deduction: float, index: ModelIndex | None = None
) -> tuple[float, bool] | None:
    """(通行净宽, estimated): the stated clear width, else the opening width less the frame.
    With ``index`` the stated width is looked up once per door (rules ask several times)."""
    if index is not None:
        stated_by_door = _cache(index).setdefault("stated_clear_width", {})
        if door.guid not in stated_by_door:
            stated_by_door[door.guid] = door_stated_clear_width(door)
        stated = stated_by_door[door.guid]
    else:
        stated = door_stated_clear_width(door)
    if stated is not None:
        return stated, False
    width = door_width(door)
    return (max(width - frame_deduction, 0.0), True) if width is not None else None


def served_functions(index: ModelIndex, element: Element) -> set[str]:
    """Function categories of the spaces an element bounds (e.g. the rooms a door opens into)."""
    return {s.function.category for s in index.bounded_spaces(element.guid) if s.function}


def door_function(index: ModelIndex, door: Element) -> DoorInference | None:
    """Which room a door serves: from the spaces it bounds, else from its names."""
    cache = _cache(index).setdefault("door_function", {})
    if door.guid not in cache:
        spaces = [s.function for s in index.bounded_spaces(door.guid)]
        cache[door.guid] = infer_door_function((door.name, door.object_type, door.type_name), spaces)
    return cache[door.guid]


# -- railings -----------------------------------------------------------------------------
BALCONY_WORDS = ("阳台", "露台", "balcony", "balkon", "terrace", "loggia", "балкон", "лоджи")


def railing_height(railing: Element, index: ModelIndex | None = None) -> float | None:
    """栏杆净高: Pset_RailingCommon.Height, else a Height quantity, else geometry."""
    value = railing.prop("Pset_RailingCommon", "Height")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    value = railing.quantity("Height", "Qto_RailingBaseQuantities")
    if value is not None or index is None:
        return value
    return index.derived_quantity(railing.guid, "Height")


def is_balcony_railing(index: ModelIndex, railing: Element) -> bool:
    """A guard at a balcony: it bounds or stands in a balcony space, or is named for one.
    Handrails are not guards (their height is a stair rule's business)."""
    if railing.predefined_type == "HANDRAIL":
        return False
    if any(s.function and s.function.category == "balcony" for s in related_spaces(index, railing)):
        return True
    return _has_word(_texts(railing), BALCONY_WORDS)


# -- stairs -------------------------------------------------------------------------------
PUBLIC_STAIR_WORDS = ("楼梯间", "公共", "疏散", "共用", "单元", "public", "common", "escape")
DWELLING_STAIR_WORDS = ("套内", "户内", "跃层", "复式", "private", "internal stair")


def stair_of(index: ModelIndex, flight: Element) -> Element | None:
    """The IfcStair a flight is part of."""
    whole = _whole_of(index).get(flight.guid)
    element = index.elements.get(whole) if whole else None
    return element if element is not None and element.ifc_class.startswith("IfcStair") else None


def is_stair_unit(index: ModelIndex, element: Element) -> bool:
    """Whether an element is what stair rules check: a flight, or a stair without flights
    (checking a stair and its flights both would count every value twice)."""
    if element.ifc_class.startswith("IfcStairFlight"):
        return True
    return not any(
        index.elements[p].ifc_class.startswith("IfcStairFlight")
        for p in index.parts_of.get(element.guid, ())
        if p in index.elements
    )


def _stair_number(index: ModelIndex, flight: Element, name: str) -> float | None:
    for element in (flight, stair_of(index, flight)):
        if element is None:
            continue
        for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
            value = element.prop(pset, name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
                return float(value)
        if element.dims.get(name, 0.0) > 0:  # IFC4 flights may carry 0 for "not set"
            return element.dims[name]
    return None


def stair_riser(flight: Element, index: ModelIndex | None = None) -> float | None:
    """踏步高度: RiserHeight of the flight, else of its stair."""
    if index is not None:
        return _stair_number(index, flight, "RiserHeight")
    for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
        value = flight.prop(pset, "RiserHeight")
        if isinstance(value, (int, float)):
            return float(value)
    return flight.dims.get("RiserHeight")


def stair_tread(flight: Element, index: ModelIndex | None = None) -> float | None:
    """踏步宽度: TreadLength of the flight, else of its stair."""
    if index is not None:
        return _stair_number(index, flight, "TreadLength")
    for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
        value = flight.prop(pset, "TreadLength")
        if isinstance(value, (int, float)):
            return float(value)
    return flight.dims.get("TreadLength")


def stair_width(index: ModelIndex, flight: Element) -> tuple[float, bool] | None:
    """(梯段净宽, estimated): a stated clear width, else the flight's Width (handrail
    projection not deducted, so estimated), else geometry (estimated)."""
    owners = [e for e in (flight, stair_of(index, flight)) if e is not None]
    for element in owners:
        stated = door_stated_clear_width(element)
        if stated is not None:
            return stated, False
    for element in owners:
        width = element.quantity("Width")
        if width is None:
            width = property_length(element.find_prop("Width"))
        if width is not None and width > 0:
            return width, True
    derived = index.derived_quantity(flight.guid, "Width")
    return (derived, True) if derived is not None else None


def stair_has_railing(index: ModelIndex, flight: Element) -> bool:
    """一边设栏杆: a railing modelled as part of the flight or its stair."""
    guids = set(index.parts_of.get(flight.guid, ()))
    stair = stair_of(index, flight)
    if stair is not None:
        guids |= set(index.parts_of.get(stair.guid, ()))
    return any(index.elements[g].ifc_class == "IfcRailing" for g in guids if g in index.elements)


def stated_stair_location(index: ModelIndex, flight: Element) -> str | None:
    """"public" (住宅公共楼梯) or "dwelling" (套内楼梯) as the model states it: from the
    spaces the flight (or its stair) bounds or stands in, then from its names."""
    stair = stair_of(index, flight)
    spaces = related_spaces(index, flight) + (related_spaces(index, stair) if stair else [])
    if any(is_public(s) for s in spaces):
        return "public"
    if any(s.function and s.function.category in DWELLING_ROOM_CATEGORIES | {"corridor"} for s in spaces):
        return "dwelling"
    texts = _texts(flight, stair)
    if _has_word(texts, DWELLING_STAIR_WORDS):
        return "dwelling"
    if _has_word(texts, PUBLIC_STAIR_WORDS):
        return "public"
    return None


def stair_location(index: ModelIndex, flight: Element) -> str | None:
    """Where a stair is: as stated, else presumed from the model as a whole (a model with a
    stairwell space keeps its stairs there; one with rooms and no stairwell is a house),
    else None. Results resting on a presumption are advisory (see ``stair_notes``)."""
    stated = stated_stair_location(index, flight)
    if stated is not None:
        return stated
    cache = _cache(index)
    if "presumed_stairs" not in cache:
        functions = [s.function for s in index.spaces() if s.function]
        presumed = None
        if any(f.category == "stair" for f in functions):
            presumed = "public"
        elif any(f.category in DWELLING_ROOM_CATEGORIES for f in functions):
            presumed = "dwelling"
        cache["presumed_stairs"] = presumed
    return cache["presumed_stairs"]


def stair_location_presumed(index: ModelIndex, flight: Element) -> bool:
    """True when the model does not state where the stair is (the result is advisory)."""
    return stated_stair_location(index, flight) is None


def stair_notes(index: ModelIndex, flight: Element, *, width: bool = False) -> tuple[str, str] | None:
    """(zh, en) remarks for a stair result resting on assumptions: its location was not
    stated, or its width is the flight's gross width."""
    notes: list[tuple[str, str]] = []
    if stair_location_presumed(index, flight):
        if stair_location(index, flight) == "dwelling":
            notes.append(("模型未说明楼梯位置，按套内楼梯推定", "the model does not say where the stair is; presumed inside a dwelling"))
        else:
            notes.append(("模型未说明楼梯位置，按公共楼梯推定", "the model does not say where the stair is; presumed a public stair"))
    measured = stair_width(index, flight) if width else None
    if measured is not None and measured[1]:
        notes.append(("梯段净宽按梯段宽度估算，未扣除扶手", "clear width estimated from the flight width, handrail not deducted"))
    if not notes:
        return None
    return "；".join(n[0] for n in notes), "; ".join(n[1] for n in notes)


# -- slabs --------------------------------------------------------------------------------
def _slab_layers(index: ModelIndex, slab: Element) -> list[tuple[str, float]]:
    """(material name, thickness in m) of the slab's material layer set, if it has one."""
    material = ifcopenshell.util.element.get_material(index.entity(slab.guid), should_skip_usage=True)
    if material is None or not material.is_a("IfcMaterialLayerSet"):
        return []
    return [
        ((layer.Material.Name if layer.Material else "") or "", float(layer.LayerThickness or 0.0) * index.units.length)
        for layer in material.MaterialLayers or ()
    ]


def _is_concrete(name: str) -> bool:
    name = name.lower()
    return any(word in name for word in CONCRETE_WORDS) and not any(word in name for word in SCREED_WORDS)


def slab_is_concrete(index: ModelIndex, slab: Element) -> bool | None:
    """Whether a slab is (reinforced) concrete by its materials; None when it has none."""
    names = [name for name, _ in _slab_layers(index, slab)] or list(slab.materials)
    if not names:
        return None
    return any(_is_concrete(name) for name in names)


def slab_thickness(index: ModelIndex, slab: Element) -> float | None:
    """楼板厚度: the concrete layers of its material layer set (screed and insulation left
    out); else the slab's Width quantity (IFC4: the thickness) or NominalWidth (IFC2X3); else
    volume ÷ area of the same quantity set (exact for a prismatic slab); else a Depth under
    1 m (IFC4 means a plan dimension by Depth, but some exporters write the thickness there,
    and no floor is under 1 m across); else a Thickness property; else geometry."""
    concrete = [thickness for name, thickness in _slab_layers(index, slab) if _is_concrete(name)]
    if concrete and sum(concrete) > 0:
        return sum(concrete)
    for name in ("Width", "NominalWidth"):
        value = slab.quantity(name, "Qto_SlabBaseQuantities")
        if value is not None and value > 0:
            return value
    for values in slab.qsets.values():
        for volume, area in (("NetVolume", "NetArea"), ("GrossVolume", "GrossArea")):
            if values.get(volume) and values.get(area):
                ratio = values[volume] / values[area]
                if 0 < ratio < _MAX_SLAB_THICKNESS:  # a larger ratio means mislabelled units
                    return ratio
    depth = slab.quantity("Depth", "Qto_SlabBaseQuantities")
    if depth is not None and 0 < depth < 1.0:
        return depth
    for name in ("Thickness", "厚度", "板厚"):
        value = slab.find_prop(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
    return index.derived_quantity(slab.guid, "Width")


_MAX_SLAB_THICKNESS = 2.0
