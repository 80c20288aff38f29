"""Floor plans of the demo building as plain data, in metres: rooms, walls, openings, slabs.

Rooms and slabs are drawn on the wall centre lines (axes); :func:`resolve` turns walls into
bodies (square-ended, a lower-priority wall cut back where it meets a higher one, so nothing
is counted twice) and rooms into their net floor polygons (axis polygon minus walls, columns
and railings), all with shapely. The building reads the resolved plan; nothing here knows IFC.

Plan of one storey (x east, y north; unit A drawn, unit B its mirror about x = 13.4)::

    y=8.9 ┌─────┬──────┬─────────┬─────┬──────┬─────┬─────┐
          │卫生间│ 厨房  │  餐厅    │门厅  │电梯厅 │电梯井│     │
    y=5.9 ├─────┴──────┴───┐     │     ├──────┼─────┤ B … │
          │      走道       │     │     │楼梯间 │管道井│     │
    y=4.5 ├───────┬────────┴─────┼─────┤      │     │     │
          │ 主卧   │    客厅       │次卧  │      │     │     │
    y=0   └───────┴──[阳台]───────┴─────┴──────┴─────┴─────┘
          x=0    3.6           7.8  10.8   13.6  16.0    26.8
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

Point = tuple[float, float]

WALL_T = 0.2  # every wall in the demo is 200 mm (precast panels, cast walls and AAC blocks)
BUILDING_X = 26.8
MIRROR_X = BUILDING_X / 2

# Wall kinds, in the order their bodies are cut (a later kind yields to an earlier one).
WALL_KINDS = ("core", "exterior_shear", "interior_shear", "basement", "infill", "partition")


@dataclass(frozen=True)
class Wall:
    key: str
    start: Point
    end: Point
    kind: str
    beam_above: float = 0.0  # depth of a beam on top: the wall stops that far lower


@dataclass(frozen=True)
class Opening:
    key: str
    kind: str  # "door" | "window" | "void"
    wall: str
    offset: float  # along the wall from its start to the opening's near edge
    width: float
    height: float
    name: str
    rooms: tuple[str, ...] = ()
    sill: float = 0.0
    material: str = ""


@dataclass(frozen=True)
class Room:
    key: str
    long_name: str
    outline: tuple[Point, ...]
    external: bool = False
    clear_width: float | None = None  # 净宽 a designer states for halls and corridors


@dataclass(frozen=True)
class Slab:
    key: str
    kind: str  # "floor" | "wet" | "balcony" | "landing" | "roof" | "base"
    outline: tuple[Point, ...]
    thickness: float = 0.13


@dataclass(frozen=True)
class Column:
    key: str
    centre: Point
    size: tuple[float, float] = (0.4, 0.4)


@dataclass(frozen=True)
class Beam:
    key: str
    start: Point
    end: Point
    width: float = 0.2
    depth: float = 0.5


@dataclass(frozen=True)
class Railing:
    key: str
    outline: tuple[Point, ...]  # plan footprint of the balustrade
    room: str
    length: float


@dataclass(frozen=True)
class Plan:
    rooms: tuple[Room, ...] = ()
    walls: tuple[Wall, ...] = ()
    openings: tuple[Opening, ...] = ()
    slabs: tuple[Slab, ...] = ()
    columns: tuple[Column, ...] = ()
    beams: tuple[Beam, ...] = ()
    railings: tuple[Railing, ...] = ()

    def __add__(self, other: Plan) -> Plan:
        return Plan(*(getattr(self, f) + getattr(other, f) for f in _FIELDS))

    def prefixed(self, prefix: str) -> Plan:
        """Keys namespaced per unit ("A.主卧"), references included."""
        def k(key: str) -> str:
            return f"{prefix}.{key}"

        return Plan(
            rooms=tuple(replace(r, key=k(r.key)) for r in self.rooms),
            walls=tuple(replace(w, key=k(w.key)) for w in self.walls),
            openings=tuple(replace(o, key=k(o.key), wall=k(o.wall), rooms=tuple(k(r) for r in o.rooms)) for o in self.openings),
            slabs=tuple(replace(s, key=k(s.key)) for s in self.slabs),
            columns=tuple(replace(c, key=k(c.key)) for c in self.columns),
            beams=tuple(replace(b, key=k(b.key)) for b in self.beams),
            railings=tuple(replace(r, key=k(r.key), room=k(r.room)) for r in self.railings),
        )

    def mirrored(self, axis_x: float = MIRROR_X) -> Plan:
        """The plan mirrored about the vertical line x = axis_x (polygons kept counter-clockwise)."""
        def p(point: Point) -> Point:
            return (round(2 * axis_x - point[0], 9), point[1])

        def poly(points: tuple[Point, ...]) -> tuple[Point, ...]:
            return tuple(p(q) for q in reversed(points))

        return Plan(
            rooms=tuple(replace(r, outline=poly(r.outline)) for r in self.rooms),
            walls=tuple(replace(w, start=p(w.start), end=p(w.end)) for w in self.walls),
            openings=self.openings,  # offsets run from the (mirrored) wall start: unchanged
            slabs=tuple(replace(s, outline=poly(s.outline)) for s in self.slabs),
            columns=tuple(replace(c, centre=p(c.centre)) for c in self.columns),
            beams=tuple(replace(b, start=p(b.start), end=p(b.end)) for b in self.beams),
            railings=tuple(replace(r, outline=poly(r.outline)) for r in self.railings),
        )


_FIELDS = ("rooms", "walls", "openings", "slabs", "columns", "beams", "railings")


def rect(x0: float, y0: float, x1: float, y1: float) -> tuple[Point, ...]:
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


# -- the dwelling unit (一梯两户: unit A west of the core, B its mirror) -------------------------
def unit_plan(variant: str = "typical") -> Plan:
    """One dwelling (户) of 96.12 m² on the axes: 主卧, 次卧, 客厅, 餐厅, 厨房, 卫生间, 走道, 门厅,
    阳台. Variants: ``small_kitchen`` (a 3.2 m² kitchen), ``small_bedroom`` (a 4.6 m² 次卧),
    ``basement`` (one storage room, no openings but the door)."""
    if variant == "basement":
        return _basement_unit()
    walls = [
        # exterior: shear walls (precast from 3F) except the living room's infill under a beam
        Wall("S1", (0, 0), (3.6, 0), "exterior_shear"),
        Wall("S2", (3.6, 0), (7.8, 0), "infill", beam_above=0.5),
        Wall("S3", (7.8, 0), (10.8, 0), "exterior_shear"),
        Wall("W1", (0, 0), (0, 4.5), "exterior_shear"),
        Wall("W2", (0, 4.5), (0, 8.9), "exterior_shear"),
        Wall("N1", (0, 8.9), (2.0, 8.9), "exterior_shear"),
        Wall("N2", (2.0, 8.9), (4.4, 8.9), "exterior_shear"),
        Wall("N3", (4.4, 8.9), (8.4, 8.9), "exterior_shear"),
        Wall("N4", (8.4, 8.9), (10.8, 8.9), "exterior_shear"),
        # interior
        Wall("I1", (3.6, 0), (3.6, 4.5), "interior_shear"),
        Wall("I3", (0, 4.5), (3.6, 4.5), "partition"),
        Wall("I4", (7.8, 4.5), (10.8, 4.5), "partition"),
        Wall("I5", (0, 5.9), (2.0, 5.9), "partition"),
        Wall("I6", (2.0, 5.9), (4.4, 5.9), "partition"),
        Wall("I7", (2.0, 5.9), (2.0, 8.9), "partition"),
        Wall("I9", (8.4, 5.9), (8.4, 8.9), "partition"),
    ]
    rooms = [
        Room("主卧", "主卧", rect(0, 0, 3.6, 4.5)),
        Room("客厅", "客厅", rect(3.6, 0, 7.8, 4.5)),
        Room("次卧", "次卧", rect(7.8, 0, 10.8, 4.5)),
        Room("走道", "走道", rect(0, 4.5, 8.4, 5.9), clear_width=1.2),
        Room("门厅", "门厅", rect(8.4, 4.5, 10.8, 8.9), clear_width=2.2),
        Room("卫生间", "卫生间", rect(0, 5.9, 2.0, 8.9)),
        Room("厨房", "厨房", rect(2.0, 5.9, 4.4, 8.9)),
        Room("餐厅", "餐厅", rect(4.4, 5.9, 8.4, 8.9)),
        Room("阳台", "阳台", rect(3.6, -1.5, 7.8, 0), external=True),
    ]
    openings = [
        Opening("主卧门", "door", "I3", 2.5, 0.9, 2.1, "卧室门", ("主卧", "走道"), material="木门"),
        Opening("次卧门", "door", "I4", 1.0, 0.9, 2.1, "卧室门", ("次卧", "门厅"), material="木门"),
        Opening("卫生间门", "door", "I5", 0.7, 0.8, 2.1, "卫生间门", ("卫生间", "走道"), material="木门"),
        Opening("厨房门", "door", "I6", 0.9, 0.8, 2.1, "厨房门", ("厨房", "走道"), material="木门"),
        Opening("阳台门", "door", "S2", 0.6, 0.8, 2.1, "阳台门", ("客厅", "阳台"), material="断桥铝合金门"),
        Opening("主卧窗", "window", "S1", 0.9, 1.8, 1.5, "卧室窗", ("主卧",), sill=0.9),
        Opening("客厅窗", "window", "S2", 1.6, 2.0, 1.2, "客厅窗", ("客厅",), sill=0.9),
        Opening("次卧窗", "window", "S3", 0.75, 1.5, 1.5, "卧室窗", ("次卧",), sill=0.9),
        Opening("卫生间窗", "window", "N1", 0.7, 0.6, 0.9, "卫生间窗", ("卫生间",), sill=1.4),
        Opening("厨房窗", "window", "N2", 0.6, 1.2, 1.2, "厨房窗", ("厨房",), sill=0.9),
        Opening("餐厅窗", "window", "N3", 1.25, 1.5, 1.5, "餐厅窗", ("餐厅",), sill=0.9),
    ]
    slabs = [
        Slab("主卧板", "floor", rect(0, 0, 3.6, 4.5)),
        Slab("客厅板", "floor", rect(3.6, 0, 7.8, 4.5)),
        Slab("次卧板", "floor", rect(7.8, 0, 10.8, 4.5)),
        Slab("走道板", "floor", rect(0, 4.5, 8.4, 5.9)),
        Slab("门厅板", "floor", rect(8.4, 4.5, 10.8, 8.9)),
        Slab("卫生间板", "wet", rect(0, 5.9, 2.0, 8.9)),
        Slab("厨房板", "floor", rect(2.0, 5.9, 4.4, 8.9)),
        Slab("餐厅板", "floor", rect(4.4, 5.9, 8.4, 8.9)),
        Slab("阳台板", "balcony", rect(3.6, -1.5, 7.8, 0)),
    ]
    columns = [Column("KZ1", (3.6, 0)), Column("KZ2", (7.8, 0))]
    beams = [Beam("KL1", (3.8, 0), (7.6, 0))]
    railing = (
        (3.6, -1.5), (7.8, -1.5), (7.8, -0.2), (7.75, -0.2), (7.75, -1.45), (3.65, -1.45), (3.65, -0.2), (3.6, -0.2),
    )
    railings = [Railing("阳台栏杆", railing, "阳台", length=4.2 + 2 * 1.3)]

    if variant == "typical":
        walls += [Wall("I2", (7.8, 0), (7.8, 4.5), "interior_shear"), Wall("I8", (4.4, 5.9), (4.4, 8.9), "partition")]
    elif variant == "small_kitchen":
        # The kitchen bay's south part goes to the dining room: a 2.0 × 1.6 m galley kitchen
        # (3.2 m²) reached from the dining room, its corridor door gone.
        walls += [
            Wall("I2", (7.8, 0), (7.8, 4.5), "interior_shear"),
            Wall("I10", (2.0, 7.1), (4.2, 7.1), "partition"),
            Wall("I11", (4.2, 7.1), (4.2, 8.9), "partition"),
        ]
        rooms = [r for r in rooms if r.key not in ("厨房", "餐厅")] + [
            Room("厨房", "厨房", rect(2.0, 7.1, 4.2, 8.9)),
            Room("餐厅", "餐厅", ((2.0, 5.9), (8.4, 5.9), (8.4, 8.9), (4.2, 8.9), (4.2, 7.1), (2.0, 7.1))),
        ]
        openings = [o for o in openings if o.key != "厨房门"] + [
            Opening("厨房门", "door", "I10", 0.6, 0.8, 2.1, "厨房门", ("厨房", "餐厅"), material="木门"),
        ]
    elif variant == "small_bedroom":
        # The second bedroom shrinks to 2.0 × 2.3 m (4.6 m²); the rest of its bay joins the
        # living room, and the bedroom door opens from there.
        walls += [
            Wall("I8", (4.4, 5.9), (4.4, 8.9), "partition"),
            Wall("I12", (8.6, 0), (8.6, 2.5), "partition"),
            Wall("I13", (8.6, 2.5), (10.8, 2.5), "partition"),
        ]
        rooms = [r for r in rooms if r.key not in ("客厅", "次卧")] + [
            Room("客厅", "客厅", ((3.6, 0), (8.6, 0), (8.6, 2.5), (10.8, 2.5), (10.8, 4.5), (3.6, 4.5))),
            Room("次卧", "次卧", rect(8.6, 0, 10.8, 2.5)),
        ]
        openings = [o for o in openings if o.key not in ("次卧门", "次卧窗")] + [
            Opening("次卧门", "door", "I12", 1.4, 0.9, 2.1, "卧室门", ("次卧", "客厅"), material="木门"),
            Opening("次卧窗", "window", "S3", 1.05, 1.5, 1.5, "卧室窗", ("次卧",), sill=0.9),
        ]
    else:
        raise ValueError(f"unknown unit variant {variant!r}")
    return Plan(tuple(rooms), tuple(walls), tuple(openings), tuple(slabs), tuple(columns), tuple(beams), tuple(railings))


def _basement_unit() -> Plan:
    walls = (
        Wall("S1", (0, 0), (10.8, 0), "basement"),
        Wall("W1", (0, 0), (0, 8.9), "basement"),
        Wall("N1", (0, 8.9), (10.8, 8.9), "basement"),
    )
    rooms = (Room("储藏室", "地下储藏室", rect(0, 0, 10.8, 8.9)),)
    return Plan(rooms=rooms, walls=walls)


# -- the core: stair, lift, shafts, lobby -----------------------------------------------------
STAIR_X = (10.9, 13.5)  # net width of the stair hall; two 1.25 m flights and a 0.10 m well
FLIGHT_WIDTH = 1.25
FLOOR_LANDING_Y = 4.5  # edge of the floor landing, where flights start and arrive


def core_plan(level: str = "typical") -> Plan:
    """The shared core: 楼梯间, 电梯井, 管道井, 电梯厅, 公共走廊. ``level``: typical, ground
    (a 单元门 in place of the lobby window) or basement (no windows, no landing slab)."""
    walls = (
        Wall("CS", (10.8, 0), (16.0, 0), "core"),
        Wall("CN", (10.8, 8.9), (16.0, 8.9), "core"),
        Wall("CW1", (10.8, 0), (10.8, 5.9), "core"),
        Wall("CW2", (10.8, 5.9), (10.8, 8.9), "core"),
        Wall("CE1", (16.0, 0), (16.0, 4.5), "core"),
        Wall("CE2", (16.0, 4.5), (16.0, 7.4), "core"),
        Wall("CE3", (16.0, 7.4), (16.0, 8.9), "core"),
        Wall("C1", (13.6, 0), (13.6, 5.9), "core"),
        Wall("C1b", (13.6, 5.9), (13.6, 7.4), "core"),
        Wall("C2", (13.6, 4.5), (16.0, 4.5), "core"),
        Wall("C3", (10.8, 5.9), (13.6, 5.9), "core"),
        Wall("C4", (13.6, 7.4), (16.0, 7.4), "core"),
    )
    rooms = (
        Room("楼梯间", "楼梯间", rect(10.8, 0, 13.6, 5.9)),
        Room("管道井", "管道井", rect(13.6, 0, 16.0, 4.5)),
        Room("电梯井", "电梯井", rect(13.6, 4.5, 16.0, 7.4)),
        Room("电梯厅", "电梯厅", rect(10.8, 5.9, 13.6, 8.9), clear_width=2.6),
        Room("公共走廊", "公共走廊", rect(13.6, 7.4, 16.0, 8.9), clear_width=1.3),
    )
    entry = "储藏室门" if level == "basement" else "户门"
    entry_material = "钢质门" if level == "basement" else "钢质防盗门"
    openings = [
        Opening("楼梯间门", "door", "C3", 0.9, 1.0, 2.1, "楼梯间门", ("楼梯间", "电梯厅"), material="钢质防火门(乙级)"),
        Opening("电梯门洞", "void", "C1b", 0.15, 0.9, 2.1, "电梯门洞", ("电梯井", "电梯厅")),
        Opening("A户门", "door", "CW2", 0.8, 1.0, 2.1, entry, ("A.储藏室" if level == "basement" else "A.门厅", "电梯厅"), material=entry_material),
        Opening("B户门", "door", "CE3", 0.25, 1.0, 2.1, entry, ("B.储藏室" if level == "basement" else "B.门厅", "公共走廊"), material=entry_material),
    ]
    if level == "ground":
        openings.append(Opening("单元门", "door", "CN", 0.6, 1.5, 2.4, "单元门", ("电梯厅",), material="钢质门"))
    elif level == "typical":
        openings.append(Opening("电梯厅窗", "window", "CN", 0.8, 1.2, 1.5, "电梯厅窗", ("电梯厅",), sill=0.9))
    slabs: tuple[Slab, ...] = ()
    if level != "basement":
        slabs = (
            Slab("公共区楼板", "floor", rect(10.8, 5.9, 16.0, 8.9)),
            Slab("管道井楼板", "floor", rect(13.6, 0, 16.0, 4.5)),
            Slab("楼层平台板", "landing", rect(10.8, FLOOR_LANDING_Y, 13.6, 5.9)),
        )
    return Plan(rooms=rooms, walls=walls, openings=tuple(openings), slabs=slabs)


def storey_plan(unit_a: str, unit_b: str, core: str) -> Plan:
    """A whole storey: unit A, the core, unit B mirrored; keys "A.…", "B.…" and core keys bare."""
    return unit_plan(unit_a).prefixed("A") + core_plan(core) + unit_plan(unit_b).mirrored().prefixed("B")


# -- resolution: bodies and net rooms -----------------------------------------------------------
@dataclass(frozen=True)
class WallBody:
    wall: Wall
    polygons: tuple[tuple[Point, ...], ...]  # world plan polygons of the body
    length: float  # axis length
    angle: float  # degrees, direction start → end
    origin: Point  # start corner on the wall's right face: the local frame's origin
    area: float  # plan area of the body

    def to_local(self, point: Point) -> Point:
        """World plan point → the wall's frame (x along the wall, y across, from ``origin``)."""
        a = math.radians(self.angle)
        dx, dy = point[0] - self.origin[0], point[1] - self.origin[1]
        return (dx * math.cos(a) + dy * math.sin(a), -dx * math.sin(a) + dy * math.cos(a))


@dataclass(frozen=True)
class NetRoom:
    room: Room
    polygon: tuple[Point, ...]
    area: float
    perimeter: float


@dataclass
class ResolvedPlan:
    plan: Plan
    walls: dict[str, WallBody] = field(default_factory=dict)
    rooms: dict[str, NetRoom] = field(default_factory=dict)
    # wall key → keys of the rooms it bounds
    wall_rooms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def opening_frame(self, opening: Opening) -> tuple[Point, float]:
        """World plan origin (near edge, on the wall's right face) and angle of an opening."""
        body = self.walls[opening.wall]
        a = math.radians(body.angle)
        return (body.origin[0] + opening.offset * math.cos(a), body.origin[1] + opening.offset * math.sin(a)), body.angle


def _coords(polygon: Polygon) -> tuple[Point, ...]:
    polygon = orient(shapely.simplify(polygon, 1e-9), 1.0)
    return tuple((round(x, 9), round(y, 9)) for x, y in list(polygon.exterior.coords)[:-1])


def _polygons(geometry: shapely.Geometry) -> list[Polygon]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon) and g.area > 1e-9]


def resolve(plan: Plan) -> ResolvedPlan:
    resolved = ResolvedPlan(plan)
    taken: list[shapely.Geometry] = [_column_polygon(c) for c in plan.columns]
    order = sorted(plan.walls, key=lambda w: WALL_KINDS.index(w.kind))
    for wall in order:
        line = LineString([wall.start, wall.end])
        body = line.buffer(WALL_T / 2, cap_style="square", join_style="mitre")
        if taken:
            body = body.difference(shapely.union_all(taken), grid_size=1e-9)
        parts = _polygons(body)
        taken.append(body)
        (x0, y0), (x1, y1) = wall.start, wall.end
        length = math.hypot(x1 - x0, y1 - y0)
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        nx, ny = -(y1 - y0) / length, (x1 - x0) / length  # left normal
        origin = (round(x0 - nx * WALL_T / 2, 9), round(y0 - ny * WALL_T / 2, 9))
        resolved.walls[wall.key] = WallBody(
            wall, tuple(_coords(p) for p in parts), length, angle, origin, float(sum(p.area for p in parts))
        )
    solid = shapely.union_all(taken + [Polygon(r.outline) for r in plan.railings])
    for room in plan.rooms:
        net = Polygon(room.outline).difference(solid, grid_size=1e-9)
        parts = sorted(_polygons(net), key=lambda p: p.area, reverse=True)
        if not parts:
            raise ValueError(f"room {room.key} has no floor left")
        polygon = parts[0]
        resolved.rooms[room.key] = NetRoom(room, _coords(polygon), float(polygon.area), float(polygon.length))
    rooms = {key: Polygon(r.polygon) for key, r in resolved.rooms.items()}
    for key, body in resolved.walls.items():
        touching = []
        shape = shapely.union_all([Polygon(p) for p in body.polygons]).buffer(1e-4)
        for room_key, polygon in rooms.items():
            if shape.intersection(polygon.exterior).length > 0.05:
                touching.append(room_key)
        resolved.wall_rooms[key] = tuple(touching)
    return resolved


def _column_polygon(column: Column) -> Polygon:
    (cx, cy), (sx, sy) = column.centre, column.size
    return Polygon(rect(cx - sx / 2, cy - sy / 2, cx + sx / 2, cy + sy / 2))


def column_outline(column: Column) -> tuple[Point, ...]:
    return _coords(_column_polygon(column))


def polygon_area(points: Sequence[Point]) -> float:
    return float(Polygon(points).area)


def bounds(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)
