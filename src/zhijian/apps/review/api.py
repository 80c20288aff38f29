"""API: submissions and their transitions, model versions (upload, download), rounds, findings,
the round diff, comments and waivers. Everything is read through the tenant restriction."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhijian.apps.audit.selectors import list_audit_entries_for
from zhijian.apps.common.errors import Conflict, InvalidInput
from zhijian.apps.common.http import attachment
from zhijian.apps.common.pagination import LimitOffsetPagination
from zhijian.apps.projects.selectors import capacities_on
from zhijian.apps.review import letters, selectors, services
from zhijian.apps.review.models import CheckRun, Finding, ModelVersion, Round, Submission
from zhijian.apps.review.staffing import DeadlineInfo, candidates_for, deadline_of, staffing_of
from zhijian.apps.review.uploads import refused_uploads
from zhijian.domain.errors import LetterError
from zhijian.domain.review.workflow import available_actions

router = Router(tags=["review"])


# -- schemas ----------------------------------------------------------------------------
class CheckRunOut(Schema):
    id: UUID
    status: str
    progress: int
    message: str
    attempts: int
    queued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    pack_versions: list[dict[str, Any]]
    summary: dict[str, Any]


class RoundOut(Schema):
    id: UUID
    submission_id: UUID
    number: int
    model_version_id: UUID
    submitted_at: dt.datetime
    decision: str
    opinion: str
    decided_at: dt.datetime | None
    due_on: dt.date | None
    due_advisory: bool
    letter_number: str
    signatories: list[dict[str, Any]]
    check: CheckRunOut | None

    @staticmethod
    def resolve_check(obj: Round) -> CheckRun | None:
        try:
            return obj.check_run
        except CheckRun.DoesNotExist:
            return None


def _deadline(obj: Submission | dict[str, Any]) -> DeadlineInfo | None:
    """The deadline of the round under review, computed once per object (lists prefetch the rounds)."""
    if isinstance(obj, dict):  # a detail built by _detail() carries the values already
        if obj.get("deadline") is None:
            return None
        return DeadlineInfo(obj["deadline"], obj["working_days_left"], obj["overdue"], obj["deadline_advisory"])
    if not hasattr(obj, "_deadline_info"):
        cache = getattr(obj, "_prefetched_objects_cache", {})
        rounds = list(cache["rounds"]) if "rounds" in cache else None
        obj._deadline_info = deadline_of(obj, rounds)  # type: ignore[attr-defined]
    return obj._deadline_info  # type: ignore[attr-defined]


class SubmissionOut(Schema):
    id: UUID
    project_id: UUID
    building_id: UUID | None
    title: str
    state: str
    building_use: str
    pack_ids: list[str]
    review_class: str
    disciplines: list[str]
    deadline: dt.date | None
    working_days_left: int | None
    overdue: bool
    deadline_advisory: bool | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_deadline(obj: Submission) -> dt.date | None:
        info = _deadline(obj)
        return info.due if info else None

    @staticmethod
    def resolve_working_days_left(obj: Submission) -> int | None:
        info = _deadline(obj)
        return info.working_days_left if info else None

    @staticmethod
    def resolve_overdue(obj: Submission) -> bool:
        info = _deadline(obj)
        return bool(info and info.overdue)

    @staticmethod
    def resolve_deadline_advisory(obj: Submission) -> bool | None:
        info = _deadline(obj)
        return info.advisory if info else None


class SubmissionDetailOut(SubmissionOut):
    current_round: RoundOut | None
    actions: list[str]


class SubmissionIn(Schema):
    project_id: UUID
    title: str
    building_id: UUID | None = None
    building_use: str = "residential"
    pack_ids: list[str] = []


class TransitionIn(Schema):
    action: str
    reason: str = ""


class ModelVersionOut(Schema):
    id: UUID
    submission_id: UUID
    sequence: int
    original_name: str
    size_bytes: int
    sha256: str
    ifc_schema: str
    zipped: bool
    created_at: dt.datetime
    status: str
    progress: int
    message: str

    @staticmethod
    def resolve_ifc_schema(obj: ModelVersion) -> str:
        return obj.schema

    @staticmethod
    def _check(obj: ModelVersion) -> CheckRun | None:
        try:
            return obj.round.check_run
        except (Round.DoesNotExist, CheckRun.DoesNotExist):
            return None

    @staticmethod
    def resolve_status(obj: ModelVersion) -> str:
        check = ModelVersionOut._check(obj)
        return check.status if check else "uploaded"

    @staticmethod
    def resolve_progress(obj: ModelVersion) -> int:
        check = ModelVersionOut._check(obj)
        return check.progress if check else 0

    @staticmethod
    def resolve_message(obj: ModelVersion) -> str:
        check = ModelVersionOut._check(obj)
        return check.message if check else ""


class FindingOut(Schema):
    id: UUID
    round_id: UUID
    rule_id: str
    rule_version: str
    standard: str
    clause: str
    mandatory: bool
    advisory: bool
    status: str
    guid: str
    ifc_class: str
    name: str
    storey: str
    measured: float | None
    required: float | None
    unit: str
    message_zh: str
    message_en: str
    waived: bool
    waiver_reason: str

    @staticmethod
    def resolve_round_id(obj: Finding) -> UUID:
        return obj.check_run.round_id

    @staticmethod
    def resolve_waived(obj: Finding) -> bool:
        return hasattr(obj, "waiver")

    @staticmethod
    def resolve_waiver_reason(obj: Finding) -> str:
        return obj.waiver.reason if hasattr(obj, "waiver") else ""


class DiffEntryOut(Schema):
    change: str
    rule_id: str
    guid: str
    occurrence: int
    finding_id: UUID | None
    previous_finding_id: UUID | None
    status: str
    measured_before: float | None
    measured_after: float | None
    delta: float | None
    unit: str


class DiffOut(Schema):
    round_id: UUID
    round_number: int
    previous_round_id: UUID | None
    counts: dict[str, int]
    has_delta: bool
    entries: list[DiffEntryOut]


class CommentIn(Schema):
    body: str
    guid: str = ""
    finding_id: UUID | None = None


class CommentOut(Schema):
    id: UUID
    round_id: UUID
    finding_id: UUID | None
    guid: str
    author: str
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class WaiverIn(Schema):
    reason: str


class WaiverOut(Schema):
    finding_id: UUID
    reason: str
    waived_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_waived_by(obj: Any) -> str:
        return str(obj.waived_by)


class AuditOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label


def _detail(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    out = SubmissionOut.from_orm(submission).dict()
    latest = selectors.current_round(submission)
    out["current_round"] = latest
    out["actions"] = [a.value for a in available_actions(submission.state, capacities_on(request.user, submission.project_id))]
    return out


# -- submissions ------------------------------------------------------------------------
@router.get("/submissions", response=list[SubmissionOut], summary="Submissions visible to you")
@paginate(LimitOffsetPagination)
def list_submissions(  # type: ignore[no-untyped-def]
    request: HttpRequest, state: str | None = None, project_id: UUID | None = None, ordering: str | None = None,
):
    """``ordering=deadline``: the round under review due first, then the others."""
    submissions = selectors.list_submissions_for(request.user).prefetch_related("rounds")
    if state:
        submissions = submissions.filter(state=state)
    if project_id:
        submissions = submissions.filter(project_id=project_id)
    if ordering == "deadline":
        submissions = selectors.order_by_deadline(submissions)
    elif ordering:
        raise InvalidInput("ordering is 'deadline' or absent", code="invalid")
    return submissions


@router.post("/submissions", response={201: SubmissionDetailOut}, summary="Create a draft submission")
def create_submission(request: HttpRequest, payload: SubmissionIn) -> Status:
    submission = services.create_submission(
        request.user, project_id=payload.project_id, title=payload.title, building_id=payload.building_id,
        building_use=payload.building_use, pack_ids=payload.pack_ids,
    )
    return Status(201, _detail(request, submission))


@router.get("/submissions/{uuid:submission_id}", response=SubmissionDetailOut)
def get_submission(request: HttpRequest, submission_id: UUID) -> dict[str, Any]:
    return _detail(request, selectors.get_submission_for(request.user, submission_id))


@router.post(
    "/submissions/{uuid:submission_id}/transitions", response=SubmissionDetailOut,
    summary="Submit, return (with the opinion as reason) or approve",
)
def transition(request: HttpRequest, submission_id: UUID, payload: TransitionIn) -> dict[str, Any]:
    result = services.transition_submission(request.user, submission_id, payload.action, payload.reason)
    return _detail(request, result.submission)


@router.get("/submissions/{uuid:submission_id}/history", response=list[AuditOut], summary="The audit log of a submission")
@paginate(LimitOffsetPagination)
def submission_history(request: HttpRequest, submission_id: UUID):  # type: ignore[no-untyped-def]
    submission = selectors.get_submission_for(request.user, submission_id)
    return list_audit_entries_for(request.user, object_id=submission.id)


@router.get("/submissions/{uuid:submission_id}/rounds", response=list[RoundOut])
def list_rounds(request: HttpRequest, submission_id: UUID) -> Any:
    submission = selectors.get_submission_for(request.user, submission_id)
    return selectors.list_rounds_of(request.user, submission)


# -- model versions ---------------------------------------------------------------------
@router.post(
    "/submissions/{uuid:submission_id}/models", response={201: ModelVersionOut},
    summary="Upload an IFC model (multipart field 'file'); checked, hashed and size-limited",
)
def upload_model(request: HttpRequest, submission_id: UUID, file: UploadedFile = File(None)) -> Status:  # noqa: B008
    version = services.upload_model_version(
        request.user, submission_id, file, refused_too_large=bool(refused_uploads(request))
    )
    return Status(201, version)


@router.get("/submissions/{uuid:submission_id}/models", response=list[ModelVersionOut])
def list_models(request: HttpRequest, submission_id: UUID) -> Any:
    submission = selectors.get_submission_for(request.user, submission_id)
    return selectors.list_model_versions_of(request.user, submission)


@router.get("/models/{uuid:model_version_id}", response=ModelVersionOut)
def get_model(request: HttpRequest, model_version_id: UUID) -> ModelVersion:
    return selectors.get_model_version_for(request.user, model_version_id)


@router.get("/models/{uuid:model_version_id}/file", summary="Download the stored IFC file")
def download_model(request: HttpRequest, model_version_id: UUID) -> FileResponse:
    version = selectors.get_model_version_for(request.user, model_version_id)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                        content_type="application/x-step")


# -- rounds, findings, diff -------------------------------------------------------------
@router.get("/rounds/{uuid:round_id}", response=RoundOut)
def get_round(request: HttpRequest, round_id: UUID) -> Round:
    return selectors.get_round_for(request.user, round_id)


@router.get(
    "/rounds/{uuid:round_id}/report",
    summary="The round's check report: the canonical JSON (version 1), or derived HTML, BCF or CSV",
)
def get_report(request: HttpRequest, round_id: UUID, format: str = "json", lang: str = "zh") -> Any:
    round_ = selectors.get_round_for(request.user, round_id)
    check = getattr(round_, "check_run", None)
    if check is None or check.report is None:
        raise Http404("no report yet")
    if format == "json":
        return check.report
    name, content, content_type = services.render_report(round_, format, lang)
    return attachment(content, content_type, name)


class BcfImportOut(Schema):
    version: str
    topics: int
    matched: int
    comments: int
    unmatched: list[str]


@router.post(
    "/rounds/{uuid:round_id}/bcf", response={201: BcfImportOut},
    summary="Import the designer's BCF replies (multipart field 'file'): comments on the findings they answer",
)
def import_bcf(request: HttpRequest, round_id: UUID, file: UploadedFile = File(None)) -> Status:  # noqa: B008
    result = services.import_bcf_replies(request.user, round_id, file, refused_too_large=bool(refused_uploads(request)))
    return Status(201, {"version": result.version, "topics": result.topics, "matched": result.matched,
                        "comments": result.comments, "unmatched": list(result.unmatched)})


@router.get("/rounds/{uuid:round_id}/findings", response=list[FindingOut])
@paginate(LimitOffsetPagination)
def list_findings(request: HttpRequest, round_id: UUID, status: str | None = None, mandatory: bool | None = None):  # type: ignore[no-untyped-def]
    round_ = selectors.get_round_for(request.user, round_id)
    findings = selectors.list_findings_of(request.user, round_).select_related("check_run").defer(selectors.REPORT)
    if status:
        findings = findings.filter(status=status)
    if mandatory is not None:
        findings = findings.filter(mandatory=mandatory)
    return findings


@router.get("/rounds/{uuid:round_id}/diff", response=DiffOut, summary="What changed since the previous round")
def get_diff(request: HttpRequest, round_id: UUID) -> dict[str, Any]:
    comparison = selectors.get_round_diff_for(request.user, round_id)
    entries = []
    for entry in comparison.diff.entries:
        current, before = entry.after, entry.before
        entries.append({
            "change": entry.change.value, "rule_id": entry.rule_id, "guid": entry.guid, "occurrence": entry.key[2],
            "finding_id": current.ref if current else None, "previous_finding_id": before.ref if before else None,
            "status": (current or before).status,  # type: ignore[union-attr]
            "measured_before": before.measured if before else None,
            "measured_after": current.measured if current else None,
            "delta": entry.delta, "unit": (current or before).unit,  # type: ignore[union-attr]
        })
    return {
        "round_id": comparison.round.id, "round_number": comparison.round.number,
        "previous_round_id": comparison.previous.id if comparison.previous else None,
        "counts": comparison.diff.counts, "has_delta": comparison.diff.has_delta, "entries": entries,
    }


@router.get(
    "/rounds/{uuid:round_id}/letter",
    summary="The round's letter: 审查意见告知书 (returned) or 审查合格书 (approved), as HTML or PDF",
)
def get_letter(request: HttpRequest, round_id: UUID, format: str = "html", lang: str = "zh") -> HttpResponse:
    round_ = selectors.get_round_for(request.user, round_id)
    if not round_.decision:
        raise Http404("the round has no decision yet")
    if format not in ("html", "pdf") or lang not in ("zh", "en"):
        raise InvalidInput("format is html or pdf, lang is zh or en", code="invalid")
    try:
        if format == "pdf":
            name, pdf = letters.letter_pdf(round_, lang)
            return attachment(pdf, "application/pdf", name)
        return HttpResponse(letters.letter_html(round_, lang), content_type="text/html; charset=utf-8")
    except LetterError as exc:
        raise Conflict(str(exc), code=exc.code) from exc


@router.get("/findings/{uuid:finding_id}", response=FindingOut)
def get_finding(request: HttpRequest, finding_id: UUID) -> Finding:
    return selectors.get_finding_for(request.user, finding_id)


@router.post("/findings/{uuid:finding_id}/waiver", response={201: WaiverOut}, summary="Waive a finding, with the reason")
def waive(request: HttpRequest, finding_id: UUID, payload: WaiverIn) -> Status:
    return Status(201, services.waive_finding(request.user, finding_id, payload.reason))


@router.get("/rounds/{uuid:round_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, round_id: UUID) -> Any:
    round_ = selectors.get_round_for(request.user, round_id)
    return selectors.list_comments_of(request.user, round_)


@router.post("/rounds/{uuid:round_id}/comments", response={201: CommentOut}, summary="Comment on an element or a finding")
def add_comment(request: HttpRequest, round_id: UUID, payload: CommentIn) -> Status:
    comment = services.add_comment(request.user, round_id, payload.body, finding_id=payload.finding_id, guid=payload.guid)
    return Status(201, comment)


# -- the agency's staffing: disciplines in scope, reviewer and checker of each -----------
class PersonOut(Schema):
    id: UUID
    name: str


class StaffingRowOut(Schema):
    discipline: str
    name: str
    reviewer: PersonOut | None
    checker: PersonOut | None


class CandidateOut(Schema):
    id: UUID
    name: str
    disciplines: list[str]
    may_check: bool


class GapOut(Schema):
    discipline: str
    missing: list[str]


class StaffingOut(Schema):
    submission_id: UUID
    review_class: str
    declared_scope: list[str]
    scope: list[str]
    rows: list[StaffingRowOut]
    gaps: list[GapOut]
    complete: bool
    candidates: list[CandidateOut]


class AssignmentIn(Schema):
    discipline: str
    reviewer_id: UUID | None = None
    checker_id: UUID | None = None


class ScopeIn(Schema):
    disciplines: list[str] | None = None
    review_class: str | None = None


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.id, "name": str(user)} if user is not None else None


def _staffing(submission: Submission) -> dict[str, Any]:
    staffing = staffing_of(submission)
    return {
        "submission_id": submission.id, "review_class": submission.review_class,
        "declared_scope": list(submission.disciplines or []), "scope": staffing.scope,
        "rows": [{"discipline": r.discipline, "name": r.name, "reviewer": _person(r.reviewer),
                  "checker": _person(r.checker)} for r in staffing.rows],
        "gaps": [{"discipline": g.discipline, "missing": list(g.missing)} for g in staffing.gaps],
        "complete": staffing.complete,
        "candidates": [{"id": c.user.id, "name": str(c.user), "disciplines": sorted(c.disciplines),
                        "may_check": c.may_check} for c in candidates_for(submission)],
    }


@router.get("/submissions/{uuid:submission_id}/staffing", response=StaffingOut,
            summary="Disciplines in scope with their reviewer and checker, what is missing, who may be assigned")
def get_staffing(request: HttpRequest, submission_id: UUID) -> dict[str, Any]:
    return _staffing(selectors.get_submission_for(request.user, submission_id))


@router.post("/submissions/{uuid:submission_id}/assignments", response=StaffingOut,
             summary="Assign the reviewer and the checker of one discipline (the review agency)")
def assign(request: HttpRequest, submission_id: UUID, payload: AssignmentIn) -> dict[str, Any]:
    services.assign_discipline(request.user, submission_id, payload.discipline, reviewer_id=payload.reviewer_id,
                               checker_id=payload.checker_id)
    return _staffing(selectors.get_submission_for(request.user, submission_id))


@router.post("/submissions/{uuid:submission_id}/scope", response=StaffingOut,
             summary="Set the disciplines in scope and the review class (the review agency)")
def set_scope(request: HttpRequest, submission_id: UUID, payload: ScopeIn) -> dict[str, Any]:
    services.update_review_scope(request.user, submission_id, disciplines=payload.disciplines,
                                 review_class=payload.review_class)
    return _staffing(selectors.get_submission_for(request.user, submission_id))


class QualificationIn(Schema):
    disciplines: list[str]
    may_check: bool = False


class QualificationOut(Schema):
    membership_id: UUID
    user_id: UUID
    user: str
    organization_id: UUID
    disciplines: list[str]
    may_check: bool


@router.post("/reviewer-memberships/{uuid:membership_id}/disciplines", response=QualificationOut,
             summary="Declare a reviewer's disciplines and whether they may check (their organisation's admin)")
def declare_disciplines(request: HttpRequest, membership_id: UUID, payload: QualificationIn) -> dict[str, Any]:
    m = services.declare_reviewer_disciplines(request.user, membership_id, payload.disciplines,
                                              may_check=payload.may_check)
    return {"membership_id": m.id, "user_id": m.user_id, "user": str(m.user), "organization_id": m.organization_id,
            "disciplines": m.disciplines, "may_check": m.may_check}
