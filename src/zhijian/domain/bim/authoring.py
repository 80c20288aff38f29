"""Write small IFC models in code, in any schema and length unit (values given in metres).

Used by the rule fixtures (a passing and a failing model per rule), by the demo building and
by tests that need the same building in millimetres and in metres. Quantities, attribute
lengths and geometry are written in the project's unit, so unit handling is exercised end to
end.

Geometry is optional: ``size=(dx, dy, dz)`` gives a product a box from its placement origin,
``footprint=[(x, y), ...]`` with ``body_height`` an extruded polygon; both become an
``IfcExtrudedAreaSolid`` in a ``Body`` representation, so models render in any viewer and
quantities can be derived from them. Placements of contained elements, bodies and openings
are written with ``file.create_entity`` rather than ``ifcopenshell.api``: the API calls cost
far more per entity and the demo building has a few thousand products.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type
import ifcopenshell.api.unit
import ifcopenshell.guid
import ifcopenshell.util.placement
import ifcopenshell.util.pset
import numpy as np

Point2 = tuple[float, float]
Size3 = tuple[float, float, float]

_QTO_FOR = {
    "IfcSpace": "Qto_SpaceBaseQuantities",
    "IfcDoor": "Qto_DoorBaseQuantities",
    "IfcWindow": "Qto_WindowBaseQuantities",
    "IfcWall": "Qto_WallBaseQuantities",
    "IfcSlab": "Qto_SlabBaseQuantities",
    "IfcColumn": "Qto_ColumnBaseQuantities",
    "IfcBeam": "Qto_BeamBaseQuantities",
    "IfcStairFlight": "Qto_StairFlightBaseQuantities",
    "IfcRailing": "Qto_RailingBaseQuantities",
    "IfcRampFlight": "Qto_RampFlightBaseQuantities",
    "IfcBuildingStorey": "Qto_BuildingStoreyBaseQuantities",
}

# Quantity names whose dimension is area / volume (everything else is a length or a count).
_AREA_WORDS = ("Area",)
_VOLUME_WORDS = ("Volume",)
_COUNT_NAMES = ("NumberOfRiser", "NumberOfTreads", "Count")
_WEIGHT_WORDS = ("Weight",)


@cache
def _pset_template(schema: str, name: str) -> dict[str, tuple[str, str]]:
    """Property name → (template type, primary measure type) of a standard property set."""
    template = ifcopenshell.util.pset.get_template(schema).get_by_name(name)
    if template is None:
        return {}
    return {p.Name: (p.TemplateType or "", p.PrimaryMeasureType or "") for p in template.HasPropertyTemplates or ()}


@cache
def _is_element(schema: str, ifc_class: str) -> bool:
    declaration = ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema).declaration_by_name(ifc_class)
    while declaration is not None:
        if declaration.name() == "IfcElement":
            return True
        declaration = declaration.supertype()
    return False


class ModelBuilder:
    """A tiny model author. All lengths passed in are metres; ``unit`` picks the file's unit."""

    def __init__(self, schema: str = "IFC4", unit: str = "mm", project: str = "Zhijian test") -> None:
        self.schema = schema
        self.unit = unit
        self.scale = 1000.0 if unit == "mm" else 1.0  # metres → file units
        self.file = ifcopenshell.api.project.create_file(version=schema)
        self._owner()
        self.project = ifcopenshell.api.root.create_entity(self.file, ifc_class="IfcProject", name=project)
        length = ifcopenshell.api.unit.add_si_unit(self.file, unit_type="LENGTHUNIT", prefix="MILLI" if unit == "mm" else None)
        area = ifcopenshell.api.unit.add_si_unit(self.file, unit_type="AREAUNIT")
        volume = ifcopenshell.api.unit.add_si_unit(self.file, unit_type="VOLUMEUNIT")
        if unit == "mm":
            # Quantities in an mm project are written in mm² / mm³ so that scaling is tested.
            area = ifcopenshell.api.unit.add_si_unit(self.file, unit_type="AREAUNIT", prefix="MILLI")
            volume = ifcopenshell.api.unit.add_si_unit(self.file, unit_type="VOLUMEUNIT", prefix="MILLI")
        ifcopenshell.api.unit.assign_unit(self.file, units=[length, area, volume])
        self.model_context = ifcopenshell.api.context.add_context(self.file, context_type="Model")
        self.body = ifcopenshell.api.context.add_context(
            self.file, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW", parent=self.model_context
        )
        self._directions: dict[tuple[float, float, float], ifcopenshell.entity_instance] = {}
        self._inverse_placements: dict[int, np.ndarray] = {}
        self._material_rels: dict[str, ifcopenshell.entity_instance] = {}
        self._type_rels: dict[int, ifcopenshell.entity_instance] = {}
        self._qtos: dict[tuple[int, str], ifcopenshell.entity_instance] = {}
        self._world: dict[int, np.ndarray] = {}  # product id → world matrix (file units)
        self.site = self.create("IfcSite", name="场地")
        self.building = self.create("IfcBuilding", name="1#楼")
        ifcopenshell.api.aggregate.assign_object(self.file, products=[self.site], relating_object=self.project)
        ifcopenshell.api.aggregate.assign_object(self.file, products=[self.building], relating_object=self.site)
        self._place(self.site, 0, 0, 0)
        self._place(self.building, 0, 0, 0)
        self._storey_z: dict[int, float] = {}

    def _owner(self) -> None:
        # IfcOpenShell's default owner settings pick the first person/organisation and
        # application in the file; IFC2X3 requires an owner history on every rooted entity.
        person = self.file.create_entity("IfcPerson", FamilyName="Zhijian")
        organization = self.file.create_entity("IfcOrganization", Name="Zhijian")
        self.file.create_entity("IfcPersonAndOrganization", ThePerson=person, TheOrganization=organization)
        user = self.file.by_type("IfcPersonAndOrganization")[0]
        application = self.file.create_entity(
            "IfcApplication",
            ApplicationDeveloper=organization,
            Version="0.1",
            ApplicationFullName="Zhijian",
            ApplicationIdentifier="zhijian",
        )
        # One owner history shared by everything the builder creates directly (the API makes
        # a new one per call).
        now = int(time.time())
        self._history = self.file.create_entity(
            "IfcOwnerHistory", OwningUser=user, OwningApplication=application, ChangeAction="ADDED",
            CreationDate=now, LastModifiedDate=now,  # IFC4 wants a date with a change action
        )

    # -- helpers ------------------------------------------------------------------------
    def create(self, ifc_class: str, name: str | None = None, predefined_type: str | None = None, **attrs: Any) -> ifcopenshell.entity_instance:
        if _is_element(self.file.schema_identifier, ifc_class):
            entity = self._create_element(ifc_class, name, predefined_type)
        else:  # spatial elements and types get the API's schema defaults
            entity = ifcopenshell.api.root.create_entity(self.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type)
        for key, value in attrs.items():
            setattr(entity, key, value)
        return entity

    def _create_element(self, ifc_class: str, name: str | None, predefined_type: str | None) -> ifcopenshell.entity_instance:
        """What ``api.root.create_entity`` does for an IfcElement, without its per-call overhead."""
        entity = self.file.create_entity(ifc_class, GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history, Name=name)
        if predefined_type:
            if hasattr(entity, "PredefinedType"):
                try:
                    entity.PredefinedType = predefined_type
                except Exception:  # not in the enumeration: a user-defined type
                    entity.PredefinedType = "USERDEFINED"
                    entity.ObjectType = predefined_type
            else:
                entity.ObjectType = predefined_type
        return entity

    def length(self, metres: float) -> float:
        return metres * self.scale

    def _place(self, product: ifcopenshell.entity_instance, x: float, y: float, z: float, rotation: float = 0.0) -> None:
        """World placement in metres, ``rotation`` in degrees about Z (through the API)."""
        matrix = np.eye(4)
        if rotation:
            c, s = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
            matrix[:2, :2] = ((c, -s), (s, c))
        matrix[:3, 3] = (x, y, z)
        ifcopenshell.api.geometry.edit_object_placement(self.file, product=product, matrix=matrix, is_si=True)

    def _world_matrix(self, product: ifcopenshell.entity_instance) -> np.ndarray:
        known = self._world.get(product.id())
        if known is not None:
            return known
        return ifcopenshell.util.placement.get_local_placement(product.ObjectPlacement)

    def _direction(self, xyz: tuple[float, float, float]) -> ifcopenshell.entity_instance:
        # Directions are shared geometric items: one entity per distinct direction.
        key = tuple(round(v, 12) + 0.0 for v in xyz)
        if key not in self._directions:
            self._directions[key] = self.file.create_entity("IfcDirection", key)
        return self._directions[key]

    def _place_relative(self, product: ifcopenshell.entity_instance, relative_to: ifcopenshell.entity_instance, x: float, y: float, z: float, rotation: float = 0.0) -> None:
        """Place ``product`` at world (x, y, z) metres, relative to ``relative_to``'s placement."""
        parent = relative_to.ObjectPlacement
        inverse = self._inverse_placements.get(parent.id())
        if inverse is None:
            inverse = np.linalg.inv(ifcopenshell.util.placement.get_local_placement(parent))
            self._inverse_placements[parent.id()] = inverse
        local = inverse @ np.array((self.length(x), self.length(y), self.length(z), 1.0))
        location = self.file.create_entity("IfcCartesianPoint", tuple(float(v) for v in local[:3]))
        ref = None
        world = np.eye(4)
        world[:3, 3] = (self.length(x), self.length(y), self.length(z))
        if rotation:
            angle = math.radians(rotation)
            ref = self._direction((math.cos(angle), math.sin(angle), 0.0))
            world[:2, :2] = ((math.cos(angle), -math.sin(angle)), (math.sin(angle), math.cos(angle)))
        # Remembered so that openings need not walk the placement chain again.
        self._world[product.id()] = world
        axes = self.file.create_entity("IfcAxis2Placement3D", Location=location, RefDirection=ref)
        if ref is not None:
            axes.Axis = self._direction((0.0, 0.0, 1.0))
        product.ObjectPlacement = self.file.create_entity("IfcLocalPlacement", PlacementRelTo=parent, RelativePlacement=axes)

    def add_quantities(self, product: ifcopenshell.entity_instance, values: dict[str, float], qto_name: str | None = None) -> None:
        """Quantities in SI (m, m², m³); written in the file's units. A second call with the
        same set name extends that set."""
        name = qto_name or _QTO_FOR.get(product.is_a(), "BaseQuantities")
        if self.schema == "IFC2X3" and qto_name is None:
            name = "BaseQuantities"  # what Revit / ArchiCAD IFC2X3 exports write
        quantities = [self._quantity(k, v) for k, v in values.items()]
        qto = self._qtos.get((product.id(), name))
        if qto is not None:
            qto.Quantities = (*qto.Quantities, *quantities)
            return
        qto = self.file.create_entity(
            "IfcElementQuantity", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history, Name=name, Quantities=quantities
        )
        self.file.create_entity(
            "IfcRelDefinesByProperties", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history,
            RelatedObjects=[product], RelatingPropertyDefinition=qto,
        )
        self._qtos[(product.id(), name)] = qto

    def _quantity(self, name: str, value: float) -> ifcopenshell.entity_instance:
        if name in _COUNT_NAMES:
            return self.file.create_entity("IfcQuantityCount", Name=name, CountValue=value)
        if any(word in name for word in _WEIGHT_WORDS):
            return self.file.create_entity("IfcQuantityWeight", Name=name, WeightValue=float(value))
        if any(word in name for word in _VOLUME_WORDS):
            return self.file.create_entity("IfcQuantityVolume", Name=name, VolumeValue=float(value) * self.scale**3)
        if any(word in name for word in _AREA_WORDS):
            return self.file.create_entity("IfcQuantityArea", Name=name, AreaValue=float(value) * self.scale**2)
        return self.file.create_entity("IfcQuantityLength", Name=name, LengthValue=float(value) * self.scale)

    def add_pset(self, product: ifcopenshell.entity_instance, name: str, values: dict[str, Any]) -> None:
        """A property set; single values typed from the buildingSMART template when it has the
        property (a length given as a number is in file units), else from the Python type."""
        template = _pset_template(self.file.schema_identifier, name)
        direct = product.is_a("IfcObject") and all(
            template.get(key, ("P_SINGLEVALUE", ""))[0] == "P_SINGLEVALUE" for key in values
        )
        if not direct:  # enumerations, type objects: the API knows the rules
            pset = ifcopenshell.api.pset.add_pset(self.file, product=product, name=name)
            ifcopenshell.api.pset.edit_pset(self.file, pset=pset, properties=values)
            return
        properties = [
            self.file.create_entity(
                "IfcPropertySingleValue", Name=key, NominalValue=self._value(value, template.get(key, ("", ""))[1])
            )
            for key, value in values.items()
            if value is not None
        ]
        pset = self.file.create_entity(
            "IfcPropertySet", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history, Name=name, HasProperties=properties
        )
        self.file.create_entity(
            "IfcRelDefinesByProperties", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history,
            RelatedObjects=[product], RelatingPropertyDefinition=pset,
        )

    def _value(self, value: Any, measure: str) -> ifcopenshell.entity_instance:
        if isinstance(value, ifcopenshell.entity_instance):
            return value
        if not measure:
            measure = (
                "IfcBoolean" if isinstance(value, bool)
                else "IfcInteger" if isinstance(value, int)
                else "IfcReal" if isinstance(value, float)
                else "IfcLabel"
            )
        if measure in ("IfcInteger", "IfcCountMeasure") and not isinstance(value, bool):
            value = int(value)
        elif measure not in ("IfcBoolean", "IfcLogical", "IfcLabel", "IfcText", "IfcIdentifier") and isinstance(value, (int, float)):
            value = float(value)
        return self.file.create_entity(measure, value)

    def contain(self, product: ifcopenshell.entity_instance, storey: ifcopenshell.entity_instance, x: float = 0, y: float = 0, z: float = 0, rotation: float = 0.0) -> None:
        """Contain ``product`` in ``storey`` at world (x, y) and ``z`` above the storey's floor."""
        # Looked up each time rather than cached: API calls (aggregation) may drop the rel.
        rel = next(iter(storey.ContainsElements or ()), None)
        if rel is None:
            self.file.create_entity(
                "IfcRelContainedInSpatialStructure", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history,
                RelatedElements=[product], RelatingStructure=storey,
            )
        else:
            rel.RelatedElements = (*rel.RelatedElements, product)
        self._place_relative(product, storey, x, y, self._storey_z.get(storey.id(), 0.0) + z, rotation)

    # -- materials ----------------------------------------------------------------------
    def material(self, name: str, category: str | None = None) -> ifcopenshell.entity_instance:
        """The IfcMaterial called ``name`` (created once; ``category`` e.g. "concrete")."""
        for existing in self.file.by_type("IfcMaterial"):
            if existing.Name == name:
                return existing
        kwargs = {"category": category} if category and self.schema != "IFC2X3" else {}
        return ifcopenshell.api.material.add_material(self.file, name=name, **kwargs)

    def assign_material(self, product: ifcopenshell.entity_instance, name: str, category: str | None = None) -> None:
        """Associate a single material; one IfcRelAssociatesMaterial per material, extended."""
        rel = self._material_rels.get(name)
        if rel is None:
            material = self.material(name, category)
            rel = self.file.create_entity(
                "IfcRelAssociatesMaterial",
                GlobalId=ifcopenshell.guid.new(),
                OwnerHistory=self._history,
                RelatedObjects=[product],
                RelatingMaterial=material,
            )
            self._material_rels[name] = rel
        else:
            rel.RelatedObjects = (*rel.RelatedObjects, product)

    # -- types --------------------------------------------------------------------------
    def element_type(
        self,
        ifc_class: str,
        name: str,
        *,
        predefined_type: str | None = None,
        psets: dict[str, dict[str, Any]] | None = None,
        material: str | None = None,
        material_category: str | None = None,
    ) -> ifcopenshell.entity_instance:
        """A type object (IfcWallType, IfcSlabType, …) carrying shared property sets and material."""
        element_type = self.create(ifc_class, name=name, predefined_type=predefined_type)
        for pset_name, values in (psets or {}).items():
            self.add_pset(element_type, pset_name, values)
        if material:
            self.assign_material(element_type, material, material_category)
        return element_type

    def assign_type(self, product: ifcopenshell.entity_instance, element_type: ifcopenshell.entity_instance) -> None:
        """Type an occurrence; one IfcRelDefinesByType per type, extended (no representation maps)."""
        rel = self._type_rels.get(element_type.id())
        if rel is None:
            self._type_rels[element_type.id()] = self.file.create_entity(
                "IfcRelDefinesByType",
                GlobalId=ifcopenshell.guid.new(),
                OwnerHistory=self._history,
                RelatedObjects=[product],
                RelatingType=element_type,
            )
        else:
            rel.RelatedObjects = (*rel.RelatedObjects, product)

    # -- geometry -----------------------------------------------------------------------
    def _extrusion(
        self,
        points: Sequence[Point2],
        depth: float,
        position: Sequence[float],
        z_axis: tuple[float, float, float] = (0.0, 0.0, 1.0),
        x_axis: tuple[float, float, float] = (1.0, 0.0, 0.0),
    ) -> ifcopenshell.entity_instance:
        """A closed polygon (metres, in the solid's own XY) swept ``depth`` along its local Z."""
        if depth <= 0 or len(points) < 3:
            raise ValueError("an extrusion needs at least three points and a positive depth")
        coords = [(float(self.length(x)), float(self.length(y))) for x, y in points]
        coords.append(coords[0])  # a closed curve repeats its first point
        if self.schema == "IFC2X3":
            curve = self.file.create_entity("IfcPolyline", [self.file.create_entity("IfcCartesianPoint", c) for c in coords])
        else:
            curve = self.file.create_entity("IfcIndexedPolyCurve", Points=self.file.create_entity("IfcCartesianPointList2D", coords))
        profile = self.file.create_entity("IfcArbitraryClosedProfileDef", ProfileType="AREA", OuterCurve=curve)
        location = self.file.create_entity("IfcCartesianPoint", tuple(float(self.length(v)) for v in position))
        default = z_axis == (0.0, 0.0, 1.0) and x_axis == (1.0, 0.0, 0.0)
        axes = self.file.create_entity(
            "IfcAxis2Placement3D",
            Location=location,
            Axis=None if default else self._direction(z_axis),
            RefDirection=None if default else self._direction(x_axis),
        )
        return self.file.create_entity(
            "IfcExtrudedAreaSolid",
            SweptArea=profile,
            Position=axes,
            ExtrudedDirection=self._direction((0.0, 0.0, 1.0)),
            Depth=self.length(depth),
        )

    def _assign_body(self, product: ifcopenshell.entity_instance, items: list[ifcopenshell.entity_instance]) -> ifcopenshell.entity_instance:
        representation = self.file.create_entity(
            "IfcShapeRepresentation",
            ContextOfItems=self.body,
            RepresentationIdentifier="Body",
            RepresentationType="SweptSolid",
            Items=items,
        )
        product.Representation = self.file.create_entity("IfcProductDefinitionShape", Representations=[representation])
        return representation

    def add_body(
        self,
        product: ifcopenshell.entity_instance,
        *,
        size: Size3 | None = None,
        footprint: Sequence[Point2] | None = None,
        height: float | None = None,
        offset: Sequence[float] = (0.0, 0.0, 0.0),
    ) -> ifcopenshell.entity_instance:
        """Give ``product`` a Body: a box ``size=(dx, dy, dz)`` from its placement origin, or a
        polygon ``footprint`` [(x, y), ...] extruded up by ``height``. Metres, in the product's
        own coordinates, shifted by ``offset``."""
        if size is not None:
            dx, dy, height = size
            footprint = [(0.0, 0.0), (dx, 0.0), (dx, dy), (0.0, dy)]
        if footprint is None or height is None:
            raise ValueError("a body needs size=(dx, dy, dz), or footprint and height")
        return self._assign_body(product, [self._extrusion(footprint, height, offset)])

    def add_side_body(
        self,
        product: ifcopenshell.entity_instance,
        profile: Sequence[Point2],
        width: float,
        offset: Sequence[float] = (0.0, 0.0, 0.0),
    ) -> ifcopenshell.entity_instance:
        """A Body from a profile drawn in the product's XZ plane [(x, z), ...], swept ``width``
        along +Y: stair flights (a sawtooth) and raking balustrades."""
        # Solid axes: X stays X, Z points to −Y so that the profile's second coordinate is +Z;
        # start at y = width so the sweep ends at y = 0.
        ox, oy, oz = offset
        solid = self._extrusion(profile, width, (ox, oy + width, oz), z_axis=(0.0, -1.0, 0.0), x_axis=(1.0, 0.0, 0.0))
        return self._assign_body(product, [solid])

    def fill_opening(
        self,
        host: ifcopenshell.entity_instance,
        filler: ifcopenshell.entity_instance,
        *,
        width: float,
        height: float,
        depth: float,
        margin: float = 0.05,
    ) -> ifcopenshell.entity_instance:
        """Cut an opening for ``filler`` (a door or window placed on the host's face, its X along
        the wall and Y through it) in ``host`` and record that the filler fills it."""
        matrix = self._world_matrix(filler)
        opening = self._opening(host, matrix, width, height, depth, margin, f"Opening {filler.Name or ''}".strip())
        self.file.create_entity(
            "IfcRelFillsElement", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history,
            RelatingOpeningElement=opening, RelatedBuildingElement=filler,
        )
        return opening

    def void(
        self,
        host: ifcopenshell.entity_instance,
        storey: ifcopenshell.entity_instance,
        name: str,
        *,
        x: float,
        y: float,
        z: float = 0.0,
        rotation: float = 0.0,
        width: float,
        height: float,
        depth: float,
        margin: float = 0.05,
    ) -> ifcopenshell.entity_instance:
        """An unfilled opening (a lift door's hole) at world (x, y) and ``z`` above the storey floor."""
        angle = math.radians(rotation)
        matrix = np.eye(4)
        matrix[:2, :2] = ((math.cos(angle), -math.sin(angle)), (math.sin(angle), math.cos(angle)))
        matrix[:3, 3] = (self.length(x), self.length(y), self.length(self._storey_z.get(storey.id(), 0.0) + z))
        return self._opening(host, matrix, width, height, depth, margin, name)

    def _opening(
        self,
        host: ifcopenshell.entity_instance,
        world: np.ndarray,
        width: float,
        height: float,
        depth: float,
        margin: float,
        name: str,
    ) -> ifcopenshell.entity_instance:
        """An IfcOpeningElement at ``world`` (a 4×4 matrix in file units) voiding ``host``."""
        opening = self.file.create_entity(
            "IfcOpeningElement", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history, Name=name
        )
        if self.schema != "IFC2X3":
            opening.PredefinedType = "OPENING"
        # Placed relative to the host, as viewers expect.
        local = np.linalg.inv(self._world_matrix(host)) @ world
        location = self.file.create_entity("IfcCartesianPoint", tuple(float(v) for v in local[:3, 3]))
        axes = self.file.create_entity(
            "IfcAxis2Placement3D",
            Location=location,
            Axis=self._direction(tuple(float(v) for v in local[:3, 2])),
            RefDirection=self._direction(tuple(float(v) for v in local[:3, 0])),
        )
        opening.ObjectPlacement = self.file.create_entity("IfcLocalPlacement", PlacementRelTo=host.ObjectPlacement, RelativePlacement=axes)
        # Deeper than the wall on both faces, so the boolean never leaves a skin.
        self.add_body(opening, size=(width, depth + 2 * margin, height), offset=(0.0, -margin, 0.0))
        self.file.create_entity(
            "IfcRelVoidsElement", GlobalId=ifcopenshell.guid.new(), OwnerHistory=self._history,
            RelatingBuildingElement=host, RelatedOpeningElement=opening,
        )
        return opening

    # -- building parts -----------------------------------------------------------------
    def storey(self, name: str, elevation: float, *, height: float | None = None) -> ifcopenshell.entity_instance:
        """A storey at ``elevation``; ``height`` (floor to floor) is written as GrossHeight."""
        storey = self.create("IfcBuildingStorey", name=name)
        storey.Elevation = self.length(elevation)
        ifcopenshell.api.aggregate.assign_object(self.file, products=[storey], relating_object=self.building)
        self._place(storey, 0, 0, elevation)
        self._storey_z[storey.id()] = elevation
        if height is not None:
            self.add_quantities(storey, {"GrossHeight": height}, qto_name="Qto_BuildingStoreyBaseQuantities")
        return storey

    def space(
        self,
        storey: ifcopenshell.entity_instance,
        name: str,
        long_name: str | None = None,
        *,
        area: float | None = None,
        height: float | None = None,
        finish_ceiling_height: float | None = None,
        x: float = 0,
        y: float = 0,
        footprint: Sequence[Point2] | None = None,
        size: Size3 | None = None,
        body_height: float | None = None,
        predefined_type: str = "INTERNAL",
        quantities: dict[str, float] | None = None,
    ) -> ifcopenshell.entity_instance:
        """A space; with ``footprint`` (relative to x, y) or ``size`` it gets a Body whose height
        is ``body_height``, else the ``height`` quantity. Quantities are written only when given."""
        space = self.create("IfcSpace", name=name, LongName=long_name)
        if self.schema != "IFC2X3":
            space.PredefinedType = predefined_type
        else:
            space.InteriorOrExteriorSpace = "EXTERNAL" if predefined_type == "EXTERNAL" else "INTERNAL"
        ifcopenshell.api.aggregate.assign_object(self.file, products=[space], relating_object=storey)
        self._place_relative(space, storey, x, y, self._storey_z.get(storey.id(), 0.0))
        values = dict(quantities or {})
        if area is not None:
            values["NetFloorArea"] = area
        if height is not None:
            values["Height"] = height
        if finish_ceiling_height is not None:
            values["FinishCeilingHeight"] = finish_ceiling_height
        if values:
            self.add_quantities(space, values)
        if size is not None or footprint is not None:
            self.add_body(space, size=size, footprint=footprint, height=body_height or height)
        return space

    def bound(self, space: ifcopenshell.entity_instance, element: ifcopenshell.entity_instance) -> None:
        """Record that an element (door, wall, railing) bounds a space."""
        cls = "IfcRelSpaceBoundary"
        self.file.create_entity(
            cls,
            GlobalId=ifcopenshell.guid.new(),
            OwnerHistory=self._history,
            RelatingSpace=space,
            RelatedBuildingElement=element,
            PhysicalOrVirtualBoundary="PHYSICAL",
            InternalOrExternalBoundary="INTERNAL",
        )

    def element(
        self,
        ifc_class: str,
        storey: ifcopenshell.entity_instance,
        name: str | None = None,
        *,
        predefined_type: str | None = None,
        quantities: dict[str, float] | None = None,
        psets: dict[str, dict[str, Any]] | None = None,
        bounds: list[ifcopenshell.entity_instance] = (),  # type: ignore[assignment]
        x: float = 0,
        y: float = 0,
        z: float = 0,
        rotation: float = 0.0,
        size: Size3 | None = None,
        footprint: Sequence[Point2] | None = None,
        body_height: float | None = None,
        body_offset: Sequence[float] = (0.0, 0.0, 0.0),
        material: str | None = None,
        **attrs: Any,
    ) -> ifcopenshell.entity_instance:
        """An element contained in ``storey`` at (x, y, z above the floor), turned ``rotation``
        degrees about Z; ``size`` or ``footprint`` + ``body_height`` give it a Body."""
        product = self.create(ifc_class, name=name, predefined_type=predefined_type, **attrs)
        self.contain(product, storey, x, y, z, rotation)
        if size is not None or footprint is not None:
            self.add_body(product, size=size, footprint=footprint, height=body_height, offset=body_offset)
        if quantities:
            self.add_quantities(product, quantities)
        for pset_name, values in (psets or {}).items():
            self.add_pset(product, pset_name, values)
        for space in bounds:
            self.bound(space, product)
        if material:
            self.assign_material(product, material)
        return product

    def door(self, storey: ifcopenshell.entity_instance, name: str, *, width: float, height: float = 2.1, between: list[ifcopenshell.entity_instance] = (), thickness: float | None = None, **kw: Any) -> ifcopenshell.entity_instance:  # type: ignore[assignment]
        """A door; with ``thickness`` (usually the wall's) it gets a width × thickness × height Body."""
        if thickness is not None:
            kw.setdefault("size", (width, thickness, height))
        return self.element(
            "IfcDoor", storey, name, bounds=list(between),
            OverallWidth=self.length(width), OverallHeight=self.length(height), **kw,
        )

    def window(self, storey: ifcopenshell.entity_instance, name: str, *, width: float, height: float, sill: float, thickness: float | None = None, **kw: Any) -> ifcopenshell.entity_instance:
        """A window at ``sill`` above the floor; ``thickness`` gives it a frame-deep Body."""
        if thickness is not None:
            kw.setdefault("size", (width, thickness, height))
        return self.element(
            "IfcWindow", storey, name, z=sill,
            OverallWidth=self.length(width), OverallHeight=self.length(height), **kw,
        )

    def railing(self, storey: ifcopenshell.entity_instance, name: str, *, height: float, bounds: list[ifcopenshell.entity_instance] = (), predefined_type: str = "GUARDRAIL", length: float | None = None, thickness: float = 0.05, **kw: Any) -> ifcopenshell.entity_instance:  # type: ignore[assignment]
        """A railing of ``height``; ``length`` gives it a straight Body (or pass a footprint)."""
        if length is not None:
            kw.setdefault("size", (length, thickness, height))
        if kw.get("footprint") is not None:
            kw.setdefault("body_height", height)
        return self.element(
            "IfcRailing", storey, name, predefined_type=predefined_type, bounds=list(bounds),
            psets={"Pset_RailingCommon": {"Height": self.length(height)}}, **kw,
        )

    def stair_flight(self, storey: ifcopenshell.entity_instance, name: str, *, riser: float, tread: float, risers: int, width: float | None = None, body: bool = False, waist: float = 0.12, **kw: Any) -> ifcopenshell.entity_instance:
        """A straight flight rising along its +X; ``body=True`` (with ``width``) draws the steps."""
        props: dict[str, Any] = {
            "RiserHeight": self.length(riser),
            "TreadLength": self.length(tread),
            "NumberOfRiser": risers,
            "NumberOfTreads": risers - 1,
        }
        pset = "Pset_StairFlightCommon"
        quantities = {"Width": width} if width is not None else None
        if self.schema == "IFC2X3":
            # IFC2X3 also has the step dimensions as attributes of the flight itself.
            kw.update(NumberOfRiser=risers, NumberOfTreads=risers - 1, RiserHeight=self.length(riser), TreadLength=self.length(tread))
        flight = self.element("IfcStairFlight", storey, name, psets={pset: props}, quantities=quantities, **kw)
        if body and width is not None:
            self.add_side_body(flight, stair_profile(riser, tread, risers, waist), width)
        return flight

    def ramp_flight(self, storey: ifcopenshell.entity_instance, name: str, *, slope: float, width: float, length: float | None = None, accessible: bool = True, **kw: Any) -> ifcopenshell.entity_instance:
        """A ramp run; ``slope`` is rise/run (1/12 → 0.0833), written as an angle in radians."""
        props: dict[str, Any] = {"Slope": float(np.arctan(slope))}
        if self.schema != "IFC2X3":
            props["ClearWidth"] = self.length(width)
        quantities = {"Width": width}
        if length is not None:
            quantities["Length"] = length
        flight = self.element("IfcRampFlight", storey, name, psets={"Pset_RampFlightCommon": props}, quantities=quantities, **kw)
        self.add_pset(flight, "Pset_RampCommon", {"HandicapAccessible": accessible})
        return flight

    def aggregate(self, whole: ifcopenshell.entity_instance, parts: list[ifcopenshell.entity_instance]) -> None:
        """Make elements parts of another (flights and railings of a stair or ramp)."""
        ifcopenshell.api.aggregate.assign_object(self.file, products=parts, relating_object=whole)

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        self.file.write(str(path))
        return path


def stair_profile(riser: float, tread: float, risers: int, waist: float) -> list[Point2]:
    """Side profile (x along the run, z up) of a flight: the steps above, a sloping soffit below.

    ``risers`` risers and ``risers - 1`` treads; the last riser is the landing's edge at
    x = (risers - 1) × tread, so the flight itself ends on its last tread.
    """
    run = (risers - 1) * tread
    points: list[Point2] = [(0.0, 0.0)]
    for i in range(risers - 1):
        points += [(i * tread, (i + 1) * riser), ((i + 1) * tread, (i + 1) * riser)]
    slope = math.hypot(run, run * riser / tread) / run if run else 1.0
    # Soffit parallel to the pitch line, ``waist`` thick measured square to it.
    drop = waist * slope
    points += [(run, (risers - 1) * riser - drop), (0.0, -drop)]
    return _dedupe(points)


def _dedupe(points: list[Point2]) -> list[Point2]:
    cleaned: list[Point2] = []
    for point in points:
        if not cleaned or (abs(point[0] - cleaned[-1][0]) > 1e-9 or abs(point[1] - cleaned[-1][1]) > 1e-9):
            cleaned.append(point)
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()
    return cleaned
