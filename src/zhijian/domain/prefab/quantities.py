"""The quantity each ratio is computed on (GB/T 51129 4.0.2–4.0.9), per element, in SI.

Vertical members: concrete volume. Horizontal members: horizontal projected area. Envelope
walls and partitions: wall face area (envelope openings not deducted, 4.0.6). Quantity sets
first (IFC4 ``Qto_*BaseQuantities``, IFC2X3 ``BaseQuantities``, any other set), then the
index's geometry fallback, else the element is reported as not measurable — never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhijian.domain.bim.index import Element, ModelIndex
from zhijian.domain.prefab.classify import ENVELOPE, HORIZONTAL, PARTITION, VERTICAL

# Most specific quantity set names first; then BaseQuantities; then any set.
_QTO_SETS = (
    "Qto_ColumnBaseQuantities",
    "Qto_WallBaseQuantities",
    "Qto_MemberBaseQuantities",
    "Qto_BeamBaseQuantities",
    "Qto_SlabBaseQuantities",
    "Qto_StairFlightBaseQuantities",
    "Qto_StairBaseQuantities",
    "Qto_CurtainWallQuantities",
    "Qto_RoofBaseQuantities",
    "Qto_BuildingElementProxyQuantities",
    "BaseQuantities",
)

UNITS = {VERTICAL: "m³", HORIZONTAL: "m²", ENVELOPE: "m²", PARTITION: "m²"}


@dataclass(frozen=True, slots=True)
class Measured:
    value: float | None
    source: str  # e.g. "BaseQuantities.NetVolume", "Length × Width", "geometry: NetVolume"
    note: str = ""  # a caveat to show beside the value
    reason: str = ""  # why there is no value


_RANK = {name: rank for rank, name in enumerate(_QTO_SETS)}


def _qset_value(element: Element, name: str) -> tuple[float, str] | None:
    best: tuple[int, float, str] | None = None
    for qset, values in element.qsets.items():
        value = values.get(name)
        if isinstance(value, (int, float)) and value > 0:
            rank = _RANK.get(qset, len(_RANK))
            if best is None or rank < best[0]:
                best = (rank, float(value), qset)
    return None if best is None else (best[1], f"{best[2] or '(unnamed set)'}.{name}")


def _first(element: Element, *names: str) -> tuple[float, str] | None:
    for name in names:
        found = _qset_value(element, name)
        if found:
            return found
    return None


def _product(element: Element, a: str, b: str) -> tuple[float, str] | None:
    first, second = _qset_value(element, a), _qset_value(element, b)
    if first and second:
        return first[0] * second[0], f"{first[1]} × {b}"
    return None


def _derived(index: ModelIndex | None, element: Element, *names: str) -> tuple[float, str] | None:
    if index is None:  # geometry fallback switched off
        return None
    for name in names:
        value = index.derived_quantity(element.guid, name)
        if value is not None and value > 0:
            return float(value), f"geometry: {name}"
    return None


def _stair_run_area(element: Element) -> tuple[float, str] | None:
    """A flight's plan area from its treads: NumberOfTreads × TreadLength × Width."""
    treads = tread = None
    for pset in ("Pset_StairFlightCommon", "Pset_StairCommon"):
        treads = treads or element.prop(pset, "NumberOfTreads")
        tread = tread or element.prop(pset, "TreadLength")
    width = _qset_value(element, "Width")
    if isinstance(treads, (int, float)) and isinstance(tread, (int, float)) and treads > 0 and tread > 0 and width:
        return float(treads) * float(tread) * width[0], f"NumberOfTreads × TreadLength × {width[1]}"
    return None


def measure(
    index: ModelIndex, element: Element, population: str, category: str | None = None, *, geometry: bool = True
) -> Measured:
    """The element's quantity for its population, with where it came from.

    ``geometry=False`` reads quantity sets only (a quick preview; elements without them are
    reported as not measurable).
    """
    result = _measure(index if geometry else None, element, population, category)
    if result.value is None and not geometry:
        return Measured(None, "", reason=result.reason.replace("no usable geometry", "geometry fallback off"))
    return result


def _measure(index: ModelIndex | None, element: Element, population: str, category: str | None) -> Measured:
    if population == VERTICAL:
        found = _first(element, "NetVolume", "GrossVolume") or _derived(index, element, "NetVolume", "GrossVolume")
        return _result(found, "no NetVolume or GrossVolume in its quantity sets and no usable geometry")
    if population == HORIZONTAL:
        return _projected_area(index, element, category)
    # Envelope (4.0.6: openings not deducted) and partitions: gross face area first.
    found = _first(element, "GrossSideArea")
    note = ""
    if not found:
        found = _first(element, "NetSideArea")
        note = "NetSideArea: openings deducted (4.0.6 counts the wall without deducting them)" if found else ""
    found = found or _product(element, "Length", "Height") or _derived(index, element, "GrossSideArea", "NetSideArea")
    return _result(found, "no GrossSideArea, NetSideArea or Length × Height and no usable geometry", note)


def _projected_area(index: ModelIndex | None, element: Element, category: str | None) -> Measured:
    note = ""
    if category == "beam":
        found = _first(element, "GrossFootprintArea", "NetFootprintArea") or _product(element, "Length", "Width")
        found = found or _derived(index, element, "ProjectedArea")
        note = "a beam's projection may overlap the slab it carries; overlap is not removed" if found else ""
    elif category == "stair":
        found = (
            _first(element, "ProjectedArea", "GrossArea", "NetArea", "GrossFootprintArea")
            or _stair_run_area(element)
            or _product(element, "Length", "Width")
            or _derived(index, element, "ProjectedArea")
        )
    else:  # slabs, landings, balconies, AC plates, roofs
        found = _first(element, "ProjectedArea", "NetArea", "GrossArea", "NetFootprintArea", "GrossFootprintArea")
        found = found or _derived(index, element, "ProjectedArea", "NetArea", "GrossArea")
        pitch = element.prop("Pset_SlabCommon", "PitchAngle")
        if found and isinstance(pitch, (int, float)) and pitch:
            note = f"sloped slab (PitchAngle {pitch:g}): area taken as given, not projected"
    return _result(found, "no projected, net or gross area in its quantity sets and no usable geometry", note)


def _result(found: tuple[float, str] | None, reason: str, note: str = "") -> Measured:
    if found is None:
        return Measured(None, "", reason=reason)
    return Measured(found[0], found[1], note)
