"""The demo model: 长沙智建示范项目 1#楼, an 11-storey residential slab (一梯两户) over one basement.

Written in code in any schema (IFC2X3, IFC4, IFC4X3) and in millimetres or metres, with body
geometry for every space and element, so that ``make run`` has a realistic model to review, to
rate for assembly (GB/T 51129) and to trace precast components from.

The building (plan in :mod:`zhijian.domain.demo.plan`)
    B1 (−3.600, 3.6 m) and 1F–11F at 3.0 m, except 6F at 2.9 m (see violations); ±0.000 at
    1F; a roof level 屋面 at +32.900 holds the roof slab (so the top storey's height is
    known and storey counts leave it out); outdoor grade −0.100 (CN_Building on
    IfcBuilding). Per storey two dwellings of 96.12 m² on the axes (26.8 × 8.9 m overall,
    balconies outside): 门厅, 客厅, 餐厅, 厨房, 主卧, 次卧, 卫生间, 走道, 阳台; a core with
    楼梯间 (an IfcStair per storey: two 1.25 m flights, 0.26 m treads, a mid landing,
    balustrades), 电梯井 with one 1000 kg lift (1.6 × 1.5 m car), 管道井, 电梯厅 and 公共走廊. B1 holds two 地下储藏室 and the core. Spaces are named by room number
    (``0302-05``: storey 03, dwelling 02, room 05) with the function in LongName, and carry
    Qto NetFloorArea, NetPerimeter, Height (floor to slab soffit) and FinishCeilingHeight
    (50 mm floor finish off). Walls bound the spaces they touch, doors the two spaces they join,
    windows and balcony railings their space (IfcRelSpaceBoundary).

Structure and precast (装配式) — the numbers the assembly-rate calculator can be checked by
    Every wall is 200 mm; slabs 130 mm (叠合板: 60 mm precast + 70 mm topping, one IfcSlab);
    columns 400 × 400 (KZ, two per dwelling at the living-room façade), beams 200 × 500 (KL,
    one per dwelling over that façade). Every wall, slab, column, beam and flight carries its
    base quantity set (beams also Width and Depth, as ArchiCAD writes them), so the assembly
    rate measures nothing from geometry. In the default variant (``prefab="baseline"``; the
    other variants are below) precast elements are on 3F–11F only (B1, 1F, 2F and the roof
    are all cast-in-place), each marked four ways: ``CN_Prefab.是否预制 = 是`` (on the
    type; cast-in-place types say 否, AAC block walls also ``是否砌筑 = 是``),
    ``Pset_PrecastConcreteElementGeneral`` with a PieceMark (TypeDesignator in IFC2X3),
    occurrence ObjectType ``PRECAST``, and names 预制… / 叠合板:

    ======================  =================================================  ======  ======
    component               which                                              storey  3F–11F
    ======================  =================================================  ======  ======
    预制剪力墙外墙板 IfcWall  dwelling exterior shear walls S1 S3 W1 W2 N1–N4       16     144
    预制剪力墙内墙板 IfcWall  dwelling interior shear walls I1 I2                   4      36
    叠合板 IfcSlab FLOOR     dwelling slabs but 卫生间 (7 each), 公共区, 管道井       16     144
    预制阳台板 IfcSlab       the two balcony slabs                                 2      18
    预制楼梯 IfcStairFlight  both flights of each storey 3F–10F (11F has none)      2      16
    ======================  =================================================  ======  ======

    Cast-in-place: the core's 12 walls per storey, columns, beams, 卫生间 slabs, landings,
    roof and the B1 raft. Non-load-bearing walls are AAC blocks (砌筑, never credited): the
    living-room façade infill S2 (envelope) and the partitions.

    From the model's own quantities (:func:`precast_summary` recomputes them):

    - a typical precast storey (3F–5F, 7F–10F): vertical members (shear walls and columns)
      60.225 m³ of concrete, 35.934 m³ precast (59.7 %); horizontal members (slab NetArea
      plus the flights' projected area) 247.058 m², 225.090 m² precast (91.1 %);
    - above ground (1F–11F and the roof; B1 left out as GB/T 51129 3.0.1 says): vertical
      322.026 / 657.296 m³ = 49.0 % precast (q1a, 35–80 % → 23.1 points); horizontal
      2019.96 / 2944.26 m² = 68.6 % (q1b: just under the 70 % where table 4.0.1 starts to
      score). The envelope and partitions are masonry, so Q2 is 0 and the building, as
      drawn, is not a recognised prefabricated building — a finding the demo is meant to show.

Prefabrication variants (``prefab=``) — the same building, graded differently
    Changsha's demonstration projects need a building meaningful at each grade, so the
    building can be written with more precast members and non-masonry walls. Geometry,
    rooms, openings, element counts and the six violations are those of the baseline in every
    variant: only the types change (what is precast, what the walls are made of). B1, the
    1F slabs (over the basement) and the roof stay cast-in-place; the façade infill S2 and
    the partitions are of one kind on every storey above ground. Each variant ships the
    declaration of what a model cannot show (:func:`demo_declaration_path`).

    ==========  ====================================================================
    variant     what changes from the baseline
    ==========  ====================================================================
    baseline    nothing (as above); AAC blocks (加气混凝土砌块) for infill and partitions
    grade_a     叠合板, 预制阳台板 and 预制楼梯 from 2F (not 3F); infill S2 of ALC panels
                (蒸压加气混凝土条板外围护墙, non-masonry, insulation not integrated);
                partitions of ALC panels (蒸压加气混凝土条板内隔墙, not integrated)
    grade_aa    grade_a's storeys, and also 卫生间 slabs (叠合板) and both landings
                (预制楼梯平台板) from 2F; from 3F the core's walls shared with a dwelling
                (CW1 CW2 CE1–CE3: 预制剪力墙内墙板) and the columns (预制框架柱); infill S2 of
                precast sandwich panels (预制夹心保温外墙板, 保温隔热装饰一体化 = 是, from 1F);
                partitions of light-gauge steel studs with integrated services and finish
                (轻钢龙骨集成墙面内隔墙, 管线装修一体化 = 是)
    ==========  ====================================================================

    Precast components: baseline 358; grade_a 378 (叠合板 160, 预制阳台板 20, flights 18);
    grade_aa 520 (叠合板 180, 预制剪力墙内墙板 81, 预制框架柱 36, 预制夹心保温外墙板 22,
    预制楼梯平台板 19, flights 18, 预制阳台板 20, exterior shear panels 144 as in all).

    Hand check from the plan (3.0 m storeys; walls and columns 2.87 m high, 2.77 m on 6F):

    - vertical, per storey: party walls CW1 CW2 CE1–CE3 17.4 m × 0.2 × 2.87 less the two
      entrance doors (2 × 1.0 × 2.1 × 0.2) = 9.1476 m³ (6F 8.7996); columns 4 × 0.4 × 0.4 ×
      2.87 = 1.8368 m³ (6F 1.7728);
    - horizontal, per storey 1F–10F 247.058 m²: 叠合板 zone 180.24 + balconies 12.6 +
      公共区/管道井 26.4 + flights 2 × 9 × 0.26 × 1.25 = 5.85 (together 225.09), 卫生间
      2 × 2.0 × 3.0 = 12.0, landings 3.92 + 6.048 = 9.968; 11F 235.16 (no flights or mid
      landing, precast-able 219.24 + 12 + 3.92); the roof 238.52; all 2944.26 m²;
    - envelope: 22 S2 walls (1F–11F), 3.8 × 2.37 = 9.006 m² each (6F 8.626): 197.372 m²;
      partitions: 157 walls, 1224.807 m². Each is all one kind: q2a…q2d are 0 or 100 %.

    ========  =================================  =======================  ====  ====  ====  ====  =====
    variant   q1a (points)                       q1b (points)             Q1    Q2    Q3    P     grade
    ========  =================================  =======================  ====  ====  ====  ====  =====
    baseline  322.026 / 657.294 = 49.0 % (23.1)  2019.96 = 68.6 % (0)     23.1  0     24.5  47.6  none
    grade_a   as baseline (23.1)                 2245.05 = 76.3 % (16.3)  39.4  10.0  13.6  63.0  A
    grade_aa  420.474 / 657.294 = 64.0 % (26.4)  2458.682 = 83.5 % (20)   46.4  20.0  19.5  85.9  AA
    ========  =================================  =======================  ====  ====  ====  ====  =====

    - baseline: q2a = q2c = 0 % (blocks), q2b = q2d declared 0 %: Q2 = 0 < 10. Declared Q3 =
      6 (全装修) + 6 (干式工法 75 %) + 4.5 (厨房 80 %) + 3.0 (卫生间 70 %) + 5.0 (管线分离
      60 %) = 24.5; P = 47.6 % < 50 %: not a recognised prefabricated building (Q2 < 10 and
      P < 50 %), whatever its fit-out.
    - grade_a: q1b = (9 × 225.09 + 219.24) / 2944.26; q2a 100 % → 5, q2b 0 % (the panels
      say 保温隔热装饰一体化 = 否) → 0, q2c 100 % → 5, q2d 0 % → 0: Q2 = 10, just the
      minimum. Declared Q3 = 6 + 0 (干式工法 30 %) + 3.8 (厨房 75 %: 3 + 0.25 × 3 = 3.75)
      + 3.8 (卫生间 75 %) + 0 (管线分离 40 %) = 13.6; P = (39.4 + 10 + 13.6) / 100 = 63.0 %.
    - grade_aa: q1a = (322.026 + 8 × (9.1476 + 1.8368) + 8.7996 + 1.7728) / 657.294 →
      20 + (63.97 − 35) / 45 × 10 = 26.4; q1b = (9 × 247.058 + 235.16) / 2944.26 ≥ 80 % → 20;
      q2a…q2d 100 % → 5 each. Declared Q3 = 6 + 0 (干式工法 50 %) + 4.5 (厨房 80 %) + 4.5
      (卫生间 80 %) + 4.5 (管线分离 55 %: 4 + 0.25 × 2) = 19.5; P = 85.9 %.

Deliberate violations
    1. 2F dwelling 02 (east) 次卧 of 4.60 m² (2.0 × 2.3 m): GB 50096-2011 5.2.1 (single
       bedroom ≥ 5 m²) and GB 55038-2025 4.1.1 (bedroom ≥ 5 m²).
    2. 2F dwelling 01 (west) 厨房 of 3.20 m² (2.0 × 1.6 m): GB 50096-2011 5.3.1 (≥ 4.0 m²)
       and GB 55038-2025 4.1.4 (≥ 3.5 m²).
    3. 4F dwelling 01 主卧 door 0.75 m wide: GB 50096-2011 5.8.7 (bedroom door opening
       ≥ 0.90 m) and GB 55038-2025 4.1.14 (clear width ≥ 0.80 m).
    4. 8F dwelling 01 balcony railing 1.05 m high: GB 55038-2025 4.1.15 (≥ 1.20 m),
       GB 50096-2011 5.6.3 (≥ 1.10 m from the 7th storey up) and GB 55031-2022 6.6.1
       (guards ≥ 1.10 m).
    5. B1 first flight with 0.18 m risers (10 × 0.18 m; the second flight 12 × 0.15 m):
       GB 55038-2025 4.2.2, GB 50096-2011 6.3.2 and GB 55031-2022 5.3.9 (risers of a
       dwelling's public stair ≤ 0.175 m), and GB 55031-2022 5.3.10 (adjacent flights of one
       stair differ by more than 0.01 m: both B1 flights are reported).
    6. 6F storey height 2.90 m: GB 55038-2025 4.1.2 (new dwellings ≥ 3.00 m). Its rooms keep
       a clear height of 2.72 m (≥ 2.60 m), so only the storey height fails.

Everything else is meant to pass the residential codes: ``zhijian check`` on the demo reports
exactly the failures above and no missing data. Building it takes about 2 s (1.7–2.8 s of
CPU) and writes 2.5 MB (IFC4) to 2.7 MB (IFC2X3): 1,802 products, 260 spaces, 1,226
elements besides 301 openings; the files pass ifcopenshell.validate with express rules.
The variants take as long and are as large (grade_aa 2.6 MB in IFC4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ifcopenshell

from zhijian.domain.bim.authoring import ModelBuilder, stair_profile
from zhijian.domain.demo.plan import (
    FLIGHT_WIDTH,
    FLOOR_LANDING_Y,
    STAIR_X,
    WALL_T,
    NetRoom,
    Opening,
    Plan,
    ResolvedPlan,
    Slab,
    bounds,
    column_outline,
    polygon_area,
    rect,
    resolve,
    storey_plan,
)
from zhijian.domain.demo.variants import (
    PRECAST_FROM,
    PREFAB_VARIANTS,
    PrefabScheme,
    demo_declaration_path,
    prefab_scheme,
)

__all__ = [
    "PRECAST_FROM",
    "PREFAB_VARIANTS",
    "PrefabScheme",
    "build_demo_building",
    "demo_declaration_path",
    "precast_summary",
    "prefab_scheme",
    "write_demo_building",
]

PROJECT_NAME = "长沙智建示范项目"
BUILDING_NAME = "1#楼"
SLAB_T = 0.13  # every floor, landing, balcony and roof slab
BASE_T = 0.4  # the basement's raft
FLOOR_FINISH = 0.05
TREAD = 0.26
OUTDOOR_GRADE = -0.1


@dataclass(frozen=True)
class StoreyDef:
    code: str  # "B1", "01" … "11": the prefix of room numbers
    name: str
    long_name: str
    height: float
    unit_a: str = "typical"
    unit_b: str = "typical"
    core: str = "typical"
    flights: tuple[tuple[int, float], tuple[int, float]] | None = None  # (risers, riser) × 2


def _typical_flights(height: float) -> tuple[tuple[int, float], tuple[int, float]]:
    return ((10, height / 20), (10, height / 20))


def _storeys() -> tuple[StoreyDef, ...]:
    rows = [
        StoreyDef("B1", "B1", "地下一层", 3.6, "basement", "basement", "basement", ((10, 0.18), (12, 0.15))),
        StoreyDef("01", "1F", "一层", 3.0, core="ground"),
        StoreyDef("02", "2F", "二层", 3.0, "small_kitchen", "small_bedroom"),
    ]
    chinese = "三四五六七八九十"
    for floor in range(3, 12):
        long_name = ("十一" if floor == 11 else chinese[floor - 3]) + "层"
        rows.append(StoreyDef(f"{floor:02d}", f"{floor}F", long_name, 2.9 if floor == 6 else 3.0))
    return tuple(
        StoreyDef(**{**row.__dict__, "flights": row.flights or (None if row.name == "11F" else _typical_flights(row.height))})
        for row in rows
    )


STOREYS = _storeys()
ROOF_NAME = "屋面"
_ROOF = StoreyDef("RF", ROOF_NAME, "屋面层", 0.0)
PARTY_WALLS = ("CW1", "CW2", "CE1", "CE2", "CE3")  # the core's walls shared with a dwelling (分户墙)

# Deliberate violations beyond the plan variants (see the module docstring).
DOOR_WIDTHS = {("4F", "A.主卧门"): 0.75}
RAILING_HEIGHTS = {("8F", "A.阳台栏杆"): 1.05}
BALCONY_RAILING_HEIGHT = 1.2
STAIR_RAILING_HEIGHT = 1.1
WELL_GUARD_HEIGHT = 1.2

# Room numbering within a dwelling and within the core.
_ROOM_ORDER = ("门厅", "客厅", "餐厅", "厨房", "主卧", "次卧", "卫生间", "走道", "阳台", "储藏室")
_CORE_ORDER = ("楼梯间", "电梯厅", "公共走廊", "电梯井", "管道井")

# (kind, precast) → (type class, type name, predefined type, code prefix, psets, material)
_C30, _C35P6, _AAC = "C30混凝土", "C35P6防水混凝土", "蒸压加气混凝土砌块B06"
_ALC, _STUD = "蒸压加气混凝土条板", "轻钢龙骨石膏板"


def _prefab(precast: bool, kind: str, **more: Any) -> dict[str, Any]:
    return {"是否预制": "是" if precast else "否", "构件类型": kind, **more}


_TYPES: dict[str, tuple[str, str, str, str, dict[str, dict[str, Any]], str]] = {
    "wall_ext_pc": ("IfcWallType", "预制剪力墙外墙板", "SHEAR", "YWQ", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "预制剪力墙外墙板")}, _C30),
    "wall_int_pc": ("IfcWallType", "预制剪力墙内墙板", "SHEAR", "YNQ", {
        "Pset_WallCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "预制剪力墙内墙板")}, _C30),
    "wall_ext_cast": ("IfcWallType", "现浇剪力墙外墙", "SHEAR", "WQ", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇剪力墙")}, _C30),
    "wall_int_cast": ("IfcWallType", "现浇剪力墙内墙", "SHEAR", "NQ", {
        "Pset_WallCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇剪力墙")}, _C30),
    "wall_basement": ("IfcWallType", "现浇地下室外墙", "SHEAR", "DWQ", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇剪力墙")}, _C35P6),
    "wall_infill": ("IfcWallType", "加气混凝土砌块外围护墙", "STANDARD", "TQ", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": False},
        "CN_Prefab": _prefab(False, "非承重外围护墙", 是否砌筑="是")}, _AAC),
    "wall_partition": ("IfcWallType", "加气混凝土砌块内隔墙", "PARTITIONING", "GQ", {
        "Pset_WallCommon": {"IsExternal": False, "LoadBearing": False},
        "CN_Prefab": _prefab(False, "内隔墙", 是否砌筑="是")}, _AAC),
    "wall_infill_alc": ("IfcWallType", "蒸压加气混凝土条板外围护墙", "STANDARD", "TBW", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": False},
        "CN_Prefab": _prefab(False, "非承重外围护墙", 是否砌筑="否", 保温隔热装饰一体化="否")}, _ALC),
    "wall_infill_sandwich": ("IfcWallType", "预制夹心保温外墙板", "STANDARD", "YWB", {
        "Pset_WallCommon": {"IsExternal": True, "LoadBearing": False},
        "CN_Prefab": _prefab(True, "预制夹心保温外墙板", 是否砌筑="否", 保温隔热装饰一体化="是",
                             构造="60 mm 外叶板 + 50 mm 挤塑聚苯板 + 90 mm 内叶板, 外饰面反打")}, _C30),
    "wall_partition_alc": ("IfcWallType", "蒸压加气混凝土条板内隔墙", "PARTITIONING", "TBQ", {
        "Pset_WallCommon": {"IsExternal": False, "LoadBearing": False},
        "CN_Prefab": _prefab(False, "内隔墙", 是否砌筑="否", 管线装修一体化="否")}, _ALC),
    "wall_partition_integrated": ("IfcWallType", "轻钢龙骨集成墙面内隔墙", "PARTITIONING", "JCQ", {
        "Pset_WallCommon": {"IsExternal": False, "LoadBearing": False},
        "CN_Prefab": _prefab(False, "内隔墙", 是否砌筑="否", 管线装修一体化="是",
                             构造="轻钢龙骨 + 石膏板, 管线敷设于空腔, 集成饰面")}, _STUD),
    "slab_pc": ("IfcSlabType", "叠合板", "FLOOR", "DBS", {
        "Pset_SlabCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "叠合板", 预制层厚度mm=60, 现浇层厚度mm=70)}, _C30),
    "slab_cast": ("IfcSlabType", "现浇楼板", "FLOOR", "B", {
        "Pset_SlabCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇楼板")}, _C30),
    "balcony_pc": ("IfcSlabType", "预制阳台板", "FLOOR", "YYB", {
        "Pset_SlabCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "预制阳台板")}, _C30),
    "balcony_cast": ("IfcSlabType", "现浇阳台板", "FLOOR", "YTB", {
        "Pset_SlabCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇阳台板")}, _C30),
    "landing": ("IfcSlabType", "现浇楼梯平台板", "LANDING", "PTB", {
        "Pset_SlabCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "休息平台板")}, _C30),
    "landing_pc": ("IfcSlabType", "预制楼梯平台板", "LANDING", "YPB", {
        "Pset_SlabCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "预制楼梯平台板")}, _C30),
    "roof": ("IfcSlabType", "现浇屋面板", "ROOF", "WB", {
        "Pset_SlabCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "屋面板")}, _C30),
    "base": ("IfcSlabType", "筏板基础底板", "BASESLAB", "JC", {
        "Pset_SlabCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "基础底板")}, _C35P6),
    "column": ("IfcColumnType", "现浇框架柱", "COLUMN", "KZ", {
        "Pset_ColumnCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇柱")}, _C30),
    "column_pc": ("IfcColumnType", "预制框架柱", "COLUMN", "YZ", {
        "Pset_ColumnCommon": {"IsExternal": False, "LoadBearing": True},
        "CN_Prefab": _prefab(True, "预制柱")}, _C30),
    "beam": ("IfcBeamType", "现浇框架梁", "BEAM", "KL", {
        "Pset_BeamCommon": {"IsExternal": True, "LoadBearing": True},
        "CN_Prefab": _prefab(False, "现浇梁")}, _C30),
    "flight_pc": ("IfcStairFlightType", "预制楼梯梯段", "STRAIGHT", "YLT", {
        "CN_Prefab": _prefab(True, "预制楼梯")}, _C30),
    "flight_cast": ("IfcStairFlightType", "现浇楼梯梯段", "STRAIGHT", "LT", {
        "CN_Prefab": _prefab(False, "现浇楼梯")}, _C30),
    "railing_balcony": ("IfcRailingType", "阳台栏杆", "GUARDRAIL", "LG", {}, "铝合金"),
    "railing_stair": ("IfcRailingType", "楼梯栏杆扶手", "BALUSTRADE", "LG", {}, "钢"),
    "railing_well": ("IfcRailingType", "楼梯井水平护栏", "GUARDRAIL", "LG", {}, "钢"),
}
_PRECAST_TYPES = {
    "wall_ext_pc", "wall_int_pc", "wall_infill_sandwich", "slab_pc", "balcony_pc", "landing_pc", "flight_pc", "column_pc",
}
_ENVELOPE_TYPES = {"block": "wall_infill", "alc": "wall_infill_alc", "sandwich": "wall_infill_sandwich"}
_PARTITION_TYPES = {"block": "wall_partition", "alc": "wall_partition_alc", "integrated": "wall_partition_integrated"}


def build_demo_building(unit: str = "mm", schema: str = "IFC4", *, prefab: str = "baseline") -> ModelBuilder:
    """The demo building in memory (pure: same inputs, same model but for GlobalIds).

    ``prefab`` picks a variant of PREFAB_VARIANTS: ``baseline`` (not a prefabricated
    building), ``grade_a`` or ``grade_aa`` (see the module docstring)."""
    return _Writer(unit, schema, prefab_scheme(prefab)).build()


def write_demo_building(path: Path | str, unit: str = "mm", schema: str = "IFC4", *, prefab: str = "baseline") -> Path:
    """Write the demo building to ``path`` (directories created) and return the path."""
    scheme = prefab_scheme(prefab)  # refuse an unknown variant before touching the disk
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_demo_building(unit=unit, schema=schema, prefab=scheme.name).save(path)


def _level(d: StoreyDef) -> int | None:
    """The storey's number above ground (1F = 1); None for B1 and the roof level."""
    return int(d.code) if d.code.isdigit() else None


class _Writer:
    def __init__(self, unit: str, schema: str, scheme: PrefabScheme = PREFAB_VARIANTS["baseline"]) -> None:
        self.scheme = scheme
        self.b = ModelBuilder(schema=schema, unit=unit, project=PROJECT_NAME)
        self.types: dict[str, ifcopenshell.entity_instance] = {}
        self.counters: dict[tuple[str, str], int] = defaultdict(int)
        self.resolved: dict[tuple[str, str, str], ResolvedPlan] = {}

    # -- whole building ---------------------------------------------------------------------
    def build(self) -> ModelBuilder:
        b = self.b
        b.site.Name = f"{PROJECT_NAME}用地"
        b.building.Name = BUILDING_NAME
        b.building.LongName = f"{PROJECT_NAME} {BUILDING_NAME}"
        b.add_pset(b.building, "Pset_BuildingCommon", {"NumberOfStoreys": len(STOREYS)})  # RF is no storey
        roof_top = sum(s.height for s in STOREYS if s.code != "B1")
        b.add_pset(b.building, "CN_Building", {
            "项目名称": PROJECT_NAME,
            "建筑类别": "二类高层住宅",
            "耐火等级": "一级",
            "地上层数": sum(1 for s in STOREYS if s.code != "B1"),
            "地下层数": 1,
            "建筑高度": b.file.createIfcLengthMeasure(b.length(roof_top - OUTDOOR_GRADE)),
            "室外设计地面标高": b.file.createIfcLengthMeasure(b.length(OUTDOOR_GRADE)),
            "结构形式": "装配整体式剪力墙结构",
        })
        elevation = -STOREYS[0].height
        for definition in STOREYS:
            storey = b.storey(definition.name, elevation, height=definition.height)
            storey.LongName = definition.long_name
            self.storey(storey, definition)
            elevation += definition.height
        # The roof is a level of its own (屋面): the top storey's height is then known, and
        # storey counts leave it out.
        roof = b.storey(ROOF_NAME, elevation)
        roof.LongName = "屋面层 RF"
        self.slab(roof, _ROOF, Slab("屋面板", "roof", rect(0, 0, 26.8, 8.9)))
        return b

    def plan(self, definition: StoreyDef) -> ResolvedPlan:
        key = (definition.unit_a, definition.unit_b, definition.core)
        if key not in self.resolved:
            self.resolved[key] = resolve(storey_plan(*key))
        return self.resolved[key]

    def type_of(self, key: str) -> ifcopenshell.entity_instance:
        if key not in self.types:
            cls, name, predefined, _code, psets, material = _TYPES[key]
            category = "concrete" if "混凝土" in material else "block" if "砌块" in material else "metal"
            if material == _STUD:
                category = "gypsum board"
            self.types[key] = self.b.element_type(
                cls, name, predefined_type=predefined, psets=psets, material=material, material_category=category
            )
        return self.types[key]

    def typed(self, product: ifcopenshell.entity_instance, key: str, definition: StoreyDef) -> str:
        """Type ``product``, name it "<type> <code>", mark precast; returns the piece code."""
        self.b.assign_type(product, self.type_of(key))
        _cls, name, _pre, prefix, _psets, _material = _TYPES[key]
        self.counters[(definition.code, prefix)] += 1
        code = f"{prefix}-{definition.code}-{self.counters[(definition.code, prefix)]:02d}"
        product.Name = f"{name} {code}"
        if key in _PRECAST_TYPES:
            product.ObjectType = "PRECAST"
            if hasattr(product, "PredefinedType"):
                product.PredefinedType = "USERDEFINED"
            mark = "TypeDesignator" if self.b.schema == "IFC2X3" else "PieceMark"
            self.b.add_pset(product, "Pset_PrecastConcreteElementGeneral", {mark: code})
        return code

    # -- one storey -------------------------------------------------------------------------
    def storey(self, storey: ifcopenshell.entity_instance, d: StoreyDef) -> None:
        resolved = self.plan(d)
        plan: Plan = resolved.plan
        spaces = {key: self.space(storey, d, room) for key, room in resolved.rooms.items()}
        walls = {key: self.wall(storey, d, resolved, key) for key in resolved.walls}
        for key, wall in walls.items():
            for room in resolved.wall_rooms[key]:
                self.b.bound(spaces[room], wall)
        for opening in plan.openings:
            self.opening(storey, d, resolved, opening, walls, spaces)
        for slab in plan.slabs:
            self.slab(storey, d, slab)
        if d.code == "B1":
            outline = rect(0, 0, 26.8, 8.9)
            self.slab(storey, d, Slab("基础底板", "base", outline, BASE_T))
        wall_h = d.height - SLAB_T
        for column in plan.columns:
            product = self.b.element(
                "IfcColumn", storey, footprint=column_outline(column), body_height=wall_h,
                quantities={
                    "Length": wall_h, "CrossSectionArea": column.size[0] * column.size[1],
                    "GrossVolume": column.size[0] * column.size[1] * wall_h, "NetVolume": column.size[0] * column.size[1] * wall_h,
                },
            )
            self.typed(product, "column_pc" if self.scheme.columns and self.precast_from(d, self.scheme.walls_from) else "column", d)
        for beam in plan.beams:
            (x0, y0), (x1, _y1) = beam.start, beam.end
            length = abs(x1 - x0)
            product = self.b.element(
                "IfcBeam", storey, x=min(x0, x1), y=y0 - beam.width / 2, z=wall_h - beam.depth,
                size=(length, beam.width, beam.depth),
                # Width and Depth beside the template's quantities, as ArchiCAD writes them in a
                # beam's base quantities: the projected area (GB/T 51129 4.0.5) is Length × Width.
                quantities={
                    "Length": length, "Width": beam.width, "Depth": beam.depth,
                    "CrossSectionArea": beam.width * beam.depth,
                    "GrossVolume": length * beam.width * beam.depth, "NetVolume": length * beam.width * beam.depth,
                },
            )
            self.typed(product, "beam", d)
        for railing in plan.railings:
            height = RAILING_HEIGHTS.get((d.name, railing.key), BALCONY_RAILING_HEIGHT)
            product = self.b.railing(
                storey, "阳台栏杆", height=height, bounds=[spaces[railing.room]], footprint=railing.outline,
                quantities={"Length": railing.length},
            )
            self.b.assign_type(product, self.type_of("railing_balcony"))
        if d.flights:
            self.stair(storey, d, spaces["楼梯间"])
        else:  # the top storey: a guard along the landing over the stair well
            guard = self.b.railing(
                storey, "楼梯井水平护栏", height=WELL_GUARD_HEIGHT, bounds=[spaces["楼梯间"]],
                x=STAIR_X[0], y=FLOOR_LANDING_Y, length=STAIR_X[1] - STAIR_X[0],
                quantities={"Length": STAIR_X[1] - STAIR_X[0]},
            )
            self.b.assign_type(guard, self.type_of("railing_well"))
        if d.code == "B1":
            self.elevator(storey)

    def space(self, storey: ifcopenshell.entity_instance, d: StoreyDef, room: NetRoom) -> ifcopenshell.entity_instance:
        key = room.room.key
        if "." in key:
            dwelling, local = key.split(".", 1)
            number = f"{d.code}{'01' if dwelling == 'A' else '02'}-{_ROOM_ORDER.index(local) + 1:02d}"
        else:
            number = f"{d.code}00-{_CORE_ORDER.index(key) + 1:02d}"
        height = d.height - SLAB_T
        space = self.b.space(
            storey, number, room.room.long_name,
            footprint=room.polygon, body_height=height,
            predefined_type="EXTERNAL" if room.room.external else "INTERNAL",
            quantities={
                "NetFloorArea": round(room.area, 6),
                "NetPerimeter": round(room.perimeter, 6),
                "Height": height,
                "FinishCeilingHeight": round(height - FLOOR_FINISH, 6),
            },
        )
        if room.room.clear_width is not None:
            self.b.add_pset(space, "CN_Space", {"净宽": self.b.file.createIfcLengthMeasure(self.b.length(room.room.clear_width))})
        return space

    def wall(self, storey: ifcopenshell.entity_instance, d: StoreyDef, resolved: ResolvedPlan, key: str) -> ifcopenshell.entity_instance:
        body = resolved.walls[key]
        wall = body.wall
        (polygon,) = body.polygons  # the plan is drawn so that no wall is cut in two
        height = d.height - SLAB_T - wall.beam_above
        local = [body.to_local(p) for p in polygon]
        product = self.b.element(
            "IfcWall", storey, x=body.origin[0], y=body.origin[1], rotation=body.angle,
            footprint=local, body_height=height,
        )
        self.typed(product, self.wall_type(wall.kind, key, d), d)
        openings = [o for o in resolved.plan.openings if o.wall == key]
        side = body.area / WALL_T
        cut = sum(self.opening_width(d, o) * o.height for o in openings)
        self.b.add_quantities(product, {
            "Length": side, "Width": WALL_T, "Height": height,
            "GrossFootprintArea": body.area, "NetFootprintArea": body.area,
            "GrossSideArea": side * height, "NetSideArea": side * height - cut,
            "GrossVolume": body.area * height, "NetVolume": body.area * height - cut * WALL_T,
        })
        return product

    @staticmethod
    def precast_from(d: StoreyDef, first: int | None) -> bool:
        """Whether storey ``d`` is at or above storey ``first`` (never B1 or the roof)."""
        level = _level(d)
        return level is not None and first is not None and level >= first

    def wall_type(self, kind: str, key: str, d: StoreyDef) -> str:
        scheme = self.scheme
        precast = self.precast_from(d, scheme.walls_from)
        if d.code == "B1" and (kind == "basement" or key in ("CS", "CN")):
            return "wall_basement"
        if kind == "exterior_shear":
            return "wall_ext_pc" if precast else "wall_ext_cast"
        if kind == "interior_shear":
            return "wall_int_pc" if precast else "wall_int_cast"
        if kind == "core":
            if key in ("CS", "CN"):
                return "wall_ext_cast"
            return "wall_int_pc" if precast and scheme.party_walls and key in PARTY_WALLS else "wall_int_cast"
        if kind == "infill":
            return _ENVELOPE_TYPES[scheme.envelope]
        return _PARTITION_TYPES[scheme.partitions]

    @staticmethod
    def opening_width(d: StoreyDef, opening: Opening) -> float:
        return DOOR_WIDTHS.get((d.name, opening.key), opening.width)

    def opening(
        self,
        storey: ifcopenshell.entity_instance,
        d: StoreyDef,
        resolved: ResolvedPlan,
        opening: Opening,
        walls: dict[str, ifcopenshell.entity_instance],
        spaces: dict[str, ifcopenshell.entity_instance],
    ) -> None:
        (x, y), angle = resolved.opening_frame(opening)
        host = walls[opening.wall]
        width = self.opening_width(d, opening)
        if opening.kind == "void":
            self.b.void(host, storey, opening.name, x=x, y=y, rotation=angle, width=width, height=opening.height, depth=WALL_T)
            return
        rooms = [spaces[r] for r in opening.rooms]
        quantities = {"Width": width, "Height": opening.height, "Area": width * opening.height}
        if opening.kind == "door":
            product = self.b.door(
                storey, opening.name, width=width, height=opening.height, between=rooms, thickness=WALL_T,
                x=x, y=y, rotation=angle, quantities=quantities, material=opening.material,
            )
        else:
            product = self.b.window(
                storey, opening.name, width=width, height=opening.height, sill=opening.sill,
                size=(width, 0.1, opening.height), body_offset=(0, 0.05, 0), bounds=rooms,
                x=x, y=y, rotation=angle, quantities=quantities, material="断桥铝合金窗",
            )
        self.b.fill_opening(host, product, width=width, height=opening.height, depth=WALL_T)

    def slab_type(self, d: StoreyDef, kind: str) -> str:
        scheme = self.scheme
        slabs = self.precast_from(d, scheme.slabs_from)
        return {
            "floor": "slab_pc" if slabs else "slab_cast",
            "wet": "slab_pc" if slabs and scheme.wet_slabs else "slab_cast",
            "balcony": "balcony_pc" if slabs else "balcony_cast",
            "landing": "landing_pc" if self.precast_from(d, scheme.landings_from) else "landing",
            "roof": "roof",
            "base": "base",
        }[kind]

    def slab(self, storey: ifcopenshell.entity_instance, d: StoreyDef, slab: Slab, z: float = 0.0) -> ifcopenshell.entity_instance:
        key = self.slab_type(d, slab.kind)
        area = polygon_area(slab.outline)
        x0, y0, x1, y1 = bounds(slab.outline)
        sides = sorted((x1 - x0, y1 - y0), reverse=True)
        product = self.b.element(
            "IfcSlab", storey, z=z, footprint=slab.outline, body_height=slab.thickness,
            body_offset=(0, 0, -slab.thickness),
            quantities={
                "Width": slab.thickness, "Length": sides[0], "Depth": sides[1],
                "Perimeter": 2 * (sides[0] + sides[1]), "GrossArea": area, "NetArea": area,
                "GrossVolume": area * slab.thickness, "NetVolume": area * slab.thickness,
            },
        )
        self.typed(product, key, d)
        return product

    def stair(self, storey: ifcopenshell.entity_instance, d: StoreyDef, hall: ifcopenshell.entity_instance) -> None:
        assert d.flights is not None
        (n1, r1), (n2, r2) = d.flights
        run1, run2 = (n1 - 1) * TREAD, (n2 - 1) * TREAD
        mid_edge = FLOOR_LANDING_Y - run2  # the mid landing ends where flight 2 starts
        mid_z = n1 * r1
        stair = self.b.element("IfcStair", storey, "1#公共楼梯", predefined_type="HALF_TURN_STAIR")
        if self.b.schema == "IFC2X3":
            stair.ShapeType = "HALF_TURN_STAIR"
        parts = [self.slab(storey, d, Slab("休息平台板", "landing", rect(10.8, 0, 13.6, mid_edge)), z=mid_z)]
        precast = self.precast_from(d, self.scheme.stairs_from)
        # Flight 1 climbs south from the floor landing, flight 2 north from the mid landing.
        legs = (
            (n1, r1, run1, STAIR_X[0], mid_edge + run1, 0.0, -90.0),
            (n2, r2, run2, STAIR_X[1], mid_edge, mid_z, 90.0),
        )
        for risers, riser, run, x, y, z, rotation in legs:
            profile = stair_profile(riser, TREAD, risers, 0.12)
            flight = self.b.stair_flight(
                storey, "梯段", riser=riser, tread=TREAD, risers=risers, width=FLIGHT_WIDTH, body=True,
                x=x, y=y, z=z, rotation=rotation, predefined_type="STRAIGHT",
            )
            volume = polygon_area(profile) * FLIGHT_WIDTH
            self.b.add_quantities(flight, {"Length": run, "GrossVolume": volume, "NetVolume": volume})
            self.typed(flight, "flight_pc" if precast else "flight_cast", d)
            self.b.bound(hall, flight)
            parts.append(flight)
            rise = risers * riser
            railing = self.b.railing(
                storey, "楼梯栏杆扶手", height=STAIR_RAILING_HEIGHT, predefined_type="BALUSTRADE", bounds=[hall],
                x=x, y=y, z=z, rotation=rotation, quantities={"Length": (run**2 + (rise - riser) ** 2) ** 0.5},
            )
            h = STAIR_RAILING_HEIGHT
            self.b.add_side_body(
                railing, [(0.0, riser), (run, rise), (run, rise + h), (0.0, riser + h)], 0.05,
                offset=(0.0, FLIGHT_WIDTH - 0.05, 0.0),
            )
            self.b.assign_type(railing, self.type_of("railing_stair"))
            parts.append(railing)
        # A stair of its own per storey: flights, landing and balustrades are its parts, so
        # "adjacent flights" (GB 55031 5.3.10) are those of one storey.
        self.b.aggregate(stair, parts)

    def elevator(self, storey: ifcopenshell.entity_instance) -> None:
        b = self.b
        kwargs: dict[str, Any] = {}
        if b.schema == "IFC2X3":
            kwargs["OperationType"] = "ELEVATOR"
        lift = b.element(
            "IfcTransportElement", storey, "1#客梯", predefined_type="ELEVATOR",
            x=13.9, y=5.7, size=(1.5, 1.6, 2.4), material="钢", **kwargs,
        )
        b.add_pset(lift, "Pset_TransportElementCommon", {"CapacityPeople": 13, "FireExit": False})
        b.add_pset(lift, "CN_Elevator", {
            "额定载重量kg": 1000,
            "轿厢宽度": b.file.createIfcLengthMeasure(b.length(1.6)),
            "轿厢深度": b.file.createIfcLengthMeasure(b.length(1.5)),
            "门净宽": b.file.createIfcLengthMeasure(b.length(0.9)),
            "服务楼层": "B1-11F",
            "可容纳担架": "是",
        })


def precast_summary(index: Any) -> dict[str, dict[str, float]]:
    """Per storey: precast and total concrete volume of vertical members and projected area
    of horizontal members, from the model's quantities — the hand check of the docstring."""
    from zhijian.domain.bim.geometry import projected_area

    rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for element in index.of_class("IfcWall", "IfcColumn", "IfcSlab", "IfcStairFlight"):
        prefab = element.psets.get("CN_Prefab", {})
        if prefab.get("是否砌筑") == "是" or element.predefined_type == "BASESLAB":
            continue
        if element.ifc_class == "IfcWall" and element.prop("Pset_WallCommon", "LoadBearing") is False:
            continue  # façade infill and partitions (panels or blocks) are no vertical members
        storey = index.storey_name(element) or "?"
        is_precast = prefab.get("是否预制") == "是"
        if element.ifc_class in ("IfcWall", "IfcColumn"):
            volume = element.quantity("NetVolume") or 0.0
            rows[storey]["vertical_m3"] += volume
            rows[storey]["vertical_precast_m3"] += volume if is_precast else 0.0
        else:
            area = element.quantity("NetArea") if element.ifc_class == "IfcSlab" else projected_area(index, element.guid)
            rows[storey]["horizontal_m2"] += area or 0.0
            rows[storey]["horizontal_precast_m2"] += (area or 0.0) if is_precast else 0.0
    return {k: dict(v) for k, v in rows.items()}
