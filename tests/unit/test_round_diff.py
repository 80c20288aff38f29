"""Round N+1 against round N: new, resolved, changed and still-open findings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhijian.domain.review.round_diff import Change, FindingFact, diff_rounds


def fact(rule: str, guid: str, measured: float | None = 8.9, status: str = "fail", ref: object = None) -> FindingFact:
    return FindingFact(rule_id=rule, guid=guid, status=status, measured=measured, unit="m2", ref=ref)


def test_first_round_is_all_new() -> None:
    diff = diff_rounds([], [fact("R1", "a"), fact("R1", "b")])
    assert diff.counts == {"new": 2, "resolved": 0, "changed": 0, "still_open": 0}
    assert diff.has_delta


def test_fixed_element_is_resolved_and_untouched_one_still_open() -> None:
    before = [fact("R1", "a"), fact("R1", "b")]
    after = [fact("R1", "b")]
    diff = diff_rounds(before, after)
    assert [(e.change, e.guid) for e in diff.entries] == [(Change.STILL_OPEN, "b"), (Change.RESOLVED, "a")]
    assert not diff.has_delta


def test_a_moved_measurement_is_changed_with_its_delta() -> None:
    diff = diff_rounds([fact("R1", "a", 8.9)], [fact("R1", "a", 9.4)])
    (entry,) = diff.entries
    assert entry.change is Change.CHANGED
    assert round(entry.delta or 0, 6) == 0.5
    assert diff.has_delta


def test_float_noise_from_unit_scaling_is_not_a_change() -> None:
    diff = diff_rounds([fact("R1", "a", 8.9)], [fact("R1", "a", 8.9 * 1000 / 1000 + 1e-12)])
    assert diff.entries[0].change is Change.STILL_OPEN


def test_status_moving_between_fail_and_missing_data_is_a_change() -> None:
    diff = diff_rounds([fact("R1", "a", None, "missing_data")], [fact("R1", "a", 4.0)])
    assert diff.entries[0].change is Change.CHANGED
    assert diff.entries[0].delta is None


def test_same_element_different_rule_is_a_different_finding() -> None:
    diff = diff_rounds([fact("R1", "a")], [fact("R2", "a")])
    assert sorted(e.change.value for e in diff.entries) == ["new", "resolved"]


def test_duplicates_within_a_round_are_kept_apart_by_occurrence() -> None:
    diff = diff_rounds([fact("R1", "a", 1.0), fact("R1", "a", 2.0)], [fact("R1", "a", 1.0)])
    assert diff.counts == {"new": 0, "resolved": 1, "changed": 0, "still_open": 1}


def test_change_of_finds_the_current_row_by_ref() -> None:
    diff = diff_rounds([fact("R1", "a")], [fact("R1", "a", ref=11), fact("R1", "b", ref=12)])
    assert diff.change_of(11) is Change.STILL_OPEN
    assert diff.change_of(12) is Change.NEW
    assert diff.change_of(99) is None


def test_from_report_reads_the_json_contract() -> None:
    row = {"rule_id": "GB50096-2011-5.2.1", "guid": "2O2Fr$t4X7Zf8NOew3FLOH", "status": "fail", "measured": 8.9, "unit": "m2"}
    assert FindingFact.from_report(row, ref=1) == FindingFact("GB50096-2011-5.2.1", "2O2Fr$t4X7Zf8NOew3FLOH", "fail", 8.9, "m2", 1)


keys = st.tuples(st.sampled_from(["R1", "R2", "R3"]), st.sampled_from(["a", "b", "c", "d"]))
rounds = st.lists(st.builds(lambda k, m: fact(k[0], k[1], m), keys, st.one_of(st.none(), st.floats(0, 100))), max_size=12)


@given(rounds, rounds)
def test_every_finding_is_accounted_for_exactly_once(before: list[FindingFact], after: list[FindingFact]) -> None:
    diff = diff_rounds(before, after)
    counts = diff.counts
    assert counts["new"] + counts["changed"] + counts["still_open"] == len(after)
    assert counts["resolved"] + counts["changed"] + counts["still_open"] == len(before)


@given(rounds)
def test_a_round_against_itself_has_no_delta(findings: list[FindingFact]) -> None:
    diff = diff_rounds(findings, findings)
    assert not diff.has_delta and not diff.of(Change.RESOLVED)
