"""The review submission's state machine: which change is legal, in which state, for whom.

A submission (送审) moves draft → submitted → checking → in_review → returned | approved;
a returned submission is resubmitted with a new model and starts the next round. The
automated check is done by the system; designers (or the construction unit, the legal
submitter) submit; the project's review agency returns or approves. The housing bureau
watches everything and changes nothing.

Everything here is pure: :func:`decide` takes the current state, the requested action, the
actor's capacities on the project and the facts the guards need, and returns either a
:class:`Transition` or a :class:`Refusal` with a stable code and a one-line reason.
:func:`capacities` derives an actor's capacities from their memberships and the project's
team, so the web layer never decides who may do what.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHECKING = "checking"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"


class Action(enum.StrEnum):
    SUBMIT = "submit"  # designer / construction unit: send the current model for review
    START_CHECK = "start_check"  # system: the automated check has started
    FINISH_CHECK = "finish_check"  # system: the check run is stored, the reviewers take over
    FAIL_CHECK = "fail_check"  # system: the model could not be read; back to the designer
    RETURN = "return"  # reviewer: not approved, with an opinion (审查意见)
    APPROVE = "approve"  # reviewer: 审查合格


class Capacity(enum.StrEnum):
    """What an actor may be on a given project (derived by :func:`capacities`)."""

    DESIGNER = "designer"  # a designer (or admin) of the project's design enterprise
    CONSTRUCTION_UNIT = "construction_unit"  # an admin of the project's construction unit (建设单位)
    REVIEWER = "reviewer"  # a reviewer of the project's review agency (审图机构)
    AGENCY_ADMIN = "agency_admin"  # an admin of the project's review agency: staffs it, decides nothing
    AUTHORITY = "authority"  # the housing bureau (住建局): sees everything, changes nothing
    SYSTEM = "system"  # the automated check (Celery worker)


# Membership roles (an account's role in its organisation) and project participant roles
# (an organisation's place in a project team). Plain strings: the Django models use the same.
MEMBERSHIP_ROLES = ("org_admin", "designer", "reviewer", "authority", "factory_operator", "contractor")
PARTICIPANT_ROLES = ("construction_unit", "epc", "design", "production", "digital", "review_agency")


def capacities(
    memberships: Iterable[tuple[object, str]],
    participants: Iterable[tuple[object, str]],
    *,
    authority_org_ids: Iterable[object] = (),
) -> frozenset[Capacity]:
    """An actor's capacities on a project.

    ``memberships``: (organisation id, membership role) of the actor; ``participants``:
    (organisation id, participant role) of the project team; ``authority_org_ids``: the
    actor's organisations that are housing authorities (主管部门).
    """
    team: dict[object, set[str]] = {}
    for org, role in participants:
        team.setdefault(org, set()).add(role)
    authorities = set(authority_org_ids)
    found: set[Capacity] = set()
    for org, role in memberships:
        places = team.get(org, set())
        if "design" in places and role in ("designer", "org_admin"):
            found.add(Capacity.DESIGNER)
        if "construction_unit" in places and role == "org_admin":
            found.add(Capacity.CONSTRUCTION_UNIT)
        if "review_agency" in places and role == "reviewer":
            found.add(Capacity.REVIEWER)
        if "review_agency" in places and role == "org_admin":
            found.add(Capacity.AGENCY_ADMIN)
        if role == "authority" and org in authorities:
            found.add(Capacity.AUTHORITY)
    return frozenset(found)


@dataclass(frozen=True)
class Facts:
    """What the guards need to know besides the state."""

    has_unsubmitted_model: bool = False  # a model uploaded since the last round
    blocking_findings: int = 0  # open (not waived) findings of mandatory provisions
    # Disciplines in scope without a reviewer and a checker (disciplines.staffing_gaps; "" = empty scope)
    unstaffed_disciplines: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Transition:
    action: Action
    source: State
    target: State


@dataclass(frozen=True)
class Refusal:
    """Why a change is not allowed: a stable ``code`` and a one-line English ``detail``."""

    action: str
    state: str
    code: str
    detail: str


Decision = Transition | Refusal


@dataclass(frozen=True)
class Rule:
    sources: tuple[State, ...]
    target: State
    allowed: frozenset[Capacity]
    reason_required: bool = False


RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(
        (State.DRAFT, State.RETURNED), State.SUBMITTED,
        frozenset({Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT}),
    ),
    Action.START_CHECK: Rule((State.SUBMITTED,), State.CHECKING, frozenset({Capacity.SYSTEM})),
    Action.FINISH_CHECK: Rule((State.CHECKING,), State.IN_REVIEW, frozenset({Capacity.SYSTEM})),
    Action.FAIL_CHECK: Rule(
        (State.SUBMITTED, State.CHECKING), State.RETURNED, frozenset({Capacity.SYSTEM}), reason_required=True
    ),
    Action.RETURN: Rule((State.IN_REVIEW,), State.RETURNED, frozenset({Capacity.REVIEWER}), reason_required=True),
    Action.APPROVE: Rule((State.IN_REVIEW,), State.APPROVED, frozenset({Capacity.REVIEWER})),
}

# Actions people take from the page and the API; the others belong to the system.
HUMAN_ACTIONS = (Action.SUBMIT, Action.RETURN, Action.APPROVE)

MAX_REASON_CHARS = 10_000


def decide(state: str, action: str, actor: Iterable[Capacity], facts: Facts = Facts()) -> Decision:
    """Is ``action`` legal now for this actor? A Transition if so, a Refusal with the reason if not."""
    try:
        current = State(state)
    except ValueError:
        return Refusal(str(action), str(state), "unknown_state", f"unknown state {state!r}")
    try:
        wanted = Action(action)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        return Refusal(str(action), current, "unknown_action", f"unknown action {action!r}; known: {known}")
    rule = RULES[wanted]
    held = frozenset(actor)
    if current not in rule.sources:
        if current is State.APPROVED:
            detail = "the submission is approved; approved submissions do not change"
        else:
            sources = " or ".join(s.value for s in rule.sources)
            detail = f"cannot {wanted.value} a submission that is {current.value}; it must be {sources}"
        return Refusal(wanted, current, "wrong_state", detail)
    if not held & rule.allowed:
        who = " or ".join(sorted(c.value for c in rule.allowed))
        return Refusal(wanted, current, "not_permitted", f"only the project's {who} may {wanted.value}")
    reason = facts.reason.strip()
    if rule.reason_required and not reason:
        return Refusal(wanted, current, "reason_required", f"{wanted.value} needs a reason (the review opinion)")
    if len(reason) > MAX_REASON_CHARS:
        return Refusal(wanted, current, "reason_too_long", f"the reason is over {MAX_REASON_CHARS} characters")
    if wanted is Action.SUBMIT and not facts.has_unsubmitted_model:
        detail = (
            "upload a model first"
            if current is State.DRAFT
            else "upload a revised model before resubmitting"
        )
        return Refusal(wanted, current, "model_required", detail)
    if wanted is Action.APPROVE and facts.blocking_findings:
        return Refusal(
            wanted, current, "mandatory_findings_open",
            f"{facts.blocking_findings} finding(s) of mandatory provisions are still open; "
            "return the submission or waive them with a reason",
        )
    if wanted is Action.APPROVE and facts.unstaffed_disciplines:
        named = ", ".join(d or "(no discipline in scope)" for d in facts.unstaffed_disciplines)
        return Refusal(
            wanted, current, "disciplines_unstaffed",
            f"every discipline in scope needs a reviewer and a checker to sign the certificate; missing: {named}",
        )
    return Transition(wanted, current, rule.target)


def available_actions(state: str, actor: Iterable[Capacity]) -> list[Action]:
    """The human actions this actor could take in this state (guards on facts aside)."""
    held = frozenset(actor)
    try:
        current = State(state)
    except ValueError:
        return []
    return [a for a in HUMAN_ACTIONS if current in RULES[a].sources and held & RULES[a].allowed]


def may_upload(state: str, actor: Iterable[Capacity]) -> Refusal | None:
    """Models are uploaded by the design side while the submission is a draft or returned."""
    held = frozenset(actor)
    if not held & {Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT}:
        return Refusal("upload", state, "not_permitted", "only the project's designer or construction_unit may upload models")
    if state not in (State.DRAFT, State.RETURNED):
        return Refusal(
            "upload", state, "wrong_state",
            f"models can be uploaded while the submission is draft or returned, not {state}",
        )
    return None


def may_waive(state: str, actor: Iterable[Capacity]) -> Refusal | None:
    """Waiving a finding is the review agency's, while the submission is in review."""
    if Capacity.REVIEWER not in frozenset(actor):
        return Refusal("waive", state, "not_permitted", "only the project's reviewer may waive findings")
    if state != State.IN_REVIEW:
        return Refusal("waive", state, "wrong_state", f"findings can be waived while the submission is in_review, not {state}")
    return None


def may_comment(state: str, actor: Iterable[Capacity]) -> Refusal | None:
    """Reviewers comment while in review; designers reply while the submission is returned."""
    held = frozenset(actor)
    if Capacity.REVIEWER in held and state == State.IN_REVIEW:
        return None
    if held & {Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT} and state == State.RETURNED:
        return None
    if not held & {Capacity.REVIEWER, Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT}:
        return Refusal("comment", state, "not_permitted", "only the project's reviewer or designer may comment")
    return Refusal(
        "comment", state, "wrong_state",
        f"reviewers comment while in_review and designers reply while returned; the submission is {state}",
    )


def may_assign(state: str, actor: Iterable[Capacity]) -> Refusal | None:
    """The review agency (its reviewers or admins) staffs the disciplines until the approval."""
    if not frozenset(actor) & {Capacity.REVIEWER, Capacity.AGENCY_ADMIN}:
        return Refusal("assign", state, "not_permitted", "only the project's review agency may assign reviewers")
    if state == State.APPROVED:
        return Refusal("assign", state, "wrong_state", "the submission is approved; approved submissions do not change")
    return None


@dataclass(frozen=True)
class FindingRule:
    """A rule over a finding's status and flags, given as data so that the Python predicate
    (:meth:`holds`) and a database filter built from the same parts cannot disagree."""

    statuses: tuple[str, ...]
    mandatory: bool
    advisory: bool
    waived: bool

    def holds(self, status: str, mandatory: bool, advisory: bool, waived: bool | Callable[[], bool]) -> bool:
        """Whether the rule holds; ``waived`` may be a function, called only when every other
        part holds (reading a finding's waiver may cost a query)."""
        if bool(mandatory) is not self.mandatory or bool(advisory) is not self.advisory:
            return False
        if status not in self.statuses:
            return False
        return bool(waived() if callable(waived) else waived) is self.waived


# A finding blocks approval when a mandatory (not advisory) provision fails or lacks data and
# is not waived. ``apps.review.selectors.BLOCKING`` is the same rule as a database filter.
BLOCKING = FindingRule(statuses=("fail", "missing_data"), mandatory=True, advisory=False, waived=False)


def is_blocking(status: str, mandatory: bool, advisory: bool, waived: bool | Callable[[], bool]) -> bool:
    """A finding blocks approval when a mandatory provision fails or lacks data and is not waived."""
    return BLOCKING.holds(status, mandatory, advisory, waived)
