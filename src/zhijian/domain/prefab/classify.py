"""Which evaluation population an element belongs to (GB/T 51129 表 4.0.1), and why.

Populations: ``vertical`` (columns, load-bearing and shear walls, braces), ``horizontal``
(beams, floor/roof slabs, landings, stairs, balconies, AC plates), ``envelope``
(non-load-bearing external walls, curtain walls), ``partition`` (non-load-bearing internal
walls). Only elements of the evaluated building above ground count (3.0.1: the part above the
outdoor ground); every candidate left out is listed with its reason, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ifcopenshell.util.element

from zhijian.domain.bim.index import Element, ModelIndex
from zhijian.domain.errors import UnknownBuildingError
from zhijian.domain.prefab.precast import yes_no

VERTICAL, HORIZONTAL, ENVELOPE, PARTITION = "vertical", "horizontal", "envelope", "partition"
POPULATIONS = (VERTICAL, HORIZONTAL, ENVELOPE, PARTITION)

# category → (zh, en)
CATEGORIES: dict[str, tuple[str, str]] = {
    "column": ("柱", "column"),
    "load_bearing_wall": ("承重墙、剪力墙", "load-bearing / shear wall"),
    "brace": ("支撑", "brace"),
    "beam": ("梁", "beam"),
    "floor_slab": ("楼板", "floor slab"),
    "roof_slab": ("屋面板", "roof slab"),
    "landing": ("休息平台板", "landing"),
    "stair": ("楼梯", "stair"),
    "balcony": ("阳台板", "balcony slab"),
    "ac_plate": ("空调板", "AC plate"),
    "envelope_wall": ("非承重围护墙", "non-load-bearing envelope wall"),
    "curtain_wall": ("幕墙", "curtain wall"),
    "partition_wall": ("内隔墙", "interior partition"),
}

# Classes looked at at all; anything else (doors, furniture, MEP) is not a candidate.
CANDIDATE_CLASSES = (
    "IfcColumn",
    "IfcWall",
    "IfcCurtainWall",
    "IfcMember",
    "IfcBeam",
    "IfcSlab",
    "IfcStair",
    "IfcStairFlight",
    "IfcRoof",
    "IfcBuildingElementProxy",
)

_SHEAR_WALL = re.compile(r"剪力墙|承重墙|shear ?wall|load[- ]?bearing|bearing wall|dragende? wand|tragwand", re.IGNORECASE)
_PARTITION = re.compile(r"隔墙|隔断|partition|scheidingswand|trennwand", re.IGNORECASE)
_ENVELOPE = re.compile(r"围护墙|外围护|外挂墙板|幕墙|cladding|curtain ?wall", re.IGNORECASE)
_BALCONY = re.compile(r"阳台|balcon|balkon", re.IGNORECASE)
_AC_PLATE = re.compile(r"空调板|空调机位|ac ?plate|air[- ]?condition", re.IGNORECASE)
_BRACE = re.compile(r"支撑|brace|bracing", re.IGNORECASE)
_EXCLUDED_SLAB_TYPES = {
    "BASESLAB": "foundation slab (BASESLAB), not part of the structure above ground",
    "PAVING": "paving (PAVING)",
    "SIDEWALK": "sidewalk (SIDEWALK)",
    "WEARING": "wearing course (WEARING)",
    "TRACKSLAB": "track slab (TRACKSLAB)",
    "APPROACH_SLAB": "approach slab (APPROACH_SLAB)",
}


@dataclass(frozen=True, slots=True)
class Placement:
    """An element placed in a population (or left out, population None) with the reason."""

    element: Element
    population: str | None
    category: str | None
    reason: str
    storey: str | None = None


@dataclass(frozen=True)
class Selection:
    building: str | None
    placed: tuple[Placement, ...]  # in a population
    excluded: tuple[Placement, ...]  # candidates left out, with the reason
    out_of_building: int = 0  # candidates in another building (not listed)
    whole_of: dict[str, Element] = field(default_factory=dict)  # part guid → its assembly

    def of(self, population: str) -> list[Placement]:
        return [p for p in self.placed if p.population == population]


def text_of(element: Element) -> str:
    return " ".join(t for t in (element.name, element.long_name, element.type_name, element.object_type) if t)


def _pset_flag(element: Element, common: str, name: str) -> bool | None:
    value = element.prop(common, name)
    if value is None:
        value = element.find_prop(name)
    return yes_no(value)


def classify(index: ModelIndex, element: Element) -> tuple[str | None, str | None, str]:
    """(population, category, reason) for a candidate element; population None = left out."""
    cls = element.ifc_class
    text = text_of(element)
    predefined = (element.predefined_type or "").upper()
    if _is(element, "IfcColumn"):
        if _pset_flag(element, "Pset_ColumnCommon", "LoadBearing") is False:
            return None, None, "column with Pset_ColumnCommon.LoadBearing = FALSE (not structural)"
        return VERTICAL, "column", f"{cls}"
    if _is(element, "IfcCurtainWall"):
        if _pset_flag(element, "Pset_CurtainWallCommon", "IsExternal") is False:
            return None, None, "internal curtain wall (IsExternal = FALSE)"
        return ENVELOPE, "curtain_wall", "IfcCurtainWall"
    if _is(element, "IfcWall"):
        return _classify_wall(element, text, predefined)
    if _is(element, "IfcMember"):
        if predefined == "BRACE" or _BRACE.search(text):
            return VERTICAL, "brace", "IfcMember BRACE" if predefined == "BRACE" else f"IfcMember named {text!r}"
        return None, None, f"IfcMember {predefined or ''} is not a brace".replace("  ", " ")
    if _is(element, "IfcBeam"):
        if _pset_flag(element, "Pset_BeamCommon", "LoadBearing") is False:
            return None, None, "beam with Pset_BeamCommon.LoadBearing = FALSE (e.g. a lintel)"
        if predefined == "LINTEL":
            return None, None, "lintel (LINTEL), part of the envelope, not a structural beam"
        return HORIZONTAL, "beam", cls
    if _is(element, "IfcSlab"):
        if _BALCONY.search(text):
            return HORIZONTAL, "balcony", f"IfcSlab named {text!r}"
        if _AC_PLATE.search(text):
            return HORIZONTAL, "ac_plate", f"IfcSlab named {text!r}"
        if predefined in _EXCLUDED_SLAB_TYPES:
            return None, None, _EXCLUDED_SLAB_TYPES[predefined]
        category = {"ROOF": "roof_slab", "LANDING": "landing"}.get(predefined, "floor_slab")
        return HORIZONTAL, category, f"IfcSlab {predefined or 'without PredefinedType'}"
    if _is(element, "IfcStair"):
        parts = [g for g in index.parts_of.get(element.guid, ()) if g in index.elements]
        if parts:
            return None, None, f"stair measured through its {len(parts)} parts (flights, landings)"
        return HORIZONTAL, "stair", "IfcStair without parts"
    if _is(element, "IfcStairFlight"):
        return HORIZONTAL, "stair", "IfcStairFlight"
    if _is(element, "IfcRoof"):
        parts = [g for g in index.parts_of.get(element.guid, ()) if g in index.elements]
        if parts:
            return None, None, f"roof measured through its {len(parts)} parts (slabs)"
        return HORIZONTAL, "roof_slab", "IfcRoof without parts"
    if _is(element, "IfcBuildingElementProxy"):
        if _BALCONY.search(text):
            return HORIZONTAL, "balcony", f"proxy named {text!r}"
        if _AC_PLATE.search(text):
            return HORIZONTAL, "ac_plate", f"proxy named {text!r}"
        return None, None, "IfcBuildingElementProxy not identified as a balcony or AC plate (阳台板/空调板)"
    return None, None, f"{cls} is not an evaluated member"


_SUBCLASSES = {
    "IfcColumn": ("IfcColumn", "IfcColumnStandardCase"),
    "IfcWall": ("IfcWall", "IfcWallStandardCase", "IfcWallElementedCase"),
    "IfcCurtainWall": ("IfcCurtainWall",),
    "IfcMember": ("IfcMember", "IfcMemberStandardCase"),
    "IfcBeam": ("IfcBeam", "IfcBeamStandardCase"),
    "IfcSlab": ("IfcSlab", "IfcSlabStandardCase", "IfcSlabElementedCase"),
    "IfcStair": ("IfcStair",),
    "IfcStairFlight": ("IfcStairFlight",),
    "IfcRoof": ("IfcRoof",),
    "IfcBuildingElementProxy": ("IfcBuildingElementProxy",),
}


def _is(element: Element, cls: str) -> bool:
    return element.ifc_class in _SUBCLASSES[cls]


def _classify_wall(element: Element, text: str, predefined: str) -> tuple[str | None, str | None, str]:
    load_bearing = _pset_flag(element, "Pset_WallCommon", "LoadBearing")
    external = _pset_flag(element, "Pset_WallCommon", "IsExternal")
    if load_bearing is True:
        return VERTICAL, "load_bearing_wall", "Pset_WallCommon.LoadBearing = TRUE"
    if load_bearing is None and (predefined == "SHEAR" or _SHEAR_WALL.search(text)):
        why = "PredefinedType SHEAR" if predefined == "SHEAR" else f"named {text!r}"
        return VERTICAL, "load_bearing_wall", f"shear wall ({why}; LoadBearing not given)"
    if predefined == "PARAPET":
        return None, None, "parapet (PARAPET), not an envelope wall"
    partition_hint = predefined == "PARTITIONING" or bool(_PARTITION.search(text))
    envelope_hint = bool(_ENVELOPE.search(text))
    if load_bearing is None and not (partition_hint or envelope_hint):
        return None, None, "wall: Pset_WallCommon.LoadBearing not given and no shear-wall or partition name or type"
    why = "LoadBearing = FALSE" if load_bearing is False else "partition or envelope name/type, LoadBearing not given"
    if external is True:
        return ENVELOPE, "envelope_wall", f"non-load-bearing ({why}), IsExternal = TRUE"
    if external is False:
        return PARTITION, "partition_wall", f"non-load-bearing ({why}), IsExternal = FALSE"
    if envelope_hint:
        return ENVELOPE, "envelope_wall", f"non-load-bearing ({why}), envelope name {text!r}, IsExternal not given"
    if partition_hint:
        return PARTITION, "partition_wall", f"non-load-bearing ({why}), partition name/type, IsExternal not given"
    return None, None, f"non-load-bearing wall ({why}): Pset_WallCommon.IsExternal not given"


# -- building scope ---------------------------------------------------------------------------
def building_storeys(index: ModelIndex, building: str | None) -> tuple[str | None, set[str] | None]:
    """(building label, guids of its storeys); (None, None) = the whole model (one building)."""
    buildings = index.ifc.by_type("IfcBuilding")
    labels = [b.Name or b.GlobalId for b in buildings]
    if building is None:
        if len(buildings) > 1:
            raise UnknownBuildingError(
                f"the model has {len(buildings)} buildings ({', '.join(labels)}): choose one with --building "
                "(the evaluation unit is a single building, GB/T 51129 3.0.1)"
            )
        return (labels[0] if labels else None), None
    matches = [b for b in buildings if building in (b.Name, b.GlobalId)]
    if not matches:
        known = ", ".join(labels) if labels else "none"
        raise UnknownBuildingError(f"no building named {building!r} in the model; buildings: {known}")
    if len(matches) > 1:
        raise UnknownBuildingError(
            f"{len(matches)} buildings are named {building!r}; name one by its GlobalId: "
            + ", ".join(b.GlobalId for b in matches)
        )
    target = matches[0]
    storeys: set[str] = set()
    for storey in index.ifc.by_type("IfcBuildingStorey"):
        parent = ifcopenshell.util.element.get_aggregate(storey)
        hops = 0
        while parent is not None and not parent.is_a("IfcBuilding") and hops < 16:
            parent = ifcopenshell.util.element.get_aggregate(parent)
            hops += 1
        if parent is not None and parent.id() == target.id():
            storeys.add(storey.GlobalId)
    return target.Name or target.GlobalId, storeys


def select(index: ModelIndex, building: str | None = None) -> Selection:
    """Every candidate element placed in a population or left out with its reason."""
    label, storeys = building_storeys(index, building)
    by_guid = {s.guid: s for s in index.storeys}
    whole_of = {part: index.elements[whole] for whole, parts in index.parts_of.items() if whole in index.elements for part in parts}
    placed: list[Placement] = []
    excluded: list[Placement] = []
    outside = 0
    for element in index.of_class(*CANDIDATE_CLASSES):
        storey = by_guid.get(element.storey_guid or "")
        if storeys is not None and (storey is None or storey.guid not in storeys):
            outside += 1
            continue
        storey_name = storey.name if storey else None
        if storey is None:
            excluded.append(Placement(element, None, None, "not contained in any storey", None))
            continue
        if storey.above_ground_index is None:
            excluded.append(Placement(element, None, None, f"below ground (storey {storey.name})", storey_name))
            continue
        population, category, reason = classify(index, element)
        target = placed if population else excluded
        target.append(Placement(element, population, category, reason, storey_name))
    return Selection(label, tuple(placed), tuple(excluded), outside, whole_of)
