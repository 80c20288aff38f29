"""The review agency's own page: its members, and its reviewers' disciplines and may-check flags.

Only the agency's administrator sees it (a 404 for anyone who cannot see the agency, a 403 for
those who can but do not administer it). The table form goes to
:func:`~zhijian.apps.review.services.declare_agency_qualifications`: all rows or none.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from zhijian.apps.accounts.choices import Role
from zhijian.apps.common.errors import Forbidden, ServiceError
from zhijian.apps.common.locale import is_english
from zhijian.apps.review import selectors, services
from zhijian.domain.review.disciplines import default_table


@login_required
@require_http_methods(["GET", "POST"])
def agency_reviewers(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    try:
        agency = selectors.get_agency_administered_by(request.user, organization_id)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    if request.method != "POST":
        return _render(request, agency)
    declared = {
        key: (request.POST.getlist(f"disciplines-{key}"), request.POST.get(f"may_check-{key}") == "on")
        for key in request.POST.getlist("reviewer")
    }
    try:
        changed = services.declare_agency_qualifications(request.user, organization_id, declared)
    except ServiceError as exc:
        return _render(request, agency, error=exc)
    if changed:
        messages.success(request, ngettext("Qualifications of %(n)s reviewer saved.",
                                           "Qualifications of %(n)s reviewers saved.", len(changed))
                         % {"n": len(changed)})
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("review:agency_reviewers", organization_id=agency.id)


def _render(request: HttpRequest, agency: Any, *, error: ServiceError | None = None) -> HttpResponse:
    en = is_english()
    disciplines = [(d.key, d.name(en)) for d in default_table().assignable()]
    roles = dict(Role.choices)
    members = [
        {
            "membership": m,
            "role": roles.get(m.role, m.role),
            "is_reviewer": m.role == Role.REVIEWER,
            "held": set(m.disciplines or []),
        }
        for m in selectors.list_members_of(request.user, agency)
    ]
    return render(request, "review/agency_reviewers.html", {
        "agency": agency, "members": members, "disciplines": disciplines, "error": error,
        "reviewers": sum(1 for m in members if m["is_reviewer"]),
    }, status=error.status if error else 200)
