"""The assembly rate of buildings written in code, with precast shares chosen by hand.

``residence()`` (``tests/assembly_models.py``) builds one storey (or more) of a shear-wall
residence: precast and cast-in-place walls by volume, 叠合板 and cast slabs by area, ALC and
block envelope walls, board and block partitions. Every figure below is checked by hand from those inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.api.aggregate
import pytest

from tests.assembly_models import (
    LOAD_BEARING,
    PRECAST,
    WORKED_DECLARATION,
    index_of,
    residence,
    worked_example,
)
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import ModelIndex, build_index
from zhijian.domain.errors import NotEvaluableError, OverrideError, UnknownBuildingError
from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate, require_evaluable
from zhijian.domain.prefab.declaration import parse_declarations
from zhijian.domain.prefab.precast import load_overrides
from zhijian.domain.prefab.scoring_table import load_table

TABLE = load_table()


@pytest.mark.parametrize(("unit", "schema"), [("mm", "IFC4"), ("m", "IFC4"), ("mm", "IFC2X3"), ("m", "IFC4X3")])
def test_the_worked_example_as_a_model_gives_59_7_percent(tmp_path: Path, unit: str, schema: str) -> None:
    index = index_of(worked_example(unit, schema), tmp_path)
    declarations = parse_declarations(WORKED_DECLARATION, "toml", TABLE, "declaration.toml")
    result = evaluate_assembly_rate(index, declarations=declarations)
    q1a = result.item("q1a")
    assert (round(q1a.numerator or 0, 6), round(q1a.denominator or 0, 6)) == (1380.0, 3000.0)
    assert q1a.score == 22.4
    assert result.item("q1b").ratio == pytest.approx(0.75)
    assert result.item("q2a").ratio == pytest.approx(0.85)
    assert result.item("q2c").ratio == pytest.approx(0.60)
    assert result.scores == {"Q1": 37.4, "Q2": 12.5, "Q3": 9.8, "Q4": 0.0}
    assert result.p == 59.7
    assert result.recognised and result.grade is None
    assert result.complete
    joint = next(e for e in q1a.elements if e.name == "后浇段 HJ-1")
    assert joint.counted and joint.rule == "joint"


def test_mm_and_m_give_the_same_result_element_by_element(tmp_path: Path) -> None:
    declarations = parse_declarations(WORKED_DECLARATION, "toml", TABLE)
    mm = evaluate_assembly_rate(index_of(worked_example("mm"), tmp_path, "mm.ifc"), declarations=declarations)
    m = evaluate_assembly_rate(index_of(worked_example("m"), tmp_path, "m.ifc"), declarations=declarations)
    assert mm.p == m.p == 59.7
    for a, b in zip(mm.items, m.items, strict=True):
        assert (a.score, a.status) == (b.score, b.status)
        assert [round(e.quantity or 0, 6) for e in a.elements] == [round(e.quantity or 0, 6) for e in b.elements]


@pytest.mark.parametrize(
    ("precast", "cast", "points"),
    [
        (34.0, 66.0, 0.0),  # below 35 %: nothing
        (35.0, 65.0, 20.0),  # exactly 35 %
        (57.5, 42.5, 25.0),  # midway: 20 + 22.5/45 × 10
        (80.0, 20.0, 30.0),  # exactly 80 %
        (90.0, 10.0, 30.0),  # above: clamped
    ],
)
@pytest.mark.parametrize("unit", ["mm", "m"])
def test_vertical_member_points_by_precast_volume(tmp_path: Path, unit: str, precast: float, cast: float, points: float) -> None:
    index = index_of(residence(unit, vertical=(precast, cast), horizontal=(1.0, 0.0)), tmp_path)
    item = evaluate_assembly_rate(index).item("vertical_members")
    assert item.ratio == pytest.approx(precast / 100)
    assert item.score == points


@pytest.mark.parametrize(
    ("precast", "cast", "points"),
    [(69.0, 31.0, 0.0), (70.0, 30.0, 10.0), (72.5, 27.5, 12.5), (80.0, 20.0, 20.0), (100.0, 0.0, 20.0)],
)
@pytest.mark.parametrize("unit", ["mm", "m"])
def test_horizontal_member_points_by_precast_area(tmp_path: Path, unit: str, precast: float, cast: float, points: float) -> None:
    index = index_of(residence(unit, vertical=(1.0, 0.0), horizontal=(precast, cast)), tmp_path)
    item = evaluate_assembly_rate(index).item("horizontal_members")
    assert item.ratio == pytest.approx(precast / 100)
    assert item.score == points


@pytest.mark.parametrize(("panel", "block", "points"), [(79.0, 21.0, 0.0), (80.0, 20.0, 5.0), (100.0, 0.0, 5.0)])
def test_envelope_walls_score_5_from_80_percent_non_masonry(tmp_path: Path, panel: float, block: float, points: float) -> None:
    index = index_of(residence(vertical=(1.0, 0.0), horizontal=(1.0, 0.0), envelope=(panel, block)), tmp_path)
    assert evaluate_assembly_rate(index).item("q2a").score == points


def test_below_ground_elements_are_left_out_and_listed(tmp_path: Path) -> None:
    index = index_of(residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0), basement=True), tmp_path)
    result = evaluate_assembly_rate(index)
    assert result.item("q1a").denominator == pytest.approx(100.0)  # not 600
    assert [e.reason for e in result.excluded] == ["below ground (storey B1)"]


def test_an_element_without_quantities_or_geometry_is_listed_not_counted_as_zero(tmp_path: Path) -> None:
    builder = residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0))
    storey = builder.file.by_type("IfcBuildingStorey")[0]
    builder.element("IfcColumn", storey, "KZ-1")  # no quantities, no body
    result = evaluate_assembly_rate(index_of(builder, tmp_path))
    item = result.item("q1a")
    assert item.ratio == pytest.approx(0.40)  # over the 100 m³ that could be measured
    assert [e.name for e in item.unmeasured] == ["KZ-1"]
    assert "no NetVolume or GrossVolume" in item.unmeasured[0].reason
    assert not item.complete and not result.complete
    assert any("1 of 3 elements could not be measured" in n for n in result.notes)


def test_a_model_without_structural_elements_names_the_items_it_cannot_evaluate(tmp_path: Path) -> None:
    result = evaluate_assembly_rate(index_of(residence(envelope=(10.0, 0.0)), tmp_path))
    assert result.item("q1a").status == "not_evaluated"
    assert "no vertical load-bearing members" in result.item("q1a").reason
    assert "no horizontal members" in result.item("q1b").reason
    with pytest.raises(NotEvaluableError, match=r"q1a 柱、支撑.*no vertical load-bearing members.*q1b"):
        require_evaluable(result)


def test_structural_elements_without_quantities_or_geometry_are_not_evaluable(tmp_path: Path) -> None:
    builder = ModelBuilder("IFC4", "mm")
    storey = builder.storey("1F", 0.0)
    builder.element("IfcWall", storey, "剪力墙", psets=LOAD_BEARING)
    builder.element("IfcSlab", storey, "楼板", predefined_type="FLOOR")
    result = evaluate_assembly_rate(index_of(builder, tmp_path))
    assert result.blocking
    assert "1 elements, none measurable: no NetVolume or GrossVolume" in result.item("q1a").reason
    assert "none measurable: no projected, net or gross area" in result.item("q1b").reason
    with pytest.raises(NotEvaluableError, match="q1a"):
        require_evaluable(result)


def test_without_geometry_fallback_the_elements_say_so(tmp_path: Path) -> None:
    builder = residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0))
    builder.element("IfcColumn", builder.file.by_type("IfcBuildingStorey")[0], "KZ-1")
    item = evaluate_assembly_rate(index_of(builder, tmp_path), geometry=False).item("q1a")
    assert "geometry fallback off" in item.unmeasured[0].reason


def _two_buildings(tmp_path: Path) -> ModelIndex:
    builder = residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0))
    second = builder.create("IfcBuilding", name="2#楼")
    ifcopenshell.api.aggregate.assign_object(builder.file, products=[second], relating_object=builder.site)
    first, builder.building = builder.building, second  # storey() adds to builder.building
    storey = builder.storey("2#-1F", 0.0)
    builder.building = first
    builder.element("IfcWall", storey, "预制剪力墙", quantities={"NetVolume": 10.0}, psets={**LOAD_BEARING, **PRECAST})
    builder.element("IfcSlab", storey, "现浇板", predefined_type="FLOOR", quantities={"NetArea": 10.0})
    return index_of(builder, tmp_path)


def test_a_building_is_chosen_by_name_and_the_others_are_out_of_scope(tmp_path: Path) -> None:
    index = _two_buildings(tmp_path)
    first = evaluate_assembly_rate(index, building="1#楼")
    assert first.building == "1#楼"
    assert first.item("q1a").ratio == pytest.approx(0.40)
    assert first.out_of_building == 2
    second = evaluate_assembly_rate(index, building="2#楼")
    assert second.item("q1a").ratio == pytest.approx(1.0)
    assert second.item("q1b").ratio == pytest.approx(0.0)


def test_an_unknown_building_name_is_refused_with_the_names_there_are(tmp_path: Path) -> None:
    index = _two_buildings(tmp_path)
    with pytest.raises(UnknownBuildingError, match=r"no building named '3#楼' in the model; buildings: 1#楼, 2#楼"):
        evaluate_assembly_rate(index, building="3#楼")


def test_several_buildings_need_a_choice(tmp_path: Path) -> None:
    with pytest.raises(UnknownBuildingError, match=r"the model has 2 buildings .* choose one with --building"):
        evaluate_assembly_rate(_two_buildings(tmp_path))


def test_an_override_changes_the_credit_and_is_cited(tmp_path: Path) -> None:
    index = index_of(residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0)), tmp_path)
    cast_wall = next(e for e in index.elements.values() if e.name == "剪力墙 Q-1")
    path = tmp_path / "overrides.csv"
    path.write_text(f"guid,precast,reason\n{cast_wall.guid},true,构件生产记录 PO-7\n", encoding="utf-8")
    result = evaluate_assembly_rate(index, overrides=load_overrides(path))
    line = next(e for e in result.item("q1a").elements if e.guid == cast_wall.guid)
    assert line.counted and line.rule == "override"
    assert "构件生产记录 PO-7" in line.evidence[0]
    assert result.item("q1a").ratio == pytest.approx(1.0)
    assert result.overrides_file == "overrides.csv"


def test_an_override_for_an_element_not_in_the_model_is_refused(tmp_path: Path) -> None:
    index = index_of(residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0)), tmp_path)
    path = tmp_path / "overrides.csv"
    path.write_text("guid,precast,reason\n3vB2YO$MX4xv5uCqZZG05x,true,typo\n", encoding="utf-8")
    with pytest.raises(OverrideError, match="line 2: guid 3vB2YO\\$MX4xv5uCqZZG05x is not an element"):
        evaluate_assembly_rate(index, overrides=load_overrides(path))


def test_stairs_balconies_beams_and_landings_are_horizontal_members(tmp_path: Path) -> None:
    builder = ModelBuilder("IFC4", "m")
    storey = builder.storey("2F", 3.0)
    builder.element("IfcWall", storey, "预制剪力墙", quantities={"NetVolume": 1.0}, psets={**LOAD_BEARING, **PRECAST})
    builder.element("IfcSlab", storey, "现浇楼板", predefined_type="FLOOR", quantities={"NetArea": 80.0})
    builder.element("IfcSlab", storey, "预制阳台板 YTB-1", quantities={"NetArea": 6.0})
    builder.element("IfcBuildingElementProxy", storey, "预制空调板 KTB-1", quantities={"NetArea": 1.0})
    stair = builder.element("IfcStair", storey, "预制楼梯 ST-1", psets=PRECAST)
    flight = builder.stair_flight(storey, "梯段", riser=0.15, tread=0.26, risers=10, width=1.2)
    landing = builder.element("IfcSlab", storey, "休息平台", predefined_type="LANDING", quantities={"NetArea": 3.0})
    ifcopenshell.api.aggregate.assign_object(builder.file, products=[flight, landing], relating_object=stair)
    builder.element("IfcBeam", storey, "预制叠合梁", quantities={"Length": 5.0, "Width": 0.2}, psets=PRECAST)
    builder.element("IfcSlab", storey, "基础底板", predefined_type="BASESLAB", quantities={"NetArea": 100.0})
    result = evaluate_assembly_rate(index_of(builder, tmp_path))
    item = result.item("q1b")
    by_name = {e.name: e for e in item.elements}
    assert by_name["梯段"].quantity == pytest.approx(9 * 0.26 * 1.2)  # NumberOfTreads × TreadLength × Width
    assert by_name["梯段"].counted and by_name["梯段"].rule == "assembly"  # from the precast stair
    assert by_name["预制阳台板 YTB-1"].category == "阳台板"
    assert by_name["预制空调板 KTB-1"].category == "空调板"
    assert by_name["休息平台"].category == "休息平台板" and by_name["休息平台"].counted
    assert by_name["预制叠合梁"].quantity == pytest.approx(1.0)
    # plan = 80 + 6 + 1 + 2.808 + 3 (beams lie under the slabs); precast = 6 + 1 + 2.808 + 3 + 1 (beam)
    plan = 80 + 6 + 1 + 9 * 0.26 * 1.2 + 3
    assert item.denominator == pytest.approx(plan)
    assert item.numerator == pytest.approx(plan - 80 + 1.0)
    reasons = {e.name: e.reason for e in result.excluded}
    assert reasons["预制楼梯 ST-1"].startswith("stair measured through its 2 parts")
    assert reasons["基础底板"].startswith("foundation slab")


def test_walls_are_placed_by_load_bearing_and_external_flags_or_left_out_with_a_reason(tmp_path: Path) -> None:
    builder = ModelBuilder("IFC4", "m")
    storey = builder.storey("1F", 0.0)
    area: dict[str, Any] = {"GrossSideArea": 10.0, "NetVolume": 2.0}
    builder.element("IfcWall", storey, "W1", quantities=area, psets={"Pset_WallCommon": {"LoadBearing": True}})
    builder.element("IfcWall", storey, "W2", quantities=area, predefined_type="SHEAR")
    builder.element("IfcWall", storey, "W3", quantities=area, psets={"Pset_WallCommon": {"LoadBearing": False, "IsExternal": True}})
    builder.element("IfcWall", storey, "W4", quantities=area, psets={"Pset_WallCommon": {"LoadBearing": False, "IsExternal": False}})
    builder.element("IfcWall", storey, "W5", quantities=area, predefined_type="PARTITIONING")
    builder.element("IfcWall", storey, "W6", quantities=area)
    builder.element("IfcWall", storey, "W7", quantities=area, psets={"Pset_WallCommon": {"LoadBearing": False}})
    builder.element("IfcCurtainWall", storey, "CW", quantities={"GrossSideArea": 10.0})
    result = evaluate_assembly_rate(index_of(builder, tmp_path))
    assert [e.name for e in result.item("q1a").elements] == ["W1", "W2"]
    assert [e.name for e in result.item("q2a").elements] == ["W3", "CW"]
    assert [e.name for e in result.item("q2c").elements] == ["W4", "W5"]
    reasons = {e.name: e.reason for e in result.excluded}
    assert "LoadBearing not given" in reasons["W6"]
    assert "IsExternal not given" in reasons["W7"]
    assert result.item("q2a").ratio == pytest.approx(0.5)  # the curtain wall is non-masonry


def test_integration_items_come_from_the_model_where_walls_carry_the_property(tmp_path: Path) -> None:
    builder = ModelBuilder("IFC4", "m")
    storey = builder.storey("1F", 0.0)
    envelope = {"LoadBearing": False, "IsExternal": True}
    builder.element("IfcWall", storey, "夹心保温外墙板", quantities={"GrossSideArea": 60.0},
                    psets={"Pset_WallCommon": envelope, "Zhijian": {"保温隔热装饰一体化": "是"}})
    builder.element("IfcWall", storey, "ALC 外墙", quantities={"GrossSideArea": 40.0}, psets={"Pset_WallCommon": envelope})
    result = evaluate_assembly_rate(index_of(builder, tmp_path))
    item = result.item("q2b")
    assert (item.source, item.ratio, item.score) == ("model", pytest.approx(0.6), 3.0)  # 2 + 10/30 × 3
    assert result.item("q2d").status == "not_evaluated"
    assert "nothing was declared" in result.item("q2d").reason


def test_a_declared_absence_does_not_hide_what_the_model_shows(tmp_path: Path) -> None:
    index = index_of(residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0), envelope=(90.0, 10.0)), tmp_path)
    text = 'key = "envelope_non_masonry"\nvalue = "absent"\ndeclared_by = "a"\nrole = "b"\ndate = "2026-05-01"\nevidence = "c"\n'
    declarations = parse_declarations("[[items]]\n" + text + "[[items]]\n" + text.replace("envelope_non_masonry", "partition_non_masonry"), "toml", TABLE)
    result = evaluate_assembly_rate(index, declarations=declarations)
    assert (result.item("q2a").status, result.item("q2a").score) == ("evaluated", 5.0)
    assert any("declared 缺项 (absent) not used — the model shows this item (2 elements)" in n for n in result.notes)
    assert result.item("q2c").status == "absent"  # no partitions in the model: the absence stands
    assert result.missing_score == 5.0


def test_the_result_is_advisory_and_says_which_unverified_facts_it_used(tmp_path: Path) -> None:
    result = evaluate_assembly_rate(index_of(residence(vertical=(40.0, 60.0), horizontal=(1.0, 0.0)), tmp_path))
    assert result.advisory
    assert "q1a 柱、支撑、承重墙、延性墙板等竖向构件: scores unverified (U)" in result.advisory_reasons
    assert "q1a 柱、支撑、承重墙、延性墙板等竖向构件: measurement rule unverified (U)" in result.advisory_reasons


def test_the_index_can_be_built_in_memory(tmp_path: Path) -> None:
    builder = residence(vertical=(50.0, 50.0), horizontal=(1.0, 0.0))
    result = evaluate_assembly_rate(build_index(builder.file))
    assert result.model is not None and result.model.file is None
    assert result.item("q1a").score == 23.3  # 20 + 15/45 × 10 = 23.33
