"""Builders shared by the assembly-rate tests: signed declaration items and a shear-wall residence
written in code (``residence()``), including the reference §8 worked example as one storey."""

from __future__ import annotations

from pathlib import Path

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import ModelIndex, load_index


def declared(
    key: str, value: str, evidence: str, *, declared_by: str = "张工", role: str = "设计单位项目负责人", date: str = "2026-05-01"
) -> str:
    """One signed ``[[items]]`` table of a TOML declaration; ``value`` and ``date`` are TOML literals."""
    return (
        f'[[items]]\nkey = "{key}"\nvalue = {value}\ndeclared_by = "{declared_by}"\nrole = "{role}"\n'
        f'date = {date}\nevidence = "{evidence}"\n'
    )


PRECAST = {"Pset_PrecastConcreteElementGeneral": {"PieceMark": "YWQ"}}
LOAD_BEARING = {"Pset_WallCommon": {"LoadBearing": True, "IsExternal": True}}


def residence(
    unit: str = "mm",
    schema: str = "IFC4",
    *,
    vertical: tuple[float, float] = (0.0, 0.0),  # precast, cast-in-place concrete volume (m³)
    joint: float = 0.0,  # volume of a 400 mm cast-in-place joint between precast panels (m³)
    horizontal: tuple[float, float] = (0.0, 0.0),  # 叠合板, cast slab area (m²)
    envelope: tuple[float, float] = (0.0, 0.0),  # ALC panel, block envelope wall face area (m²)
    partition: tuple[float, float] = (0.0, 0.0),  # board, block partition face area (m²)
    basement: bool = False,
    builder: ModelBuilder | None = None,
) -> ModelBuilder:
    b = builder or ModelBuilder(schema, unit)
    storey = b.storey("1F", 0.0)
    if vertical[0]:
        b.element("IfcWall", storey, "预制剪力墙 YWQ-1", quantities={"NetVolume": vertical[0]}, psets={**LOAD_BEARING, **PRECAST})
    if vertical[1]:
        wall = b.element("IfcWall", storey, "剪力墙 Q-1", quantities={"NetVolume": vertical[1]}, psets=LOAD_BEARING)
        b.assign_material(wall, "C30 混凝土（现浇）")
    if joint:
        width = b.file.create_entity("IfcPositiveLengthMeasure", b.length(0.4))
        b.element(
            "IfcWall", storey, "后浇段 HJ-1", quantities={"NetVolume": joint},
            psets={**LOAD_BEARING, "Zhijian_Joint": {"CastInPlaceJoint": True, "JointWidth": width}},
        )
    if horizontal[0]:
        b.element("IfcSlab", storey, "叠合板 DBS-1", predefined_type="FLOOR", quantities={"NetArea": horizontal[0]})
    if horizontal[1]:
        b.element("IfcSlab", storey, "现浇楼板 B-1", predefined_type="FLOOR", quantities={"NetArea": horizontal[1]})
    envelope_pset = {"Pset_WallCommon": {"LoadBearing": False, "IsExternal": True}}
    partition_pset = {"Pset_WallCommon": {"LoadBearing": False, "IsExternal": False}}
    if envelope[0]:
        b.element("IfcWall", storey, "ALC 条板外墙", quantities={"GrossSideArea": envelope[0]}, psets=envelope_pset)
    if envelope[1]:
        b.element("IfcWall", storey, "加气混凝土砌块外墙", quantities={"GrossSideArea": envelope[1]}, psets=envelope_pset)
    if partition[0]:
        b.element("IfcWall", storey, "轻质条板隔墙", quantities={"GrossSideArea": partition[0]}, psets=partition_pset)
    if partition[1]:
        b.element("IfcWall", storey, "砌块隔墙", quantities={"GrossSideArea": partition[1]}, psets=partition_pset)
    if basement:
        below = b.storey("B1", -3.0)
        b.element("IfcWall", below, "地下室外墙", quantities={"NetVolume": 500.0}, psets=LOAD_BEARING)
    return b


def index_of(builder: ModelBuilder, tmp_path: Path, name: str = "model.ifc") -> ModelIndex:
    return load_index(builder.save(tmp_path / name))


WORKED_DECLARATION = "\n" + "\n".join([
    declared("envelope_integrated", "0.40", "外墙详图 JS-05"),
    declared("partition_integrated", '"55%"', "内隔墙详图 JS-08"),
    declared("full_fitout", '"是"', "装修施工图 ZS-01～ZS-12"),
    declared("q3a", "0.30", "楼地面做法表"),
    declared("integrated_kitchen", "0.75", "厨房详图"),
    declared("integrated_bathroom", "0.50", "卫生间详图"),
    declared("pipe_separation", "0.30", "机电管线图"),
])


def worked_example(unit: str = "mm", schema: str = "IFC4") -> ModelBuilder:
    """Reference §8 as one storey: walls 1200 m³ precast + 180 m³ joints + 1620 m³ cast."""
    return residence(
        unit,
        schema,
        vertical=(1200.0, 1620.0),
        joint=180.0,
        horizontal=(8100.0, 2700.0),
        envelope=(85.0, 15.0),
        partition=(60.0, 40.0),
    )
