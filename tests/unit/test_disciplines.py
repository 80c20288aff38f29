"""Review disciplines as data, who may be assigned to them, and the approval's staffing rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhijian.domain.review import letters
from zhijian.domain.review.disciplines import (
    Candidate,
    DisciplineError,
    assignable_keys,
    assignment_refusal,
    default_scope,
    load_table,
    normalise_scope,
    scope_with_findings,
    signing_discipline,
    staffing_gaps,
)
from zhijian.domain.review.workflow import (
    Capacity,
    Facts,
    Refusal,
    Transition,
    capacities,
    decide,
    may_assign,
)


def test_the_table_lists_the_reference_disciplines_in_order() -> None:
    keys = assignable_keys()
    assert keys[:5] == ("architecture", "structure", "plumbing", "hvac", "electrical")
    assert {"energy", "fire", "civil_defence", "survey", "green"} <= set(keys)
    assert "accessibility" not in keys  # a grouping of the rule catalogue, signed by architecture
    assert signing_discipline("accessibility") == "architecture"
    assert signing_discipline("fire") == "fire" and signing_discipline("nonsense") == ""
    assert default_scope()[0] == "architecture" and "civil_defence" not in default_scope()


def test_the_letters_group_by_the_same_keys() -> None:
    assert set(assignable_keys()) <= set(letters.DISCIPLINES)
    assert letters.DISCIPLINES["hvac"] == ("暖通", "HVAC")


def test_a_scope_is_normalised_and_unknown_keys_are_refused() -> None:
    assert normalise_scope(["fire", "architecture", "fire"]) == ["architecture", "fire"]
    with pytest.raises(DisciplineError, match="unknown review discipline 'plumbng'"):
        normalise_scope(["plumbng"])
    with pytest.raises(DisciplineError, match="accessibility"):
        normalise_scope(["accessibility"])


def test_findings_widen_the_scope_to_their_signing_discipline() -> None:
    assert scope_with_findings(["fire"], ["accessibility", "structure", ""]) == ["architecture", "structure", "fire"]


ARCH = Candidate("li", True, frozenset({"architecture", "fire"}), may_check=False)
CHECK = Candidate("wu", True, frozenset({"architecture"}), may_check=True)
SCOPE = ["architecture", "fire"]


@pytest.mark.parametrize(
    ("discipline", "reviewer", "checker", "code"),
    [
        ("architecture", ARCH, CHECK, None),
        ("architecture", ARCH, None, None),
        ("plumbng", ARCH, CHECK, "unknown_discipline"),
        ("structure", ARCH, CHECK, "discipline_out_of_scope"),
        ("architecture", None, None, "assignee_required"),
        ("fire", ARCH, CHECK, "discipline_not_held"),
        ("architecture", Candidate("x", False, frozenset({"architecture"})), CHECK, "not_agency_member"),
        ("architecture", CHECK, ARCH, "not_a_checker"),
        ("architecture", CHECK, CHECK, "same_person"),
    ],
)
def test_who_may_review_and_check(discipline: str, reviewer: Candidate, checker: Candidate, code: str | None) -> None:
    refusal = assignment_refusal(discipline, reviewer, checker, SCOPE)
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert refusal.detail


def test_staffing_gaps_name_what_is_missing() -> None:
    assert staffing_gaps(SCOPE, {"architecture": ("li", "wu"), "fire": ("li", None)}) == (
        staffing_gaps(["fire"], {"fire": ("li", None)})
    )
    gaps = staffing_gaps(SCOPE, {"architecture": ("li", "wu")})
    assert [(g.discipline, g.missing) for g in gaps] == [("fire", ("reviewer", "checker"))]
    assert staffing_gaps(SCOPE, {"architecture": ("li", "wu"), "fire": ("li", "wu")}) == ()
    assert staffing_gaps([], {})[0].discipline == ""  # nobody would sign an empty scope


def test_approval_is_refused_while_a_discipline_is_unstaffed() -> None:
    refused = decide("in_review", "approve", {Capacity.REVIEWER}, Facts(unstaffed_disciplines=("fire",)))
    assert isinstance(refused, Refusal) and refused.code == "disciplines_unstaffed" and "fire" in refused.detail
    assert isinstance(decide("in_review", "approve", {Capacity.REVIEWER}, Facts()), Transition)
    # A return needs no signature table.
    returned = decide("in_review", "return", {Capacity.REVIEWER}, Facts(reason="改", unstaffed_disciplines=("fire",)))
    assert isinstance(returned, Transition)


def test_the_agency_admin_staffs_but_does_not_decide() -> None:
    team = [("agency", "review_agency")]
    assert capacities([("agency", "org_admin")], team) == {Capacity.AGENCY_ADMIN}
    assert may_assign("in_review", {Capacity.AGENCY_ADMIN}) is None
    assert may_assign("draft", {Capacity.REVIEWER}) is None
    assert may_assign("in_review", {Capacity.DESIGNER}).code == "not_permitted"  # type: ignore[union-attr]
    assert may_assign("approved", {Capacity.REVIEWER}).code == "wrong_state"  # type: ignore[union-attr]
    refused = decide("in_review", "approve", {Capacity.AGENCY_ADMIN}, Facts())
    assert isinstance(refused, Refusal) and refused.code == "not_permitted"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ({"disciplines": []}, "non-empty list"),
        ({"disciplines": [{"key": "a"}, {"key": "a"}]}, "listed twice"),
        ({"disciplines": [{"key": "a", "assignable": False}]}, "signed_by"),
        ({"disciplines": [{"key": "a", "verification": "X"}]}, "verification"),
        ({"disciplines": [{"key": "a"}], "default_scope": ["b"]}, "default_scope"),
    ],
)
def test_a_bad_table_is_refused(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "d.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(DisciplineError, match=message):
        load_table(path)
