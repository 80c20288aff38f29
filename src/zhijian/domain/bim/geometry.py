"""Quantities derived from geometry (ifcopenshell.geom) when a model lacks quantity sets.

Touch geometry only for the elements a rule needs and only when quantities are missing:
geometry is ~90 % of the time of any pass over a real model. One element's Body is
triangulated in world coordinates (ifcopenshell returns metres whatever the file's unit) and
every quantity is read from that mesh:

- plan areas (NetFloorArea, GrossFloorArea, ProjectedArea, a slab's NetArea/GrossArea, a wall's
  footprint areas): the triangles projected to XY and unioned with shapely, so a sloped or
  stepped body counts once;
- heights (Height, FinishCeilingHeight of a space): the Z extent of the body. With no
  finishes or ceilings modelled the clear height and the body height are the same number;
- lengths (Length, Width, Depth, Height of an element): the minimum-area rectangle around the
  plan footprint (long side, short side) and the Z extent, named per class as the IFC base
  quantity sets name them (a slab's Width is its thickness, a beam's Depth its section depth);
  a space's Width and Length only when its plan is a rectangle (within 2 %);
- volumes (NetVolume with openings subtracted, GrossVolume without): the mesh's enclosed
  volume, only for closed meshes.

An element without a Body of its own but with parts (an IfcStair of flights, landings and
balustrades) is measured as the union of its parts when every part has a body.

Each value is computed once per (GlobalId, name) and cached on the index. Anything the
geometry cannot answer soundly is None; a geometry error is logged and is None too, never an
exception in a check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.placement
import numpy as np
import shapely

if TYPE_CHECKING:
    from zhijian.domain.bim.index import ModelIndex

log = logging.getLogger(__name__)

# Class families whose extents the base quantity sets name differently (most specific first).
_SLAB_LIKE = ("IfcSlab", "IfcRoof", "IfcCovering", "IfcPlate", "IfcFooting")
_COLUMN_LIKE = ("IfcColumn", "IfcPile")
_BEAM_LIKE = ("IfcBeam", "IfcMember")
_OPENING_FILLERS = ("IfcDoor", "IfcWindow")

SPACE_QUANTITIES = frozenset(
    {
        "NetFloorArea", "GrossFloorArea", "ProjectedArea", "Height", "FinishCeilingHeight", "NetVolume",
        "GrossVolume", "Width", "Length",
    }
)
# A space's Width/Length are its plan's rectangle sides only when the plan is that rectangle:
# the clear width of an L-shaped hall has no single value.
_RECTANGULAR_FILL = 0.98
ELEMENT_QUANTITIES = frozenset(
    {
        "Length", "Width", "Height", "Depth", "NetVolume", "GrossVolume", "ProjectedArea",
        "NetArea", "GrossArea", "NetFootprintArea", "GrossFootprintArea", "GrossSideArea",
        "NetSideArea", "CrossSectionArea",
    }
)


@dataclass(frozen=True)
class Mesh:
    """A welded triangle mesh in world coordinates, metres."""

    verts: np.ndarray  # (n, 3)
    faces: np.ndarray  # (m, 3) vertex indices

    @property
    def triangles(self) -> np.ndarray:
        return self.verts[self.faces]  # (m, 3, 3)

    def z_extent(self) -> float:
        return float(self.verts[:, 2].max() - self.verts[:, 2].min())

    def is_closed(self) -> bool:
        """Every edge shared by exactly two triangles (after welding coincident vertices)."""
        keys = np.round(self.verts / 1e-6).astype(np.int64)
        _, welded = np.unique(keys, axis=0, return_inverse=True)
        faces = welded.reshape(-1)[self.faces]
        edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
        edges = edges[edges[:, 0] != edges[:, 1]]
        edges.sort(axis=1)
        _, counts = np.unique(edges, axis=0, return_counts=True)
        return bool(len(counts)) and bool(np.all(counts == 2))

    def volume(self) -> float | None:
        """Enclosed volume (divergence theorem), None when the mesh is not closed."""
        if not len(self.faces) or not self.is_closed():
            return None
        a, b, c = (self.triangles[:, i, :] for i in range(3))
        return float(abs(np.einsum("ij,ij->i", a, np.cross(b, c)).sum()) / 6.0)

    def plan(self) -> shapely.Geometry:
        """The union of the triangles projected to the XY plane."""
        flat = self.triangles[:, :, :2]
        twice_area = np.abs(
            (flat[:, 1, 0] - flat[:, 0, 0]) * (flat[:, 2, 1] - flat[:, 0, 1])
            - (flat[:, 2, 0] - flat[:, 0, 0]) * (flat[:, 1, 1] - flat[:, 0, 1])
        )
        flat = flat[twice_area > 1e-10]  # vertical faces project to nothing
        if not len(flat):
            return shapely.Polygon()
        rings = np.concatenate([flat, flat[:, :1, :]], axis=1)
        return shapely.union_all(shapely.polygons(rings), grid_size=1e-6)

    def plan_extents(self) -> tuple[float, float]:
        """(long side, short side) of the minimum-area rectangle around the plan footprint."""
        points = shapely.multipoints(self.verts[:, :2])
        rectangle = shapely.oriented_envelope(points)
        if rectangle.geom_type != "Polygon":
            # Degenerate (a line or a point): its length and zero width.
            return float(rectangle.length), 0.0
        corners = np.asarray(rectangle.exterior.coords)[:4]
        sides = sorted(
            (float(np.linalg.norm(corners[1] - corners[0])), float(np.linalg.norm(corners[2] - corners[1]))),
            reverse=True,
        )
        return sides[0], sides[1]


@cache
def _settings(with_openings: bool) -> ifcopenshell.geom.settings:
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("weld-vertices", True)
    if not with_openings:
        settings.set("disable-opening-subtractions", True)
    return settings


def _body_representation(entity: ifcopenshell.entity_instance) -> ifcopenshell.entity_instance | None:
    shape = getattr(entity, "Representation", None)
    for representation in getattr(shape, "Representations", None) or ():
        identifier = representation.RepresentationIdentifier or getattr(
            representation.ContextOfItems, "ContextIdentifier", None
        )
        if identifier == "Body":
            return representation
    return None


def body_mesh(index: ModelIndex, guid: str, *, with_openings: bool = True) -> Mesh | None:
    """The element's Body triangulated in world metres (openings subtracted unless asked not
    to); None without a Body or when the geometry kernel fails. Cached on the index."""
    key = (guid, "mesh" if with_openings else "mesh:gross")
    if key in index._derived:
        return index._derived[key]
    mesh = None
    try:
        entity = index.entity(guid)
        representation = _body_representation(entity)
        if representation is not None:
            shape = ifcopenshell.geom.create_shape(_settings(with_openings), entity, representation)
            verts = np.asarray(shape.geometry.verts, dtype=float).reshape(-1, 3)
            faces = np.asarray(shape.geometry.faces, dtype=np.int64).reshape(-1, 3)
            if len(faces):
                mesh = Mesh(verts, faces)
        elif index.parts_of.get(guid):
            # An aggregate (a stair of flights and landings) is the sum of its parts.
            meshes = [m for part in index.parts_of[guid] if (m := body_mesh(index, part, with_openings=with_openings))]
            if meshes and len(meshes) == len(index.parts_of[guid]):
                mesh = _combined(meshes)
    except Exception as exc:  # the kernel raises plain RuntimeErrors on bad geometry
        log.info("no geometry for %s: %s", guid, exc)
    index._derived[key] = mesh
    return mesh


def _combined(meshes: list[Mesh]) -> Mesh:
    offsets = np.cumsum([0] + [len(m.verts) for m in meshes[:-1]])
    return Mesh(
        np.concatenate([m.verts for m in meshes]),
        np.concatenate([m.faces + offset for m, offset in zip(meshes, offsets, strict=True)]),
    )


def derive_quantity(index: ModelIndex, guid: str, name: str) -> float | None:
    """SI value of a quantity computed from the element's body geometry, or None."""
    key = (guid, name)
    if key in index._derived:
        return index._derived[key]
    try:
        value = _derive(index, guid, name)
    except Exception as exc:  # never let geometry fail a check
        log.info("cannot derive %s of %s: %s", name, guid, exc)
        value = None
    index._derived[key] = value
    return value


def projected_area(index: ModelIndex, guid: str) -> float | None:
    """水平投影面积: plan area of the element's body (for slabs, beams, stairs, balconies)."""
    return derive_quantity(index, guid, "ProjectedArea")


def _derive(index: ModelIndex, guid: str, name: str) -> float | None:
    element = index.elements.get(guid)
    if element is None:
        return None
    is_space = element.ifc_class == "IfcSpace"
    if name not in (SPACE_QUANTITIES if is_space else ELEMENT_QUANTITIES):
        return None
    parts = index.parts_of.get(guid)
    if name in ("NetVolume", "GrossVolume") and parts and _body_representation(index.entity(guid)) is None:
        # Parts may touch; their meshes are measured one by one, not welded together.
        volumes = [derive_quantity(index, part, name) for part in parts]
        return sum(volumes) if all(v is not None for v in volumes) else None  # type: ignore[arg-type]
    gross = name.startswith("Gross") and name != "GrossFloorArea"
    if not is_space and name in ("Length", "Width", "Height", "Depth"):
        points = body_points(index, guid)
        if points is not None:
            return _element_length(index, guid, name, points)
    mesh = body_mesh(index, guid, with_openings=not gross)
    if mesh is None:
        return None

    if name in ("NetVolume", "GrossVolume"):
        return mesh.volume()
    if name in ("NetFloorArea", "GrossFloorArea", "ProjectedArea", "NetArea", "GrossArea",
                "NetFootprintArea", "GrossFootprintArea"):
        if name in ("NetArea", "GrossArea") and not _is(index, guid, _SLAB_LIKE):
            return None  # a wall's or beam's "area" is not its plan
        return float(mesh.plan().area)
    if is_space and name in ("Width", "Length"):
        long_side, short_side = mesh.plan_extents()
        if long_side * short_side <= 0 or mesh.plan().area < _RECTANGULAR_FILL * long_side * short_side:
            return None
        return short_side if name == "Width" else long_side
    if is_space:  # Height, FinishCeilingHeight
        return mesh.z_extent()
    return _element_length(index, guid, name, mesh)


_POINT_BODIES = ("IfcFacetedBrep", "IfcPolygonalFaceSet", "IfcTriangulatedFaceSet")


def body_points(index: ModelIndex, guid: str) -> Mesh | None:
    """The vertices of a Body made only of explicit points (faceted B-reps, tessellations),
    in world metres, read straight from the file without the geometry kernel.

    Extents need only vertices, and building a faceted B-rep with the kernel costs ~0.5 s for
    a spiral stair of ~1,300 points. Returns a face-less Mesh; None when the Body has other
    items (extrusions, mapped items, booleans), which need the kernel.
    """
    key = (guid, "points")
    if key in index._derived:
        return index._derived[key]
    result = None
    try:
        entity = index.entity(guid)
        representation = _body_representation(entity)
        items = list(representation.Items or ()) if representation is not None else []
        if items and all(item.is_a() in _POINT_BODIES for item in items) and entity.ObjectPlacement:
            coords = []
            for item in items:
                for node in index.ifc.traverse(item):
                    if node.is_a("IfcCartesianPoint"):
                        coords.append(tuple(node.Coordinates) + (0.0,) * (3 - len(node.Coordinates)))
                    elif node.is_a("IfcCartesianPointList3D"):
                        coords.extend(tuple(c) for c in node.CoordList)
            if coords:
                local = np.asarray(coords, dtype=float)
                matrix = np.asarray(ifcopenshell.util.placement.get_local_placement(entity.ObjectPlacement))
                world = local @ matrix[:3, :3].T + matrix[:3, 3]
                result = Mesh(world * index.units.length, np.zeros((0, 3), dtype=np.int64))
    except Exception as exc:  # never let geometry fail a check
        log.info("no points for %s: %s", guid, exc)
    index._derived[key] = result
    return result


def _element_length(index: ModelIndex, guid: str, name: str, mesh: Mesh) -> float | None:
    vertical = mesh.z_extent()
    long_side, short_side = mesh.plan_extents()
    if _is(index, guid, _SLAB_LIKE):
        names = {"Width": vertical, "Height": vertical, "Length": long_side, "Depth": short_side}
    elif _is(index, guid, _COLUMN_LIKE):
        names = {"Length": vertical, "Height": vertical, "Width": short_side, "Depth": long_side}
    elif _is(index, guid, _BEAM_LIKE):
        names = {"Length": long_side, "Width": short_side, "Height": vertical, "Depth": vertical}
    elif _is(index, guid, _OPENING_FILLERS):
        names = {"Width": long_side, "Depth": short_side, "Height": vertical}
    else:  # walls, railings, stair flights, generic elements: length along, width across
        names = {"Length": long_side, "Width": short_side, "Height": vertical}

    if name in names:
        return names[name]
    if name == "CrossSectionArea" and (_is(index, guid, _COLUMN_LIKE) or _is(index, guid, _BEAM_LIKE)):
        length = names["Length"]
        volume = mesh.volume()
        return volume / length if volume is not None and length > 0 else None
    if name in ("GrossSideArea", "NetSideArea") and not _is(index, guid, _SLAB_LIKE):
        if name == "GrossSideArea":
            return long_side * vertical
        # Net side area of a constant-thickness element: what is left after openings.
        volume = mesh.volume()
        return volume / short_side if volume is not None and short_side > 0 else None
    return None


def _is(index: ModelIndex, guid: str, classes: tuple[str, ...]) -> bool:
    entity = index.entity(guid)
    return any(entity.is_a(cls) for cls in classes)
