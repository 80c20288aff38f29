"""Scoring (GB/T 51129 表 4.0.1) as pure functions: the reference's worked example by hand."""

from __future__ import annotations

import copy
import json

import pytest

from zhijian.domain.errors import ScoringTableError
from zhijian.domain.prefab.assembly_rate import assess
from zhijian.domain.prefab.declaration import Declarations, Declared
from zhijian.domain.prefab.result import ItemMeasurement
from zhijian.domain.prefab.scoring_table import DATA, item_score, load_table, parse_table

TABLE = load_table()


def _raw() -> dict:
    return json.loads((DATA / "gbt51129_2017.json").read_text(encoding="utf-8"))


def _declared(key: str, value: float | bool | None, absent: bool = False) -> Declared:
    return Declared(key, value, absent, "张工", "设计单位项目负责人", "2026-05-01", "施工图")


def _measured(key: str, numerator: float, denominator: float) -> ItemMeasurement:
    return ItemMeasurement(key, numerator=numerator, denominator=denominator, unit="m²")


# The worked example of reference §8: an 18-storey precast shear-wall residence.
WORKED_MODEL = {
    "vertical_members": _measured("vertical_members", 1380, 3000),  # 46.0 %
    "horizontal_members": _measured("horizontal_members", 8100, 10800),  # 75.0 %
    "envelope_non_masonry": _measured("envelope_non_masonry", 85, 100),
    "partition_non_masonry": _measured("partition_non_masonry", 60, 100),
}
WORKED_DECLARED = {
    "envelope_integrated": 0.40,
    "partition_integrated": 0.55,
    "full_fitout": True,
    "dry_floor": 0.30,
    "integrated_kitchen": 0.75,
    "integrated_bathroom": 0.50,
    "pipe_separation": 0.30,
}


def _declarations(**changes: float | bool | str) -> Declarations:
    values: dict[str, float | bool | str] = {**WORKED_DECLARED, **changes}
    items = {
        key: _declared(key, None, absent=True) if value == "absent" else _declared(key, value)  # type: ignore[arg-type]
        for key, value in values.items()
    }
    return Declarations("worked.toml", None, items)


def test_the_national_table_loads_with_its_verification_levels() -> None:
    assert TABLE.id == "GB/T 51129-2017"
    assert [p.max_score for p in TABLE.parts] == [50, 20, 30]
    assert TABLE.item("vertical_members").verification == "U"  # 20–30 points unverified
    assert TABLE.item("horizontal_members").verification == "S"
    assert {p.verification for p in TABLE.preconditions} == {"V"}
    assert [(g.grade, g.p_min, g.p_max) for g in TABLE.grades] == [("A", 60, 75), ("AA", 76, 90), ("AAA", 91, None)]


@pytest.mark.parametrize(
    ("ratio", "points"),
    [
        (0.0, 0.0),
        (0.3499, 0.0),  # below the interval: nothing
        (0.35, 20.0),  # exactly the lower mark
        (0.46, 22.4),  # 20 + 11/45 × 10 = 22.44
        (0.575, 25.0),  # the middle
        (0.80, 30.0),  # exactly the upper mark
        (0.95, 30.0),  # clamped
    ],
)
def test_vertical_members_interpolate_between_35_and_80_percent(ratio: float, points: float) -> None:
    assert float(item_score(TABLE, TABLE.item("vertical_members"), ratio)) == points


@pytest.mark.parametrize(("ratio", "points"), [(0.69, 0.0), (0.70, 10.0), (0.75, 15.0), (0.80, 20.0), (1.0, 20.0)])
def test_horizontal_members_interpolate_between_70_and_80_percent(ratio: float, points: float) -> None:
    assert float(item_score(TABLE, TABLE.item("horizontal_members"), ratio)) == points


@pytest.mark.parametrize(("ratio", "points"), [(0.7999, 0.0), (0.80, 5.0), (0.85, 5.0)])
def test_envelope_non_masonry_is_all_or_nothing_at_80_percent(ratio: float, points: float) -> None:
    assert float(item_score(TABLE, TABLE.item("envelope_non_masonry"), ratio)) == points


def test_half_points_round_up_as_in_the_worked_example() -> None:
    # 3 + (75 − 70)/(90 − 70) × 3 = 3.75 → 3.8 (half up, not to even)
    assert float(item_score(TABLE, TABLE.item("integrated_kitchen"), 0.75)) == 3.8
    # 2 + (55 − 50)/(80 − 50) × 3 = 2.5
    assert float(item_score(TABLE, TABLE.item("partition_integrated"), 0.55)) == 2.5


def test_worked_example_gives_59_7_percent_recognised_but_not_graded() -> None:
    result = assess(TABLE, WORKED_MODEL, _declarations())
    assert result.scores == {"Q1": 37.4, "Q2": 12.5, "Q3": 9.8, "Q4": 0.0}
    assert result.p == 59.7
    assert result.recognised
    assert [c.met for c in result.preconditions] == [True, True, True, True]
    assert [c.met for c in result.grade_preconditions] == [True]  # q1a 46 % ≥ 35 %
    assert result.grade is None  # P < 60 %
    assert result.item("q1a").score == 22.4
    assert result.item("q1b").score == 15.0
    assert result.advisory  # the 20–30 points of q1a and all of Q3 are unverified


def test_dry_floors_at_70_percent_make_the_worked_example_grade_a() -> None:
    result = assess(TABLE, WORKED_MODEL, _declarations(dry_floor=0.70))
    assert result.scores["Q3"] == 15.8
    assert result.p == 65.7
    assert result.grade == "A"


def test_an_office_without_kitchen_moves_its_full_score_into_q4() -> None:
    result = assess(TABLE, WORKED_MODEL, _declarations(integrated_kitchen="absent"))
    assert result.item("q3b").status == "absent"
    assert result.scores == {"Q1": 37.4, "Q2": 12.5, "Q3": 6.0, "Q4": 6.0}
    assert result.p == 59.5  # 55.9 / 94 = 59.47 %
    assert any("missing item" in reason for reason in result.advisory_reasons)


def test_without_full_fit_out_the_building_is_not_recognised() -> None:
    result = assess(TABLE, WORKED_MODEL, _declarations(full_fitout=False))
    assert result.scores["Q3"] == 3.8
    assert not result.recognised
    assert next(c for c in result.preconditions if c.key == "full_fitout").actual == "no"


def test_an_undeclared_item_is_listed_as_not_evaluated_never_a_silent_zero() -> None:
    declarations = _declarations()
    del declarations.items["pipe_separation"]
    result = assess(TABLE, WORKED_MODEL, declarations)
    assert result.item("q3d").status == "not_evaluated"
    assert "not declared" in result.item("q3d").reason
    assert not result.complete
    assert any(line.startswith("q3d 管线分离") for line in result.not_evaluated)


def test_missing_vertical_members_block_the_evaluation() -> None:
    model = dict(WORKED_MODEL)
    model["vertical_members"] = ItemMeasurement("vertical_members", available=False, reason="no vertical members")
    result = assess(TABLE, model, _declarations())
    assert result.blocking == ("q1a 柱、支撑、承重墙、延性墙板等竖向构件 (Columns, braces, load-bearing walls and ductile wall panels (vertical members)): no vertical members",)


def _full_model() -> dict[str, ItemMeasurement]:
    """Model items at full marks: Q1 = 50, and Q2 = 10 from the two non-masonry items."""
    return {
        "vertical_members": _measured("vertical_members", 1, 1),
        "horizontal_members": _measured("horizontal_members", 1, 1),
        "envelope_non_masonry": _measured("envelope_non_masonry", 1, 1),
        "partition_non_masonry": _measured("partition_non_masonry", 1, 1),
    }


def _q3(kitchen: float, pipes: float = 0.0) -> Declarations:
    values = {
        "envelope_integrated": 0.0,
        "partition_integrated": 0.0,
        "full_fitout": True,  # 6
        "dry_floor": 0.0,
        "integrated_kitchen": kitchen,
        "integrated_bathroom": 0.90,  # 6
        "pipe_separation": pipes,
    }
    return Declarations("d", None, {k: _declared(k, v) for k, v in values.items()})


@pytest.mark.parametrize(
    ("kitchen", "pipes", "p", "grade"),
    [
        (0.70, 0.0, 75.0, "A"),  # 50 + 10 + 6 + 3 + 6
        (0.7 + 0.5 / 3 * 0.2, 0.0, 75.5, "A"),  # kitchen 3.5: in the 75–76 gap, stays A
        (0.70, 0.55, 79.5, "AA"),  # pipes 4 + 5/20 × 2 = 4.5
        (0.0, 0.0, 72.0, "A"),
    ],
)
def test_grades_start_at_their_lower_marks(kitchen: float, pipes: float, p: float, grade: str) -> None:
    result = assess(TABLE, _full_model(), _q3(kitchen, pipes))
    assert result.p == p
    assert result.grade == grade


def test_no_grade_when_vertical_members_are_below_35_percent() -> None:
    model = {**_full_model(), "vertical_members": _measured("vertical_members", 34, 100)}
    result = assess(TABLE, model, _q3(0.90, 0.70))
    assert result.scores["Q1"] == 20.0  # vertical 0, horizontal 20
    assert result.recognised  # P = (20 + 10 + 24)/100 = 54 %
    assert result.p == 54.0
    assert result.grade is None


@pytest.mark.parametrize(("p_value", "lower_bound", "round_integer"), [(75.4, "A", "A"), (75.6, "A", "AA"), (59.7, None, "A"), (90.5, "AA", "AAA")])
def test_grade_banding_rules(p_value: float, lower_bound: str | None, round_integer: str | None) -> None:
    from zhijian.domain.prefab.assembly_rate import _grade

    raw = _raw()
    raw["grade_rule"]["mode"] = "round_integer"
    rounding_table = parse_table(raw)
    assert getattr(_grade(TABLE, p_value), "grade", None) == lower_bound
    assert getattr(_grade(rounding_table, p_value), "grade", None) == round_integer


def test_a_provincial_variant_is_a_new_table_file_not_new_code() -> None:
    """A green-prefab table in the shape of reference §7 (S, unconfirmed province): vertical
    members 15–25 points with an alternative B item (formwork ≥ 85 % → 5), Q1 worth 45."""
    raw = _raw()
    raw["id"] = "DBJ43/T ???-???? (example only)"
    raw["jurisdiction"] = "provincial"
    items = raw["items"]
    vertical = next(i for i in items if i["key"] == "vertical_members")
    vertical.update(s_min=15, s_max=25, alternative_group="vertical")
    alternative = copy.deepcopy(vertical)
    alternative.update(
        key="vertical_formwork", symbol="q1a-B", source="declaration", basis=None, kind="threshold",
        q_min=0.85, q_max=None, s_min=None, s_max=5, zh="高精度模板或免拆模板施工工艺", en="High-precision formwork",
    )
    items.insert(1, alternative)
    raw["parts"][0]["max_score"] = 45
    raw["formula"]["total_score"] = 95
    table = parse_table(raw, file="variant.json")
    measurements = {**WORKED_MODEL}
    declared = _declarations()
    declared.items["vertical_formwork"] = _declared("vertical_formwork", 0.90)
    result = assess(table, measurements, declared)
    # vertical group: max(15 + 11/45 × 10 = 17.4, formwork 5) = 17.4; Q1 = 17.4 + 15 = 32.4
    assert result.scores["Q1"] == 32.4
    assert result.p == round((32.4 + 12.5 + 9.8) / 95 * 100, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["parts"][0].update(max_score=55), "max_score 55 ≠ sum of its items' s_max 50"),
        (lambda raw: raw["items"][0].update(q_min=35), "needs 0 ≤ q_min < q_max ≤ 1"),
        (lambda raw: raw["items"][0].update(kind="stepwise"), "kind: must be one of"),
        (lambda raw: raw["items"][0].update(verification="X"), "must be V, S or U"),
        (lambda raw: raw["items"][0].update(part="Q9"), "unknown part 'Q9'"),
        (lambda raw: raw["items"][1].update(key="vertical_members"), "duplicate item vertical_members"),
        (lambda raw: raw["preconditions"][2].update(item="kitchen"), "unknown item 'kitchen'"),
        (lambda raw: raw["items"][0].update(basis="weight"), "a model item needs a basis"),
        (lambda raw: raw.update(table_format=2), "format 2 is not supported"),
        (lambda raw: raw["grades"].reverse(), "ascending order"),
    ],
)
def test_a_bad_table_is_refused_with_the_field_at_fault(change, message: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ScoringTableError, match=message):
        parse_table(raw, file="bad.json")


def test_an_unknown_table_name_lists_the_available_ones() -> None:
    with pytest.raises(ScoringTableError, match="available: gbt51129_2017"):
        load_table("hunan_2018")
