"""The submission state machine: legal changes, who may make them, and why others are refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zhijian.domain.review.workflow import (
    Action,
    Capacity,
    Facts,
    Refusal,
    State,
    Transition,
    available_actions,
    capacities,
    decide,
    is_blocking,
    may_comment,
    may_upload,
    may_waive,
)

DESIGNER = {Capacity.DESIGNER}
REVIEWER = {Capacity.REVIEWER}
SYSTEM = {Capacity.SYSTEM}
AUTHORITY = {Capacity.AUTHORITY}
WITH_MODEL = Facts(has_unsubmitted_model=True)


def test_designer_submits_a_draft_with_a_model() -> None:
    assert decide("draft", "submit", DESIGNER, WITH_MODEL) == Transition(Action.SUBMIT, State.DRAFT, State.SUBMITTED)


def test_construction_unit_may_submit_too() -> None:
    assert isinstance(decide("draft", "submit", {Capacity.CONSTRUCTION_UNIT}, WITH_MODEL), Transition)


def test_submitting_without_a_model_is_refused_with_the_reason() -> None:
    refusal = decide("draft", "submit", DESIGNER, Facts())
    assert isinstance(refusal, Refusal)
    assert refusal.code == "model_required"
    assert "upload a model" in refusal.detail


def test_resubmitting_needs_a_revised_model() -> None:
    refusal = decide("returned", "submit", DESIGNER, Facts())
    assert isinstance(refusal, Refusal) and "revised model" in refusal.detail
    assert decide("returned", "submit", DESIGNER, WITH_MODEL) == Transition(
        Action.SUBMIT, State.RETURNED, State.SUBMITTED
    )


def test_a_reviewer_cannot_submit() -> None:
    refusal = decide("draft", "submit", REVIEWER, WITH_MODEL)
    assert isinstance(refusal, Refusal) and refusal.code == "not_permitted"
    assert "construction_unit or designer" in refusal.detail


def test_the_system_runs_the_check() -> None:
    assert decide("submitted", "start_check", SYSTEM).target is State.CHECKING  # type: ignore[union-attr]
    assert decide("checking", "finish_check", SYSTEM).target is State.IN_REVIEW  # type: ignore[union-attr]


def test_people_cannot_pretend_to_be_the_check() -> None:
    for actor in (DESIGNER, REVIEWER, AUTHORITY):
        assert isinstance(decide("checking", "finish_check", actor), Refusal)


def test_an_unreadable_model_goes_back_to_the_designer_with_the_reason() -> None:
    refusal = decide("checking", "fail_check", SYSTEM)
    assert isinstance(refusal, Refusal) and refusal.code == "reason_required"
    moved = decide("checking", "fail_check", SYSTEM, Facts(reason="the IFC file is truncated"))
    assert isinstance(moved, Transition) and moved.target is State.RETURNED


def test_reviewer_returns_with_an_opinion_only() -> None:
    refusal = decide("in_review", "return", REVIEWER, Facts(reason="   "))
    assert isinstance(refusal, Refusal) and refusal.code == "reason_required"
    moved = decide("in_review", "return", REVIEWER, Facts(reason="卧室面积不足"))
    assert isinstance(moved, Transition) and moved.target is State.RETURNED


def test_an_overlong_reason_is_refused() -> None:
    refusal = decide("in_review", "return", REVIEWER, Facts(reason="x" * 10_001))
    assert isinstance(refusal, Refusal) and refusal.code == "reason_too_long"


def test_approval_is_refused_while_mandatory_findings_are_open() -> None:
    refusal = decide("in_review", "approve", REVIEWER, Facts(blocking_findings=2))
    assert isinstance(refusal, Refusal) and refusal.code == "mandatory_findings_open"
    assert refusal.detail.startswith("2 finding(s)")
    assert decide("in_review", "approve", REVIEWER, Facts()).target is State.APPROVED  # type: ignore[union-attr]


def test_the_designer_cannot_approve_their_own_work() -> None:
    refusal = decide("in_review", "approve", DESIGNER)
    assert isinstance(refusal, Refusal) and refusal.code == "not_permitted"


def test_the_authority_watches_and_changes_nothing() -> None:
    for state in State:
        assert available_actions(state, AUTHORITY) == []
    assert isinstance(decide("in_review", "approve", AUTHORITY), Refusal)


def test_approved_is_final() -> None:
    for action in Action:
        refusal = decide("approved", action, {*DESIGNER, *REVIEWER, *SYSTEM}, Facts(reason="r", has_unsubmitted_model=True))
        assert isinstance(refusal, Refusal) and refusal.code == "wrong_state"
        assert "approved" in refusal.detail


@pytest.mark.parametrize(
    ("state", "action"),
    [("draft", "approve"), ("submitted", "return"), ("in_review", "submit"), ("returned", "approve"), ("checking", "submit")],
)
def test_illegal_state_changes_name_the_state_they_need(state: str, action: str) -> None:
    refusal = decide(state, action, {*DESIGNER, *REVIEWER}, Facts(reason="r", has_unsubmitted_model=True))
    assert isinstance(refusal, Refusal) and refusal.code == "wrong_state"
    assert f"is {state}" in refusal.detail and "it must be" in refusal.detail


def test_unknown_actions_and_states_are_refused_not_raised() -> None:
    assert decide("draft", "teleport", DESIGNER).code == "unknown_action"  # type: ignore[union-attr]
    assert decide("limbo", "submit", DESIGNER).code == "unknown_state"  # type: ignore[union-attr]


def test_available_actions_per_role() -> None:
    assert available_actions("draft", DESIGNER) == [Action.SUBMIT]
    assert available_actions("in_review", REVIEWER) == [Action.RETURN, Action.APPROVE]
    assert available_actions("checking", {*DESIGNER, *REVIEWER}) == []


def test_capacities_come_from_memberships_and_the_project_team() -> None:
    team = [("design-inst", "design"), ("agency", "review_agency"), ("owner", "construction_unit"), ("epc", "epc")]
    assert capacities([("design-inst", "designer")], team) == {Capacity.DESIGNER}
    assert capacities([("design-inst", "reviewer")], team) == frozenset()
    assert capacities([("agency", "reviewer")], team) == {Capacity.REVIEWER}
    assert capacities([("owner", "org_admin")], team) == {Capacity.CONSTRUCTION_UNIT}
    assert capacities([("epc", "org_admin")], team) == frozenset()
    # A reviewer of an agency that is not on this project is nobody here.
    assert capacities([("other-agency", "reviewer")], team) == frozenset()
    assert capacities([("bureau", "authority")], team, authority_org_ids=["bureau"]) == {Capacity.AUTHORITY}
    # The authority role counts only in a housing-authority organisation.
    assert capacities([("design-inst", "authority")], team) == frozenset()


def test_uploads_belong_to_the_design_side_before_review() -> None:
    assert may_upload("draft", DESIGNER) is None
    assert may_upload("returned", DESIGNER) is None
    assert may_upload("in_review", DESIGNER).code == "wrong_state"  # type: ignore[union-attr]
    assert may_upload("draft", REVIEWER).code == "not_permitted"  # type: ignore[union-attr]


def test_reviewers_comment_in_review_and_designers_reply_when_returned() -> None:
    assert may_comment("in_review", REVIEWER) is None
    assert may_comment("returned", DESIGNER) is None
    assert may_comment("in_review", DESIGNER).code == "wrong_state"  # type: ignore[union-attr]
    assert may_comment("in_review", AUTHORITY).code == "not_permitted"  # type: ignore[union-attr]
    assert may_waive("in_review", REVIEWER) is None
    assert may_waive("in_review", DESIGNER).code == "not_permitted"  # type: ignore[union-attr]
    assert may_waive("approved", REVIEWER).code == "wrong_state"  # type: ignore[union-attr]


def test_blocking_findings_are_open_mandatory_ones() -> None:
    assert is_blocking("fail", mandatory=True, advisory=False, waived=False)
    assert is_blocking("missing_data", mandatory=True, advisory=False, waived=False)
    assert not is_blocking("fail", mandatory=True, advisory=False, waived=True)
    assert not is_blocking("fail", mandatory=False, advisory=False, waived=False)
    assert not is_blocking("fail", mandatory=True, advisory=True, waived=False)
    assert not is_blocking("pass", mandatory=True, advisory=False, waived=False)


def test_a_waiver_is_looked_at_only_when_the_rest_of_the_blocking_rule_holds() -> None:
    asked: list[str] = []

    def waived(answer: bool, name: str) -> Callable[[], bool]:
        return lambda: asked.append(name) or answer

    assert not is_blocking("fail", mandatory=False, advisory=False, waived=waived(False, "general"))
    assert not is_blocking("missing_data", mandatory=True, advisory=True, waived=waived(False, "advisory"))
    assert not is_blocking("pass", mandatory=True, advisory=False, waived=waived(False, "passed"))
    assert is_blocking("fail", mandatory=True, advisory=False, waived=waived(False, "open"))
    assert not is_blocking("fail", mandatory=True, advisory=False, waived=waived(True, "waived"))
    assert asked == ["open", "waived"]
