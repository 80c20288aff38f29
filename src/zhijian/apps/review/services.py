"""Review changes: permission (pure domain rules) + transaction + audit + enqueue on commit.

People: :func:`create_submission`, :func:`upload_model_version`, :func:`transition_submission`,
:func:`waive_finding`, :func:`add_comment`. The worker: :func:`begin_check`,
:func:`report_check_progress`, :func:`complete_check`, :func:`fail_check` — each idempotent,
so a check redelivered after a lost worker simply runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import Membership
from zhijian.apps.audit.services import record, snapshot
from zhijian.apps.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    PayloadTooLarge,
    ServiceError,
)
from zhijian.apps.common.ids import as_uuid
from zhijian.apps.projects.models import Building
from zhijian.apps.projects.selectors import acting_organization, capacities_on, get_project_for
from zhijian.apps.review import messages
from zhijian.apps.review.choices import CheckStatus, Decision, SubmissionState
from zhijian.apps.review.models import (
    CheckRun,
    Comment,
    DisciplineAssignment,
    Finding,
    LetterCounter,
    ModelVersion,
    Round,
    Submission,
    Waiver,
)
from zhijian.apps.review.selectors import (
    blocking_findings,
    current_round,
    diff_counts_of_rounds,
    get_finding_for,
    get_round_for,
)
from zhijian.apps.review.staffing import (
    agency_ids_of,
    candidate,
    compute_due,
    signatories_of,
    staffing_of,
)
from zhijian.apps.review.uploads import inspect_upload, max_upload_bytes
from zhijian.domain.errors import FileTooLargeError, InputError, LetterNumberingError
from zhijian.domain.review.deadlines import review_classes
from zhijian.domain.review.disciplines import (
    DisciplineError,
    assignable_keys,
    assignment_refusal,
    normalise_scope,
)
from zhijian.domain.review.letter_numbering import format_letter_number
from zhijian.domain.review.packs import UnknownPackError, select_packs
from zhijian.domain.review.workflow import (
    HUMAN_ACTIONS,
    Action,
    Capacity,
    Facts,
    Refusal,
    Transition,
    decide,
    may_assign,
    may_comment,
    may_upload,
    may_waive,
)

log = logging.getLogger(__name__)

SUBMISSION_FIELDS = ("state",)
SYSTEM_ACTIONS = {a.value for a in Action} - {a.value for a in HUMAN_ACTIONS}
SYSTEM_CHECK = "check"
MAX_TEXT = 10_000


def _refuse(refusal: Refusal, **facts: Any) -> ServiceError:
    text = messages.refusal_message(refusal, **facts)
    cls = Forbidden if refusal.code == "not_permitted" else Conflict
    return cls(text, code=refusal.code, state=str(refusal.state), action=str(refusal.action))


def _locked_submission(user: Any, submission_id: Any) -> Submission:
    """The submission, row-locked, if the user may change it (404 otherwise)."""
    from zhijian.apps.review.selectors import get_submission_for

    visible = get_submission_for(user, submission_id)  # 404 for other organisations
    return Submission.objects.select_for_update().get(id=visible.id)


# -- submissions ------------------------------------------------------------------------
@transaction.atomic
def create_submission(
    actor: Any, *, project_id: Any, title: str, building_id: Any = None, building_use: str = "residential",
    pack_ids: list[str] | None = None,
) -> Submission:
    project = get_project_for(actor, project_id)
    held = capacities_on(actor, project)
    if not held & {Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT}:
        raise Forbidden(_("Only the project's designer or construction unit may create submissions."),
                        code="not_permitted")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(_("A title of 1 to 200 characters is required."), code="invalid")
    building = None
    if building_id:
        building = Building.objects.filter(project=project, id=building_id).first()
        if building is None:
            raise InvalidInput(_("The building is not part of this project."), code="invalid")
    if building_use not in ("residential", "public", "industrial"):
        raise InvalidInput(_("Unknown building use."), code="invalid")
    try:
        packs = select_packs(list(pack_ids or []))
    except UnknownPackError as exc:
        raise InvalidInput(str(exc.args[0]), code="unknown_pack") from exc
    submission = Submission.objects.create(
        project=project, building=building, title=title, building_use=building_use,
        pack_ids=[p.id for p in packs] if pack_ids else [], created_by=actor,
    )
    record(actor=actor, action="submission.create", obj=submission,
           after=snapshot(submission, ("title", "state", "building_id", "building_use", "pack_ids")),
           organization=acting_organization(actor, project), project=project)
    return submission


def upload_model_version(actor: Any, submission_id: Any, upload: UploadedFile | None, *,
                         refused_too_large: bool = False) -> ModelVersion:
    """Accept an uploaded IFC model for a submission, or refuse it with the reason and store nothing."""
    limit = max_upload_bytes()
    if refused_too_large:
        raise PayloadTooLarge(messages.input_error_message(FileTooLargeError("too large"), limit=limit),
                              code="file_too_large", limit_bytes=limit)
    if upload is None:
        raise InvalidInput(_("Choose an IFC file to upload."), code="file_missing")
    stored_name = ""
    try:
        with transaction.atomic():
            submission = _locked_submission(actor, submission_id)
            refusal = may_upload(submission.state, capacities_on(actor, submission.project_id))
            if refusal:
                raise _refuse(refusal)
            try:
                inspected = inspect_upload(upload, limit)
            except FileTooLargeError as exc:
                raise PayloadTooLarge(messages.input_error_message(exc, limit=limit), code=exc.code,
                                      limit_bytes=limit) from exc
            except InputError as exc:
                raise InvalidInput(messages.input_error_message(exc), code=exc.code) from exc
            sequence = (submission.model_versions.aggregate(n=Max("sequence"))["n"] or 0) + 1
            version = ModelVersion(
                submission=submission, sequence=sequence, original_name=(upload.name or "model.ifc")[:255],
                size_bytes=inspected.size, sha256=inspected.sha256, schema=inspected.sniff.schema[:32],
                schema_family=inspected.sniff.family, zipped=inspected.sniff.zipped, uploaded_by=actor,
            )
            version.file.save("model", upload, save=False)  # streamed by the storage backend
            stored_name = version.file.name
            version.save()
            submission.save(update_fields=["updated_at"])
            record(actor=actor, action="model_version.upload", obj=version,
                   after=snapshot(version, ("sequence", "original_name", "size_bytes", "sha256", "schema", "file")),
                   organization=acting_organization(actor, submission.project_id), project=submission.project)
    except BaseException:
        if stored_name:
            ModelVersion.file.field.storage.delete(stored_name)
        raise
    return version


@dataclass(frozen=True)
class TransitionResult:
    submission: Submission
    transition: Transition
    round: Round | None


@transaction.atomic
def transition_submission(actor: Any, submission_id: Any, action: str, reason: str = "") -> TransitionResult:
    """Submit, return or approve — if the domain says this actor may, now; refused with the reason if not."""
    submission = _locked_submission(actor, submission_id)
    if action in SYSTEM_ACTIONS:  # only the worker moves these states
        raise _refuse(Refusal(action, submission.state, "not_permitted", "only the automated check may do this"))
    held = capacities_on(actor, submission.project_id)
    latest = current_round(submission)
    unsubmitted = _unsubmitted_model(submission, latest)
    blocking = blocking_findings(latest) if action == Action.APPROVE else 0
    staffing = staffing_of(submission, latest) if action in (Action.APPROVE, Action.RETURN) else None
    unstaffed = tuple(g.discipline for g in staffing.gaps) if staffing and action == Action.APPROVE else ()
    facts = Facts(has_unsubmitted_model=unsubmitted is not None, blocking_findings=blocking, reason=reason or "",
                  unstaffed_disciplines=unstaffed)
    decision = decide(submission.state, action, held, facts)
    if isinstance(decision, Refusal):
        raise _refuse(decision, blocking=blocking, unstaffed=unstaffed)
    before = snapshot(submission, SUBMISSION_FIELDS)
    submission.state = decision.target
    submission.save(update_fields=["state", "updated_at"])
    round_ = latest
    now = timezone.now()
    if decision.action is Action.SUBMIT:
        assert unsubmitted is not None
        due = compute_due(now, submission.review_class)
        round_ = Round.objects.create(
            submission=submission, number=(latest.number + 1) if latest else 1, model_version=unsubmitted,
            submitted_by=actor, due_on=due.due, due_advisory=due.advisory,
        )
        check_run = CheckRun.objects.create(round=round_)
        _enqueue_check(unsubmitted.id)
        record(actor=actor, action="round.open", obj=round_, after={"number": round_.number,
               "model_version": str(unsubmitted.id), "check_run": str(check_run.id)}, project=submission.project,
               organization=acting_organization(actor, submission.project_id))
    elif decision.action in (Action.RETURN, Action.APPROVE) and round_ is not None:
        round_.decision = Decision.RETURNED if decision.action is Action.RETURN else Decision.APPROVED
        round_.opinion = facts.reason.strip()
        round_.decided_by = actor
        round_.decided_at = now
        assert staffing is not None
        round_.signatories = signatories_of(staffing)
        _issue_letter_number(actor, submission, round_)
        round_.save(update_fields=["decision", "opinion", "decided_by", "decided_at", "signatories", "letter_agency",
                                   "letter_year", "letter_serial", "letter_number"])
    record(actor=actor, action=f"submission.{decision.action.value}", obj=submission, before=before,
           after=snapshot(submission, SUBMISSION_FIELDS), reason=facts.reason.strip(),
           organization=acting_organization(actor, submission.project_id), project=submission.project)
    return TransitionResult(submission, decision, round_)


def next_letter_serial(agency_id: Any, kind: str, year: int) -> int:
    """The next serial of (agency, kind, year); must run inside the decision's transaction.

    The ``F()`` update locks the counter row until the transaction ends, so a concurrent
    decision waits and then reads the incremented value: serials are consecutive, never shared.
    """
    counter, _ = LetterCounter.objects.get_or_create(agency_id=agency_id, kind=kind, year=year)
    LetterCounter.objects.filter(pk=counter.pk).update(last_serial=F("last_serial") + 1)
    return LetterCounter.objects.values_list("last_serial", flat=True).get(pk=counter.pk)


def _issue_letter_number(actor: Any, submission: Submission, round_: Round) -> None:
    """Number the letter of a decided round from the agency's counter (the agency the decider acts for)."""
    agencies = agency_ids_of(submission.project_id)
    mine = set(Membership.objects.filter(user=actor, organization_id__in=agencies).values_list("organization_id",
                                                                                                 flat=True))
    agency_id = next((a for a in agencies if a in mine), agencies[0] if agencies else None)
    if agency_id is None:  # a decision is the agency's, so there is one; refuse rather than guess
        raise Conflict(_("The project has no review agency to number the letter."), code="no_review_agency")
    kind = "opinion" if round_.decision == Decision.RETURNED else "approval"
    year = timezone.localtime(round_.decided_at).year
    serial = next_letter_serial(agency_id, kind, year)
    try:
        number = format_letter_number(kind, project_number=submission.project.code, serial=serial, year=year,
                                      round_number=round_.number)
    except LetterNumberingError as exc:
        raise Conflict(str(exc), code=exc.code) from exc
    round_.letter_agency_id, round_.letter_year, round_.letter_serial, round_.letter_number = (
        agency_id, year, serial, number
    )


def _unsubmitted_model(submission: Submission, latest: Round | None) -> ModelVersion | None:
    newest = submission.model_versions.order_by("-sequence").first()
    if newest is None or Round.objects.filter(model_version=newest).exists():
        return None
    return newest


def _enqueue_check(model_version_id: Any) -> None:
    from zhijian.apps.review.tasks import check_model_version

    transaction.on_commit(lambda: check_model_version.delay(str(model_version_id)))


# -- the agency's staffing: scope, review class, reviewer and checker per discipline ------
def _known_disciplines(keys: list[str]) -> list[str]:
    try:
        return normalise_scope(keys)
    except DisciplineError as exc:
        bad = next((str(k) for k in keys if str(k).strip() not in assignable_keys()), "")
        raise InvalidInput(messages.staffing_message("unknown_discipline", bad), code="unknown_discipline") from exc


@transaction.atomic
def declare_disciplines(
    actor: Any, membership: Membership, disciplines: list[str], *, may_check: bool = False, system: str = ""
) -> Membership:
    """A reviewer's qualifications: the disciplines they review and whether they may check (复核).

    By the platform admin, an admin of the reviewer's organisation, or a system process.
    """
    if actor is not None and not actor.is_superuser and not Membership.objects.filter(
        user=actor, organization_id=membership.organization_id, role="org_admin"
    ).exists():
        raise Forbidden(_("Only an administrator of this organisation may declare its reviewers' disciplines."),
                        code="not_permitted")
    if membership.role != "reviewer":
        raise InvalidInput(_("Only a reviewer's membership declares review disciplines."), code="not_a_reviewer")
    keys = _known_disciplines(disciplines)
    before = snapshot(membership, ("disciplines", "may_check"))
    membership.disciplines, membership.may_check = keys, bool(may_check)
    membership.save(update_fields=["disciplines", "may_check", "updated_at"])
    record(actor=actor, system=system, action="membership.disciplines", obj=membership, before=before,
           after=snapshot(membership, ("disciplines", "may_check")), organization=membership.organization)
    return membership


def declare_reviewer_disciplines(actor: Any, membership_id: Any, disciplines: list[str], *,
                                 may_check: bool = False) -> Membership:
    """:func:`declare_disciplines` for a membership id: 404 unless its organisation is visible to the actor."""
    from django.shortcuts import get_object_or_404

    from zhijian.apps.accounts.models import Organization

    visible = Organization.objects.restrict(actor).values("id")
    membership = get_object_or_404(
        Membership.objects.select_related("organization", "user").filter(organization_id__in=visible),
        id=membership_id,
    )
    return declare_disciplines(actor, membership, disciplines, may_check=may_check)


@transaction.atomic
def declare_agency_qualifications(
    actor: Any, organization_id: Any, declared: Mapping[Any, tuple[list[str], bool]]
) -> list[Membership]:
    """The agency admin's table: several reviewers' disciplines and may-check flags at once, all or none.

    ``declared``: reviewer membership id → (discipline keys, may check). Each row that changes goes
    through :func:`declare_disciplines` (its checks, its audit entry); a row declaring what is
    already stored is left alone, so saving the table unchanged writes nothing. 404 unless the
    agency is visible to the actor, 403 unless they administer it. Returns the changed memberships.
    """
    from zhijian.apps.review.selectors import get_agency_administered_by

    agency = get_agency_administered_by(actor, organization_id)
    ids = {key: as_uuid(key) for key in declared}
    rows = Membership.objects.select_for_update().select_related("organization", "user").filter(
        organization=agency, id__in=[i for i in ids.values() if i is not None]
    )
    reviewers = {m.id: m for m in rows}
    changed = []
    for key, (disciplines, may_check) in declared.items():
        membership = reviewers.get(ids[key])
        if membership is None or membership.role != "reviewer":
            raise InvalidInput(_("Only a reviewer's membership declares review disciplines."), code="not_a_reviewer")
        try:
            keys = _known_disciplines(disciplines)
        except InvalidInput as exc:  # the same refusal, saying whose row it is
            raise InvalidInput(_("%(person)s: %(reason)s") % {"person": membership.user, "reason": exc.detail},
                               code=exc.code) from exc
        if keys == list(membership.disciplines or []) and bool(may_check) == membership.may_check:
            continue
        changed.append(declare_disciplines(actor, membership, keys, may_check=may_check))
    return changed


def _may_staff(actor: Any, submission_id: Any) -> Submission:
    submission = _locked_submission(actor, submission_id)
    refusal = may_assign(submission.state, capacities_on(actor, submission.project_id))
    if refusal:
        raise _refuse(refusal)
    return submission


@transaction.atomic
def update_review_scope(
    actor: Any, submission_id: Any, *, disciplines: list[str] | None = None, review_class: str | None = None
) -> Submission:
    """The disciplines in scope and the time-limit class; the pending round's deadline follows the class."""
    submission = _may_staff(actor, submission_id)
    before = snapshot(submission, ("disciplines", "review_class"))
    if disciplines is not None:
        scope = _known_disciplines(disciplines)
        if not scope:
            raise InvalidInput(messages.staffing_message("empty_scope", ""), code="empty_scope")
        submission.disciplines = scope
    if review_class is not None:
        if review_class not in {key for key, *_ in review_classes()}:
            raise InvalidInput(messages.staffing_message("unknown_review_class", review_class),
                               code="unknown_review_class")
        submission.review_class = review_class
    submission.save(update_fields=["disciplines", "review_class", "updated_at"])
    pending = current_round(submission)
    if pending is not None and not pending.decision:
        due = compute_due(pending.submitted_at, submission.review_class)
        pending.due_on, pending.due_advisory = due.due, due.advisory
        pending.save(update_fields=["due_on", "due_advisory"])
    record(actor=actor, action="submission.scope", obj=submission, before=before,
           after=snapshot(submission, ("disciplines", "review_class")),
           organization=acting_organization(actor, submission.project_id), project=submission.project)
    return submission


@transaction.atomic
def assign_discipline(
    actor: Any, submission_id: Any, discipline: str, *, reviewer_id: Any = None, checker_id: Any = None
) -> DisciplineAssignment:
    """Name the reviewer and the checker of one discipline (replacing earlier ones); refused with the reason."""
    submission = _may_staff(actor, submission_id)
    scope = staffing_of(submission).scope
    reviewer, checker = candidate(submission, reviewer_id), candidate(submission, checker_id)
    refusal = assignment_refusal(discipline, reviewer, checker, scope)
    if refusal:
        raise InvalidInput(messages.staffing_message(refusal.code, discipline), code=refusal.code)
    existing = DisciplineAssignment.objects.filter(submission=submission, discipline=discipline).first()
    fields = ("discipline", "reviewer_id", "checker_id")
    before = snapshot(existing, fields) if existing else None
    assignment = existing or DisciplineAssignment(submission=submission, discipline=discipline, assigned_by=actor)
    assignment.reviewer_id = reviewer.person if reviewer else None
    assignment.checker_id = checker.person if checker else None
    assignment.assigned_by = actor
    assignment.save()
    record(actor=actor, action="discipline.assign", obj=assignment, before=before, after=snapshot(assignment, fields),
           organization=acting_organization(actor, submission.project_id), project=submission.project)
    return assignment


# -- findings: waivers and comments -----------------------------------------------------
@transaction.atomic
def waive_finding(actor: Any, finding_id: Any, reason: str) -> Waiver:
    finding = get_finding_for(actor, finding_id)
    submission = Submission.objects.select_for_update().get(id=finding.check_run.round.submission_id)
    refusal = may_waive(submission.state, capacities_on(actor, submission.project_id))
    if refusal:
        raise _refuse(refusal)
    if finding.check_run.round_id != getattr(current_round(submission), "id", None):
        raise Conflict(_("Only findings of the current round can be waived."), code="not_current_round")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        raise InvalidInput(_("A waiver needs a reason."), code="reason_required")
    if Waiver.objects.filter(finding=finding).exists():
        raise Conflict(_("This finding is already waived."), code="already_waived")
    waiver = Waiver.objects.create(finding=finding, reason=reason, waived_by=actor)
    record(actor=actor, action="finding.waive", obj=finding, before={"waived": False}, after={"waived": True},
           reason=reason, organization=acting_organization(actor, submission.project_id), project=submission.project)
    return waiver


@transaction.atomic
def add_comment(actor: Any, round_id: Any, body: str, *, finding_id: Any = None, guid: str = "") -> Comment:
    round_ = get_round_for(actor, round_id)
    submission = Submission.objects.select_for_update().get(id=round_.submission_id)
    refusal = may_comment(submission.state, capacities_on(actor, submission.project_id))
    if refusal:
        raise _refuse(refusal)
    body = (body or "").strip()
    if not body or len(body) > MAX_TEXT:
        raise InvalidInput(_("A comment of 1 to 10000 characters is required."), code="invalid")
    finding = None
    if finding_id:
        finding = Finding.objects.filter(id=finding_id, check_run__round=round_).first()
        if finding is None:
            raise InvalidInput(_("The finding is not part of this round."), code="invalid")
    guid = (guid or (finding.guid if finding else "")).strip()
    if not finding and not guid:
        raise InvalidInput(_("A comment is on a finding or on an element (its GlobalId)."), code="invalid")
    if len(guid) > 64:
        raise InvalidInput(_("A GlobalId has at most 64 characters."), code="invalid")
    comment = Comment.objects.create(round=round_, finding=finding, guid=guid, author=actor, body=body)
    record(actor=actor, action="comment.add", obj=comment, after={"round": str(round_.id), "guid": guid,
           "finding": str(finding.id) if finding else None}, project=submission.project,
           organization=acting_organization(actor, submission.project_id))
    return comment


# -- the automated check (called by the worker) -----------------------------------------
@dataclass(frozen=True)
class CheckJob:
    check_run_id: Any
    file_name: str
    pack_ids: list[str]
    building_use: str


def _system_step(submission: Submission, action: Action, reason: str = "") -> Transition | None:
    decision = decide(submission.state, action, {Capacity.SYSTEM}, Facts(reason=reason))
    if isinstance(decision, Refusal):
        return None
    before = snapshot(submission, SUBMISSION_FIELDS)
    submission.state = decision.target
    submission.save(update_fields=["state", "updated_at"])
    record(actor=None, system=SYSTEM_CHECK, action=f"submission.{action.value}", obj=submission, before=before,
           after=snapshot(submission, SUBMISSION_FIELDS), reason=reason, project=submission.project)
    return decision


@transaction.atomic
def begin_check(model_version_id: Any) -> CheckJob | None:
    """Mark the check started (submitted → checking); None when there is nothing to do.

    Idempotent: a redelivered task finds the submission already ``checking`` and runs again;
    a finished check (``done`` or ``failed``) is not repeated.
    """
    version = ModelVersion.objects.select_related("submission").filter(id=model_version_id).first()
    if version is None:
        return None
    submission = Submission.objects.select_for_update().get(id=version.submission_id)
    check_run = CheckRun.objects.select_for_update().filter(round__model_version=version).first()
    if check_run is None or check_run.status in (CheckStatus.DONE, CheckStatus.FAILED):
        return None
    if submission.state == SubmissionState.SUBMITTED:
        _system_step(submission, Action.START_CHECK)
    elif submission.state != SubmissionState.CHECKING:
        return None
    check_run.status = CheckStatus.RUNNING
    check_run.progress = 0
    check_run.attempts += 1
    check_run.started_at = timezone.now()
    check_run.message = ""
    check_run.save(update_fields=["status", "progress", "attempts", "started_at", "message"])
    return CheckJob(check_run.id, version.file.name, list(submission.pack_ids or []), submission.building_use)


def report_check_progress(check_run_id: Any, percent: int, message: str = "") -> None:
    CheckRun.objects.filter(id=check_run_id, status=CheckStatus.RUNNING).update(
        progress=max(0, min(100, int(percent))), message=message[:500]
    )


FINDING_FIELDS = (
    "rule_id", "rule_version", "standard", "clause", "mandatory", "advisory", "status", "guid", "ifc_class",
    "name", "storey", "measured", "required", "unit", "message_zh", "message_en",
)


def _text(value: Any, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@transaction.atomic
def complete_check(check_run_id: Any, report: dict[str, Any]) -> CheckRun | None:
    """Store the report and its findings (replacing any from an earlier attempt); checking → in_review."""
    check_run = CheckRun.objects.select_for_update().select_related("round").filter(id=check_run_id).first()
    if check_run is None or check_run.status != CheckStatus.RUNNING:
        return None
    submission = Submission.objects.select_for_update().get(id=check_run.round.submission_id)
    Finding.objects.filter(check_run=check_run).delete()
    rows = []
    for ordinal, item in enumerate(report.get("findings", [])):
        rows.append(Finding(
            check_run=check_run, ordinal=ordinal, rule_id=_text(item.get("rule_id"), 100),
            rule_version=_text(item.get("rule_version"), 32), standard=_text(item.get("standard"), 100),
            clause=_text(item.get("clause"), 100), mandatory=bool(item.get("mandatory")),
            advisory=bool(item.get("advisory")),
            status="missing_data" if item.get("status") == "missing_data" else "fail",
            guid=_text(item.get("guid"), 64), ifc_class=_text(item.get("ifc_class"), 64),
            name=_text(item.get("name"), 255), storey=_text(item.get("storey"), 255),
            measured=_number(item.get("measured")), required=_number(item.get("required")),
            unit=_text(item.get("unit"), 16), message_zh=_text(item.get("message_zh"), MAX_TEXT),
            message_en=_text(item.get("message_en"), MAX_TEXT),
        ))
    Finding.objects.bulk_create(rows, batch_size=500)
    check_run.report = report
    check_run.pack_versions = [{"id": p.get("id"), "version": p.get("version")} for p in report.get("packs", [])]
    check_run.summary = report.get("summary", {})
    check_run.status = CheckStatus.DONE
    check_run.progress = 100
    check_run.message = ""
    check_run.finished_at = timezone.now()
    check_run.save()
    # This round's diff counts, and the next round's if there is one (it compares against these findings).
    round_ = check_run.round
    store_diff_counts(list(Round.objects.filter(submission_id=round_.submission_id,
                                                number__in=(round_.number, round_.number + 1))
                           .values_list("id", flat=True)))
    _system_step(submission, Action.FINISH_CHECK)
    record(actor=None, system=SYSTEM_CHECK, action="check_run.complete", obj=check_run,
           after={"findings": len(rows), "packs": check_run.pack_versions, "summary": check_run.summary},
           project=submission.project)
    return check_run


def store_diff_counts(round_ids: list[Any]) -> int:
    """Store ``Round.diff_counts`` of these rounds; a round whose check is not done gets null."""
    ids = list(round_ids)
    counts = diff_counts_of_rounds(ids)
    stale = [Round(id=rid, diff_counts=counts.get(rid)) for rid in ids]
    return Round.objects.bulk_update(stale, ["diff_counts"], batch_size=500)


@transaction.atomic
def fail_check(check_run_id: Any, reason: str) -> CheckRun | None:
    """The model could not be checked: record why and return the submission to the designer."""
    check_run = CheckRun.objects.select_for_update().select_related("round").filter(id=check_run_id).first()
    if check_run is None or check_run.status in (CheckStatus.DONE, CheckStatus.FAILED):
        return None
    submission = Submission.objects.select_for_update().get(id=check_run.round.submission_id)
    reason = (reason or "the check failed").strip()[:500]
    check_run.status = CheckStatus.FAILED
    check_run.message = reason
    check_run.finished_at = timezone.now()
    check_run.save(update_fields=["status", "message", "finished_at"])
    _system_step(submission, Action.FAIL_CHECK, reason=reason)
    record(actor=None, system=SYSTEM_CHECK, action="check_run.fail", obj=check_run, after={"message": reason},
           reason=reason, project=submission.project)
    return check_run


# -- BCF replies from the designer ------------------------------------------------------
@dataclass(frozen=True)
class BcfImport:
    version: str
    topics: int
    matched: int
    comments: int  # comments added (already imported ones are not added again)
    unmatched: tuple[str, ...]  # titles of topics that answer no finding of this round


MAX_BCF_BYTES = 50 * 1024 * 1024


@transaction.atomic
def import_bcf_replies(actor: Any, round_id: Any, upload: UploadedFile | None, *,
                       refused_too_large: bool = False) -> BcfImport:
    """The designer's BCF file (our export, answered): each comment becomes a comment on the
    findings its topic names, matched by (rule id, GlobalId). Importing a file twice adds nothing."""
    from zhijian.domain.review.bcf_replies import match_replies, read_replies

    round_ = get_round_for(actor, round_id)
    submission = Submission.objects.select_for_update().get(id=round_.submission_id)
    refusal = may_comment(submission.state, capacities_on(actor, submission.project_id))
    if refusal:
        raise _refuse(refusal)
    if refused_too_large or (upload is not None and (upload.size or 0) > min(MAX_BCF_BYTES, max_upload_bytes())):
        raise PayloadTooLarge(_("The BCF file is too large."), code="file_too_large")
    if upload is None:
        raise InvalidInput(_("Choose a BCF file to import."), code="file_missing")
    upload.seek(0)
    try:
        replies = read_replies(upload.read())
    except InputError as exc:
        raise InvalidInput(_("Not a readable BCF file: %(reason)s") % {"reason": str(exc)}, code=exc.code) from exc
    findings = list(Finding.objects.filter(check_run__round=round_))
    matched, unmatched = match_replies(replies.replies, findings)
    existing = set(Comment.objects.filter(round=round_).values_list("finding_id", "body"))
    added = 0
    for match in matched:
        for comment in match.reply.comments:
            text = comment.text.strip()
            if not text:
                continue
            body = f"{comment.author}: {text}" if comment.author else text
            for finding in match.findings:
                if (finding.id, body[:MAX_TEXT]) in existing:
                    continue
                Comment.objects.create(round=round_, finding=finding, guid=finding.guid, author=actor,
                                       body=body[:MAX_TEXT])
                existing.add((finding.id, body[:MAX_TEXT]))
                added += 1
    result = BcfImport(replies.version, len(replies.replies), len(matched), added,
                       tuple(r.title for r in unmatched))
    record(actor=actor, action="round.import_bcf", obj=round_,
           after={"file": (upload.name or "")[:200], "version": result.version, "topics": result.topics,
                  "matched": result.matched, "comments": added, "unmatched": len(unmatched)},
           organization=acting_organization(actor, submission.project_id), project=submission.project)
    return result


# -- report downloads -------------------------------------------------------------------
REPORT_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8", "bcf": "application/octet-stream",
                "csv": "text/csv; charset=utf-8"}


def render_report(round_: Round, fmt: str, lang: str = "zh") -> tuple[str, bytes, str]:
    """(file name, content, content type) of the round's report in a derived format."""
    import tempfile
    from pathlib import Path

    from zhijian.domain.reports import writers

    check = getattr(round_, "check_run", None)
    if check is None or check.report is None:
        raise Conflict(_("The check has not finished yet."), code="no_report")
    available = writers()
    if fmt not in available or fmt not in REPORT_TYPES:
        raise InvalidInput(_("Unknown report format; available: %(formats)s") % {"formats": ", ".join(available)},
                           code="invalid")
    with tempfile.TemporaryDirectory() as tmp:
        path = available[fmt](check.report, Path(tmp), "en" if lang == "en" else "zh")
        content = path.read_bytes()
    stem = f"{round_.submission.project.code}-round{round_.number}"
    return f"{stem}-{path.name}", content, REPORT_TYPES[fmt]
