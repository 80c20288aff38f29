"""Write small IFC models in code, in any schema and length unit (values given in metres).

Used by the rule fixtures (a passing and a failing model per rule), by the demo building and
by tests that need the same building in millimetres and in metres. Quantities and attribute
lengths are written in the project's unit, so unit handling is exercised end to end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.api.unit
import ifcopenshell.guid
import numpy as np

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
}

# Quantity names whose dimension is area / volume (everything else is a length or a count).
_AREA_WORDS = ("Area",)
_VOLUME_WORDS = ("Volume",)
_COUNT_NAMES = ("NumberOfRiser", "NumberOfTreads", "Count")


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
        self.file.create_entity(
            "IfcApplication",
            ApplicationDeveloper=organization,
            Version="0.1",
            ApplicationFullName="Zhijian",
            ApplicationIdentifier="zhijian",
        )

    # -- helpers ------------------------------------------------------------------------
    def create(self, ifc_class: str, name: str | None = None, predefined_type: str | None = None, **attrs: Any) -> ifcopenshell.entity_instance:
        entity = ifcopenshell.api.root.create_entity(self.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type)
        for key, value in attrs.items():
            setattr(entity, key, value)
        return entity

    def length(self, metres: float) -> float:
        return metres * self.scale

    def _place(self, product: ifcopenshell.entity_instance, x: float, y: float, z: float) -> None:
        matrix = np.eye(4)
        matrix[:3, 3] = (x, y, z)
        ifcopenshell.api.geometry.edit_object_placement(self.file, product=product, matrix=matrix, is_si=True)

    def _qto_value(self, name: str, value: float) -> float:
        if name in _COUNT_NAMES:
            return value
        if any(word in name for word in _VOLUME_WORDS):
            return value * self.scale**3
        if any(word in name for word in _AREA_WORDS):
            return value * self.scale**2
        return value * self.scale

    def add_quantities(self, product: ifcopenshell.entity_instance, values: dict[str, float], qto_name: str | None = None) -> None:
        """Quantities in SI (m, m², m³); written in the file's units."""
        name = qto_name or _QTO_FOR.get(product.is_a(), "BaseQuantities")
        if self.schema == "IFC2X3" and qto_name is None:
            name = "BaseQuantities"  # what Revit / ArchiCAD IFC2X3 exports write
        qto = ifcopenshell.api.pset.add_qto(self.file, product=product, name=name)
        ifcopenshell.api.pset.edit_qto(self.file, qto=qto, properties={k: self._qto_value(k, v) for k, v in values.items()})

    def add_pset(self, product: ifcopenshell.entity_instance, name: str, values: dict[str, Any]) -> None:
        pset = ifcopenshell.api.pset.add_pset(self.file, product=product, name=name)
        ifcopenshell.api.pset.edit_pset(self.file, pset=pset, properties=values)

    def contain(self, product: ifcopenshell.entity_instance, storey: ifcopenshell.entity_instance, x: float = 0, y: float = 0, z: float = 0) -> None:
        ifcopenshell.api.spatial.assign_container(self.file, products=[product], relating_structure=storey)
        self._place(product, x, y, self._storey_z.get(storey.id(), 0.0) + z)

    # -- building parts -----------------------------------------------------------------
    def storey(self, name: str, elevation: float) -> ifcopenshell.entity_instance:
        storey = self.create("IfcBuildingStorey", name=name)
        storey.Elevation = self.length(elevation)
        ifcopenshell.api.aggregate.assign_object(self.file, products=[storey], relating_object=self.building)
        self._place(storey, 0, 0, elevation)
        self._storey_z[storey.id()] = elevation
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
    ) -> ifcopenshell.entity_instance:
        space = self.create("IfcSpace", name=name, LongName=long_name)
        if self.schema != "IFC2X3":
            space.PredefinedType = "INTERNAL"
        ifcopenshell.api.aggregate.assign_object(self.file, products=[space], relating_object=storey)
        self._place(space, x, y, self._storey_z.get(storey.id(), 0.0))
        quantities = {}
        if area is not None:
            quantities["NetFloorArea"] = area
        if height is not None:
            quantities["Height"] = height
        if finish_ceiling_height is not None:
            quantities["FinishCeilingHeight"] = finish_ceiling_height
        if quantities:
            self.add_quantities(space, quantities)
        return space

    def bound(self, space: ifcopenshell.entity_instance, element: ifcopenshell.entity_instance) -> None:
        """Record that an element (door, wall, railing) bounds a space."""
        cls = "IfcRelSpaceBoundary"
        self.file.create_entity(
            cls,
            GlobalId=ifcopenshell.guid.new(),
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
        **attrs: Any,
    ) -> ifcopenshell.entity_instance:
        product = self.create(ifc_class, name=name, predefined_type=predefined_type, **attrs)
        self.contain(product, storey, x, y, z)
        if quantities:
            self.add_quantities(product, quantities)
        for pset_name, values in (psets or {}).items():
            self.add_pset(product, pset_name, values)
        for space in bounds:
            self.bound(space, product)
        return product

    def door(self, storey: ifcopenshell.entity_instance, name: str, *, width: float, height: float = 2.1, between: list[ifcopenshell.entity_instance] = (), **kw: Any) -> ifcopenshell.entity_instance:  # type: ignore[assignment]
        return self.element(
            "IfcDoor", storey, name, bounds=list(between),
            OverallWidth=self.length(width), OverallHeight=self.length(height), **kw,
        )

    def window(self, storey: ifcopenshell.entity_instance, name: str, *, width: float, height: float, sill: float, **kw: Any) -> ifcopenshell.entity_instance:
        return self.element(
            "IfcWindow", storey, name, z=sill,
            OverallWidth=self.length(width), OverallHeight=self.length(height), **kw,
        )

    def railing(self, storey: ifcopenshell.entity_instance, name: str, *, height: float, bounds: list[ifcopenshell.entity_instance] = (), predefined_type: str = "GUARDRAIL", **kw: Any) -> ifcopenshell.entity_instance:  # type: ignore[assignment]
        return self.element(
            "IfcRailing", storey, name, predefined_type=predefined_type, bounds=list(bounds),
            psets={"Pset_RailingCommon": {"Height": self.length(height)}}, **kw,
        )

    def stair_flight(self, storey: ifcopenshell.entity_instance, name: str, *, riser: float, tread: float, risers: int, width: float | None = None, **kw: Any) -> ifcopenshell.entity_instance:
        props: dict[str, Any] = {
            "RiserHeight": self.length(riser),
            "TreadLength": self.length(tread),
            "NumberOfRiser": risers,
            "NumberOfTreads": risers - 1,
        }
        pset = "Pset_StairFlightCommon"
        quantities = {"Width": width} if width is not None else None
        return self.element("IfcStairFlight", storey, name, psets={pset: props}, quantities=quantities, **kw)

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
