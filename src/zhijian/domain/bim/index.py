"""The model index: built once per model in one pass over the relations, shared by every rule.

Per element it holds class, predefined type, GlobalId, names, type object, containing storey,
property and quantity sets (type values inherited, occurrence values winning), materials and
classification references; plus the spatial tree with storey elevations. Every length, area
and volume leaves the index in SI (m, m², m³) whatever the model's units.

Speed (benchmarks/README.md): hot attributes are read by position, class facts are looked up
once per class, and property/quantity sets stay in the model until a rule first reads an
element's ``psets`` or ``qsets`` (then they are plain dicts like any other field).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.util.placement

from zhijian.domain.bim.model_file import DEFAULT_MAX_BYTES, SniffResult, open_ifc_hashing
from zhijian.domain.bim.space_functions import (
    SpaceFunction,
    infer_space_function,
    space_function_table,
)
from zhijian.domain.bim.units import UnitScales, unit_scales

PropertySets = dict[str, dict[str, Any]]

# Quantity set names exporters write for a class, most specific first. IFC4 uses
# Qto_<Class>BaseQuantities; Revit and ArchiCAD IFC2X3 exports use "BaseQuantities".
_GENERIC_QSETS = ("BaseQuantities",)

# Entity attributes that are lengths, read into Element.dims in SI.
_LENGTH_ATTRIBUTES = {
    "IfcDoor": ("OverallWidth", "OverallHeight"),
    "IfcDoorStandardCase": ("OverallWidth", "OverallHeight"),
    "IfcWindow": ("OverallWidth", "OverallHeight"),
    "IfcWindowStandardCase": ("OverallWidth", "OverallHeight"),
    "IfcStairFlight": ("RiserHeight", "TreadLength"),  # IFC2X3 attributes
}


# Names of levels that carry only the roof (Chinese drawings model 屋面层 as a level).
_ROOF_LEVEL_WORDS = ("屋面", "屋顶", "roof", "dach", "dak")


@dataclass(frozen=True)
class Storey:
    guid: str
    name: str
    elevation_m: float
    index: int  # 0 = lowest storey
    above_ground_index: int | None  # 1 = first storey at or above ±0.000, None below ground

    @property
    def is_roof_level(self) -> bool:
        """A level modelled for the roof (屋面层), which building codes do not count as a storey."""
        words = self.name.lower()
        return any(word in words for word in _ROOF_LEVEL_WORDS)


@dataclass(frozen=True)
class Element:
    guid: str
    ifc_class: str
    predefined_type: str | None
    name: str | None
    long_name: str | None
    object_type: str | None
    type_name: str | None
    type_class: str | None
    storey_guid: str | None
    psets: PropertySets
    qsets: PropertySets
    materials: tuple[str, ...] = ()
    classifications: tuple[tuple[str, str, str], ...] = ()  # (system, identification, name)
    function: SpaceFunction | None = None  # spaces only
    # Length attributes of the entity itself (OverallWidth/OverallHeight of doors and windows), SI.
    dims: dict[str, float] = field(default_factory=dict)
    step_id: int = 0

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set: the psets/qsets of an indexed element until
        # first use (the index leaves them in the model; see _SetsReader).
        state = self.__dict__
        pending = state.get("_sets")
        if pending is not None and name in ("psets", "qsets"):
            reader, type_id, definitions = pending
            value, rest = reader.read(self.step_id, type_id, name == "qsets", definitions)
            state[name] = value
            if "psets" in state and "qsets" in state:
                del state["_sets"]
            else:
                state["_sets"] = (reader, type_id, rest)
            return value
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        # Pickle and deepcopy see plain values, never the reader (which holds the model).
        if "_sets" in self.__dict__:
            _ = self.psets, self.qsets
        return dict(self.__dict__)

    @property
    def label(self) -> str:
        return self.long_name or self.name or self.guid

    def prop(self, pset: str, name: str) -> Any:
        values = self.psets.get(pset)
        return None if values is None else values.get(name)

    def find_prop(self, name: str) -> Any:
        """A property by name from any property set (first found)."""
        for props in self.psets.values():
            if name in props:
                return props[name]
        return None

    def quantity(self, name: str, *qset_names: str) -> float | None:
        """A quantity in SI units: the named sets first, then the generic ones, then any."""
        # Called for every candidate of every rule: no temporary dicts, one lookup per set.
        qsets = self.qsets
        for qset in (*qset_names, *_GENERIC_QSETS):
            values = qsets.get(qset)
            if values is not None:
                value = values.get(name)
                if value is not None:
                    return value
        for values in qsets.values():
            value = values.get(name)
            if value is not None:
                return value
        return None


def _element_factory() -> Callable[[dict[str, Any]], Element]:
    """Make indexed Elements without the dataclass __init__ (5× cheaper on 20k elements).

    The caller gives every field except psets/qsets, plus the pending ``_sets``; fields added
    to Element later with a default get that default, so this cannot silently fall behind.
    """
    given = {
        "guid", "ifc_class", "predefined_type", "name", "long_name", "object_type", "type_name",
        "type_class", "storey_guid", "materials", "classifications", "function", "dims", "step_id",
    }
    defaults: list[tuple[str, Any, Any]] = []
    for f in fields(Element):
        if f.name in given or f.name in ("psets", "qsets"):
            continue
        if f.default is MISSING and f.default_factory is MISSING:
            raise TypeError(f"the index does not fill the new Element field {f.name!r}")
        defaults.append((f.name, f.default, f.default_factory))
    new = object.__new__
    set_attribute = object.__setattr__

    def make(values: dict[str, Any]) -> Element:
        for name, default, factory in defaults:
            values[name] = default if factory is MISSING else factory()
        element = new(Element)
        set_attribute(element, "__dict__", values)
        return element

    return make


@dataclass
class ModelIndex:
    """Everything rules need to know about a model, in SI, keyed by GlobalId."""

    path: Path | None
    sha256: str | None
    schema: str
    units: UnitScales
    ifc: ifcopenshell.file
    elements: dict[str, Element] = field(default_factory=dict)
    storeys: list[Storey] = field(default_factory=list)
    building_names: list[str] = field(default_factory=list)
    # space guid → guids of elements contained in it
    contents_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # whole guid → part guids (IfcRelAggregates / IfcRelNests below element level)
    parts_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_class: dict[str, list[Element]] = field(default_factory=lambda: defaultdict(list))
    _z_cache: dict[str, float] = field(default_factory=dict)
    # (guid, quantity name) → value derived from geometry, and (guid, "mesh") → the body mesh:
    # filled by zhijian.domain.bim.geometry so each element is triangulated at most once.
    _derived: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Space boundaries and opening fills, read from the model on first use (see spaces_of).
    _spaces_of: dict[str, set[str]] | None = field(default=None, repr=False)
    _opening_of: dict[str, str] | None = field(default=None, repr=False)
    _host_of: dict[str, str] | None = field(default=None, repr=False)

    # -- relations read on first use --------------------------------------------------------
    # Space boundaries are the most numerous relationships of a model with rooms (1,585 in
    # the demo building, more than its elements) and only some review rules read them.
    @property
    def spaces_of(self) -> dict[str, set[str]]:
        """element guid → guids of the spaces it bounds (IfcRelSpaceBoundary)."""
        if self._spaces_of is None:
            self._spaces_of = _space_boundaries(self.ifc)
        return self._spaces_of

    @property
    def opening_of(self) -> dict[str, str]:
        """door/window guid → the opening it fills (IfcRelFillsElement)."""
        if self._opening_of is None:
            self._read_fills()
        return self._opening_of  # type: ignore[return-value]

    @property
    def host_of(self) -> dict[str, str]:
        """door/window guid → the element hosting the opening it fills (IfcRelVoidsElement)."""
        if self._host_of is None:
            self._read_fills()
        return self._host_of  # type: ignore[return-value]

    def _read_fills(self) -> None:
        opening_of, host_of = _fills(self.ifc)
        self._opening_of, self._host_of = opening_of, host_of

    # -- lookups ------------------------------------------------------------------------
    def of_class(self, *classes: str) -> list[Element]:
        """Elements whose class is, or inherits from, one of the classes."""
        found: list[Element] = []
        for cls in classes:
            found.extend(self._by_class.get(cls, ()))
        if len(classes) > 1:
            seen: set[str] = set()
            found = [e for e in found if not (e.guid in seen or seen.add(e.guid))]
        return found

    def storey(self, guid: str | None) -> Storey | None:
        return next((s for s in self.storeys if s.guid == guid), None) if guid else None

    def storey_name(self, element: Element) -> str | None:
        storey = self.storey(element.storey_guid)
        return storey.name if storey else None

    def entity(self, guid: str) -> ifcopenshell.entity_instance:
        return self.ifc.by_id(self.elements[guid].step_id)

    def spaces(self) -> list[Element]:
        return self.of_class("IfcSpace")

    def bounded_spaces(self, guid: str) -> list[Element]:
        """Spaces an element (a door, a wall) bounds, from IfcRelSpaceBoundary."""
        return [self.elements[g] for g in sorted(self.spaces_of.get(guid, ())) if g in self.elements]

    def elevation_of(self, guid: str) -> float:
        """World Z of an element's placement origin, in metres (computed on demand)."""
        if guid not in self._z_cache:
            entity = self.entity(guid)
            placement = getattr(entity, "ObjectPlacement", None)
            z = 0.0
            if placement is not None:
                matrix = ifcopenshell.util.placement.get_local_placement(placement)
                z = float(matrix[2][3]) * self.units.length
            self._z_cache[guid] = z
        return self._z_cache[guid]

    def derived_quantity(self, guid: str, name: str) -> float | None:
        """A quantity derived from geometry when the model lacks the quantity set.

        Only where sound (e.g. a space's floor area from its body geometry); None otherwise.
        Implemented in :mod:`zhijian.domain.bim.geometry`, imported lazily because geometry
        is the expensive part of any model and most rules never need it.
        """
        from zhijian.domain.bim.geometry import derive_quantity

        return derive_quantity(self, guid, name)

    def storey_count_above_ground(self) -> int:
        return sum(1 for s in self.storeys if s.above_ground_index is not None and not s.is_roof_level)

    def __iter__(self) -> Iterator[Element]:
        return iter(self.elements.values())

    def __len__(self) -> int:
        return len(self.elements)


def load_index(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> ModelIndex:
    """Open (with all input checks) and index a model file."""
    path = Path(path)
    model, sniff, sha256 = open_ifc_hashing(path, max_bytes)
    index = build_index(model, path=path, sniff=sniff)
    index.sha256 = sha256.result()  # hashed in its thread while the model was indexed
    return index


def build_index(
    model: ifcopenshell.file,
    *,
    path: Path | None = None,
    sha256: str | None = None,
    sniff: SniffResult | None = None,
) -> ModelIndex:
    return _IndexBuilder(model).build(path, sha256, sniff)


# Hot paths read attributes by position: ``get_argument(i)`` skips the name lookup that
# ``entity.Name`` does on every call (3–5× cheaper; see shared/DESIGN.md, measured facts).
# These positions are the same in IFC2X3, IFC4 and IFC4X3 (tests/unit/test_index.py checks).
_arg = ifcopenshell.entity_instance.get_argument
_entity_id = ifcopenshell.entity_instance.id
_GLOBAL_ID, _NAME, _OBJECT_TYPE = 0, 2, 4  # IfcRoot, IfcObject
_REL_A, _REL_B = 4, 5  # first and second own attribute of an IfcRelationship subtype
_HAS_PROPERTY_SETS = 5  # IfcTypeObject
_HAS_PROPERTIES = 4  # IfcPropertySet
_QUANTITIES = 5  # IfcElementQuantity
_PROPERTY_NAME, _PROPERTY_VALUE, _PROPERTY_LOWER = 0, 2, 3  # IfcSimpleProperty subtypes
_QUANTITY_VALUE = 3  # IfcPhysicalSimpleQuantity

_QUANTITY_SCALE = {"IfcQuantityLength": "length", "IfcQuantityArea": "area", "IfcQuantityVolume": "volume"}
_UNSCALED_QUANTITIES = ("IfcQuantityCount", "IfcQuantityWeight", "IfcQuantityTime", "IfcQuantityNumber")

# What a property set definition is, by class: quantity set, property set, or neither.
_QSET, _PSET, _OTHER = 1, 2, 0

SetsPair = tuple[PropertySets, PropertySets]  # (psets, qsets)

_ATTRIBUTE_POSITIONS: dict[tuple[str, str], int] = {}


def attribute_of(entity: ifcopenshell.entity_instance | None, name: str) -> Any:
    """``getattr(entity, name, None)`` for a forward attribute the class may lack.

    Asking an IfcOpenShell entity for an attribute its class lacks makes IfcOpenShell load
    its EXPRESS rules module (0.15 s and 27 MB the first time, ~55 µs per miss after), so
    schema-dependent attributes (IFC2X3 NumberOfRiser vs IFC4 NumberOfRisers, LongName on
    an IFC2X3 IfcZone…) are read by their cached position instead.
    """
    if entity is None:
        return None
    key = (entity.is_a(True), name)
    position = _ATTRIBUTE_POSITIONS.get(key)
    if position is None:
        schema_name, cls = key[0].split(".", 1)
        declaration = ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema_name).declaration_by_name(cls)
        position = _ATTRIBUTE_POSITIONS[key] = declaration.attribute_index(name)
    return None if position < 0 else entity[position]


class _Schema:
    """Class-level facts of one schema, looked up once per class name."""

    def __init__(self, model: ifcopenshell.file) -> None:
        self.declarations = ifcopenshell.ifcopenshell_wrapper.schema_by_name(model.schema_identifier)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._positions: dict[tuple[str, str], int] = {}

    def ancestors(self, cls: str) -> tuple[str, ...]:
        """The class and all its supertypes."""
        found = self._ancestors.get(cls)
        if found is None:
            names = []
            declaration = self.declarations.declaration_by_name(cls)
            while declaration is not None:
                names.append(declaration.name())
                declaration = declaration.supertype()
            found = self._ancestors[cls] = tuple(names)
        return found

    def is_a(self, entity: ifcopenshell.entity_instance, cls: str) -> bool:
        """``entity.is_a(cls)`` without the wrapper's walk up the class tree on every call."""
        return cls in self.ancestors(entity.is_a())

    def attribute(self, entity: ifcopenshell.entity_instance, attribute: str) -> Any:
        """``getattr(entity, attribute, None)`` for forward attributes, by cached position."""
        key = (entity.is_a(), attribute)
        position = self._positions.get(key)
        if position is None:
            position = self._positions[key] = self.declarations.declaration_by_name(key[0]).attribute_index(attribute)
        return None if position < 0 else _arg(entity, position)


class _SetsReader:
    """Reads an element's property and quantity sets when a rule first asks for them.

    Decoding every property of every product is most of the cost of indexing a large model,
    and rules look at a few classes (spaces, doors, stairs …), so the index leaves the sets in
    the model until then (:meth:`Element.__getattr__`). Each definition is decoded once per
    model however many elements share it; type sets are merged under occurrence sets.
    """

    def __init__(self, model: ifcopenshell.file, schema: _Schema, units: UnitScales) -> None:
        self.model = model
        self.schema = schema
        self.units = units
        self._definitions: dict[int, tuple[str, dict[str, Any], bool] | None] = {}
        self._type_sets: dict[int, SetsPair] = {}
        self._measure_scale: dict[str, float] = {}
        self._quantity_scale: dict[str, float | None] = {}
        self._kinds: dict[str, int] = {}
        self._is_properties_rel: dict[str, bool] = {}
        self._lock = threading.Lock()

    def read(
        self,
        step_id: int,
        type_id: int | None,
        quantities: bool,
        definitions: list[tuple[int, ifcopenshell.entity_instance]] | None,
    ) -> tuple[PropertySets, list[tuple[int, ifcopenshell.entity_instance]]]:
        """The element's quantity sets (``quantities``) or its property sets, in SI; and its
        definitions of the other kind, still undecoded, for when those are asked for.

        Each kind is read only when asked for: a rule on space areas never decodes the
        spaces' property sets. ``definitions`` is what an earlier call left, else None.
        """
        kind = _QSET if quantities else _PSET
        with self._lock:  # the caches are shared by all elements of the model
            if definitions is None:
                definitions = self._definitions_of(step_id)
            sets: PropertySets = {}
            if type_id is not None:
                for name, values in self._sets_of_type(type_id)[1 if quantities else 0].items():
                    sets[name] = dict(values)
            rest = []
            for definition_kind, definition in definitions:
                if definition_kind != kind:
                    rest.append((definition_kind, definition))
                    continue
                read = self._read_definition(definition)
                if read:
                    self._merge(sets, read[0], read[1])
            return sets, rest

    def _definitions_of(self, step_id: int) -> list[tuple[int, ifcopenshell.entity_instance]]:
        """(kind, definition) of each property/quantity set definition of an occurrence, in the
        file order of the relations; other definitions (templates …) left out."""
        is_rel = self._is_properties_rel
        rels = []
        for rel in self.model.by_id(step_id)._get_inverse("IsDefinedBy"):
            cls = rel.is_a()
            wanted = is_rel.get(cls)
            if wanted is None:
                wanted = is_rel[cls] = "IfcRelDefinesByProperties" in self.schema.ancestors(cls)
            if wanted:
                rels.append(rel)
        if len(rels) > 1:
            rels.sort(key=_entity_id)  # as a pass over IfcRelDefinesByProperties meets them
        found = []
        kinds = self._kinds
        for rel in rels:
            definitions = _arg(rel, _REL_B)
            if isinstance(definitions, ifcopenshell.entity_instance):
                definitions = (definitions,)
            for definition in definitions or ():
                cls = definition.is_a()
                kind = kinds.get(cls)
                if kind is None:
                    kind = self._kind(cls)
                if kind != _OTHER:
                    found.append((kind, definition))
        return found

    def _sets_of_type(self, type_id: int) -> SetsPair:
        found = self._type_sets.get(type_id)
        if found is None:
            tp: PropertySets = {}
            tq: PropertySets = {}
            for definition in self.schema.attribute(self.model.by_id(type_id), "HasPropertySets") or ():
                read = self._read_definition(definition)
                if read:
                    self._merge(tq if read[2] else tp, read[0], read[1])
            found = self._type_sets[type_id] = (tp, tq)
        return found

    def _value(self, wrapped: Any) -> Any:
        if wrapped is None:
            return None
        if isinstance(wrapped, ifcopenshell.entity_instance):
            value = _arg(wrapped, 0)  # wrappedValue of the IfcValue select
            if not isinstance(value, (int, float)):
                return value  # labels, text, identifiers: no unit to scale by
            cls = wrapped.is_a()
            scale = self._measure_scale.get(cls)
            if scale is None:
                scale = self._measure_scale[cls] = self.units.for_measure(cls)
            return float(value) * scale if scale != 1.0 else value
        return wrapped

    def _read_property(self, prop: ifcopenshell.entity_instance) -> Any:
        cls = prop.is_a()
        if cls == "IfcPropertySingleValue":
            return self._value(_arg(prop, _PROPERTY_VALUE))
        if cls == "IfcPropertyEnumeratedValue":
            values = [self._value(v) for v in _arg(prop, _PROPERTY_VALUE) or ()]
            return values[0] if len(values) == 1 else values
        if cls == "IfcPropertyListValue":
            return [self._value(v) for v in _arg(prop, _PROPERTY_VALUE) or ()]
        if cls == "IfcPropertyBoundedValue":
            return self._value(_arg(prop, _PROPERTY_VALUE)) or self._value(_arg(prop, _PROPERTY_LOWER))
        return None

    def _scale_of_quantity(self, cls: str) -> float | None:
        """SI scale of a quantity class; 0.0 for simple quantities we cannot read; None if not simple."""
        if cls not in self._quantity_scale:
            scale: float | None = None
            if "IfcPhysicalSimpleQuantity" in self.schema.ancestors(cls):
                unit = _QUANTITY_SCALE.get(cls)
                scale = getattr(self.units, unit) if unit else (1.0 if cls in _UNSCALED_QUANTITIES else 0.0)
            self._quantity_scale[cls] = scale
        return self._quantity_scale[cls]

    def _kind(self, cls: str) -> int:
        kind = self._kinds.get(cls)
        if kind is None:
            ancestors = self.schema.ancestors(cls)
            kind = _QSET if "IfcElementQuantity" in ancestors else _PSET if "IfcPropertySet" in ancestors else _OTHER
            self._kinds[cls] = kind
        return kind

    def _read_definition(self, definition: ifcopenshell.entity_instance) -> tuple[str, dict[str, Any], bool] | None:
        """(name, values, is_quantity_set) for a property or quantity set, cached by id."""
        key = definition.id()
        if key in self._definitions:
            return self._definitions[key]
        values: dict[str, Any] = {}
        kind = self._kind(definition.is_a())
        if kind == _QSET:
            scales = self._quantity_scale
            for quantity in _arg(definition, _QUANTITIES) or ():
                cls = quantity.is_a()
                scale = scales[cls] if cls in scales else self._scale_of_quantity(cls)
                if scale is None:
                    continue
                value = _arg(quantity, _QUANTITY_VALUE)
                if value is not None:
                    values[_arg(quantity, _PROPERTY_NAME)] = float(value) * scale if scale else None
            result: tuple[str, dict[str, Any], bool] | None = (_arg(definition, _NAME) or "", values, True)
        elif kind == _PSET:
            for prop in _arg(definition, _HAS_PROPERTIES) or ():
                values[_arg(prop, _PROPERTY_NAME)] = self._read_property(prop)
            result = (_arg(definition, _NAME) or "", values, False)
        else:
            result = None
        self._definitions[key] = result
        return result

    @staticmethod
    def _merge(target: PropertySets, name: str, values: dict[str, Any]) -> None:
        """Later values win, except that a None never hides a value already there."""
        bucket = target.get(name)
        if bucket is None:
            target[name] = dict(values)
        else:
            bucket.update({k: v for k, v in values.items() if v is not None or k not in bucket})


class _IndexBuilder:
    def __init__(self, model: ifcopenshell.file) -> None:
        self.model = model
        self.units = unit_scales(model)
        self.schema = _Schema(model)
        self.sets = _SetsReader(model, self.schema, self.units)
        self._function_cache: dict[str, SpaceFunction | None] = {}
        self._table_position = {row: i for i, row in enumerate(space_function_table())}
        self._material_cache: dict[int, tuple[str, ...]] = {}

    # -- build --------------------------------------------------------------------------
    def build(self, path: Path | None, sha256: str | None, sniff: SniffResult | None) -> ModelIndex:
        model = self.model
        is_a = self.schema.is_a
        attribute = self.schema.attribute
        index = ModelIndex(
            path=path,
            sha256=sha256,
            schema=sniff.schema if sniff else model.schema_identifier,
            units=self.units,
            ifc=model,
        )
        # One pass over each kind of relationship, in file order (later relations win).
        type_of: dict[int, ifcopenshell.entity_instance] = {}
        for rel in model.by_type("IfcRelDefinesByType"):
            type_obj = _arg(rel, _REL_B)
            if type_obj is None:
                continue
            for obj in _arg(rel, _REL_A) or ():
                type_of[obj.id()] = type_obj

        materials = self._materials()
        classifications = self._classifications()

        # Spatial structure: the storey of every element, and what each space contains.
        container: dict[int, int] = {}  # element id → spatial structure id
        for rel in model.by_type("IfcRelContainedInSpatialStructure"):
            structure = _arg(rel, _REL_B)
            structure_id = structure.id()
            contained = _arg(rel, _REL_A) or ()
            for element in contained:
                container[element.id()] = structure_id
            if contained and is_a(structure, "IfcSpace"):
                bucket = index.contents_of[_arg(structure, _GLOBAL_ID)]
                bucket.update(_arg(element, _GLOBAL_ID) for element in contained)
        parent: dict[int, int] = {}
        for rel in model.by_type("IfcRelAggregates"):
            whole = _arg(rel, _REL_A)
            whole_id = whole.id()
            whole_is_element = not (is_a(whole, "IfcSpatialStructureElement") or is_a(whole, "IfcProject"))
            for part in _arg(rel, _REL_B) or ():
                parent[part.id()] = whole_id
                if whole_is_element:
                    index.parts_of[_arg(whole, _GLOBAL_ID)].append(_arg(part, _GLOBAL_ID))
        for rel in model.by_type("IfcRelNests"):
            whole = _arg(rel, _REL_A)
            if not is_a(whole, "IfcElement"):
                continue
            for part in _arg(rel, _REL_B) or ():
                if is_a(part, "IfcElement"):
                    parent.setdefault(part.id(), whole.id())
                    index.parts_of[_arg(whole, _GLOBAL_ID)].append(_arg(part, _GLOBAL_ID))

        storey_entities = model.by_type("IfcBuildingStorey")
        storey_ids = {s.id() for s in storey_entities}
        index.storeys = self._storeys(storey_entities)
        index.building_names = [b.Name or b.GlobalId for b in model.by_type("IfcBuilding")]
        by_id_guid = {s.id(): s.GlobalId for s in storey_entities}

        def storey_of(entity_id: int) -> int | None:
            seen = 0
            current: int | None = entity_id
            while current is not None and seen < 64:
                if current in storey_ids:
                    return current
                up = container.get(current)
                current = parent.get(current) if up is None else up
                seen += 1
            return None

        type_facts: dict[int, tuple[str | None, str, Any]] = {}  # name, class, predefined type
        for type_obj in {t.id(): t for t in type_of.values()}.values():
            type_facts[type_obj.id()] = (_arg(type_obj, _NAME), type_obj.is_a(), attribute(type_obj, "PredefinedType"))

        new_element = _element_factory()
        class_facts: dict[str, tuple[int, int, tuple[tuple[str, int], ...], tuple[str, ...]]] = {}
        reader = self.sets
        elements = index.elements
        by_class = index._by_class
        for cls in ("IfcElement", "IfcSpace"):
            for product in model.by_type(cls):
                pid = product.id()
                cls = product.is_a()
                type_obj = type_of.get(pid)
                type_id = type_obj.id() if type_obj is not None else None
                type_name = type_class = type_predefined = None
                if type_id is not None:
                    type_name, type_class, type_predefined = type_facts[type_id]
                facts = class_facts.get(cls)
                if facts is None:
                    facts = class_facts[cls] = self._class_facts(cls)
                predefined_at, long_name_at, dims_at, ancestors = facts
                predefined = _arg(product, predefined_at) if predefined_at >= 0 else None
                if predefined in (None, "USERDEFINED", "NOTDEFINED") and type_predefined not in (
                    None,
                    "USERDEFINED",
                    "NOTDEFINED",
                ):
                    predefined = type_predefined
                long_name = _arg(product, long_name_at) if long_name_at >= 0 else None
                name = _arg(product, _NAME)
                object_type = _arg(product, _OBJECT_TYPE)
                element_classifications = classifications.get(pid, ()) or (
                    classifications.get(type_id, ()) if type_id is not None else ()
                )
                function = None
                if "IfcSpace" in ancestors:
                    function = self._function(
                        long_name,
                        name,
                        object_type,
                        *(c[2] for c in element_classifications),
                        *(c[1] for c in element_classifications),
                    )
                storey_id = storey_of(pid)
                guid = _arg(product, _GLOBAL_ID)
                element = new_element(
                    {
                        "guid": guid,
                        "ifc_class": cls,
                        "predefined_type": predefined,
                        "name": name,
                        "long_name": long_name,
                        "object_type": object_type,
                        "type_name": type_name,
                        "type_class": type_class,
                        "storey_guid": by_id_guid.get(storey_id) if storey_id else None,
                        "materials": materials.get(pid, ())
                        or (materials.get(type_id, ()) if type_id is not None else ()),
                        "classifications": element_classifications,
                        "function": function,
                        "dims": self._dims(product, dims_at),
                        "step_id": pid,
                        "_sets": (reader, type_id, None),
                    }
                )
                elements[guid] = element
                for ancestor in ancestors:
                    by_class[ancestor].append(element)

        return index

    def _function(self, *names: str | None) -> SpaceFunction | None:
        """``infer_space_function(*names)``, matching each distinct name once per model.

        The table's first row matching any name is the earliest of each name's first match,
        and room names (卧室, 厨房 …) repeat on every storey of a tower.
        """
        best: SpaceFunction | None = None
        best_position = len(self._table_position)
        for name in names:
            if not name:
                continue
            if name in self._function_cache:
                found = self._function_cache[name]
            else:
                found = self._function_cache[name] = infer_space_function(name)
            if found is not None and self._table_position[found] < best_position:
                best, best_position = found, self._table_position[found]
        return best

    def _class_facts(self, cls: str) -> tuple[int, int, tuple[tuple[str, int], ...], tuple[str, ...]]:
        """Positions of PredefinedType, LongName and the length attributes (-1: none), ancestors."""
        declaration = self.schema.declarations.declaration_by_name(cls)
        dims_at = tuple(
            (name, declaration.attribute_index(name))
            for name in _LENGTH_ATTRIBUTES.get(cls, ())
            if declaration.attribute_index(name) >= 0
        )
        predefined_at = declaration.attribute_index("PredefinedType")
        if predefined_at < 0:
            # IFC2X3 lifts and escalators carry their kind in OperationType instead.
            predefined_at = declaration.attribute_index("OperationType")
        return (
            predefined_at,
            declaration.attribute_index("LongName"),
            dims_at,
            self.schema.ancestors(cls),
        )

    def _dims(self, product: ifcopenshell.entity_instance, dims_at: tuple[tuple[str, int], ...]) -> dict[str, float]:
        dims = {}
        for name, position in dims_at:
            value = _arg(product, position)
            if value is not None:
                dims[name] = float(value) * self.units.length
        return dims

    def _storeys(self, storey_entities: Iterable[ifcopenshell.entity_instance]) -> list[Storey]:
        rows = []
        for storey in storey_entities:
            elevation = storey.Elevation
            if elevation is None and storey.ObjectPlacement is not None:
                matrix = ifcopenshell.util.placement.get_local_placement(storey.ObjectPlacement)
                elevation = matrix[2][3]
            rows.append((float(elevation or 0.0) * self.units.length, storey))
        rows.sort(key=lambda row: row[0])
        storeys = []
        above = 0
        for position, (elevation, storey) in enumerate(rows):
            above_index = None
            # A storey whose floor is within 0.5 m below ±0.000 still counts as above ground
            # (ground floors are often modelled at −0.02 … −0.45).
            if elevation > -0.5:
                above += 1
                above_index = above
            storeys.append(
                Storey(
                    guid=storey.GlobalId,
                    name=storey.Name or storey.LongName or storey.GlobalId,
                    elevation_m=round(elevation, 6),
                    index=position,
                    above_ground_index=above_index,
                )
            )
        return storeys

    def _materials(self) -> dict[int, tuple[str, ...]]:
        found: dict[int, tuple[str, ...]] = {}
        for rel in self.model.by_type("IfcRelAssociatesMaterial"):
            material = _arg(rel, _REL_B)
            # Exporters reuse one material (layer set) across many relations: resolve it once.
            key = material.id() if material is not None else -1
            names = self._material_cache.get(key)
            if names is None:
                names = self._material_cache[key] = tuple(dict.fromkeys(_material_names(material)))
            for obj in _arg(rel, _REL_A) or ():
                # An element may have several material associations (e.g. one from its
                # type, one of its own): keep every name, in order, once.
                previous = found.get(obj.id())
                found[obj.id()] = tuple(dict.fromkeys((*previous, *names))) if previous else names
        return found

    def _classifications(self) -> dict[int, tuple[tuple[str, str, str], ...]]:
        found: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for rel in self.model.by_type("IfcRelAssociatesClassification"):
            ref = _arg(rel, _REL_B)
            # schema.attribute, not getattr(…, None): a name the class lacks (ItemReference
            # in IFC4, Identification in IFC2X3) makes IfcOpenShell import its EXPRESS rules.
            attribute = self.schema.attribute
            if ref.is_a("IfcClassificationReference"):
                ident = attribute(ref, "Identification") or attribute(ref, "ItemReference") or ""
                source = attribute(ref, "ReferencedSource")
                system = (attribute(source, "Name") if source is not None else None) or ""
                row = (str(system), str(ident), str(attribute(ref, "Name") or ""))
            else:
                row = (str(attribute(ref, "Name") or ""), "", "")
            for obj in _arg(rel, _REL_A) or ():
                found[obj.id()].append(row)
        return {k: tuple(v) for k, v in found.items()}


def _space_boundaries(model: ifcopenshell.file) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    space_classes: dict[str, bool] = {}
    for rel in model.by_type("IfcRelSpaceBoundary"):
        space, element = _arg(rel, _REL_A), _arg(rel, _REL_B)
        if space is None or element is None:
            continue
        cls = space.is_a()
        is_space = space_classes.get(cls)
        if is_space is None:
            is_space = space_classes[cls] = space.is_a("IfcSpace")
        if is_space:
            found[_arg(element, _GLOBAL_ID)].add(_arg(space, _GLOBAL_ID))
    return found


def _fills(model: ifcopenshell.file) -> tuple[dict[str, str], dict[str, str]]:
    """(filler guid → opening guid, filler guid → host guid) from the fills and voids."""
    host_of_opening: dict[int, str] = {}
    for rel in model.by_type("IfcRelVoidsElement"):
        host, opening = _arg(rel, _REL_A), _arg(rel, _REL_B)
        host_of_opening[opening.id()] = _arg(host, _GLOBAL_ID)
    opening_of: dict[str, str] = {}
    host_of: dict[str, str] = {}
    for rel in model.by_type("IfcRelFillsElement"):
        opening, filler = _arg(rel, _REL_A), _arg(rel, _REL_B)
        filler_guid = _arg(filler, _GLOBAL_ID)
        opening_of[filler_guid] = _arg(opening, _GLOBAL_ID)
        host = host_of_opening.get(opening.id())
        if host is not None:
            host_of[filler_guid] = host
    return opening_of, host_of


def _material_names(material: ifcopenshell.entity_instance | None) -> Iterator[str]:
    if material is None:
        return
    cls = material.is_a()
    if cls == "IfcMaterial":
        yield material.Name
    elif cls == "IfcMaterialLayerSetUsage":
        yield from _material_names(material.ForLayerSet)
    elif cls == "IfcMaterialLayerSet":
        for layer in material.MaterialLayers or ():
            yield from _material_names(layer.Material)
    elif cls == "IfcMaterialLayer":
        yield from _material_names(material.Material)
    elif cls == "IfcMaterialList":
        for item in material.Materials or ():
            yield from _material_names(item)
    elif cls == "IfcMaterialProfileSetUsage":
        yield from _material_names(material.ForProfileSet)
    elif cls == "IfcMaterialProfileSet":
        for profile in material.MaterialProfiles or ():
            yield from _material_names(profile.Material)
    elif cls == "IfcMaterialConstituentSet":
        for constituent in material.MaterialConstituents or ():
            yield from _material_names(constituent.Material)
