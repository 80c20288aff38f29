"""Tenant-restricted reads of submissions, rounds, findings and the round diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from zhijian.apps.accounts.choices import OrgType, Role
from zhijian.apps.accounts.models import Membership, Organization
from zhijian.apps.common.errors import Forbidden
from zhijian.apps.common.tenancy import VIEW, membership_rows
from zhijian.apps.review.choices import SubmissionState
from zhijian.apps.review.models import CheckRun, Comment, Finding, ModelVersion, Round, Submission
from zhijian.apps.review.staffing import deadline_of
from zhijian.domain.review import workflow
from zhijian.domain.review.round_diff import FindingFact, RoundDiff, diff_rounds

BLOCKING = Q(mandatory=workflow.BLOCKING.mandatory, advisory=workflow.BLOCKING.advisory,
             status__in=workflow.BLOCKING.statuses, waiver__isnull=not workflow.BLOCKING.waived)
# A check run's canonical report is tens of kB of JSON: lists never decode it (reports and
# letters read it from their own round), so they defer it.
REPORT = "check_run__report"


def list_submissions_for(user: Any) -> models.QuerySet[Submission]:
    return Submission.objects.restrict(user).select_related("project", "building")


# What the lists of submissions (the queue, recent submissions) show: not the scope and
# pack lists (JSON) nor the building, which only the submission's own page reads.
SUBMISSION_ROW = ("id", "title", "state", "created_at", "updated_at", "project_id", "project__name")


def list_submission_rows_for(user: Any) -> models.QuerySet[Submission]:
    """:func:`list_submissions_for` reading only the fields a list row shows (others load on access)."""
    return Submission.objects.restrict(user).select_related("project").only(*SUBMISSION_ROW)


def order_by_deadline(submissions: models.QuerySet[Submission]) -> models.QuerySet[Submission]:
    """The round under review due first, then the submissions without one, recent ones first."""
    pending = Round.objects.filter(submission=OuterRef("pk"), decision="").order_by("-number")
    return submissions.annotate(due=Subquery(pending.values("due_on")[:1])).order_by(
        F("due").asc(nulls_last=True), "-updated_at"
    )


def get_submission_for(user: Any, submission_id: Any, action: str = VIEW) -> Submission:
    return get_object_or_404(
        Submission.objects.restrict(user, action).select_related("project", "building"), id=submission_id
    )


def list_model_versions_of(user: Any, submission: Submission) -> models.QuerySet[ModelVersion]:
    return (
        ModelVersion.objects.restrict(user).filter(submission=submission).select_related("round__check_run")
        .defer(f"round__{REPORT}")
    )


def get_model_version_for(user: Any, model_version_id: Any) -> ModelVersion:
    return get_object_or_404(
        ModelVersion.objects.restrict(user).select_related("submission", "round__check_run"), id=model_version_id
    )


def list_rounds_of(user: Any, submission: Submission) -> models.QuerySet[Round]:
    return (
        Round.objects.restrict(user).filter(submission=submission).select_related("model_version", "check_run")
        .defer(REPORT)
    )


def get_round_for(user: Any, round_id: Any) -> Round:
    return get_object_or_404(
        Round.objects.restrict(user).select_related("submission__project", "model_version", "check_run"), id=round_id
    )


def current_round(submission: Submission) -> Round | None:
    return (
        Round.objects.filter(submission=submission).select_related("model_version", "check_run").order_by("-number").first()
    )


def previous_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(submission_id=round_.submission_id, number__lt=round_.number)
        .select_related("check_run")
        .defer(REPORT)
        .order_by("-number")
        .first()
    )


def list_findings_of(user: Any, round_: Round) -> models.QuerySet[Finding]:
    return (
        Finding.objects.restrict(user)
        .filter(check_run__round=round_)
        .select_related("waiver")
        .order_by("ordinal")
    )


def get_finding_for(user: Any, finding_id: Any, action: str = VIEW) -> Finding:
    return get_object_or_404(
        Finding.objects.restrict(user, action).select_related("check_run__round__submission", "waiver"), id=finding_id
    )


def list_comments_of(user: Any, round_: Round) -> models.QuerySet[Comment]:
    return Comment.objects.restrict(user).filter(round=round_).select_related("author", "finding")


def blocking_findings(round_: Round | None) -> int:
    if round_ is None:
        return 0
    return Finding.objects.filter(check_run__round=round_).filter(BLOCKING).count()


def _facts(round_: Round | None) -> list[FindingFact]:
    if round_ is None:
        return []
    return _facts_of_rounds([round_.id]).get(round_.id, [])


def _facts_of_rounds(round_ids: list[Any]) -> dict[Any, list[FindingFact]]:
    """The findings of several rounds as diff facts, in report order, in one query."""
    facts: dict[Any, list[FindingFact]] = {}
    if not round_ids:
        return facts
    rows = Finding.objects.filter(check_run__round_id__in=round_ids).order_by("ordinal").values_list(
        "check_run__round_id", "id", "rule_id", "guid", "status", "measured", "unit"
    )
    for round_id, ref, rule_id, guid, status, measured, unit in rows:
        facts.setdefault(round_id, []).append(
            FindingFact(rule_id=rule_id, guid=guid, status=status, measured=measured, unit=unit, ref=ref)
        )
    return facts


def _finding_counts_of_rounds(round_ids: list[Any]) -> dict[Any, tuple[int, int]]:
    """(findings, blocking findings) of each round, in one query."""
    if not round_ids:
        return {}
    rows = (
        Finding.objects.filter(check_run__round_id__in=round_ids).values("check_run__round_id")
        .annotate(n=Count("id"), blocking=Count("id", filter=BLOCKING))
        .values_list("check_run__round_id", "n", "blocking")
    )
    return {round_id: (n, blocking) for round_id, n, blocking in rows}


def diff_counts_of_rounds(round_ids: list[Any]) -> dict[Any, dict[str, int]]:
    """Each checked round's diff counts against the previous round (round 1: every finding new).

    Rounds whose check is not done are left out. Three queries whatever the number of rounds;
    what ``Round.diff_counts`` stores.
    """
    rows = list(Round.objects.filter(id__in=round_ids, check_run__status="done")
                .values_list("id", "submission_id", "number"))
    if not rows:
        return {}
    by_number = {(sid, number): rid for rid, sid, number in Round.objects.filter(
        submission_id__in={sid for _, sid, _ in rows}).values_list("id", "submission_id", "number")}
    pairs = {rid: by_number.get((sid, number - 1)) for rid, sid, number in rows}
    facts = _facts_of_rounds([*pairs, *(p for p in pairs.values() if p is not None)])
    return {rid: diff_rounds(facts.get(before, []) if before else [], facts.get(rid, [])).counts
            for rid, before in pairs.items()}


@dataclass(frozen=True)
class RoundComparison:
    round: Round
    previous: Round | None
    diff: RoundDiff


def diff_for_round(round_: Round) -> RoundComparison:
    """Round N against round N-1 (round 1 against nothing: everything is new)."""
    before = previous_round(round_)
    return RoundComparison(round_, before, diff_rounds(_facts(before), _facts(round_)))


def compare_with_previous(round_: Round, rounds: list[Round], findings: list[Finding]) -> RoundComparison:
    """:func:`diff_for_round` from what the submission's page has read: its rounds and the round's findings.

    ``findings`` are all of the round's findings in report order; only the previous round's are read.
    """
    before = max((r for r in rounds if r.number < round_.number), key=lambda r: r.number, default=None)
    current = [FindingFact(rule_id=f.rule_id, guid=f.guid, status=f.status, measured=f.measured, unit=f.unit, ref=f.id)
               for f in findings]
    return RoundComparison(round_, before, diff_rounds(_facts(before), current))


@dataclass(frozen=True)
class RoundFindings:
    """A round's findings as its submission's page shows them, each read once: the table, the
    change of each since the previous round, the blocking count, the rules (for the staffing)."""

    findings: list[Finding]
    changes: dict[Any, str]  # finding id → new / changed / still_open ("" when not compared)
    comparison: RoundComparison | None
    blocking: int
    rule_ids: set[str] | None  # None: the round has no finished check, the staffing reads them itself


def round_findings_for(user: Any, round_: Round | None, rounds: list[Round], *, checked: bool) -> RoundFindings:
    """:class:`RoundFindings` of ``round_`` (the latest of ``rounds``); ``checked``: its check is done."""
    if round_ is None or not checked:
        return RoundFindings([], {}, None, blocking_findings(round_) if round_ else 0, None)
    findings = list(list_findings_of(user, round_))
    comparison = compare_with_previous(round_, rounds, findings)
    changed = {e.after.ref: e.change.value for e in comparison.diff.entries if e.after is not None}
    return RoundFindings(
        findings, {f.id: changed.get(f.id, "") for f in findings}, comparison,
        sum(1 for f in findings if is_blocking(f)), {f.rule_id for f in findings},
    )


def is_blocking(finding: Finding) -> bool:
    """:data:`BLOCKING` of a finding read with its waiver (``select_related("waiver")``; the waiver
    is looked at only when the rest of the rule holds)."""
    return workflow.is_blocking(finding.status, finding.mandatory, finding.advisory,
                                waived=lambda: getattr(finding, "waiver", None) is not None)


def get_round_diff_for(user: Any, round_id: Any) -> RoundComparison:
    return diff_for_round(get_round_for(user, round_id))


@dataclass(frozen=True)
class QueueItem:
    submission: Submission
    round: Round | None
    counts: dict[str, int]
    blocking: int
    deadline: Any = None  # staffing.DeadlineInfo of the round under review, if any

    @property
    def has_delta(self) -> bool:
        return bool(self.round and self.round.number > 1 and (self.counts["new"] or self.counts["changed"]))


QUEUE_SORTS = ("", "deadline")
# What the queue reads of a round: the fields the page and the deadline use, and the check's
# status (not its report, summary or pack versions: JSON to decode for nothing).
QUEUE_ROUNDS = Round.objects.select_related("check_run").only(
    "id", "submission_id", "number", "decision", "due_on", "due_advisory", "check_run__id", "check_run__status",
)


QUEUE_PAGE_SIZE = 25


class _QueueRound(NamedTuple):
    """What ordering the queue needs of a round (staffing.deadline_of reads the same names)."""

    id: Any
    submission_id: Any
    number: int
    decision: str
    due_on: Any
    due_advisory: bool
    diff_counts: dict[str, int] | None
    check_status: str | None


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    number: int  # 1-based
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def review_queue_for(user: Any, limit: int = 100, sort: str = "") -> list[QueueItem]:
    """The first ``limit`` submissions of the review queue (see :func:`review_queue_page_for`)."""
    return review_queue_page_for(user, 1, sort=sort, per_page=limit).items


def review_queue_page_for(user: Any, page: Any = 1, *, sort: str = "", per_page: int = QUEUE_PAGE_SIZE) -> QueuePage:
    """Submissions waiting for review or being checked, each with its round's delta, a page at a time.

    Rounds after the first highlight what changed: new and changed findings are what a
    reviewer must read again; still-open and resolved ones were read in the last round, so
    rounds with such a delta come first (or, with ``sort="deadline"``, the most urgent).
    The whole queue is ordered from light rows (the rounds' numbers, states and due dates,
    and the diff facts of the rounds after a first one); only the page's submissions are
    read in full, with their finding and blocking counts. A fixed number of queries
    whatever the length of the queue. ``page`` out of range or not a number: the nearest page.
    """
    queue = list_submissions_for(user).filter(
        state__in=[SubmissionState.IN_REVIEW, SubmissionState.CHECKING, SubmissionState.SUBMITTED]
    )
    updated = dict(queue.values_list("id", "updated_at"))
    rounds_of: dict[Any, list[_QueueRound]] = {submission_id: [] for submission_id in updated}
    # Plain tuples, not models: the authority's queue orders a few hundred rounds per request.
    for row in Round.objects.filter(submission_id__in=list(updated)).order_by("submission_id", "-number").values_list(
            "id", "submission_id", "number", "decision", "due_on", "due_advisory", "diff_counts", "check_run__status"):
        rounds_of[row[1]].append(_QueueRound(*row))  # newest first
    # Rounds after the first, checked: their diff against the previous round decides the order.
    # Stored on the round when its check finished; computed here only for rounds without it.
    compared = {sid: rounds[0] for sid, rounds in rounds_of.items()
                if rounds and rounds[0].number > 1 and rounds[0].check_status == "done"}
    diffs = {sid: r.diff_counts for sid, r in compared.items() if r.diff_counts is not None}
    missing = {r.id: sid for sid, r in compared.items() if r.diff_counts is None}
    if missing:
        diffs.update({missing[rid]: counts for rid, counts in diff_counts_of_rounds(list(missing)).items()})
    deadlines = {sid: deadline_of(None, rounds) for sid, rounds in rounds_of.items()}

    def has_delta(sid: Any) -> bool:
        counts = diffs.get(sid)
        return bool(counts and (counts["new"] or counts["changed"]))

    if sort == "deadline":  # the most urgent first; rounds without a deadline last
        order = sorted(updated, key=lambda sid: (deadlines[sid] is None,
                                                 deadlines[sid].due if deadlines[sid] else None, updated[sid]))
    else:
        order = sorted(updated, key=lambda sid: (not has_delta(sid), updated[sid]))

    per_page = max(per_page, 1)
    pages = max((len(order) + per_page - 1) // per_page, 1)
    try:
        number = min(max(int(page), 1), pages)
    except (TypeError, ValueError):
        number = 1
    shown = order[(number - 1) * per_page:number * per_page]
    submissions = list_submission_rows_for(user).in_bulk(shown)
    latest_ids = [rounds_of[sid][0].id for sid in shown if rounds_of[sid]]
    latest_of = QUEUE_ROUNDS.in_bulk(latest_ids)
    totals = _finding_counts_of_rounds(latest_ids)
    items = []
    for sid in shown:
        latest = latest_of[rounds_of[sid][0].id] if rounds_of[sid] else None
        counts = {"new": 0, "changed": 0, "still_open": 0, "resolved": 0}
        found, blocking = totals.get(latest.id, (0, 0)) if latest else (0, 0)
        if sid in diffs:
            counts = diffs[sid]
        elif latest is not None and _checked(latest):
            counts = {**counts, "new": found}  # a first round against nothing: every finding is new
        items.append(QueueItem(submissions[sid], latest, counts, blocking, deadlines[sid]))
    return QueuePage(items, number, pages, len(order))


def _checked(round_: Round) -> bool:
    try:
        return round_.check_run.status == "done"
    except CheckRun.DoesNotExist:
        return False


def state_counts_for(user: Any) -> dict[str, int]:
    rows = list_submissions_for(user).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


# -- a review agency's reviewers and their qualifications (the agency admin's page) -------
def get_agency_administered_by(user: Any, organization_id: Any) -> Organization:
    """A review agency ``user`` administers (or any, for the platform admin).

    404 when the organisation is not visible to them or is not a review agency; :class:`Forbidden`
    when they see it (a partner on a project, one of its reviewers) but do not administer it.
    """
    agency = get_object_or_404(
        Organization.objects.restrict(user).filter(org_type=OrgType.REVIEW_AGENCY), id=organization_id
    )
    if not user.is_superuser and not any(
        org == agency.id and role == Role.ORG_ADMIN for org, role, _type in membership_rows(user)
    ):
        raise Forbidden(_("Only an administrator of this organisation may declare its reviewers' disciplines."),
                        code="not_permitted")
    return agency


def list_members_of(user: Any, organization: Organization) -> models.QuerySet[Membership]:
    """The organisation's memberships (one row per person and role), by user name."""
    return (
        Membership.objects.restrict(user).filter(organization=organization).select_related("user")
        .order_by("user__username", "role")
    )
