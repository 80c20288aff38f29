"""Tenant-restricted reads of submissions, rounds, findings and the round diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from zhijian.apps.common.tenancy import VIEW
from zhijian.apps.review.choices import SubmissionState
from zhijian.apps.review.models import CheckRun, Comment, Finding, ModelVersion, Round, Submission
from zhijian.apps.review.staffing import deadline_of
from zhijian.domain.review.round_diff import FindingFact, RoundDiff, diff_rounds

BLOCKING = Q(mandatory=True, advisory=False, status__in=("fail", "missing_data"), waiver__isnull=True)
# A check run's canonical report is tens of kB of JSON: lists never decode it (reports and
# letters read it from their own round), so they defer it.
REPORT = "check_run__report"


def list_submissions_for(user: Any) -> models.QuerySet[Submission]:
    return Submission.objects.restrict(user).select_related("project", "building")


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


def _blocking_of_rounds(round_ids: list[Any]) -> dict[Any, int]:
    rows = (
        Finding.objects.filter(check_run__round_id__in=round_ids).filter(BLOCKING)
        .values_list("check_run__round_id").annotate(n=Count("id"))
    )
    return dict(rows)


@dataclass(frozen=True)
class RoundComparison:
    round: Round
    previous: Round | None
    diff: RoundDiff


def diff_for_round(round_: Round) -> RoundComparison:
    """Round N against round N-1 (round 1 against nothing: everything is new)."""
    before = previous_round(round_)
    return RoundComparison(round_, before, diff_rounds(_facts(before), _facts(round_)))


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
# What the queue shows of a round: a list (``to_attr``, no queryset per submission) of the
# fields the page and the deadline read, with the check's status only.
QUEUE_ROUNDS = Round.objects.select_related("check_run").only(
    "id", "submission_id", "number", "decision", "due_on", "due_advisory", "check_run__id", "check_run__status",
)


def review_queue_for(user: Any, limit: int = 100, sort: str = "") -> list[QueueItem]:
    """Submissions waiting for review or being checked, each with its round's delta.

    Rounds after the first highlight what changed: new and changed findings are what a
    reviewer must read again; still-open and resolved ones were read in the last round.
    A fixed number of queries whatever the length of the queue: the rounds come prefetched
    (without their reports), and the findings of every latest round and of the round before
    it, and the blocking counts, are read once for the whole page.
    """
    submissions = list(
        list_submissions_for(user)
        .filter(state__in=[SubmissionState.IN_REVIEW, SubmissionState.CHECKING, SubmissionState.SUBMITTED])
        .prefetch_related(Prefetch("rounds", queryset=QUEUE_ROUNDS.order_by("-number"), to_attr="queue_rounds"))
        .order_by("updated_at")[:limit]
    )
    rounds_of = {s.id: s.queue_rounds for s in submissions}  # newest first
    latest_ids = [rounds[0].id for rounds in rounds_of.values() if rounds]
    compared = [rounds[:2] for rounds in rounds_of.values() if rounds and _checked(rounds[0])]
    facts = _facts_of_rounds([r.id for pair in compared for r in pair])
    blocking = _blocking_of_rounds(latest_ids)
    items = []
    for submission in submissions:
        rounds = rounds_of[submission.id]
        latest = rounds[0] if rounds else None
        counts = {"new": 0, "changed": 0, "still_open": 0, "resolved": 0}
        if latest is not None and _checked(latest):
            before = rounds[1] if len(rounds) > 1 else None  # the previous round (numbers descend)
            counts = diff_rounds(facts.get(before.id, []) if before else [], facts.get(latest.id, [])).counts
        items.append(QueueItem(submission, latest, counts, blocking.get(latest.id, 0) if latest else 0,
                               deadline_of(submission, rounds)))
    if sort == "deadline":  # the most urgent first; rounds without a deadline last
        items.sort(key=lambda item: (item.deadline is None, item.deadline.due if item.deadline else None,
                                     item.submission.updated_at))
    else:
        items.sort(key=lambda item: (not item.has_delta, item.submission.updated_at))
    return items


def _checked(round_: Round) -> bool:
    try:
        return round_.check_run.status == "done"
    except CheckRun.DoesNotExist:
        return False


def state_counts_for(user: Any) -> dict[str, int]:
    rows = list_submissions_for(user).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}
