"""The model index: built once per model in one pass over the relations, shared by every rule.

Per element it holds class, predefined type, GlobalId, names, type object, containing storey,
property and quantity sets (type values inherited, occurrence values winning), materials and
classification references; plus the spatial tree with storey elevations. Every length, area
and volume leaves the index in SI (m, m², m³) whatever the model's units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.util.placement

from zhijian.domain.bim.model_file import DEFAULT_MAX_BYTES, SniffResult, open_ifc, sha256_of
from zhijian.domain.bim.space_functions import SpaceFunction, infer_space_function
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


@dataclass(frozen=True)
class Storey:
    guid: str
    name: str
    elevation_m: float
    index: int  # 0 = lowest storey
    above_ground_index: int | None  # 1 = first storey at or above ±0.000, None below ground


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

    @property
    def label(self) -> str:
        return self.long_name or self.name or self.guid

    def prop(self, pset: str, name: str) -> Any:
        return self.psets.get(pset, {}).get(name)

    def find_prop(self, name: str) -> Any:
        """A property by name from any property set (first found)."""
        for props in self.psets.values():
            if name in props:
                return props[name]
        return None

    def quantity(self, name: str, *qset_names: str) -> float | None:
        """A quantity in SI units: the named sets first, then the generic ones, then any."""
        for qset in (*qset_names, *_GENERIC_QSETS):
            value = self.qsets.get(qset, {}).get(name)
            if value is not None:
                return value
        for values in self.qsets.values():
            if values.get(name) is not None:
                return values[name]
        return None


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
    # element guid → guids of the spaces it bounds (IfcRelSpaceBoundary)
    spaces_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # space guid → guids of elements contained in it
    contents_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # door/window guid → the opening it fills, and that opening's host wall
    opening_of: dict[str, str] = field(default_factory=dict)
    host_of: dict[str, str] = field(default_factory=dict)
    # whole guid → part guids (IfcRelAggregates / IfcRelNests below element level)
    parts_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_class: dict[str, list[Element]] = field(default_factory=lambda: defaultdict(list))
    _z_cache: dict[str, float] = field(default_factory=dict)

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
        return sum(1 for s in self.storeys if s.above_ground_index is not None)

    def __iter__(self) -> Iterator[Element]:
        return iter(self.elements.values())

    def __len__(self) -> int:
        return len(self.elements)


def load_index(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> ModelIndex:
    """Open (with all input checks) and index a model file."""
    path = Path(path)
    model, sniff = open_ifc(path, max_bytes)
    return build_index(model, path=path, sha256=sha256_of(path), sniff=sniff)


def build_index(
    model: ifcopenshell.file,
    *,
    path: Path | None = None,
    sha256: str | None = None,
    sniff: SniffResult | None = None,
) -> ModelIndex:
    return _IndexBuilder(model).build(path, sha256, sniff)


class _IndexBuilder:
    def __init__(self, model: ifcopenshell.file) -> None:
        self.model = model
        self.units = unit_scales(model)
        self._pset_cache: dict[int, tuple[str, dict[str, Any], bool]] = {}

    # -- property sets ------------------------------------------------------------------
    def _value(self, wrapped: Any) -> Any:
        if wrapped is None:
            return None
        if isinstance(wrapped, ifcopenshell.entity_instance):
            value = wrapped.wrappedValue
            scale = self.units.for_measure(wrapped.is_a())
            if scale != 1.0 and isinstance(value, (int, float)):
                return float(value) * scale
            return value
        return wrapped

    def _read_property(self, prop: ifcopenshell.entity_instance) -> Any:
        if prop.is_a("IfcPropertySingleValue"):
            return self._value(prop.NominalValue)
        if prop.is_a("IfcPropertyEnumeratedValue"):
            values = [self._value(v) for v in prop.EnumerationValues or ()]
            return values[0] if len(values) == 1 else values
        if prop.is_a("IfcPropertyListValue"):
            return [self._value(v) for v in prop.ListValues or ()]
        if prop.is_a("IfcPropertyBoundedValue"):
            return self._value(prop.UpperBoundValue) or self._value(prop.LowerBoundValue)
        return None

    def _read_quantity(self, quantity: ifcopenshell.entity_instance) -> float | None:
        # Positional reads: attribute 3 is the value of every IfcPhysicalSimpleQuantity.
        cls = quantity.is_a()
        if cls == "IfcQuantityLength":
            return float(quantity[3]) * self.units.length
        if cls == "IfcQuantityArea":
            return float(quantity[3]) * self.units.area
        if cls == "IfcQuantityVolume":
            return float(quantity[3]) * self.units.volume
        if cls in ("IfcQuantityCount", "IfcQuantityWeight", "IfcQuantityTime", "IfcQuantityNumber"):
            return float(quantity[3])
        return None

    def _read_definition(self, definition: ifcopenshell.entity_instance) -> tuple[str, dict[str, Any], bool] | None:
        """(name, values, is_quantity_set) for a property or quantity set, cached by id."""
        cached = self._pset_cache.get(definition.id())
        if cached is not None:
            return cached
        values: dict[str, Any] = {}
        if definition.is_a("IfcElementQuantity"):
            for quantity in definition.Quantities or ():
                if quantity.is_a("IfcPhysicalSimpleQuantity") and quantity[3] is not None:
                    values[quantity.Name] = self._read_quantity(quantity)
            result = (definition.Name or "", values, True)
        elif definition.is_a("IfcPropertySet"):
            for prop in definition.HasProperties or ():
                values[prop.Name] = self._read_property(prop)
            result = (definition.Name or "", values, False)
        else:
            return None
        self._pset_cache[definition.id()] = result
        return result

    @staticmethod
    def _merge(target: PropertySets, name: str, values: dict[str, Any]) -> None:
        bucket = target.setdefault(name, {})
        bucket.update({k: v for k, v in values.items() if v is not None or k not in bucket})

    # -- build --------------------------------------------------------------------------
    def build(self, path: Path | None, sha256: str | None, sniff: SniffResult | None) -> ModelIndex:
        model = self.model
        index = ModelIndex(
            path=path,
            sha256=sha256,
            schema=sniff.schema if sniff else model.schema_identifier,
            units=self.units,
            ifc=model,
        )

        psets: dict[int, PropertySets] = defaultdict(dict)
        qsets: dict[int, PropertySets] = defaultdict(dict)
        type_of: dict[int, ifcopenshell.entity_instance] = {}

        # Type objects first so that occurrence values can win.
        for rel in model.by_type("IfcRelDefinesByType"):
            if rel.RelatingType is None:
                continue
            for obj in rel.RelatedObjects or ():
                type_of[obj.id()] = rel.RelatingType
        type_psets: dict[int, tuple[PropertySets, PropertySets]] = {}
        for type_obj in {t.id(): t for t in type_of.values()}.values():
            tp: PropertySets = {}
            tq: PropertySets = {}
            for definition in getattr(type_obj, "HasPropertySets", None) or ():
                read = self._read_definition(definition)
                if read:
                    self._merge(tq if read[2] else tp, read[0], read[1])
            type_psets[type_obj.id()] = (tp, tq)
        for obj_id, type_obj in type_of.items():
            tp, tq = type_psets[type_obj.id()]
            for name, values in tp.items():
                self._merge(psets[obj_id], name, values)
            for name, values in tq.items():
                self._merge(qsets[obj_id], name, values)

        for rel in model.by_type("IfcRelDefinesByProperties"):
            definitions = rel.RelatingPropertyDefinition
            if isinstance(definitions, ifcopenshell.entity_instance):
                definitions = (definitions,)
            for definition in definitions or ():
                read = self._read_definition(definition)
                if not read:
                    continue
                name, values, is_qset = read
                for obj in rel.RelatedObjects or ():
                    self._merge((qsets if is_qset else psets)[obj.id()], name, values)

        materials = self._materials()
        classifications = self._classifications()

        # Spatial structure: storeys, and the storey of every element.
        container: dict[int, int] = {}  # element id → spatial structure id
        for rel in model.by_type("IfcRelContainedInSpatialStructure"):
            structure = rel.RelatingStructure
            for element in rel.RelatedElements or ():
                container[element.id()] = structure.id()
        parent: dict[int, int] = {}
        for rel in model.by_type("IfcRelAggregates"):
            whole = rel.RelatingObject
            for part in rel.RelatedObjects or ():
                parent[part.id()] = whole.id()
                if not whole.is_a("IfcSpatialStructureElement") and not whole.is_a("IfcProject"):
                    index.parts_of[whole.GlobalId].append(part.GlobalId)
        for rel in model.by_type("IfcRelNests"):
            whole = rel.RelatingObject
            for part in rel.RelatedObjects or ():
                if part.is_a("IfcElement") and whole.is_a("IfcElement"):
                    parent.setdefault(part.id(), whole.id())
                    index.parts_of[whole.GlobalId].append(part.GlobalId)

        storey_entities = model.by_type("IfcBuildingStorey")
        storey_ids = {s.id() for s in storey_entities}
        index.storeys = self._storeys(storey_entities)
        index.building_names = [b.Name or b.GlobalId for b in model.by_type("IfcBuilding")]

        def storey_of(entity_id: int) -> int | None:
            seen = 0
            current: int | None = entity_id
            while current is not None and seen < 64:
                if current in storey_ids:
                    return current
                current = container.get(current, parent.get(current))
                seen += 1
            return None

        by_id_guid = {s.id(): s.GlobalId for s in storey_entities}
        classes = ("IfcElement", "IfcSpace")
        products: dict[int, ifcopenshell.entity_instance] = {}
        for cls in classes:
            for product in model.by_type(cls):
                products[product.id()] = product

        for pid, product in products.items():
            type_obj = type_of.get(pid)
            storey_id = storey_of(pid)
            predefined = getattr(product, "PredefinedType", None)
            if predefined in ("USERDEFINED", "NOTDEFINED") or predefined is None:
                type_predefined = getattr(type_obj, "PredefinedType", None) if type_obj else None
                if type_predefined not in (None, "USERDEFINED", "NOTDEFINED"):
                    predefined = type_predefined
            long_name = getattr(product, "LongName", None)
            element_classifications = classifications.get(pid, ()) or (
                classifications.get(type_obj.id(), ()) if type_obj else ()
            )
            function = None
            if product.is_a("IfcSpace"):
                function = infer_space_function(
                    long_name,
                    product.Name,
                    product.ObjectType,
                    *(c[2] for c in element_classifications),
                    *(c[1] for c in element_classifications),
                )
            element = Element(
                guid=product.GlobalId,
                ifc_class=product.is_a(),
                predefined_type=predefined,
                name=product.Name,
                long_name=long_name,
                object_type=product.ObjectType,
                type_name=type_obj.Name if type_obj else None,
                type_class=type_obj.is_a() if type_obj else None,
                storey_guid=by_id_guid.get(storey_id) if storey_id else None,
                psets=dict(psets.get(pid, {})),
                qsets=dict(qsets.get(pid, {})),
                materials=materials.get(pid, ()) or (materials.get(type_obj.id(), ()) if type_obj else ()),
                classifications=element_classifications,
                function=function,
                dims=self._dims(product),
                step_id=pid,
            )
            index.elements[element.guid] = element
            for cls in _ancestors(product):
                index._by_class[cls].append(element)

        for rel in model.by_type("IfcRelContainedInSpatialStructure"):
            if rel.RelatingStructure.is_a("IfcSpace"):
                for element in rel.RelatedElements or ():
                    index.contents_of[rel.RelatingStructure.GlobalId].add(element.GlobalId)
        for rel in model.by_type("IfcRelSpaceBoundary"):
            space, element = rel.RelatingSpace, rel.RelatedBuildingElement
            if space is not None and element is not None and space.is_a("IfcSpace"):
                index.spaces_of[element.GlobalId].add(space.GlobalId)
        for rel in model.by_type("IfcRelFillsElement"):
            opening, filler = rel.RelatingOpeningElement, rel.RelatedBuildingElement
            index.opening_of[filler.GlobalId] = opening.GlobalId
            for void in opening.VoidsElements or ():
                index.host_of[filler.GlobalId] = void.RelatingBuildingElement.GlobalId
        return index

    def _dims(self, product: ifcopenshell.entity_instance) -> dict[str, float]:
        dims = {}
        for attribute in _LENGTH_ATTRIBUTES.get(product.is_a(), ()):
            value = getattr(product, attribute, None)
            if value is not None:
                dims[attribute] = float(value) * self.units.length
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
            names = tuple(dict.fromkeys(_material_names(rel.RelatingMaterial)))
            for obj in rel.RelatedObjects or ():
                found[obj.id()] = names
        return found

    def _classifications(self) -> dict[int, tuple[tuple[str, str, str], ...]]:
        found: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for rel in self.model.by_type("IfcRelAssociatesClassification"):
            ref = rel.RelatingClassification
            if ref.is_a("IfcClassificationReference"):
                ident = getattr(ref, "Identification", None) or getattr(ref, "ItemReference", None) or ""
                source = getattr(ref, "ReferencedSource", None)
                system = getattr(source, "Name", None) or ""
                row = (str(system), str(ident), str(ref.Name or ""))
            else:
                row = (str(getattr(ref, "Name", "") or ""), "", "")
            for obj in rel.RelatedObjects or ():
                found[obj.id()].append(row)
        return {k: tuple(v) for k, v in found.items()}


_ANCESTORS: dict[tuple[str, str], tuple[str, ...]] = {}


def _ancestors(product: ifcopenshell.entity_instance) -> tuple[str, ...]:
    """The class and all its supertypes, cached per (schema, class)."""
    key = (product.is_a(True).split(".")[0], product.is_a())
    if key not in _ANCESTORS:
        schema = ifcopenshell.ifcopenshell_wrapper.schema_by_name(key[0])
        declaration = schema.declaration_by_name(key[1])
        names = []
        while declaration is not None:
            names.append(declaration.name())
            declaration = declaration.supertype()
        _ANCESTORS[key] = tuple(names)
    return _ANCESTORS[key]


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
