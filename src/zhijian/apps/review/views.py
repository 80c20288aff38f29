"""Review pages. Each view translates the request into a selector or service call and renders.

A refused change re-renders the submission page with the reason and the matching status
(403, 409, 413, 422); nothing is stored.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zhijian.apps.common import page_cache
from zhijian.apps.common.errors import ServiceError
from zhijian.apps.common.http import attachment
from zhijian.apps.common.ids import as_uuid
from zhijian.apps.common.locale import is_english, short_language
from zhijian.apps.projects.selectors import capacities_on
from zhijian.apps.review import letters, selectors, services
from zhijian.apps.review.choices import ACTION_LABELS, SubmissionState
from zhijian.apps.review.models import CheckRun, Submission
from zhijian.apps.review.staffing import candidates_for, deadline_of, staffing_of
from zhijian.apps.review.uploads import max_upload_bytes, refused_uploads
from zhijian.domain.errors import LetterError
from zhijian.domain.review.deadlines import review_classes
from zhijian.domain.review.disciplines import default_table
from zhijian.domain.review.workflow import (
    Action,
    Capacity,
    available_actions,
    may_assign,
    may_comment,
    may_upload,
    may_waive,
)

_PLACEHOLDER = UUID(int=0)


def _href_around(name: str) -> tuple[str, str]:
    """What comes before and after the id in the URL ``name`` takes one UUID: one ``reverse``
    a page instead of one a row (each costs more than the rest of the row's link)."""
    before, found, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    assert found, name
    return before, after


def _due_text(deadline: Any) -> str:
    # Same msgids as a {% blocktranslate count %}: the catalogue is shared with the templates.
    if deadline is None:
        return ""
    if deadline.overdue:
        n = deadline.days_overdue
        return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", n) % {"n": n}
    n = deadline.working_days_left
    return ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.QUEUE_SORTS else ""
    page = _page_number(request.GET.get("page"))
    kept = page_cache.slot(request, "review-queue", sort, page)
    shown: dict[str, int] = {}

    def build() -> str:
        context = _dashboard_context(request, sort, page)
        shown["page"] = context["queue_page"].number
        return page_cache.render_fragment(request, "review/_dashboard_content.html", context)

    # Only pages that exist are kept: ?page=99999 shows the last page, and must not be a new
    # cache entry for every number a client sends.
    content = kept.fill(build, keep=lambda: shown["page"] == page)
    return render(request, "review/dashboard.html", {"content": content})


def _page_number(value: str | None) -> int:
    """A page asked for, as a number (the selector clamps it to the pages there are)."""
    try:
        return min(max(int(value or 1), 1), 100_000)
    except ValueError:
        return 1


def _dashboard_context(request: HttpRequest, sort: str, page: int) -> dict[str, Any]:
    queue = selectors.review_queue_page_for(request.user, page, sort=sort)
    recent = list(selectors.list_submission_rows_for(request.user).order_by("-updated_at")[:20])
    # Per-row labels computed here, once per distinct value, not by template tags in the loops.
    states = {value: str(label) for value, label in SubmissionState.choices}
    for item in queue.items:
        item.submission.state_label = states.get(item.submission.state, item.submission.state)
        item.submission.due_text = _due_text(item.deadline)
    for row in recent:
        row.state_label = states.get(row.state, row.state)
    submission_href = _href_around("review:submission")
    diff_href = _href_around("review:round_diff")
    project_href = _href_around("projects:detail")
    return {
        "queue": queue.items,
        "queue_page": queue,
        "sort": sort,
        "recent": recent,
        "counts": selectors.state_counts_for(request.user),
        "submission_href": submission_href[0], "submission_href_end": submission_href[1],
        "diff_href": diff_href[0], "diff_href_end": diff_href[1],
        "project_href": project_href[0], "project_href_end": project_href[1],
    }


def _submission_context(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    held = capacities_on(request.user, submission.project_id)
    latest = selectors.current_round(submission)  # with its report: the staffing reads its rules' disciplines
    rounds = list(selectors.list_rounds_of(request.user, submission).order_by("-number"))
    check = _check_of(latest)
    found = selectors.round_findings_for(request.user, latest, rounds, checked=check is not None and check.status == "done")
    actions = [(a.value, ACTION_LABELS[a]) for a in available_actions(submission.state, held)]
    return {
        "submission": submission,
        "project": submission.project,
        "round": latest,
        "check": check,
        "rounds": rounds,
        "versions": selectors.list_model_versions_of(request.user, submission),
        "findings": found.findings,
        "changes": found.changes,
        "comparison": found.comparison,
        "blocking": found.blocking,
        "comments": selectors.list_comments_of(request.user, latest) if latest else [],
        "actions": actions,
        "reason_actions": [Action.RETURN.value],
        "may_upload": may_upload(submission.state, held) is None,
        "may_waive": may_waive(submission.state, held) is None,
        "may_comment": may_comment(submission.state, held) is None,
        "is_reviewer": Capacity.REVIEWER in held,
        "max_upload_mb": f"{max_upload_bytes() / 1e6:.0f}",
        "report_formats": ("json", "html", "bcf", "csv"),
        "viewer": _viewer_built(),
        **dict(zip(("waive_href", "waive_href_end"), _href_around("review:finding_waive"), strict=True)),
        **_staffing_context(submission, latest, held, rounds, found.rule_ids),
    }


def _staffing_context(submission: Submission, latest: Any, held: frozenset[Capacity], rounds: list[Any],
                      rule_ids: set[str] | None) -> dict[str, Any]:
    """The signature table being formed (discipline × reviewer × checker), the scope and the deadline."""
    staffing = staffing_of(submission, latest, rule_ids=rule_ids)
    candidates = candidates_for(submission)
    en = is_english()
    class_labels = {key: en_label if en else zh for key, zh, en_label, _ in review_classes()}
    rows = [
        {
            "row": row,
            "reviewers": [c.user for c in candidates if row.discipline in c.disciplines],
            "checkers": [c.user for c in candidates if row.discipline in c.disciplines and c.may_check],
        }
        for row in staffing.rows
    ]
    return {
        "staffing": staffing,
        "staffing_rows": rows,
        "may_assign": may_assign(submission.state, held) is None,
        "all_disciplines": [(d.key, d.name(en)) for d in default_table().assignable()],
        "review_classes": list(class_labels.items()),
        "review_class_label": class_labels.get(submission.review_class, submission.review_class),
        "deadline": deadline_of(submission, rounds),
    }


def _viewer_built() -> bool:
    """The 3D viewer is shown once `make frontend` has built it."""
    from django.contrib.staticfiles import finders

    return bool(finders.find("viewer/zhijian-viewer.js"))


def _check_of(round_: Any) -> CheckRun | None:
    if round_ is None:
        return None
    try:
        return round_.check_run
    except CheckRun.DoesNotExist:
        return None


def _render_submission(request: HttpRequest, submission_id: UUID, *, error: ServiceError | None = None) -> HttpResponse:
    kept = page_cache.slot(request, "submission", submission_id)  # before the submission is read
    submission = selectors.get_submission_for(request.user, submission_id)

    def build() -> str:
        context = {**_submission_context(request, submission), "error": error}
        return page_cache.render_fragment(request, "review/_submission_content.html", context)

    content = kept.fill(build, keep=error is None)
    return render(request, "review/submission_detail.html", {
        "content": content, "submission": submission, "error": error,
        "refresh": submission.state in ("submitted", "checking"),
    }, status=error.status if error else 200)


@login_required
def submission_detail(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    return _render_submission(request, submission_id)


@login_required
@require_POST
def submission_create(request: HttpRequest, project_id: UUID) -> HttpResponse:
    try:
        submission = services.create_submission(
            request.user, project_id=project_id, title=request.POST.get("title", ""),
            building_id=request.POST.get("building_id") or None,
            building_use=request.POST.get("building_use", "residential"),
        )
    except ServiceError as exc:
        messages.error(request, exc.detail)
        return redirect("projects:detail", project_id=project_id)
    messages.success(request, _("Draft submission created. Upload the model next."))
    return redirect("review:submission", submission_id=submission.id)


@login_required
@require_POST
def submission_upload(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    try:
        version = services.upload_model_version(
            request.user, submission_id, request.FILES.get("file"), refused_too_large=bool(refused_uploads(request))
        )
    except ServiceError as exc:
        return _render_submission(request, submission_id, error=exc)
    messages.success(request, _("Model version %(n)s stored (%(schema)s, SHA-256 %(sha)s…).")
                     % {"n": version.sequence, "schema": version.schema, "sha": version.sha256[:12]})
    return redirect("review:submission", submission_id=submission_id)


@login_required
@require_POST
def submission_transition(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        services.transition_submission(request.user, submission_id, action, request.POST.get("reason", ""))
    except ServiceError as exc:
        return _render_submission(request, submission_id, error=exc)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS.get(action, action)})
    return redirect("review:submission", submission_id=submission_id)


@login_required
@require_POST
def submission_assign(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    try:
        services.assign_discipline(request.user, submission_id, request.POST.get("discipline", ""),
                                   reviewer_id=_uuid_or_none(request.POST.get("reviewer_id")),
                                   checker_id=_uuid_or_none(request.POST.get("checker_id")))
    except ServiceError as exc:
        return _render_submission(request, submission_id, error=exc)
    messages.success(request, _("Reviewer and checker assigned."))
    return redirect("review:submission", submission_id=submission_id)


@login_required
@require_POST
def submission_scope(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    try:
        services.update_review_scope(request.user, submission_id, disciplines=request.POST.getlist("disciplines"),
                                     review_class=request.POST.get("review_class") or None)
    except ServiceError as exc:
        return _render_submission(request, submission_id, error=exc)
    messages.success(request, _("Review scope saved."))
    return redirect("review:submission", submission_id=submission_id)


def _uuid_or_none(value: str | None) -> UUID | str | None:
    """A form's user id; anything that is not a UUID is passed on and refused as not in the agency."""
    return (as_uuid(value) or value) if value else None


@login_required
@require_POST
def finding_waive(request: HttpRequest, finding_id: UUID) -> HttpResponse:
    finding = selectors.get_finding_for(request.user, finding_id)
    submission_id = finding.check_run.round.submission_id
    try:
        services.waive_finding(request.user, finding_id, request.POST.get("reason", ""))
    except ServiceError as exc:
        return _render_submission(request, submission_id, error=exc)
    messages.success(request, _("Finding waived."))
    return redirect("review:submission", submission_id=submission_id)


@login_required
@require_POST
def round_comment(request: HttpRequest, round_id: UUID) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, round_id)
    try:
        services.add_comment(request.user, round_id, request.POST.get("body", ""),
                             finding_id=request.POST.get("finding_id") or None, guid=request.POST.get("guid", ""))
    except ServiceError as exc:
        return _render_submission(request, round_.submission_id, error=exc)
    messages.success(request, _("Comment added."))
    return redirect("review:submission", submission_id=round_.submission_id)


@login_required
def round_report(request: HttpRequest, round_id: UUID, fmt: str) -> HttpResponse:
    """The check report of a round as a download: json, html, bcf or csv."""
    round_ = selectors.get_round_for(request.user, round_id)
    try:
        name, content, content_type = services.render_report(round_, fmt, short_language())
    except ServiceError as exc:
        return _render_submission(request, round_.submission_id, error=exc)
    return attachment(content, content_type, name)


@login_required
@require_POST
def round_bcf_import(request: HttpRequest, round_id: UUID) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, round_id)
    try:
        result = services.import_bcf_replies(request.user, round_id, request.FILES.get("file"),
                                             refused_too_large=bool(refused_uploads(request)))
    except ServiceError as exc:
        return _render_submission(request, round_.submission_id, error=exc)
    messages.success(request, _("BCF %(version)s: %(topics)s topics, %(matched)s matched, %(comments)s comments added.")
                     % {"version": result.version, "topics": result.topics, "matched": result.matched,
                        "comments": result.comments})
    return redirect("review:submission", submission_id=round_.submission_id)


@login_required
def round_diff(request: HttpRequest, round_id: UUID) -> HttpResponse:
    comparison = selectors.get_round_diff_for(request.user, round_id)
    return render(request, "review/round_diff.html", {
        "comparison": comparison, "round": comparison.round, "submission": comparison.round.submission,
        "entries": comparison.diff.entries, "counts": comparison.diff.counts,
    })


@login_required
def round_letter(request: HttpRequest, round_id: UUID) -> HttpResponse:
    """The letter of a decided round: 审查意见告知书 (returned) or 审查合格书 (approved), HTML."""
    round_ = selectors.get_round_for(request.user, round_id)
    if not round_.decision:
        raise Http404("the round has no decision yet")
    try:
        return HttpResponse(letters.letter_html(round_, short_language()))
    except LetterError as exc:  # e.g. a return for reasons outside the model: the plain letter
        return _plain_letter(request, round_, str(exc))


@login_required
def round_letter_pdf(request: HttpRequest, round_id: UUID) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, round_id)
    if not round_.decision:
        raise Http404("the round has no decision yet")
    try:
        name, pdf = letters.letter_pdf(round_, short_language())
    except LetterError as exc:
        return _plain_letter(request, round_, str(exc), status=409)
    return attachment(pdf, "application/pdf", name)


def _plain_letter(request: HttpRequest, round_: Any, note: str, status: int = 200) -> HttpResponse:
    letter = letters.plain_letter(request.user, round_)
    return render(request, "review/opinion_letter.html", {**letter._asdict(), "note": note}, status=status)


@login_required
def model_download(request: HttpRequest, model_version_id: UUID) -> FileResponse:
    version = selectors.get_model_version_for(request.user, model_version_id)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                        content_type="application/x-step")
