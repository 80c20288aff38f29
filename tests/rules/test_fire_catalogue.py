"""Fire, civil-building and accessibility packs beyond their pass/fail fixtures: how building
class, height, use and missing data change the verdict, and the packs on real models."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_models
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import build_index, load_index
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import select_packs
from zhijian.domain.review.rule import CheckContext, Outcome, Rule, StandardStatus, Status

PACK_IDS = ["gb55031-2022", "gb50016-2014", "gb55037-2022", "gb55019-2021", "gb50352-2019"]
RULES: dict[str, Rule] = {r.meta.rule_id: r for p in select_packs(PACK_IDS) for r in p.rules}
EXIT = {"Pset_DoorCommon": {"FireExit": True}}


def _run(rule_id: str, b: ModelBuilder, use: str = "residential", new_build: bool = True) -> list[Outcome]:
    ctx = CheckContext(index=build_index(b.file), building_use=use, new_build=new_build)
    return [o for o in RULES[rule_id].evaluate(ctx) if o.status is not Status.NOT_APPLICABLE]


def _statuses(outcomes: list[Outcome]) -> list[str]:
    return [o.status.value for o in outcomes]


# -- metadata -------------------------------------------------------------------------------
def test_the_catalogue_covers_four_codes_with_their_legal_status() -> None:
    assert len(RULES) >= 14
    for rule in RULES.values():
        meta = rule.meta
        assert meta.text_zh and meta.text_en and meta.title_zh and meta.title_en
        assert meta.discipline in ("fire", "architecture", "accessibility")
        assert meta.parameters and all(limit.unit for _, limit in meta.parameters)
        if meta.standard.startswith("GB 50016"):
            assert not meta.mandatory and meta.standard_status is StandardStatus.MANDATORY_REPEALED
        elif meta.standard.startswith("GB 50352"):
            assert not meta.mandatory and meta.advisory
        else:
            assert meta.mandatory and not meta.advisory


# -- GB 55031 5.3.9: the table row follows the building --------------------------------------
def _public_stair(b: ModelBuilder, *, riser: float, tread: float) -> None:
    storey = b.storey("1F", 0.0)
    b.stair_flight(storey, "LT1-1", riser=riser, tread=tread, risers=10)


def test_stair_served_public_building_takes_the_strictest_row() -> None:
    b = ModelBuilder()
    _public_stair(b, riser=0.17, tread=0.26)
    [outcome] = _run("GB55031-2022-5.3.9-riser", b, use="public")
    assert outcome.status is Status.FAIL and outcome.required == pytest.approx(0.165)


def test_lift_served_multi_storey_public_building_takes_row_two() -> None:
    b = ModelBuilder()
    _public_stair(b, riser=0.17, tread=0.26)
    b.element("IfcTransportElement", b.storey("2F", 4.5), "DT1", predefined_type="ELEVATOR")
    [outcome] = _run("GB55031-2022-5.3.9-riser", b, use="public")
    assert outcome.status is Status.PASS and outcome.required == pytest.approx(0.175)


def test_lift_served_high_rise_takes_row_three() -> None:
    b = ModelBuilder()
    b.add_pset(b.building, "CN_Building", {"BuildingHeight": b.length(60.0), "MainVerticalTransport": "elevator"})
    _public_stair(b, riser=0.18, tread=0.25)
    assert _statuses(_run("GB55031-2022-5.3.9-riser", b, use="public")) == ["pass"]
    assert _statuses(_run("GB55031-2022-5.3.9-tread", b, use="public")) == ["pass"]


def test_a_stair_assumed_public_is_advisory_and_says_so() -> None:
    b = ModelBuilder()
    _public_stair(b, riser=0.18, tread=0.26)
    [outcome] = _run("GB55031-2022-5.3.9-riser", b)
    assert outcome.status is Status.FAIL and outcome.advisory
    assert "按公共楼梯检查" in outcome.message_zh


def test_a_stair_in_a_stairwell_is_public_without_assumption() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    stairwell = b.space(storey, "LT1", "楼梯间", area=15.0)
    b.stair_flight(storey, "LT1-1", riser=0.18, tread=0.26, risers=10, bounds=[stairwell])
    [outcome] = _run("GB55031-2022-5.3.9-riser", b)
    assert outcome.status is Status.FAIL and not outcome.advisory


def test_corridor_width_of_5_3_12_does_not_apply_to_dwellings() -> None:
    b = ModelBuilder()
    corridor = b.space(b.storey("1F", 0.0), "C1", "走廊", area=10.0)
    b.add_quantities(corridor, {"Width": 1.0})
    assert _run("GB55031-2022-5.3.12", b) == []
    assert _statuses(_run("GB55031-2022-5.3.12", b, use="public")) == ["fail"]


def test_corridor_without_width_is_missing_data() -> None:
    b = ModelBuilder()
    b.space(b.storey("1F", 0.0), "C1", "走廊", area=10.0)
    assert _statuses(_run("GB55037-2022-7.1.4-corridor", b, use="public")) == ["missing_data"]


def test_low_window_onto_a_public_corridor_without_panel_data_is_missing_data() -> None:
    b = ModelBuilder()
    storey = b.storey("2F", 3.0)
    gallery = b.space(storey, "WL", "外廊", area=30.0)
    b.window(storey, "C1", width=1.2, height=1.2, sill=0.9, bounds=[gallery])
    [outcome] = _run("GB55031-2022-6.5.4", b)
    assert outcome.status is Status.MISSING_DATA and "IfcWindowPanelProperties" in outcome.message_en


def test_window_onto_a_corridor_inside_a_dwelling_is_not_concerned() -> None:
    b = ModelBuilder()
    storey = b.storey("2F", 3.0)
    hall = b.space(storey, "201-C", "走道", area=5.0)
    b.window(storey, "C1", width=1.2, height=1.2, sill=0.9, bounds=[hall])
    assert _run("GB55031-2022-6.5.4", b) == []
    assert _statuses(_run("GB55031-2022-6.5.4", b, use="public")) == ["missing_data"]


# -- GB 55037 exits per storey ---------------------------------------------------------------
def test_no_door_flagged_as_exit_is_missing_data_not_a_fail() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "101", "营业厅", area=500.0)
    b.door(storey, "M1", width=1.5)
    [outcome] = _run("GB55037-2022-7.4.1", b, use="public")
    assert outcome.status is Status.MISSING_DATA and "FireExit" in outcome.message_en


def test_storey_of_unknown_area_with_one_exit_is_missing_data_and_with_two_passes() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.space(storey, "101", "营业厅")
    b.door(storey, "FM1", width=1.5, psets=EXIT)
    assert _statuses(_run("GB55037-2022-7.4.1", b, use="public")) == ["missing_data"]
    b.door(storey, "FM2", width=1.5, psets=EXIT)
    assert _statuses(_run("GB55037-2022-7.4.1", b, use="public")) == ["pass"]


def test_small_upper_storey_with_one_exit_fails_as_advisory() -> None:
    b = ModelBuilder()
    for level in range(5):
        storey = b.storey(f"{level + 1}F", level * 4.0)
        b.space(storey, f"{level + 1}01", "办公室", area=150.0)
        b.door(storey, f"FM{level}", width=1.2, psets=EXIT)
    outcomes = _run("GB55037-2022-7.4.1", b, use="public")
    assert _statuses(outcomes) == ["pass", "pass", "pass", "fail", "fail"]
    assert all(o.advisory for o in outcomes)  # the single-exit table rests on second-hand values


def test_residential_tower_over_54_m_needs_two_exits_on_every_dwelling_storey() -> None:
    b = ModelBuilder()
    for level in range(20):
        storey = b.storey(f"{level + 1}F", level * 3.0)
        b.space(storey, f"{level + 1}01", "卧室", area=60.0)
        b.door(storey, f"FM{level}", width=1.0, psets=EXIT)
    outcomes = _run("GB55037-2022-7.3.1", b)
    assert len(outcomes) == 20 and set(_statuses(outcomes)) == {"fail"}
    assert "54" in outcomes[0].message_zh


def test_small_low_residential_storey_has_no_computable_trigger() -> None:
    b = ModelBuilder()
    storey = b.storey("2F", 3.0)
    b.space(storey, "201", "卧室", area=120.0)
    b.door(storey, "FM1", width=1.0, psets=EXIT)
    assert _run("GB55037-2022-7.3.1", b) == []


# -- GB 55019 --------------------------------------------------------------------------------
def test_accessible_door_of_an_existing_building_needs_0_80_m() -> None:
    b = ModelBuilder()
    b.door(b.storey("1F", 0.0), "M1", width=0.90, psets={"Pset_DoorCommon": {"HandicapAccessible": True}})
    assert _statuses(_run("GB55019-2021-2.5-door-width", b, new_build=False)) == ["pass"]
    assert _statuses(_run("GB55019-2021-2.5-door-width", b, new_build=True)) == ["fail"]


def test_short_ramp_may_be_1_to_10_and_the_result_says_it_rests_on_that() -> None:
    b = ModelBuilder()
    b.ramp_flight(b.storey("1F", 0.0), "R", slope=0.1, width=1.2, length=1.5)  # rises 0.15 m
    [outcome] = _run("GB55019-2021-2.3-ramp-slope", b)
    assert outcome.status is Status.PASS and outcome.advisory and "1:10" in outcome.message_zh


def test_ramp_without_slope_or_length_is_missing_data() -> None:
    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    b.element("IfcRamp", storey, "R", psets={"Pset_RampCommon": {"HandicapAccessible": True}})
    assert _statuses(_run("GB55019-2021-2.3-ramp-slope", b)) == ["missing_data"]
    assert _statuses(_run("GB55019-2021-2.3-ramp-width", b)) == ["missing_data"]


# -- the packs on real models -----------------------------------------------------------------
@pytest.mark.parametrize("path", shared_models(), ids=lambda p: p.name)
def test_packs_run_on_real_models(path: Path, shared_ifc_dir: Path) -> None:
    index = load_index(path)
    for use in ("residential", "public"):
        report = run_review(index, select_packs(PACK_IDS), building_use=use)
        assert report["summary"]["rules"] == len(RULES)
        for finding in report["findings"]:
            assert finding["message_zh"] and finding["message_en"]
            assert finding["guid"] in index.elements or finding["guid"] in {s.guid for s in index.storeys}
