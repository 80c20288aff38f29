"""Measurements for the fire, civil-building and accessibility rules — always SI.

What these rules need beyond :mod:`zhijian.domain.review.measures`: clear widths (净宽) of
doors, corridors, stairs and ramps; which elements are evacuation exits, external or
barrier-free; stairs as checkable units (a flight, or a stair without flights); ramp slopes;
and building-level facts (height, lifts, storey areas). Each returns None when the model
does not say, so rules report missing data instead of guessing; where a value is an
estimate (a clear width from an overall width) the result says so.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.unit

from zhijian.domain.bim.index import Element, ModelIndex, attribute_of
from zhijian.domain.bim.units import LENGTH_MEASURES
from zhijian.domain.review import measures
from zhijian.domain.review.measures import door_height, space_net_area
from zhijian.domain.review.rule import CheckContext, fmt

# A door's clear width is its overall width less the frame on both sides; 0.10 m is the
# usual deduction for a 50 mm frame rebate each side. Rules declare it as a parameter.
DEFAULT_FRAME_DEDUCTION = 0.10

CLEAR_WIDTH_NAMES = measures.CLEAR_WIDTH_NAMES
CLEAR_HEIGHT_NAMES = ("ClearHeight", "通行净高", "净高")
_TRUE_TEXT = {"true", "yes", "y", "1", "是", "t", ".t."}
_FALSE_TEXT = {"false", "no", "n", "0", "否", "f", ".f."}


@dataclass(frozen=True)
class Measured:
    """A value in SI and whether it was estimated rather than stated by the model."""

    value: float
    estimated: bool = False
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class MeasuredBy:
    """Adapts a function giving :class:`Measured` to ThresholdRule's ``measure``, ``remark``
    and ``advisory``: an estimated value says how it was estimated and is advisory."""

    get: Callable[[Element, CheckContext], Measured | None]

    def measure(self, element: Element, ctx: CheckContext) -> float | None:
        found = self.get(element, ctx)
        return found.value if found is not None else None

    def remark(self, element: Element, ctx: CheckContext) -> tuple[str, str] | None:
        found = self.get(element, ctx)
        return (found.note_zh, found.note_en) if found is not None and found.note_zh else None

    def advisory(self, element: Element, ctx: CheckContext) -> bool:
        found = self.get(element, ctx)
        return found is not None and found.estimated


# -- plain values -------------------------------------------------------------------------
def as_metres(value: Any) -> float | None:
    """A length from a property value (untyped numbers above 10 are millimetres)."""
    return measures.property_length(value)


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE_TEXT:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE_TEXT:
        return False
    return None


def flag(element: Element, *names: str) -> bool | None:
    """A boolean property (FireExit, HandicapAccessible, IsExternal…) from any property set;
    the Pset_*Common value wins over exporter-specific ones."""
    found: bool | None = None
    for pset, props in element.psets.items():
        for name in names:
            value = as_bool(props.get(name))
            if value is None:
                continue
            if pset.startswith("Pset_") and pset.endswith("Common"):
                return value
            found = value if found is None else found
    return found


def _stated_length(element: Element, names: Iterable[str]) -> float | None:
    for name in names:
        quantity = element.quantity(name)
        if quantity is not None and quantity > 0:
            return quantity
        value = as_metres(element.find_prop(name))
        if value is not None:
            return value
    return None


# -- per-index caches -----------------------------------------------------------------------
_CACHES: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}


def _cache(index: ModelIndex) -> dict[str, Any]:
    """Derived lookups per index, dropped with the index (ModelIndex is not hashable)."""
    key = id(index)
    entry = _CACHES.get(key)
    if entry is None or entry[0]() is not index:
        _CACHES[key] = (weakref.ref(index, lambda _ref, key=key: _CACHES.pop(key, None)), {})
    return _CACHES[key][1]


def whole_of(index: ModelIndex, guid: str) -> Element | None:
    """The element an element is part of (a flight's stair, a railing's stair or ramp)."""
    cache = _cache(index)
    if "whole_of" not in cache:
        cache["whole_of"] = {
            part: whole for whole, parts in index.parts_of.items() for part in parts
        }
    whole = cache["whole_of"].get(guid)
    return index.elements.get(whole) if whole else None


# -- doors ------------------------------------------------------------------------------------
def is_fire_exit(door: Element) -> bool:
    """安全出口 / 疏散门: Pset_DoorCommon.FireExit (Revit also writes IsFireExit)."""
    return flag(door, "FireExit", "IsFireExit") is True


def is_external(element: Element) -> bool:
    return flag(element, "IsExternal") is True


def door_clear_width(door: Element, frame_deduction: float = DEFAULT_FRAME_DEDUCTION) -> Measured | None:
    """通行净宽 of a door (shared with the residential rules), with the estimate spelled out."""
    found = measures.door_clear_width(door, frame_deduction)
    if found is None:
        return None
    value, estimated = found
    if not estimated:
        return Measured(value)
    overall = measures.door_width(door) or value + frame_deduction
    return Measured(
        value,
        estimated=True,
        note_zh=f"净宽按门宽 {fmt(overall, 'm')} 扣除门框 {fmt(frame_deduction, 'm')} 估算",
        note_en=(
            f"clear width estimated as the door width {fmt(overall, 'm')} "
            f"less {fmt(frame_deduction, 'm')} of frame"
        ),
    )


def door_clear_height(door: Element) -> Measured | None:
    """Clear height of a door: a stated clear height, else its overall height (frame included)."""
    stated = _stated_length(door, CLEAR_HEIGHT_NAMES)
    if stated is not None:
        return Measured(stated)
    overall = door_height(door)
    if overall is None:
        return None
    return Measured(
        overall, True, "按门总高计，未扣除门框", "overall door height, frame not deducted"
    )


def door_is_automatic(door: Element) -> bool:
    """自动门: IFC4 Pset_DoorCommon.HasDrive."""
    return flag(door, "HasDrive") is True


# -- spaces -----------------------------------------------------------------------------------
CORRIDOR_FUNCTIONS = ("corridor", "public_corridor")


def is_corridor(space: Element) -> bool:
    return space.function is not None and space.function.function in CORRIDOR_FUNCTIONS


def is_public_corridor(space: Element, building_use: str) -> bool:
    """公共走道: a space named as one, any corridor of a public building, or a corridor the
    model marks PubliclyAccessible. Corridors inside a dwelling are not public."""
    if space.function is None:
        return False
    if space.function.function == "public_corridor":
        return True
    if space.function.function != "corridor":
        return False
    return building_use == "public" or flag(space, "PubliclyAccessible") is True


def space_clear_width(index: ModelIndex, space: Element) -> float | None:
    """净宽 of a corridor (shared with the residential rules): stated, else geometry."""
    cache = _cache(index).setdefault("space_width", {})
    if space.guid not in cache:
        cache[space.guid] = measures.space_width(index, space)
    return cache[space.guid]


def is_below_ground(index: ModelIndex, element: Element) -> bool:
    storey = index.storey(element.storey_guid)
    return storey is not None and storey.above_ground_index is None


# -- stairs -----------------------------------------------------------------------------------
def stair_units(index: ModelIndex) -> list[Element]:
    """What stair rules check: every flight, and every stair that has no flights modelled."""
    return [e for e in index.of_class("IfcStairFlight", "IfcStair") if is_stair_unit(index, e)]


def is_stair_unit(index: ModelIndex, element: Element) -> bool:
    return measures.is_stair_unit(index, element)


def riser_height(index: ModelIndex, unit: Element) -> float | None:
    return measures.stair_riser(unit, index)


def tread_length(index: ModelIndex, unit: Element) -> float | None:
    return measures.stair_tread(unit, index)


def _stair_value(index: ModelIndex, unit: Element, name: str) -> Any:
    """A stair property from the flight, else from its stair (Pset_StairCommon)."""
    for element in (unit, measures.stair_of(index, unit)):
        if element is None:
            continue
        for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
            value = element.prop(pset, name)
            if value is not None:
                return value
    return None


def riser_count(index: ModelIndex, unit: Element) -> int | None:
    """踏步级数: NumberOfRiser from the property sets, else the flight's own attribute
    (IFC4 IfcStairFlight.NumberOfRisers, IFC2X3 NumberOfRiser)."""
    value = _stair_value(index, unit, "NumberOfRiser")
    if value is None and unit.ifc_class.startswith("IfcStairFlight"):
        entity = index.entity(unit.guid)
        value = attribute_of(entity, "NumberOfRisers") or attribute_of(entity, "NumberOfRiser")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return round(value)
    return None


def stair_of(index: ModelIndex, unit: Element) -> Element:
    """The stair a flight belongs to (itself when it is a stair or a lone flight)."""
    return measures.stair_of(index, unit) or unit


def stair_is_external(index: ModelIndex, unit: Element) -> bool:
    return is_external(unit) or is_external(stair_of(index, unit))


def stair_is_public(index: ModelIndex, unit: Element) -> bool:
    """公共楼梯: every stair of a public building; in a residential one, unless the model
    places it inside a dwelling (套内). A stair the model does not place counts as public."""
    return measures.stair_location(index, unit) != "dwelling"


def stair_placement_assumed(index: ModelIndex, unit: Element, building_use: str) -> bool:
    """True when a residential stair is taken as public without the model saying so."""
    return building_use == "residential" and measures.stair_location(index, unit) is None


def public_stair_assumed(unit: Element, ctx: CheckContext) -> bool:
    """For ThresholdRule.advisory: the stair was taken as public without the model saying so."""
    return stair_placement_assumed(ctx.index, unit, ctx.building_use)


def public_stair_remark(unit: Element, ctx: CheckContext) -> tuple[str, str] | None:
    """For ThresholdRule.remark: say when a stair was taken as public by assumption."""
    if not public_stair_assumed(unit, ctx):
        return None
    return (
        "模型未表明该楼梯是否位于套内，按公共楼梯检查",
        "the model does not say whether the stair is inside a dwelling; checked as a public stair",
    )


def stair_clear_width(index: ModelIndex, unit: Element) -> Measured | None:
    """梯段净宽 (shared with the residential rules), with the estimate spelled out."""
    found = measures.stair_width(index, unit)
    if found is None:
        return None
    value, estimated = found
    if not estimated:
        return Measured(value)
    return Measured(value, True, "按梯段宽度计，未扣除扶手", "flight width; handrail projection not deducted")


def stair_has_railing(index: ModelIndex, unit: Element) -> bool:
    """一边设栏杆: a railing modelled as part of the flight or its stair."""
    return measures.stair_has_railing(index, unit)


# -- railings ---------------------------------------------------------------------------------
def railing_height(index: ModelIndex, railing: Element) -> float | None:
    return measures.railing_height(railing, index)


GUARD_TYPES = ("GUARDRAIL", "BALUSTRADE")
# Spaces whose open edges need a guard (阳台, 外廊/走廊, 露台, 上人屋面).
GUARDED_SPACE_CATEGORIES = ("balcony", "corridor")


def railing_owner(index: ModelIndex, railing: Element) -> Element | None:
    """The stair, flight or ramp a railing is part of, if any."""
    whole = whole_of(index, railing.guid)
    if whole is not None and whole.ifc_class.startswith(("IfcStair", "IfcRamp")):
        return whole
    return None


def guarded_spaces(index: ModelIndex, railing: Element) -> list[Element]:
    """Balconies, corridors and roof terraces a railing bounds or stands in."""
    return [
        s
        for s in measures.related_spaces(index, railing)
        if s.function and s.function.category in GUARDED_SPACE_CATEGORIES
    ]


def is_guard_railing(index: ModelIndex, railing: Element) -> bool:
    """防护栏杆 at an open edge: typed GUARDRAIL/BALUSTRADE, or any railing but a handrail
    at a balcony or corridor. A stair handrail is not a guard (its height is set elsewhere)."""
    if railing.predefined_type == "HANDRAIL":
        return False
    if railing.predefined_type in GUARD_TYPES:
        return True
    return bool(guarded_spaces(index, railing))


# -- ramps ------------------------------------------------------------------------------------
def ramp_units(index: ModelIndex) -> list[Element]:
    """Every ramp flight, and every ramp with no flights modelled."""
    flights = index.of_class("IfcRampFlight")
    with_flights = {w.guid for f in flights if (w := whole_of(index, f.guid)) is not None}
    return flights + [r for r in index.of_class("IfcRamp") if r.guid not in with_flights]


def is_ramp_unit(index: ModelIndex, element: Element) -> bool:
    if element.ifc_class == "IfcRampFlight":
        return True
    return not any(
        index.elements[p].ifc_class == "IfcRampFlight"
        for p in index.parts_of.get(element.guid, ())
        if p in index.elements
    )


def _with_whole(index: ModelIndex, element: Element) -> list[Element]:
    whole = whole_of(index, element.guid)
    return [element, whole] if whole is not None else [element]


def ramp_is_accessible(index: ModelIndex, unit: Element) -> bool:
    """轮椅坡道: HandicapAccessible on the flight or its ramp."""
    return any(flag(e, "HandicapAccessible") is True for e in _with_whole(index, unit))


def ramp_is_external(index: ModelIndex, unit: Element) -> bool:
    return any(is_external(e) for e in _with_whole(index, unit))


def _angle_scale(index: ModelIndex) -> float:
    cache = _cache(index)
    if "angle" not in cache:
        cache["angle"] = float(ifcopenshell.util.unit.calculate_unit_scale(index.ifc, "PLANEANGLEUNIT"))
    return cache["angle"]


def _ratio(value: Any) -> float | None:
    """A slope written as text: "1:12", "1/12", "8.33%"."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("：", ":")
    match = re.fullmatch(r"1\s*[:/]\s*([0-9]+(?:\.[0-9]+)?)", text)
    if match and float(match.group(1)) > 0:
        return 1.0 / float(match.group(1))
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)\s*%", text)
    return float(match.group(1)) / 100.0 if match else None


def ramp_rise(index: ModelIndex, unit: Element) -> float | None:
    """Height a ramp run climbs: a stated Rise/Height, else horizontal length × slope."""
    stated = _stated_length(unit, ("Rise", "RiseHeight", "提升高度", "高差"))
    if stated is None:
        stated = unit.quantity("Height")
    if stated is not None:
        return stated
    length = unit.quantity("Length")
    slope = ramp_slope(index, unit, use_rise=False)
    return length * slope if length is not None and slope is not None else None


def ramp_slope(index: ModelIndex, unit: Element, *, use_rise: bool = True) -> float | None:
    """纵坡 as a ratio (rise / run): Pset_RampFlightCommon.Slope (an angle), a ratio written
    as text ("1:12"), else the stated rise over the horizontal length."""
    angle = unit.prop("Pset_RampFlightCommon", "Slope")
    if isinstance(angle, (int, float)) and not isinstance(angle, bool) and angle > 0:
        return math.tan(float(angle) * _angle_scale(index))
    for name in ("Slope", "坡度", "纵坡"):
        ratio = _ratio(unit.find_prop(name))
        if ratio is not None:
            return ratio
    if use_rise:
        rise = _stated_length(unit, ("Rise", "RiseHeight", "提升高度", "高差")) or unit.quantity("Height")
        length = unit.quantity("Length")
        if rise is not None and length:
            return rise / length
    return None


def ramp_clear_width(index: ModelIndex, unit: Element) -> Measured | None:
    """坡道通行净宽: Pset_RampFlightCommon.ClearWidth, else the Width quantity (estimated)."""
    stated = _stated_length(unit, CLEAR_WIDTH_NAMES)
    if stated is not None:
        return Measured(stated)
    width = unit.quantity("Width")
    if width is None:
        width = index.derived_quantity(unit.guid, "Width")
    if width is None:
        return None
    return Measured(width, True, "按坡道宽度计，未扣除扶手", "ramp width; handrails not deducted")


# -- building and storeys ---------------------------------------------------------------------
HEIGHT_NAMES = ("BuildingHeight", "建筑高度")
TRANSPORT_NAMES = ("MainVerticalTransport", "主要垂直交通")


@dataclass(frozen=True)
class BuildingFacts:
    """Facts about the building as a whole, from IfcBuilding and the storeys."""

    height_m: float | None  # stated 建筑高度 (Qto_BuildingBaseQuantities.Height or a property)
    top_storey_m: float  # the highest above-ground storey floor: the building is at least this tall
    storeys_above_ground: int
    has_lift: bool  # an IfcTransportElement lift is modelled
    main_transport: str | None  # "elevator" / "stair" when stated

    def taller_than(self, metres: float) -> bool | None:
        """True / False when the model settles it, None when it cannot."""
        if self.height_m is not None:
            return self.height_m > metres
        return True if self.top_storey_m > metres else None

    def at_most(self, metres: float) -> bool | None:
        taller = self.taller_than(metres)
        return None if taller is None else not taller

    @property
    def elevator_primary(self) -> bool:
        """以电梯作为主要垂直交通: as stated, else whenever a lift is modelled."""
        if self.main_transport is not None:
            return self.main_transport == "elevator"
        return self.has_lift


def _definitions(entity: ifcopenshell.entity_instance) -> Iterable[ifcopenshell.entity_instance]:
    for rel in getattr(entity, "IsDefinedBy", None) or ():
        if rel.is_a("IfcRelDefinesByProperties"):
            definition = rel.RelatingPropertyDefinition
            yield from definition if isinstance(definition, tuple) else (definition,)


def _entity_quantities(index: ModelIndex, entity: ifcopenshell.entity_instance) -> dict[str, float]:
    """Length and area quantities of a spatial element (not in the index), in SI."""
    values: dict[str, float] = {}
    for definition in _definitions(entity):
        if definition.is_a("IfcElementQuantity"):
            for q in definition.Quantities or ():
                if q.is_a("IfcQuantityLength") and q[3] is not None:
                    values.setdefault(q.Name, float(q[3]) * index.units.length)
                elif q.is_a("IfcQuantityArea") and q[3] is not None:
                    values.setdefault(q.Name, float(q[3]) * index.units.area)
    return values


def _entity_properties(index: ModelIndex, entity: ifcopenshell.entity_instance) -> dict[str, Any]:
    """Single-value properties of a spatial element, typed lengths in SI."""
    values: dict[str, Any] = {}
    for definition in _definitions(entity):
        if definition.is_a("IfcPropertySet"):
            for prop in definition.HasProperties or ():
                nominal = getattr(prop, "NominalValue", None)
                if nominal is None:
                    continue
                value = nominal.wrappedValue
                if nominal.is_a() in LENGTH_MEASURES:
                    value = float(value) * index.units.length
                values.setdefault(prop.Name, value)
    return values


def _height_metres(value: Any) -> float | None:
    """A building height: typed lengths arrive in metres; an untyped number above 1000 is mm."""
    return measures.property_length(value, millimetres_above=1000.0)


def building_facts(index: ModelIndex) -> BuildingFacts:
    cache = _cache(index)
    if "building" not in cache:
        values: dict[str, Any] = {}
        quantities: dict[str, float] = {}
        for building in index.ifc.by_type("IfcBuilding"):
            values.update(_entity_properties(index, building))
            quantities.update(_entity_quantities(index, building))
        height = next((_height_metres(values[n]) for n in HEIGHT_NAMES if n in values), None)
        if height is None:
            height = quantities.get("Height")  # Qto_BuildingBaseQuantities
        transport = next((str(values[n]) for n in TRANSPORT_NAMES if n in values), None)
        main = None
        if transport:
            low = transport.lower()
            main = "elevator" if ("电梯" in low or "elevator" in low or "lift" in low) else "stair"
        above = [s.elevation_m for s in index.storeys if s.above_ground_index is not None]
        lifts = [
            e for e in index.of_class("IfcTransportElement")
            if (e.predefined_type or "").upper() in ("ELEVATOR", "LIFT")
        ]
        cache["building"] = BuildingFacts(
            height_m=height,
            top_storey_m=max(above, default=0.0),
            storeys_above_ground=len(above),
            has_lift=bool(lifts),
            main_transport=main,
        )
    return cache["building"]


def storey_area(index: ModelIndex, storey_guid: str) -> Measured | None:
    """建筑面积 of a storey: its GrossFloorArea, else the sum of its spaces' gross areas,
    else of their net areas (a lower bound, said so)."""
    entity = index.ifc.by_guid(storey_guid)
    gross = _entity_quantities(index, entity).get("GrossFloorArea")
    if gross is not None and gross > 0:
        return Measured(gross)
    spaces = _by_storey(index, "IfcSpace").get(storey_guid, [])
    if not spaces:
        return None
    grosses = [s.quantity("GrossFloorArea", "Qto_SpaceBaseQuantities") for s in spaces]
    if all(g is not None for g in grosses):
        return Measured(sum(grosses), True, "按各空间建筑面积之和计", "sum of the spaces' gross areas")
    nets = [space_net_area(index, s) for s in spaces]
    if all(n is not None for n in nets):
        return Measured(
            sum(nets), True, "按各空间使用面积之和估算（小于建筑面积）",
            "sum of the spaces' net areas (less than the gross area)",
        )
    return None


def _by_storey(index: ModelIndex, ifc_class: str) -> dict[str, list[Element]]:
    """Elements of a class grouped by storey, once per index."""
    cache = _cache(index).setdefault("by_storey", {})
    if ifc_class not in cache:
        grouped: dict[str, list[Element]] = {}
        for element in index.of_class(ifc_class):
            if element.storey_guid:
                grouped.setdefault(element.storey_guid, []).append(element)
        cache[ifc_class] = grouped
    return cache[ifc_class]


def exits_on_storey(index: ModelIndex, storey_guid: str) -> list[Element]:
    """安全出口 on a storey: doors the model flags as fire exits."""
    return [d for d in _by_storey(index, "IfcDoor").get(storey_guid, []) if is_fire_exit(d)]


def on_first_storey(index: ModelIndex, element: Element) -> bool:
    """首层: the lowest storey at or above ±0.000."""
    storey = index.storey(element.storey_guid)
    return storey is not None and storey.above_ground_index == 1


def is_dwelling_entrance(index: ModelIndex, door: Element) -> bool:
    """户门: from the spaces the door bounds, else its names (shared door inference)."""
    inferred = measures.door_function(index, door)
    return inferred is not None and inferred.door.function == "dwelling_entrance"


def is_first_storey_exterior_exit(index: ModelIndex, door: Element) -> bool:
    """首层疏散外门: an external fire-exit door on the first storey."""
    return is_fire_exit(door) and is_external(door) and on_first_storey(index, door)


LOW_BUILDING_HEIGHT = 18.0  # GB 50016 5.5.30 / GB 55037 7.1.4: the 1.0 m residential stair


def narrow_stair_allowed(index: ModelIndex, unit: Element) -> bool | None:
    """建筑高度不大于18m且一边设栏杆 (a residential stair may then be 1.0 m): True or False
    when the model settles it; None when the building height is unknown and a railing is
    modelled as part of the stair."""
    if not stair_has_railing(index, unit):
        return False
    return building_facts(index).at_most(LOW_BUILDING_HEIGHT)


# -- windows ----------------------------------------------------------------------------------
SILL_NAMES = ("SillHeight", "Sill Height", "窗台高度", "窗台高")
# Partitionings whose panels all run the window's full height (side by side).
FULL_HEIGHT_PARTITIONS = frozenset({"SINGLE_PANEL", "DOUBLE_PANEL_VERTICAL", "TRIPLE_PANEL_VERTICAL"})
NON_OPENING = frozenset({"FIXEDCASEMENT", "NOTDEFINED"})


def window_bottom(index: ModelIndex, window: Element) -> float | None:
    """Height of a window's bottom above its storey floor: a stated sill height, else the
    window's placement above the storey's elevation (exporters place windows at the sill)."""
    stated = _stated_length(window, SILL_NAMES)
    if stated is not None:
        return stated
    storey = index.storey(window.storey_guid)
    if storey is None:
        return None
    return index.elevation_of(window.guid) - storey.elevation_m


def window_sash_reaches_bottom(index: ModelIndex, window: Element) -> bool | None:
    """Whether an opening sash starts at the window's bottom: True for an opening panel at the
    bottom or a full-height one; False for a window that does not open; None when the model
    has no panel data (IfcWindowPanelProperties on the window type) or a top sash only."""
    entity = index.entity(window.guid)
    window_type = ifcopenshell.util.element.get_type(entity)
    panels = [
        p for p in (attribute_of(window_type, "HasPropertySets") or ())
        if p.is_a("IfcWindowPanelProperties")
    ]
    if not panels:
        return None
    opening = [p for p in panels if p.OperationType not in NON_OPENING]
    if not opening:
        return False
    if any(p.PanelPosition == "BOTTOM" for p in opening):
        return True
    partitioning = (
        attribute_of(entity, "PartitioningType")
        or attribute_of(window_type, "PartitioningType")
        or attribute_of(window_type, "OperationType")  # IFC2X3 IfcWindowStyle
    )
    return True if partitioning in FULL_HEIGHT_PARTITIONS else None
