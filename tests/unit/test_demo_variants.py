"""The demo building's prefabrication variants rated with the declarations they ship.

Every expected figure is worked out by hand from the plan (zhijian.domain.demo.plan) below,
not read from the calculator. Walls are 0.2 m thick and stand 3.0 − 0.13 = 2.87 m (6F 2.77 m);
the baseline's vertical figures (322.026 of 657.294 m³) are the hand check of
tests/unit/test_assembly_rate_demo.py.

Horizontal members, per storey 1F–10F (m²):
    dwelling slabs but 卫生间   2 × (10.8 × 8.9 − 2.0 × 3.0)   = 180.24   (叠合板 zone)
    卫生间 slabs                2 × 2.0 × 3.0                  =  12.0
    balconies                   2 × 4.2 × 1.5                  =  12.6
    公共区 + 管道井              5.2 × 3.0 + 2.4 × 4.5          =  26.4
    floor landing               2.8 × 1.4                      =   3.92
    mid landing                 2.8 × (4.5 − 9 × 0.26)         =   6.048
    flights                     2 × 9 × 0.26 × 1.25            =   5.85
                                                                   247.058
    11F has no flights and no mid landing (235.16); the roof is 26.8 × 8.9 = 238.52.
    Plan area above ground: 10 × 247.058 + 235.16 + 238.52 = 2944.26.

    grade_a  (叠合板, balconies, flights from 2F):    9 × 225.09 + 219.24 = 2245.05 → 76.25 %
             → 10 + 6.25 = 16.3 (to 1 decimal, half up)
    grade_aa (everything but 1F and the roof):       9 × 247.058 + 235.16 = 2458.682 → 83.5 % → 20

Vertical members in grade_aa, from 3F: the core's walls shared with a dwelling (CW1 5.9 +
CW2 2.8 + CE1 4.5 + CE2 2.9 + CE3 1.3 = 17.4 m, less the two 1.0 × 2.1 m entrance doors) and
the four 0.4 × 0.4 m columns:
    8 × (17.4 × 0.2 × 2.87 − 0.84 + 4 × 0.16 × 2.87) + (17.4 × 0.2 × 2.77 − 0.84 + 4 × 0.16 × 2.77)
    = 8 × 10.9844 + 10.5724 = 98.4476;  (322.026 + 98.4476) / 657.294 = 64.0 %
    → 20 + (63.97 − 35) / 45 × 10 = 26.4

Façade infill S2: 22 walls (1F–11F) of 3.8 m between the columns, under a 0.5 m beam:
3.8 × 2.37 × 20 + 3.8 × 2.27 × 2 = 197.372 m². Partitions: all of one kind, so 0 or 100 %.

    variant   Q1                  Q2              Q3 (declared)                  P      grade
    baseline  23.1 + 0    = 23.1   0               6 + 6 + 4.5 + 3.0 + 5.0 = 24.5  47.6   —
    grade_a   23.1 + 16.3 = 39.4   5 + 0 + 5 + 0   6 + 0 + 3.8 + 3.8 + 0   = 13.6  63.0   A
    grade_aa  26.4 + 20   = 46.4   5 + 5 + 5 + 5   6 + 0 + 4.5 + 4.5 + 4.5 = 19.5  85.9   AA

Declared Q3 items (table 4.0.1): 全装修 6; 干式工法 ≥ 70 % → 6 else 0; 集成厨房 and 集成卫生间
3–6 over 70–90 % (75 % → 3.75 → 3.8, 80 % → 4.5); 管线分离 4–6 over 50–70 % (55 % → 4.5,
60 % → 5); below the lower mark 0.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from zhijian.cli import build_parser
from zhijian.domain.bim.index import Element, ModelIndex, load_index
from zhijian.domain.demo.building import (
    PREFAB_VARIANTS,
    demo_declaration_path,
    prefab_scheme,
    write_demo_building,
)
from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate
from zhijian.domain.prefab.declaration import load_declarations
from zhijian.domain.prefab.result import AssemblyRateResult
from zhijian.domain.prefab.scoring_table import load_table
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import all_packs

VARIANTS = ("baseline", "grade_a", "grade_aa")

# -- the hand check (see the module docstring) ------------------------------------------------
H, H6 = 3.0 - 0.13, 2.9 - 0.13
DWELLING_SLABS = 2 * (10.8 * 8.9 - 2.0 * 3.0)
WET = 2 * 2.0 * 3.0
BALCONIES = 2 * 4.2 * 1.5
CORE_SLABS = 5.2 * 3.0 + 2.4 * 4.5
FLOOR_LANDING = 2.8 * 1.4
MID_LANDING = 2.8 * (4.5 - 9 * 0.26)
FLIGHTS = 2 * 9 * 0.26 * 1.25
STOREY = DWELLING_SLABS + WET + BALCONIES + CORE_SLABS + FLOOR_LANDING + MID_LANDING + FLIGHTS
TOP = STOREY - MID_LANDING - FLIGHTS
ROOF = 26.8 * 8.9
PLAN = 10 * STOREY + TOP + ROOF

BASELINE_VERTICAL_PRECAST, VERTICAL = 322.026, 657.294  # test_assembly_rate_demo.py
DOORS = 2 * 1.0 * 2.1 * 0.2
EXTRA_VERTICAL = 8 * (17.4 * 0.2 * H - DOORS + 4 * 0.16 * H) + (17.4 * 0.2 * H6 - DOORS + 4 * 0.16 * H6)
ENVELOPE = 3.8 * (H - 0.5) * 20 + 3.8 * (H6 - 0.5) * 2

HORIZONTAL_PRECAST = {
    "baseline": 8 * (DWELLING_SLABS + BALCONIES + CORE_SLABS + FLIGHTS) + (DWELLING_SLABS + BALCONIES + CORE_SLABS),
    "grade_a": 9 * (DWELLING_SLABS + BALCONIES + CORE_SLABS + FLIGHTS) + (DWELLING_SLABS + BALCONIES + CORE_SLABS),
    "grade_aa": 9 * STOREY + TOP,
}
VERTICAL_PRECAST = {
    "baseline": BASELINE_VERTICAL_PRECAST,
    "grade_a": BASELINE_VERTICAL_PRECAST,
    "grade_aa": BASELINE_VERTICAL_PRECAST + EXTRA_VERTICAL,
}
EXPECTED = {
    #            q1a%  q1a   q1b%  q1b   Q1    Q2    Q3    P     recognised grade
    "baseline": (49.0, 23.1, 68.6, 0.0, 23.1, 0.0, 24.5, 47.6, False, None),
    "grade_a": (49.0, 23.1, 76.3, 16.3, 39.4, 10.0, 13.6, 63.0, True, "A"),
    "grade_aa": (64.0, 26.4, 83.5, 20.0, 46.4, 20.0, 19.5, 85.9, True, "AA"),
}
# (q2a, q2b, q2c, q2d) as ratio → points; the baseline declares q2b and q2d (0 %)
WALL_ITEMS = {
    "baseline": ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)),
    "grade_a": ((1.0, 5.0), (0.0, 0.0), (1.0, 5.0), (0.0, 0.0)),
    "grade_aa": ((1.0, 5.0), (1.0, 5.0), (1.0, 5.0), (1.0, 5.0)),
}
Q3_ITEMS = {
    "baseline": {"full_fitout": 6.0, "dry_floor": 6.0, "integrated_kitchen": 4.5, "integrated_bathroom": 3.0, "pipe_separation": 5.0},
    "grade_a": {"full_fitout": 6.0, "dry_floor": 0.0, "integrated_kitchen": 3.8, "integrated_bathroom": 3.8, "pipe_separation": 0.0},
    "grade_aa": {"full_fitout": 6.0, "dry_floor": 0.0, "integrated_kitchen": 4.5, "integrated_bathroom": 4.5, "pipe_separation": 4.5},
}


def test_the_hand_check_adds_up() -> None:
    assert (round(STOREY, 6), round(TOP, 6), round(PLAN, 6)) == (247.058, 235.16, 2944.26)
    assert {v: round(a, 6) for v, a in HORIZONTAL_PRECAST.items()} == {
        "baseline": 2019.96, "grade_a": 2245.05, "grade_aa": 2458.682,
    }
    assert (round(EXTRA_VERTICAL, 6), round(ENVELOPE, 6)) == (98.4476, 197.372)


# -- the models --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("variants")
    return {v: write_demo_building(folder / f"{v}.ifc", prefab=v) for v in VARIANTS}


@pytest.fixture(scope="module")
def indexes(files: dict[str, Path]) -> dict[str, ModelIndex]:
    return {v: load_index(path) for v, path in files.items()}


@pytest.fixture(scope="module")
def results(indexes: dict[str, ModelIndex]) -> dict[str, AssemblyRateResult]:
    table = load_table()
    return {
        v: evaluate_assembly_rate(index, table=table, declarations=load_declarations(demo_declaration_path(v), table))
        for v, index in indexes.items()
    }


# -- the assembly rate -------------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_vertical_members(results: dict[str, AssemblyRateResult], variant: str) -> None:
    item = results[variant].item("q1a")
    assert item.numerator == pytest.approx(VERTICAL_PRECAST[variant], abs=0.002)
    assert item.denominator == pytest.approx(VERTICAL, abs=0.005)
    assert round(item.ratio * 100, 1) == EXPECTED[variant][0]  # type: ignore[operator]
    assert item.score == EXPECTED[variant][1]
    # 144 exterior + 36 interior shear panels; grade_aa adds 5 party walls and 4 columns on 3F–11F
    assert item.counted == 180 + (9 * (5 + 4) if variant == "grade_aa" else 0)


@pytest.mark.parametrize("variant", VARIANTS)
def test_horizontal_members(results: dict[str, AssemblyRateResult], variant: str) -> None:
    item = results[variant].item("q1b")
    assert item.numerator == pytest.approx(HORIZONTAL_PRECAST[variant], abs=0.01)
    assert item.denominator == pytest.approx(PLAN, abs=0.01)
    assert round(item.ratio * 100, 1) == EXPECTED[variant][2]  # type: ignore[operator]
    assert item.score == EXPECTED[variant][3]
    counted = {
        "baseline": 144 + 18 + 16,  # 叠合板, balconies, flights from 3F
        "grade_a": 160 + 20 + 18,  # the same from 2F
        "grade_aa": 180 + 20 + 19 + 18,  # and 卫生间 slabs and landings (no mid landing on 11F)
    }
    assert item.counted == counted[variant]


@pytest.mark.parametrize("variant", VARIANTS)
def test_envelope_and_partitions(results: dict[str, AssemblyRateResult], variant: str) -> None:
    result = results[variant]
    for symbol, (ratio, score) in zip(("q2a", "q2b", "q2c", "q2d"), WALL_ITEMS[variant], strict=True):
        item = result.item(symbol)
        assert (item.status, item.ratio, item.score) == ("evaluated", ratio, score), symbol
        if variant != "baseline" or symbol in ("q2a", "q2c"):
            assert item.source == "model"
            assert len(item.elements) == (22 if symbol in ("q2a", "q2b") else 157)
    assert result.item("q2a").denominator == pytest.approx(ENVELOPE, abs=0.001)
    baseline_declares = {result.item(s).source for s in ("q2b", "q2d")} == {"declaration"}
    assert baseline_declares is (variant == "baseline")


@pytest.mark.parametrize("variant", VARIANTS)
def test_declared_fit_out(results: dict[str, AssemblyRateResult], variant: str) -> None:
    result = results[variant]
    scores = {key: result.item(key).score for key in Q3_ITEMS[variant]}
    assert scores == Q3_ITEMS[variant]
    assert all(result.item(key).source == "declaration" for key in Q3_ITEMS[variant])


@pytest.mark.parametrize("variant", VARIANTS)
def test_parts_rate_and_grade(results: dict[str, AssemblyRateResult], variant: str) -> None:
    result = results[variant]
    *_, q1, q2, q3, p, recognised, grade = EXPECTED[variant]
    assert result.scores == {"Q1": q1, "Q2": q2, "Q3": q3, "Q4": 0.0}
    assert result.p == p
    assert result.recognised is recognised
    assert result.grade == grade
    assert result.complete and result.not_evaluated == ()
    unmet = [c.key for c in result.preconditions if not c.met]
    assert unmet == (["q2_min", "p_min"] if variant == "baseline" else [])


def test_the_grades_are_distinct(results: dict[str, AssemblyRateResult]) -> None:
    assert [(results[v].recognised, results[v].grade) for v in VARIANTS] == [(False, None), (True, "A"), (True, "AA")]


# -- the declarations ----------------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_ships_a_signed_declaration(variant: str) -> None:
    path = demo_declaration_path(variant)
    assert path.is_file() and path.suffix == ".toml"
    declarations = load_declarations(path, load_table())
    assert {"full_fitout", "dry_floor", "integrated_kitchen", "integrated_bathroom", "pipe_separation"} <= set(
        declarations.items
    )
    for item in declarations.items.values():
        assert item.declared_by and item.role and item.date and item.evidence


def test_unknown_variants_are_refused(tmp_path: Path) -> None:
    assert set(PREFAB_VARIANTS) == set(VARIANTS)
    with pytest.raises(ValueError, match="grade_aa"):
        prefab_scheme("grade_aaa")
    with pytest.raises(ValueError):
        demo_declaration_path("AAA")
    with pytest.raises(ValueError):
        write_demo_building(tmp_path / "x.ifc", prefab="nope")
    assert not (tmp_path / "x.ifc").exists()


def test_the_cli_takes_a_variant() -> None:
    parser = build_parser()
    assert parser.parse_args(["demo-model", "out.ifc"]).prefab == "baseline"
    assert parser.parse_args(["demo-model", "out.ifc", "--prefab", "grade_aa"]).prefab == "grade_aa"
    with pytest.raises(SystemExit):
        parser.parse_args(["demo-model", "out.ifc", "--prefab", "grade_b"])


# -- the model: only the types change ------------------------------------------------------------
def _precast(element: Element) -> bool:
    return element.psets.get("CN_Prefab", {}).get("是否预制") == "是"


def test_precast_members_per_variant(indexes: dict[str, ModelIndex]) -> None:
    def kinds(index: ModelIndex) -> Counter[tuple[str, str, str]]:
        return Counter(
            (e.ifc_class, e.psets["CN_Prefab"]["构件类型"], index.storey_name(e) or "") for e in index if _precast(e)
        )

    a, aa = kinds(indexes["grade_a"]), kinds(indexes["grade_aa"])
    assert {s for _, _, s in a} == {f"{n}F" for n in range(2, 12)}
    assert {k[:2] for k in a} == {
        ("IfcWall", "预制剪力墙外墙板"), ("IfcWall", "预制剪力墙内墙板"), ("IfcSlab", "叠合板"),
        ("IfcSlab", "预制阳台板"), ("IfcStairFlight", "预制楼梯"),
    }
    assert sum(n for (_, kind, s), n in a.items() if kind == "预制剪力墙外墙板" and s == "2F") == 0
    totals = Counter({k[:2]: 0 for k in aa})
    for (cls, kind, _), n in aa.items():
        totals[(cls, kind)] += n
    assert totals == {
        ("IfcWall", "预制剪力墙外墙板"): 144,
        ("IfcWall", "预制剪力墙内墙板"): 36 + 45,
        ("IfcColumn", "预制柱"): 36,
        ("IfcWall", "预制夹心保温外墙板"): 22,
        ("IfcSlab", "叠合板"): 180,
        ("IfcSlab", "预制阳台板"): 20,
        ("IfcSlab", "预制楼梯平台板"): 19,
        ("IfcStairFlight", "预制楼梯"): 18,
    }
    sandwich = {s for (_, kind, s) in aa if kind == "预制夹心保温外墙板"}
    assert sandwich == {f"{n}F" for n in range(1, 12)}
    for index in indexes.values():  # never below ground nor on the roof
        assert not any(_precast(e) and index.storey_name(e) in ("B1", "屋面") for e in index)


def test_walls_are_block_panel_or_studs(indexes: dict[str, ModelIndex]) -> None:
    def materials(index: ModelIndex, external: bool) -> set[tuple[str, ...]]:
        return {
            e.materials
            for e in index.of_class("IfcWall")
            if e.prop("Pset_WallCommon", "LoadBearing") is False and e.prop("Pset_WallCommon", "IsExternal") is external
        }

    assert materials(indexes["baseline"], True) == materials(indexes["baseline"], False) == {("蒸压加气混凝土砌块B06",)}
    assert materials(indexes["grade_a"], True) == materials(indexes["grade_a"], False) == {("蒸压加气混凝土条板",)}
    assert materials(indexes["grade_aa"], True) == {("C30混凝土",)}
    assert materials(indexes["grade_aa"], False) == {("轻钢龙骨石膏板",)}


def test_the_same_building_in_every_variant(indexes: dict[str, ModelIndex], files: dict[str, Path]) -> None:
    counts = {v: Counter(e.ifc_class for e in index) for v, index in indexes.items()}
    assert counts["grade_a"] == counts["baseline"] == counts["grade_aa"]
    assert all(path.stat().st_size < 5_000_000 for path in files.values())


def test_every_variant_fails_the_same_six_violations_and_nothing_else(indexes: dict[str, ModelIndex]) -> None:
    # test_demo_building.py shows the baseline fails only its deliberate violations.
    def failures(index: ModelIndex) -> set[tuple[str, str, str]]:
        report = run_review(index, list(all_packs()))
        assert report["summary"]["missing_data"] == 0
        return {(f["rule_id"], f["name"], f["storey"]) for f in report["findings"] if f["status"] == "fail"}

    baseline = failures(indexes["baseline"])
    assert {storey for _, _, storey in baseline} == {"B1", "2F", "4F", "6F", "8F"}
    assert failures(indexes["grade_a"]) == baseline
    assert failures(indexes["grade_aa"]) == baseline


def test_units_and_schema_do_not_change_the_grade(tmp_path: Path) -> None:
    path = write_demo_building(tmp_path / "aa.ifc", unit="m", schema="IFC2X3", prefab="grade_aa")
    table = load_table()
    result = evaluate_assembly_rate(
        load_index(path), table=table, declarations=load_declarations(demo_declaration_path("grade_aa"), table)
    )
    assert (result.scores["Q1"], result.scores["Q2"], result.p, result.grade) == (46.4, 20.0, 85.9, "AA")
