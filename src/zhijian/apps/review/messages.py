"""Refusals and input errors as translated one-line messages (the domain speaks English codes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhijian.apps.common.locale import is_english
from zhijian.apps.review.choices import SubmissionState
from zhijian.domain.errors import InputError
from zhijian.domain.review.workflow import Refusal


def _state_label(state: str) -> str:
    try:
        return str(SubmissionState(state).label)
    except ValueError:
        return state


def _action_label(action: str) -> str:
    from zhijian.apps.review.choices import ACTION_LABELS

    labels = {str(k): v for k, v in ACTION_LABELS.items()}
    labels.update({"upload": _("Upload a model"), "comment": _("Comment"), "waive": _("Waive a finding")})
    return str(labels.get(str(action), action))


def refusal_message(refusal: Refusal, **facts: Any) -> str:
    params = {"action": _action_label(refusal.action), "state": _state_label(refusal.state)}
    code = refusal.code
    if code == "wrong_state" and refusal.state == "approved":
        return _("The submission is approved; an approved submission does not change.")
    if code == "wrong_state":
        return _("“%(action)s” is not possible while the submission is “%(state)s”.") % params
    if code == "not_permitted":
        return _("Your role on this project does not allow “%(action)s”.") % params
    if code == "reason_required":
        return _("“%(action)s” needs a reason (the review opinion).") % params
    if code == "reason_too_long":
        return _("The reason is too long.")
    if code == "model_required" and refusal.state == "draft":
        return _("Upload a model before submitting.")
    if code == "model_required":
        return _("Upload a revised model before resubmitting.")
    if code == "mandatory_findings_open":
        return _(
            "%(count)d finding(s) of mandatory provisions are still open: "
            "return the submission, or waive them with a reason."
        ) % {"count": facts.get("blocking", 0)}
    if code == "disciplines_unstaffed":
        names = [_discipline(d) if d else _("no discipline in scope") for d in facts.get("unstaffed", ())]
        return _(
            "Every discipline in scope needs a reviewer and a checker before approval; missing: %(disciplines)s."
        ) % {"disciplines": "、".join(names)}
    if code == "not_permitted" and refusal.action == "assign":
        return _("Only the project's review agency may assign reviewers.")
    return refusal.detail


def _discipline(key: str) -> str:
    from zhijian.domain.review.disciplines import discipline_name

    return discipline_name(key, is_english())


def staffing_message(code: str, subject: str) -> str:
    """The reason a scope or an assignment is refused; ``subject`` is the discipline or value at fault."""
    params = {"discipline": _discipline(subject), "value": subject}
    texts = {
        "unknown_discipline": _("Unknown review discipline: %(value)s."),
        "empty_scope": _("At least one discipline must be in scope."),
        "unknown_review_class": _("Unknown review class: %(value)s."),
        "discipline_out_of_scope": _("%(discipline)s is not in this submission's scope; add it to the scope first."),
        "assignee_required": _("Name a reviewer, a checker or both."),
        "not_agency_member": _("That person is not a reviewer of this project's review agency."),
        "discipline_not_held": _("That person has not declared the discipline %(discipline)s."),
        "not_a_checker": _("The checker is not allowed to check reviews (复核)."),
        "same_person": _("The reviewer and the checker of a discipline must be two different people."),
    }
    return texts[code] % params if code in texts else code


def input_error_message(error: InputError, *, size: int | None = None, limit: int | None = None) -> str:
    code = getattr(error, "code", "bad_input")
    if code == "empty_file":
        return _("The file is empty.")
    if code == "file_too_large" and limit:
        return _("The file is over the upload limit of %(limit)s MB.") % {"limit": f"{limit / 1e6:.1f}"}
    if code == "not_ifc":
        return _("This is not an IFC model: it does not start with an ISO-10303-21 (STEP) header.")
    if code == "truncated_ifc":
        return _("The IFC file is truncated or damaged: %(detail)s") % {"detail": str(error)}
    if code == "unsupported_schema":
        return _("Unsupported IFC schema: %(detail)s") % {"detail": str(error)}
    if code == "no_ifc_in_zip":
        return _("The zip archive contains no .ifc file.")
    return str(error)
