"""The opinion letter (审查意见告知书) and the approval certificate (审查合格书) of a decided round.

Builds the domain's :class:`~zhijian.domain.review.letters.LetterInput` from the round, its
project team, the check run's report, the waivers and the designers' replies (their comments
while the submission was returned), then lets the domain render HTML or PDF. The serial of
the number is the one issued from the agency's counter when the round was decided (rounds
decided before the counter existed are counted in order); the signature table is the one
assigned that day (``Round.signatories``), discipline × reviewer × checker.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone

from zhijian.apps.projects.choices import ParticipantRole
from zhijian.apps.projects.models import ProjectParticipant
from zhijian.apps.review import selectors
from zhijian.apps.review.models import Comment, Finding, Round, Submission, Waiver
from zhijian.domain.errors import UnknownReviewClassError
from zhijian.domain.review import letters
from zhijian.domain.review.deadlines import review_deadline
from zhijian.domain.review.letter_numbering import format_letter_number


def _organisation(participant: ProjectParticipant | None) -> letters.Organisation:
    if participant is None:
        return letters.Organisation(name="—")
    return letters.Organisation(name=participant.organization.name, code=participant.organization.uscc)


def _serial(round_: Round, agency_id: Any) -> int:
    decided = timezone.localtime(round_.decided_at)
    earlier = Round.objects.filter(
        submission__project__participants__organization_id=agency_id,
        submission__project__participants__role=ParticipantRole.REVIEW_AGENCY,
        decided_at__year=decided.year,
        decided_at__lt=round_.decided_at,
    ).exclude(decision="")
    return earlier.count() + 1


def _reviewers(round_: Round) -> tuple[letters.Reviewer, ...]:
    """The signature table as assigned when the round was decided; the decider alone for older rounds."""
    people = []
    for row in round_.signatories or []:
        if row.get("reviewer"):
            people.append(letters.Reviewer(row["reviewer"], row["discipline"], letters.ReviewerRole.REVIEWER))
        if row.get("checker"):
            people.append(letters.Reviewer(row["checker"], row["discipline"], letters.ReviewerRole.CHECKER))
    if not people and round_.decided_by:
        people.append(letters.Reviewer(name=str(round_.decided_by), discipline=""))
    return tuple(people)


def letter_input(round_: Round, lang: str = "zh") -> letters.LetterInput:
    """Everything a letter says, from the database; LetterError when it cannot be issued."""
    submission = round_.submission
    project = submission.project
    team = list(ProjectParticipant.objects.filter(project=project).select_related("organization"))
    by_role = {role: [p for p in team if p.role == role] for role in ParticipantRole.values}
    agency = next(iter(by_role[ParticipantRole.REVIEW_AGENCY]), None)
    check = getattr(round_, "check_run", None)
    report = (check.report if check is not None else None) or {"findings": [], "rules": []}
    waivers = list(Waiver.objects.filter(finding__check_run__round=round_).select_related("finding", "waived_by"))
    replies: dict[tuple[str, str], list[letters.DesignerReply]] = {}
    later = Round.objects.filter(submission=submission, number=round_.number + 1).first()
    # The designers reply while the submission is returned: their comments on this round.
    for comment in Comment.objects.filter(round=round_).select_related("finding", "author"):
        if comment.finding is None or (later is not None and comment.created_at > later.submitted_at):
            continue
        reply = letters.DesignerReply(text=comment.body, author=str(comment.author),
                                      date=timezone.localtime(comment.created_at).date())
        replies.setdefault((comment.finding.rule_id, comment.finding.guid), []).append(reply)
    decided = timezone.localtime(round_.decided_at or timezone.now())
    kind = "opinion" if round_.decision == letters.Conclusion.RETURNED else "approval"
    # Rounds decided since the counter exists carry their number; older ones are counted as before.
    number = round_.letter_number or format_letter_number(
        kind, project_number=project.code, serial=_serial(round_, agency.organization_id) if agency else 1,
        year=decided.year, round_number=round_.number,
    )
    deadline = None
    if kind == "opinion":
        try:
            deadline = review_deadline(timezone.localtime(round_.submitted_at).date(), submission.review_class)
        except UnknownReviewClassError:
            deadline = None
    return letters.LetterInput(
        letter_number=number,
        conclusion=round_.decision,
        project_name=project.name,
        project_number=project.code,
        project_address=project.address,
        construction_unit=_organisation(next(iter(by_role[ParticipantRole.CONSTRUCTION_UNIT]), None)),
        design_units=tuple(_organisation(p) for p in by_role[ParticipantRole.DESIGN]),
        review_agency=_organisation(agency),
        reviewers=_reviewers(round_),
        review_deadline=deadline,
        round_number=round_.number,
        submitted_on=timezone.localtime(round_.submitted_at).date(),
        issued_on=decided.date(),
        buildings=(submission.building.name,) if submission.building else (),
        findings=letters.findings_from_report(
            report, lang, replies=replies, exclude={(w.finding.rule_id, w.finding.guid) for w in waivers}
        ),
        waivers=tuple(
            letters.Waiver(rule_id=w.finding.rule_id, reason=w.reason, standard=w.finding.standard,
                           clause=w.finding.clause, guid=w.finding.guid, element_name=w.finding.name,
                           mandatory=w.finding.mandatory, waived_by=str(w.waived_by),
                           date=timezone.localtime(w.created_at).date())
            for w in waivers
        ),
        submission_number=str(submission.id)[:8].upper(),
        opinion=round_.opinion,
        model_file=round_.model_version.original_name,
        model_sha256=round_.model_version.sha256,
    )


def letter_html(round_: Round, lang: str = "zh") -> str:
    return letters.render_letter_html(letter_input(round_, lang), lang)


def letter_pdf(round_: Round, lang: str = "zh") -> tuple[str, bytes]:
    letter = letter_input(round_, lang)
    return f"{letters.letter_file_stem(letter)}.pdf", letters.render_letter_pdf(letter, lang)


class PlainLetter(NamedTuple):
    """What the plain letter page shows of a decided round the domain's letter refuses (a return
    for reasons outside the model): the round's record, its findings in two lists, the comments."""

    round: Round
    submission: Submission
    project: Any
    team: models.QuerySet[ProjectParticipant]
    mandatory: list[Finding]
    general: list[Finding]
    comments: models.QuerySet[Comment]


def plain_letter(user: Any, round_: Round) -> PlainLetter:
    """The plain letter of ``round_`` (read for ``user``, who may see it)."""
    mandatory, general = letters.mandatory_apart(selectors.list_findings_of(user, round_))
    submission = round_.submission
    team = submission.project.participants.select_related("organization").order_by("role")
    return PlainLetter(round_, submission, submission.project, team, mandatory, general,
                       selectors.list_comments_of(user, round_))
