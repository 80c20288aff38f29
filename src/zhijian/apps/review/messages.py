"""Refusals and input errors as translated one-line messages (the domain speaks English codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _

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


def refusal_message(refusal: Refusal, **facts: int) -> str:
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
    return refusal.detail


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
