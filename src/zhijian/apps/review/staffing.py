"""Reads for the review agency's staffing and the review deadline of a round.

- :func:`staffing_of`: the disciplines in scope of a submission (as declared, widened by the
  disciplines of the current round's findings), who reviews and checks each, what is missing;
- :func:`candidates_for`: the project's review agency reviewers and their declared disciplines;
- :func:`deadline_of`: the deadline of a pending round, working days left, overdue, advisory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zhijian.apps.accounts.models import Membership
from zhijian.apps.common.locale import is_english
from zhijian.apps.projects.choices import ParticipantRole
from zhijian.apps.projects.models import ProjectParticipant
from zhijian.apps.review.models import DisciplineAssignment, Finding, Round, Submission
from zhijian.domain.review import deadlines
from zhijian.domain.review.disciplines import (
    Candidate,
    Gap,
    discipline_name,
    scope_with_findings,
    staffing_gaps,
)


@dataclass(frozen=True)
class StaffingRow:
    discipline: str
    name: str
    reviewer: Any  # a User or None
    checker: Any


@dataclass(frozen=True)
class Staffing:
    scope: list[str]  # declared ∪ the disciplines of the current round's findings, in table order
    rows: list[StaffingRow]
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        return not self.gaps


def finding_disciplines(round_: Round | None, rule_ids: set[str] | None = None) -> set[str]:
    """The disciplines of the rules with findings in this round (from its report's rule list).

    ``rule_ids``: the rules of the round's findings when the caller has read them already.
    """
    if round_ is None:
        return set()
    check = getattr(round_, "check_run", None)
    report = (check.report if check is not None else None) or {}
    by_rule = {r.get("rule_id"): r.get("discipline") or "" for r in report.get("rules", [])}
    if rule_ids is None:
        rule_ids = set(Finding.objects.filter(check_run__round=round_).values_list("rule_id", flat=True).distinct())
    return {by_rule.get(rule_id, "") for rule_id in rule_ids}


def assignments_of(submission: Submission) -> dict[str, DisciplineAssignment]:
    rows = DisciplineAssignment.objects.filter(submission=submission).select_related("reviewer", "checker")
    return {a.discipline: a for a in rows}


def staffing_of(submission: Submission, round_: Round | None = None, *, rule_ids: set[str] | None = None) -> Staffing:
    from zhijian.apps.review.selectors import current_round

    round_ = round_ if round_ is not None else current_round(submission)
    scope = scope_with_findings(submission.disciplines or [], finding_disciplines(round_, rule_ids))
    assigned = assignments_of(submission)
    en = is_english()
    rows = []
    for key in scope:
        a = assigned.get(key)
        rows.append(StaffingRow(key, discipline_name(key, en), a.reviewer if a else None, a.checker if a else None))
    gaps = staffing_gaps(scope, {r.discipline: (r.reviewer, r.checker) for r in rows})
    return Staffing(scope, rows, gaps)


def signatories_of(staffing: Staffing) -> list[dict[str, Any]]:
    """The signature table as stored on a decided round (names as they were that day)."""
    return [
        {
            "discipline": r.discipline,
            "reviewer": str(r.reviewer) if r.reviewer else "", "reviewer_id": str(r.reviewer.id) if r.reviewer else "",
            "checker": str(r.checker) if r.checker else "", "checker_id": str(r.checker.id) if r.checker else "",
        }
        for r in staffing.rows
        if r.reviewer or r.checker
    ]


def agency_ids_of(project_id: Any) -> list[Any]:
    return list(
        ProjectParticipant.objects.filter(project_id=project_id, role=ParticipantRole.REVIEW_AGENCY)
        .values_list("organization_id", flat=True)
    )


@dataclass(frozen=True)
class ReviewerChoice:
    user: Any
    disciplines: frozenset[str]
    may_check: bool


def candidates_for(submission: Submission) -> list[ReviewerChoice]:
    """Reviewers of the project's review agency, with the disciplines their memberships declare."""
    found: dict[Any, ReviewerChoice] = {}
    memberships = Membership.objects.filter(
        # The agencies as a subquery: one query, not one for the ids and one for the members.
        organization_id__in=ProjectParticipant.objects.filter(
            project_id=submission.project_id, role=ParticipantRole.REVIEW_AGENCY).values("organization_id"),
        organization__active=True, role="reviewer",
        user__is_active=True,
    ).select_related("user").order_by("user__username")
    for m in memberships:
        before = found.get(m.user_id)
        disciplines = frozenset(m.disciplines or []) | (before.disciplines if before else frozenset())
        found[m.user_id] = ReviewerChoice(m.user, disciplines, m.may_check or bool(before and before.may_check))
    return list(found.values())


def candidate(submission: Submission, user_id: Any) -> Candidate | None:
    """A proposed person as the domain rule sees them; unknown ids are simply not in the agency."""
    if not user_id:
        return None
    for choice in candidates_for(submission):
        if str(choice.user.id) == str(user_id):
            return Candidate(choice.user.id, True, choice.disciplines, choice.may_check)
    return Candidate(str(user_id), False)


# -- deadlines ----------------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlineInfo:
    due: dt.date
    working_days_left: int  # negative once overdue: working days past the deadline
    overdue: bool
    advisory: bool

    @property
    def days_overdue(self) -> int:
        return -self.working_days_left if self.overdue else 0


def compute_due(submitted_at: dt.datetime, review_class: str) -> deadlines.Deadline:
    return deadlines.review_deadline(timezone.localtime(submitted_at).date(), review_class)


def deadline_info(due: dt.date | None, advisory: bool, today: dt.date | None = None) -> DeadlineInfo | None:
    if due is None:
        return None
    today = today or timezone.localdate()
    if today <= due:
        left = deadlines.working_days_between(today, due)
    else:
        left = -deadlines.working_days_between(due, today)
    return DeadlineInfo(due, left, today > due, advisory)


def deadline_of(submission: Submission, rounds: list[Round] | None = None) -> DeadlineInfo | None:
    """The deadline of the round under review (none once decided: revision time is not counted)."""
    if rounds is None:
        latest = Round.objects.filter(submission=submission).order_by("-number").first()
    else:
        latest = max(rounds, key=lambda r: r.number, default=None)
    if latest is None or latest.decision:
        return None
    return deadline_info(latest.due_on, latest.due_advisory)
