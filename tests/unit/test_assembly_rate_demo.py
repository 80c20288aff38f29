"""The demo building (长沙智建示范项目 1#楼) against the figures its docstring documents.

Hand check, from ``zhijian.domain.demo.building``: a typical precast storey (3F–5F, 7F–10F)
has 60.225 m³ of vertical concrete, 35.934 m³ precast, and 247.058 m² of horizontal members,
225.090 m² precast. Above ground (1F–11F and the roof; B1 left out):

    q1a = (8 × 35.934 + 34.554 (6F)) / (59.865 + 57.700 + 8 × 60.225 + 57.929 (6F))
        = 322.026 / 657.294 m³ = 49.0 %  →  20 + (49.0 − 35)/(80 − 35) × 10 = 23.1 points
    q1b = (8 × 225.090 + 219.240 (11F)) / (10 × 247.058 + 235.160 (11F) + 238.520 (roof))
        = 2019.96 / 2944.26 m² = 68.6 %  →  below 70 %: 0 points

Envelope infill and partitions are AAC blocks (是否砌筑 = 是): q2a = q2c = 0 %, Q2 = 0.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.assembly_models import declared
from zhijian.domain.bim.index import load_index
from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate
from zhijian.domain.prefab.declaration import parse_declarations
from zhijian.domain.prefab.result import AssemblyRateResult
from zhijian.domain.prefab.scoring_table import load_table

building = pytest.importorskip("zhijian.domain.demo.building", reason="the demo building is not in this tree")


@pytest.fixture(scope="module", params=[("mm", "IFC4"), ("m", "IFC4"), ("mm", "IFC2X3")], ids=lambda p: f"{p[1]}-{p[0]}")
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AssemblyRateResult:
    unit, schema = request.param
    path = building.write_demo_building(tmp_path_factory.mktemp("demo") / "demo.ifc", unit=unit, schema=schema)
    return evaluate_assembly_rate(load_index(Path(path)))


def test_vertical_members_are_49_percent_precast_for_23_1_points(demo: AssemblyRateResult) -> None:
    item = demo.item("q1a")
    assert item.numerator == pytest.approx(322.026, abs=0.002)
    assert item.denominator == pytest.approx(657.294, abs=0.005)
    assert round(item.ratio * 100, 1) == 49.0  # type: ignore[operator]
    assert item.score == 23.1
    assert item.counted == 144 + 36  # exterior and interior precast shear-wall panels, 3F–11F
    assert not item.unmeasured


def test_horizontal_members_are_68_6_percent_just_under_the_70_percent_mark(demo: AssemblyRateResult) -> None:
    item = demo.item("q1b")
    assert item.numerator == pytest.approx(2019.96, abs=0.01)
    assert item.denominator == pytest.approx(2944.26, abs=0.01)
    assert round(item.ratio * 100, 1) == 68.6  # type: ignore[operator]
    assert item.score == 0.0
    assert item.counted == 144 + 18 + 16  # 叠合板, 预制阳台板, 预制楼梯 flights


def test_a_typical_storey_matches_the_docstring(demo: AssemblyRateResult) -> None:
    sums: dict[str, float] = defaultdict(float)
    for e in demo.item("q1a").elements:
        if e.storey == "3F":
            sums["vertical"] += e.quantity or 0
            sums["vertical_precast"] += (e.quantity or 0) if e.counted else 0
    for e in demo.item("q1b").elements:
        if e.storey == "3F" and e.ifc_class != "IfcBeam":  # beams lie under the slabs
            sums["horizontal"] += e.quantity or 0
            sums["horizontal_precast"] += (e.quantity or 0) if e.counted else 0
    assert sums["vertical"] == pytest.approx(60.225, abs=0.001)
    assert sums["vertical_precast"] == pytest.approx(35.934, abs=0.001)
    assert sums["horizontal"] == pytest.approx(247.058, abs=0.001)
    assert sums["horizontal_precast"] == pytest.approx(225.090, abs=0.001)


def test_the_masonry_envelope_and_partitions_score_nothing(demo: AssemblyRateResult) -> None:
    assert demo.item("q2a").ratio == 0.0 and demo.item("q2c").ratio == 0.0
    assert demo.scores["Q2"] == 0.0
    wall = demo.item("q2c").elements[0]
    assert wall.rule == "property" and "是否砌筑 = 是" in wall.evidence[0]


def test_below_ground_members_are_left_out(demo: AssemblyRateResult) -> None:
    assert {e.storey for e in demo.excluded if e.reason.startswith("below ground")} == {"B1"}
    assert all(e.storey != "B1" for item in demo.items for e in item.elements)


def test_the_demo_is_not_a_recognised_prefabricated_building_even_with_fit_out(tmp_path: Path) -> None:
    path = building.write_demo_building(tmp_path / "demo.ifc", unit="mm", schema="IFC4")
    rows = {"full_fitout": "true", "dry_floor": "0.75", "integrated_kitchen": "0.80", "integrated_bathroom": "0.70", "pipe_separation": "0.60"}
    text = "".join(declared(k, v, "图纸", role="设计", date='"2026-05-01"') for k, v in rows.items())
    declarations = parse_declarations(text, "toml", load_table())
    result = evaluate_assembly_rate(load_index(path), declarations=declarations)
    # Q3 = 6 + 6 + (3 + 10/20 × 3 = 4.5) + 3 + (4 + 10/20 × 2 = 5) = 24.5; P = (23.1 + 0 + 24.5)/100
    assert result.scores == {"Q1": 23.1, "Q2": 0.0, "Q3": 24.5, "Q4": 0.0}
    assert result.p == 47.6
    assert [(c.key, c.met) for c in result.preconditions] == [
        ("q1_min", True), ("q2_min", False), ("full_fitout", True), ("p_min", False),
    ]
    assert not result.recognised and result.grade is None


def test_every_measured_element_is_measured_from_its_quantity_sets(demo: AssemblyRateResult) -> None:
    # Beams included: Qto_BeamBaseQuantities carries Length and Width (as ArchiCAD writes them).
    lines = [e for item in demo.items for e in item.elements]
    assert lines and not any(e.quantity_source.startswith("geometry") for e in lines)
    beams = [e for e in demo.item("q1b").elements if e.ifc_class == "IfcBeam"]
    qset = "BaseQuantities" if demo.model and demo.model.schema == "IFC2X3" else "Qto_BeamBaseQuantities"
    assert len(beams) == 22 and {e.quantity_source for e in beams} == {f"{qset}.Length × Width"}
    assert all(e.quantity == pytest.approx(3.8 * 0.2) for e in beams)


def test_without_quantity_sets_the_geometry_gives_the_same_rate(tmp_path: Path) -> None:
    """The fallback path: every measured element stripped of its quantity sets, measured from
    its body geometry instead (grade_aa, so that every item has credited elements)."""
    import ifcopenshell

    from zhijian.domain.bim.index import build_index
    from zhijian.domain.prefab.declaration import load_declarations

    path = building.write_demo_building(tmp_path / "aa.ifc", unit="mm", schema="IFC4", prefab="grade_aa")
    table = load_table()
    declarations = load_declarations(building.demo_declaration_path("grade_aa"), table)
    with_qsets = evaluate_assembly_rate(load_index(path), declarations=declarations)
    model = ifcopenshell.open(str(path))
    measured = ("IfcWall", "IfcColumn", "IfcBeam", "IfcSlab", "IfcStairFlight")
    stripped = 0
    for rel in list(model.by_type("IfcRelDefinesByProperties")):
        if rel.RelatingPropertyDefinition.is_a("IfcElementQuantity") and any(
            o.is_a(c) for o in rel.RelatedObjects for c in measured
        ):
            model.remove(rel)
            stripped += 1
    assert stripped > 800
    from_geometry = evaluate_assembly_rate(build_index(model), declarations=declarations)
    lines = [e for item in from_geometry.items for e in item.elements]
    assert lines and all(e.quantity_source.startswith("geometry: ") for e in lines)
    assert from_geometry.p == with_qsets.p == 85.9
    assert from_geometry.scores == with_qsets.scores
    assert from_geometry.grade == "AA"
    for item, reference in zip(from_geometry.items, with_qsets.items, strict=True):
        assert not item.unmeasured
        if reference.source != "model":  # declared items
            continue
        assert item.numerator == pytest.approx(reference.numerator, rel=1e-6)
        assert item.denominator == pytest.approx(reference.denominator, rel=1e-6)
    # Switched off, the fallback leaves every element unmeasured instead of guessing.
    quick = evaluate_assembly_rate(build_index(model), declarations=declarations, geometry=False)
    assert quick.item("q1a").status == "not_evaluated" and quick.blocking
