"""The as-built rate: a precast member credited at design stage counts only once installed.

One storey by hand: four precast shear-wall panels of 10 m³ (P1–P4), 40 m³ of cast-in-place
wall, a 2 m³ cast-in-place joint 400 mm wide between panels (counts under 4.0.3), 叠合板
S1–S2 of 60 m² each and a 80 m² cast slab. At design stage:

    q1a = (4 × 10 + 2) / (40 + 40 + 2) = 42 / 82 = 51.2 %
    q1b = 120 / 200 = 60.0 %

With P1, P2 and S1 installed (and a GlobalId the design never credited):

    q1a = (2 × 10 + 2) / 82 = 22 / 82 = 26.8 %   (the joint is cast on site: it keeps its credit)
    q1b = 60 / 200 = 30.0 %
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import load_index
from zhijian.domain.prefab.as_built import NOT_INSTALLED, as_built_overrides
from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate
from zhijian.domain.prefab.result import AssemblyRateResult
from zhijian.domain.prefab.scoring_table import load_table

TABLE = load_table()
WALL = {"Pset_WallCommon": {"LoadBearing": True, "IsExternal": True}}
PRECAST = {"Pset_PrecastConcreteElementGeneral": {"PieceMark": "YWQ"}}


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    b = ModelBuilder("IFC4", "mm")
    storey = b.storey("1F", 0.0)
    guids = {}
    for n in range(1, 5):
        guids[f"P{n}"] = b.element(
            "IfcWall", storey, f"预制剪力墙 YWQ-{n}", quantities={"NetVolume": 10.0}, psets={**WALL, **PRECAST}
        ).GlobalId
    cast = b.element("IfcWall", storey, "剪力墙 Q-1", quantities={"NetVolume": 40.0}, psets=WALL)
    b.assign_material(cast, "C30 混凝土（现浇）")
    guids["cast"] = cast.GlobalId
    width = b.file.create_entity("IfcPositiveLengthMeasure", b.length(0.4))
    guids["joint"] = b.element(
        "IfcWall", storey, "后浇段 HJ-1", quantities={"NetVolume": 2.0},
        psets={**WALL, "Zhijian_Joint": {"CastInPlaceJoint": True, "JointWidth": width}},
    ).GlobalId
    for n in (1, 2):
        guids[f"S{n}"] = b.element(
            "IfcSlab", storey, f"叠合板 DBS-{n}", predefined_type="FLOOR", quantities={"NetArea": 60.0}
        ).GlobalId
    guids["slab"] = b.element("IfcSlab", storey, "现浇楼板 B-1", predefined_type="FLOOR", quantities={"NetArea": 80.0}).GlobalId
    return b.save(tmp_path_factory.mktemp("as-built") / "storey.ifc"), guids


@pytest.fixture(scope="module")
def design(model: tuple[Path, dict[str, str]]) -> AssemblyRateResult:
    return evaluate_assembly_rate(load_index(model[0]), table=TABLE)


def test_design_stage_credits_every_precast_member_and_the_joint(design: AssemblyRateResult) -> None:
    assert design.item("q1a").numerator == pytest.approx(42.0)
    assert design.item("q1a").denominator == pytest.approx(82.0)
    assert design.item("q1b").ratio == pytest.approx(0.6)


def test_as_built_credits_only_installed_components(model: tuple[Path, dict[str, str]], design: AssemblyRateResult) -> None:
    path, guids = model
    inputs = as_built_overrides(design, TABLE, [guids["P1"], guids["P2"], guids["S1"], "0NotInThisModel000000x"])
    assert (inputs.credited_at_design, inputs.installed, inputs.not_installed, inputs.unknown) == (6, 3, 3, 1)
    assert set(inputs.overrides.entries) == {guids["P3"], guids["P4"], guids["S2"]}
    assert all(not o.precast and o.reason == NOT_INSTALLED for o in inputs.overrides.entries.values())
    assert inputs.overrides.file == "installation records (3 of 6 precast components installed)"

    built = evaluate_assembly_rate(load_index(path), table=TABLE, overrides=inputs.overrides)
    q1a, q1b = built.item("q1a"), built.item("q1b")
    assert q1a.numerator == pytest.approx(22.0) and q1a.denominator == pytest.approx(82.0)
    assert round(q1a.ratio * 100, 1) == 26.8  # type: ignore[operator]
    assert q1a.score == 0.0  # under 35 %: the design's 21.4 points are gone
    assert q1b.ratio == pytest.approx(0.3)
    lines = {e.guid: e for e in q1a.elements}
    assert lines[guids["joint"]].counted and lines[guids["joint"]].rule == "joint"
    assert not lines[guids["P3"]].counted and lines[guids["P3"]].rule == "override"
    assert any(NOT_INSTALLED in ev for ev in lines[guids["P3"]].evidence)
    assert built.overrides_file == inputs.overrides.file


def test_everything_installed_changes_nothing(model: tuple[Path, dict[str, str]], design: AssemblyRateResult) -> None:
    path, guids = model
    everything = [guids[k] for k in ("P1", "P2", "P3", "P4", "S1", "S2")]
    inputs = as_built_overrides(design, TABLE, everything)
    assert inputs.overrides.entries == {} and inputs.not_installed == 0
    built = evaluate_assembly_rate(load_index(path), table=TABLE, overrides=inputs.overrides)
    assert built.p == design.p and built.scores == design.scores


def test_nothing_installed_credits_no_precast_member(model: tuple[Path, dict[str, str]], design: AssemblyRateResult) -> None:
    path, _ = model
    inputs = as_built_overrides(design, TABLE, [])
    built = evaluate_assembly_rate(load_index(path), table=TABLE, overrides=inputs.overrides)
    assert built.item("q1a").numerator == pytest.approx(2.0)  # the joint only
    assert built.item("q1b").numerator == pytest.approx(0.0)


# -- walls: precast façade panels are components, site-built boards are not ----------------------
ENVELOPE = {"Pset_WallCommon": {"LoadBearing": False, "IsExternal": True}}
PARTITION = {"Pset_WallCommon": {"LoadBearing": False, "IsExternal": False}}
INTEGRATED = {"CN_Prefab": {"保温隔热装饰一体化": "是"}}


@pytest.fixture(scope="module")
def walls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Envelope: three precast sandwich panels of 10 m² (W1–W3, integrated) and a 10 m² ALC
    board wall (integrated, not a traced component); partitions: a precast partition panel
    of 8 m² (N1) and 8 m² of block wall. Design: q2a = 40/40, q2b = 40/40, q2c = 8/16."""
    b = ModelBuilder("IFC4", "mm")
    storey = b.storey("1F", 0.0)
    guids = {}
    for n in range(1, 4):
        guids[f"W{n}"] = b.element(
            "IfcWall", storey, f"预制夹心保温外墙板 YWB-{n}", quantities={"GrossSideArea": 10.0},
            psets={**ENVELOPE, **PRECAST, **INTEGRATED},
        ).GlobalId
    guids["alc"] = b.element(
        "IfcWall", storey, "ALC 条板外墙", quantities={"GrossSideArea": 10.0}, psets={**ENVELOPE, **INTEGRATED}
    ).GlobalId
    guids["N1"] = b.element(
        "IfcWall", storey, "预制内隔墙板 YGB-1", quantities={"GrossSideArea": 8.0}, psets={**PARTITION, **PRECAST}
    ).GlobalId
    guids["block"] = b.element(
        "IfcWall", storey, "加气混凝土砌块隔墙", quantities={"GrossSideArea": 8.0}, psets=PARTITION
    ).GlobalId
    guids["column"] = b.element(  # vertical members, so that the evaluation runs
        "IfcColumn", storey, "预制柱 YZ-1", quantities={"NetVolume": 1.0}, psets=PRECAST
    ).GlobalId
    guids["slab"] = b.element("IfcSlab", storey, "叠合板 DBS-1", predefined_type="FLOOR", quantities={"NetArea": 50.0}).GlobalId
    return b.save(tmp_path_factory.mktemp("as-built-walls") / "walls.ifc"), guids


def test_precast_wall_panels_without_installation_records_lose_their_wall_credits(walls: tuple[Path, dict[str, str]]) -> None:
    path, guids = walls
    design = evaluate_assembly_rate(load_index(path), table=TABLE)
    assert [design.item(k).ratio for k in ("q2a", "q2b", "q2c")] == [1.0, 1.0, 0.5]

    installed = [guids["W1"], guids["column"], guids["slab"]]
    inputs = as_built_overrides(design, TABLE, installed)
    # components: W1–W3, N1, the column and the slab; the ALC boards and the blocks are not
    assert (inputs.credited_at_design, inputs.installed, inputs.not_installed) == (6, 3, 3)
    assert set(inputs.overrides.entries) == {guids["W2"], guids["W3"], guids["N1"]}

    built = evaluate_assembly_rate(load_index(path), table=TABLE, overrides=inputs.overrides)
    q2a, q2b, q2c = built.item("q2a"), built.item("q2b"), built.item("q2c")
    assert q2a.numerator == pytest.approx(20.0) and q2a.denominator == pytest.approx(40.0)  # W1 + ALC
    assert q2b.numerator == pytest.approx(20.0) and q2b.denominator == pytest.approx(40.0)  # integration of W1 + ALC
    assert q2c.numerator == pytest.approx(0.0) and q2c.denominator == pytest.approx(16.0)
    for item in (q2a, q2b):
        lines = {e.guid: e for e in item.elements}
        assert lines[guids["W1"]].counted and lines[guids["alc"]].counted
        assert not lines[guids["W2"]].counted and lines[guids["W2"]].rule == "override"
        assert any(NOT_INSTALLED in ev for ev in lines[guids["W2"]].evidence)
    # q2a 50 % < 80 %: 0 points; q2b 50 %: 2 points; q2c 0 %: 0 points
    assert (q2a.score, q2b.score, q2c.score) == (0.0, 2.0, 0.0)


def test_a_design_override_does_not_touch_integration(walls: tuple[Path, dict[str, str]]) -> None:
    """Only an as-built withdrawal takes the integration credit; a designer's own override
    that a wall is not precast leaves its 保温隔热装饰一体化 property alone."""
    from zhijian.domain.prefab.precast import Override, Overrides

    path, guids = walls
    overrides = Overrides("overrides.json", {guids["W2"]: Override(guids["W2"], False, "现场改为现浇")})
    result = evaluate_assembly_rate(load_index(path), table=TABLE, overrides=overrides)
    assert result.item("q2b").ratio == 1.0
    assert result.item("q2a").numerator == pytest.approx(30.0)
