"""Precast components of a model, and their codes kept stable across model revisions.

:func:`components_from_index` reads each precast element of a model index: its type (the
rules of data/component_types.json), storey number, dimensions, volume, weight, concrete
grade, reinforcement and position. Which elements are precast is a parameter; the default,
:func:`is_precast_component`, is the assembly-rate detection of ``prefab.precast``.

:func:`reconcile` maps a new model version onto the codes already issued for the lineage:

- a GlobalId seen before keeps its code (DESIGN: "a revised model keeps its components'
  codes");
- if its storey, type, project or building changed, the code is still kept (it may already
  be on a label, in an order, on a truck) and the change is flagged for a person to look at:
  the code then describes where the component was first designed, and the component record,
  not the code, is the truth about where it is now;
- a new GlobalId gets a new code with the next serial of the project's counter; the new
  counter is returned, serials are never reused;
- a GlobalId that disappeared has its code retired. A retired code is never reissued: if the
  GlobalId comes back in a later version it gets a fresh code, and the old one is reported
  next to it so that a person can link the two.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ifcopenshell.util.placement

from zhijian.domain.bim.index import Element, ModelIndex
from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import (
    MAX_SERIAL,
    MAX_STOREY,
    CodeParts,
    ComponentCode,
    ComponentCodeError,
    build_code,
    component_types,
    component_types_document,
    parse_code,
)
from zhijian.domain.prefab.precast import decide_precast

DEFAULT_DENSITY_KG_M3 = 2500.0  # reinforced concrete, GB 50009 puts it at 24–25 kN/m³

PrecastPredicate = Callable[[Element], bool]

# Candidate classes: building elements, assemblies (a Tekla cast unit) and element parts
# (PRECASTPANEL). Not IfcElementComponent as a whole: rebars and fasteners are not components.
COMPONENT_CLASSES = ("IfcBuildingElement", "IfcBuiltElement", "IfcElementAssembly", "IfcBuildingElementPart")

_GRADE_PROPERTIES = (
    "混凝土强度等级", "混凝土等级", "强度等级", "StrengthClass", "ConcreteGrade", "Concrete Grade",
    "ConcreteStrengthClass", "betonkwaliteit", "beton kwaliteit", "Betonfestigkeitsklasse", "Betongüte",
)
_REBAR_PROPERTIES = ("ReinforcementStrengthClass", "钢筋等级", "钢筋牌号", "钢筋强度等级", "ReinforcementGrade", "Reinforcement")
# GB 50010 grades are C + cube strength (C30); EN 206 writes C + cylinder/cube (C30/37), a
# different number, so that notation is kept whole rather than read as a GB grade.
_GRADE = re.compile(r"(?<![A-Za-z0-9])C\s?(\d{2,3})(?:\s?/\s?(\d{2,3}))?(?!\d)", re.IGNORECASE)
_REBAR = re.compile(r"(?<![A-Za-z])(HRBF|HRB|HPB|CRB|RRB)\s?(\d{3})(E?)(?![0-9])", re.IGNORECASE)


# -- what a component is ------------------------------------------------------------------
@dataclass(frozen=True)
class PrecastComponent:
    guid: str
    ifc_class: str
    name: str | None
    type_code: str
    classified_by: str  # which rule gave the type, for people checking it
    storey_guid: str | None
    storey_name: str | None
    storey: int | None  # 1, 2, … above ground, −1, −2, … below; None when not on a storey
    length_m: float | None
    width_m: float | None
    height_m: float | None
    volume_m3: float | None
    weight_kg: float | None
    weight_source: str | None  # "volume × 2500 kg/m³" or "model quantity NetWeight"
    concrete_grade: str | None  # "C30"
    reinforcement: str | None  # "HRB400E"
    position: tuple[float, float, float] | None  # placement origin, world, m


@dataclass(frozen=True)
class _Rule:
    type_code: str
    classes: frozenset[str]
    predefined_types: frozenset[str | None] | None
    keywords: tuple[str, ...]
    properties: tuple[tuple[str, Any], ...]

    def describe(self) -> str:
        return f"rule {self.type_code} ({', '.join(sorted(self.classes))[:60]})"


def _rules() -> tuple[_Rule, ...]:
    rows = component_types_document()["rules"]
    known = component_types()
    rules = []
    for row in rows:
        if row["type"] not in known:
            raise ValueError(f"component_types.json: rule for unknown type {row['type']!r}")
        predefined = row.get("predefined_types")
        rules.append(
            _Rule(
                type_code=row["type"],
                classes=frozenset(row["classes"]),
                predefined_types=frozenset(predefined) if predefined is not None else None,
                keywords=tuple(row.get("keywords", ())),
                properties=tuple(row.get("properties", {}).items()),
            )
        )
    return tuple(rules)


def _keyword_in(keyword: str, text: str) -> bool:
    if keyword.isascii():
        # Latin abbreviations must not touch another letter: 'ST' in 'ST-28' but not 'STEEL'.
        return re.search(rf"(?<![A-Za-z]){re.escape(keyword)}(?![A-Za-z])", text, re.IGNORECASE) is not None
    return keyword in text


def classify(element: Element) -> tuple[str, str]:
    """(type code, how it was decided) for a precast element; the fallback type if no rule fits."""
    document = component_types_document()
    markers = document["gbt51269"]["system_markers"]
    by_gbt = {t.gbt51269_code: t.code for t in component_types().values() if t.gbt51269_code}
    for system, identification, _ in element.classifications:
        if any(m in system for m in markers) and identification in by_gbt:
            return by_gbt[identification], f"GB/T 51269 classification {identification}"
    texts = [t for t in (element.name, element.object_type, element.type_name, element.long_name) if t]
    for rule in _rules():
        if element.ifc_class not in rule.classes:
            continue
        if rule.predefined_types is not None and element.predefined_type not in rule.predefined_types:
            continue
        if rule.properties and not all(element.find_prop(k) == v for k, v in rule.properties):
            continue
        if rule.keywords:
            hit = next((k for k in rule.keywords for t in texts if _keyword_in(k, t)), None)
            if hit is None:
                continue
            return rule.type_code, f"{element.ifc_class} named with {hit!r}"
        detail = f" {element.predefined_type}" if rule.predefined_types is not None else ""
        props = "".join(f", {k}={v}" for k, v in rule.properties)
        return rule.type_code, f"{element.ifc_class}{detail}{props}"
    return document["fallback"], "no rule matched"


# -- precast detection --------------------------------------------------------------------------
def is_precast_component(element: Element) -> bool:
    """The assembly-rate detection (:func:`prefab.precast.decide_precast`), so that the rate and
    the component register count the same elements. A cast-in-place joint (后浇段) is never a
    component: without a width limit that function already says no to it."""
    return decide_precast(element).value


# -- reading components from a model ------------------------------------------------------------
def components_from_index(
    index: ModelIndex,
    precast_predicate: PrecastPredicate = is_precast_component,
    *,
    density_kg_m3: float = DEFAULT_DENSITY_KG_M3,
) -> list[PrecastComponent]:
    """Every precast element of the model as a component, in model order.

    An element whose parts are themselves precast is an assembly (a stair made of flights):
    its parts are the components, not it.
    """
    if not (math.isfinite(density_kg_m3) and density_kg_m3 > 0):
        raise InputError(f"concrete density must be a positive number of kg/m³, got {density_kg_m3}")
    storey_numbers = storey_numbering(index)
    candidates = sorted(index.of_class(*COMPONENT_CLASSES), key=lambda e: e.step_id)
    precast = [e for e in candidates if precast_predicate(e)]
    precast_guids = {e.guid for e in precast}
    components = []
    for element in precast:
        if any(part in precast_guids for part in index.parts_of.get(element.guid, ())):
            continue
        type_code, classified_by = classify(element)
        storey = index.storey(element.storey_guid)
        volume = _first_quantity(element, "NetVolume", "GrossVolume", "Volume")
        weight, weight_source = _weight(element, volume, density_kg_m3)
        components.append(
            PrecastComponent(
                guid=element.guid,
                ifc_class=element.ifc_class,
                name=element.name,
                type_code=type_code,
                classified_by=classified_by,
                storey_guid=element.storey_guid,
                storey_name=storey.name if storey else None,
                storey=storey_numbers.get(element.storey_guid) if element.storey_guid else None,
                length_m=_first_quantity(element, "Length"),
                width_m=_first_quantity(element, "Width"),
                height_m=_first_quantity(element, "Height", "Depth", "Thickness"),
                volume_m3=volume,
                weight_kg=weight,
                weight_source=weight_source,
                concrete_grade=concrete_grade(element),
                reinforcement=reinforcement(element),
                position=_position(index, element),
            )
        )
    return components


def storey_numbering(index: ModelIndex) -> dict[str, int]:
    """Storey GlobalId → 1, 2, … above ground (the index's numbering), −1, −2, … below."""
    numbers = {s.guid: s.above_ground_index for s in index.storeys if s.above_ground_index is not None}
    below = sorted((s for s in index.storeys if s.above_ground_index is None), key=lambda s: -s.elevation_m)
    numbers.update({s.guid: -(i + 1) for i, s in enumerate(below)})
    return numbers  # type: ignore[return-value]


def concrete_grade(element: Element) -> str | None:
    """'C30' from a grade property (混凝土强度等级, StrengthClass, …) or else a material name;
    EN notation stays as written ('C20/25')."""
    for value in [element.find_prop(n) for n in _GRADE_PROPERTIES] + list(element.materials):
        match = _GRADE.search(str(value)) if value is not None else None
        if match and 10 <= int(match.group(1)) <= 120:
            cube = f"/{int(match.group(2))}" if match.group(2) else ""
            return f"C{int(match.group(1))}{cube}"
    return None


def reinforcement(element: Element) -> str | None:
    """'HRB400E' from a reinforcement property or a material name."""
    for value in [element.find_prop(n) for n in _REBAR_PROPERTIES] + list(element.materials):
        match = _REBAR.search(str(value)) if value is not None else None
        if match:
            return f"{match.group(1).upper()}{match.group(2)}{match.group(3).upper()}"
    return None


def _first_quantity(element: Element, *names: str) -> float | None:
    for name in names:
        value = element.quantity(name)
        if value is not None and math.isfinite(value) and value > 0:
            return float(value)
    return None


def _weight(element: Element, volume: float | None, density: float) -> tuple[float | None, str | None]:
    if volume is not None:
        return round(volume * density, 3), f"volume × {density:g} kg/m³"
    for name in ("NetWeight", "GrossWeight"):
        value = _first_quantity(element, name)
        if value is not None:
            return value, f"model quantity {name}"
    return None, None


def _position(index: ModelIndex, element: Element) -> tuple[float, float, float] | None:
    placement = getattr(index.entity(element.guid), "ObjectPlacement", None)
    if placement is None:
        return None
    matrix = ifcopenshell.util.placement.get_local_placement(placement)
    scale = index.units.length
    return tuple(round(float(matrix[i][3]) * scale, 4) for i in range(3))  # type: ignore[return-value]


# -- reconciliation across revisions -----------------------------------------------------------
@dataclass(frozen=True)
class CodeIssuer:
    """Who issues codes for a model lineage, and the project's serial counter."""

    project: int
    building: int
    next_serial: int  # the first serial not yet used in the project


@dataclass(frozen=True)
class IssuedCode:
    guid: str
    code: str
    previously_retired: str | None = None  # the code this GlobalId had before it disappeared


@dataclass(frozen=True)
class ChangedComponent:
    guid: str
    code: str
    changes: tuple[str, ...]  # e.g. ("storey F05 → F06", "type DHB → YYB")


@dataclass(frozen=True)
class RetiredCode:
    guid: str
    code: str


@dataclass(frozen=True)
class Uncodable:
    guid: str
    reason: str


@dataclass(frozen=True)
class Reconciliation:
    codes: Mapping[str, str]  # GlobalId → code, every coded component of the new version
    kept: tuple[str, ...]  # GlobalIds that kept their code
    issued: tuple[IssuedCode, ...]
    retired: tuple[RetiredCode, ...]
    changed: tuple[ChangedComponent, ...]  # kept codes whose storey/type/building changed
    uncodable: tuple[Uncodable, ...]  # new components no code can be issued for, with why
    unclassified: tuple[str, ...]  # coded with the fallback type: the model should say more
    next_serial: int  # store this as the project's counter


def reconcile(
    previous: Mapping[str, str],
    components: Iterable[PrecastComponent],
    issuer: CodeIssuer,
    *,
    retired: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Codes for a new model version given the codes of the previous one (see module doc)."""
    retired = dict(retired or {})
    components = list(components)
    previous_codes = _parse_all(previous, "previous")
    retired_codes = _parse_all(retired, "retired")
    _check_inputs(previous_codes, retired_codes, components, issuer)

    fallback = component_types_document()["fallback"]
    current = {c.guid: c for c in components}
    codes: dict[str, str] = {}
    kept, changed = [], []
    for guid, component in current.items():
        code = previous_codes.get(guid)
        if code is None:
            continue
        codes[guid] = code.compact
        kept.append(guid)
        changes = _changes(code, component, issuer)
        if changes:
            changed.append(ChangedComponent(guid, code.compact, changes))

    serial = issuer.next_serial
    issued, uncodable = [], []
    for component in sorted((c for g, c in current.items() if g not in previous_codes), key=_issue_order):
        if component.storey is None:
            uncodable.append(Uncodable(component.guid, "not on a building storey: the code needs one"))
            continue
        if abs(component.storey) > MAX_STOREY:
            uncodable.append(Uncodable(component.guid, f"storey {component.storey} is beyond the code's ±{MAX_STOREY}"))
            continue
        if serial > MAX_SERIAL:
            raise InputError(f"project {issuer.project} has used all {MAX_SERIAL} serials")
        code = build_code(CodeParts(issuer.project, issuer.building, component.storey, component.type_code, serial))
        serial += 1
        codes[component.guid] = code.compact
        old = retired_codes.get(component.guid)
        issued.append(IssuedCode(component.guid, code.compact, old.compact if old else None))

    gone = [RetiredCode(guid, code.compact) for guid, code in previous_codes.items() if guid not in current]
    return Reconciliation(
        codes=codes,
        kept=tuple(kept),
        issued=tuple(issued),
        retired=tuple(gone),
        changed=tuple(changed),
        uncodable=tuple(uncodable),
        unclassified=tuple(c.guid for c in components if c.type_code == fallback and c.guid in codes),
        next_serial=serial,
    )


def _parse_all(mapping: Mapping[str, str], what: str) -> dict[str, ComponentCode]:
    parsed = {}
    for guid, text in mapping.items():
        try:
            parsed[guid] = parse_code(text)
        except ComponentCodeError as err:
            raise InputError(f"{what} code of {guid} is not a valid component code: {err}") from None
    return parsed


def _check_inputs(
    previous: Mapping[str, ComponentCode],
    retired: Mapping[str, ComponentCode],
    components: list[PrecastComponent],
    issuer: CodeIssuer,
) -> None:
    if not 1 <= issuer.next_serial <= MAX_SERIAL + 1:
        raise InputError(f"the serial counter must be 1…{MAX_SERIAL + 1}, got {issuer.next_serial}")
    seen: dict[str, str] = {}
    for guid, code in [*previous.items(), *retired.items()]:
        if code.compact in seen and seen[code.compact] != guid:
            raise InputError(f"code {code.compact} belongs to both {seen[code.compact]} and {guid}: codes map one-to-one")
        seen[code.compact] = guid
    overlap = previous.keys() & retired.keys()
    if overlap:
        raise InputError(f"{sorted(overlap)[0]} is both active and retired")
    used = [c.serial for c in [*previous.values(), *retired.values()] if c.project == issuer.project]
    if used and max(used) >= issuer.next_serial:
        raise InputError(
            f"the serial counter ({issuer.next_serial}) is behind serial {max(used)} already issued in project "
            f"{issuer.project}: issuing would reuse a serial"
        )
    guids = [c.guid for c in components]
    if len(set(guids)) != len(guids):
        duplicate = next(g for g in guids if guids.count(g) > 1)
        raise InputError(f"GlobalId {duplicate} occurs twice in the model version")


def _changes(code: ComponentCode, component: PrecastComponent, issuer: CodeIssuer) -> tuple[str, ...]:
    changes = []
    if (code.project, code.building) != (issuer.project, issuer.building):
        changes.append(f"building {code.project:06d}-{code.building:02d} → {issuer.project:06d}-{issuer.building:02d}")
    if component.storey != code.storey:
        new = _storey_text(component.storey)
        changes.append(f"storey {_storey_text(code.storey)} → {new}")
    if component.type_code != code.type_code:
        changes.append(f"type {code.type_code} → {component.type_code}")
    return tuple(changes)


def _storey_text(storey: int | None) -> str:
    if storey is None:
        return "none"
    return f"F{storey:02d}" if storey > 0 else f"B{-storey:02d}"


def _issue_order(component: PrecastComponent) -> tuple[Any, ...]:
    # Neighbours get neighbouring serials: storey, type, then position, GlobalId last.
    x, y, _ = component.position or (math.inf, math.inf, math.inf)
    return (component.storey if component.storey is not None else 0, component.type_code, round(y, 2), round(x, 2), component.guid)
