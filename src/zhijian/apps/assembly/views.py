"""Assembly-rate pages: the city list, a building's evaluations, an evaluation with its
calculation sheet (评价表) and the credited elements in 3D. Each view translates the request
into a selector or service call and renders; a refused request re-renders the building page
with the reason and the matching status (403, 409, 422), and nothing is stored."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from zhijian.apps.accounts.choices import District
from zhijian.apps.assembly import selectors, services
from zhijian.apps.assembly.choices import FINISHED_STATUSES, GRADES, EvaluationStatus
from zhijian.apps.assembly.colours import colour_map
from zhijian.apps.common.errors import ServiceError
from zhijian.apps.common.http import attachment
from zhijian.apps.common.locale import short_language
from zhijian.apps.projects.selectors import capacities_on
from zhijian.domain.prefab.sheet import render_html


def _recognised(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@login_required
def city_list(request: HttpRequest) -> HttpResponse:
    """Buildings with their current P and grade; the housing authority sees the whole city."""
    district = request.GET.get("district", "")
    grade = request.GET.get("grade", "")
    recognised = request.GET.get("recognised", "")
    buildings = selectors.list_city_ratings_for(
        request.user, district=district if district in District.values else "",
        grade=grade if grade in selectors.GRADE_FILTERS else "", recognised=_recognised(recognised),
    )
    page = Paginator(buildings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assembly/city_list.html", {
        "page": page, "ratings": selectors.ratings_of(list(page.object_list)), "districts": District.choices,
        "grades": GRADES, "district": district, "grade": grade, "recognised": recognised,
        "query": query.urlencode(),
    })


def _render_building(request: HttpRequest, building_id: UUID, *, error: ServiceError | None = None) -> HttpResponse:
    building = selectors.get_building_for(request.user, building_id)
    may_evaluate = bool(capacities_on(request.user, building.project_id) & services.EVALUATORS)
    return render(request, "assembly/building.html", {
        "building": building, "project": building.project,
        "evaluations": selectors.list_evaluations_of(request.user, building),
        "versions": selectors.list_model_versions_for_building(request.user, building) if may_evaluate else [],
        "may_evaluate": may_evaluate, "error": error,
    }, status=error.status if error else 200)


@login_required
def building_detail(request: HttpRequest, building_id: UUID) -> HttpResponse:
    return _render_building(request, building_id)


@login_required
@require_POST
def building_evaluate(request: HttpRequest, building_id: UUID) -> HttpResponse:
    try:
        upload = request.FILES.get("declaration")
        declaration = services.DeclarationFile.from_upload(upload) if upload else None
        evaluation = services.evaluate_building(
            request.POST.get("model_version_id") or None, building_id, declaration, request.user,
            ifc_building=request.POST.get("ifc_building", ""),
        )
    except ServiceError as exc:
        return _render_building(request, building_id, error=exc)
    messages.success(request, _("Assembly-rate evaluation requested."))
    return redirect("assembly:evaluation", evaluation_id=evaluation.id)


@login_required
def evaluation_detail(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    evaluation = selectors.get_evaluation_for(request.user, evaluation_id)
    result: dict[str, Any] = evaluation.result or {}
    return render(request, "assembly/evaluation.html", {
        "evaluation": evaluation, "building": evaluation.building, "project": evaluation.building.project,
        "result": result, "colours": colour_map(result, short_language()) if result else None,
        "finished": evaluation.status in FINISHED_STATUSES,
        "refresh": evaluation.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING),
    })


@login_required
@xframe_options_sameorigin
def evaluation_sheet(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    """The calculation sheet (评价表) as one self-contained HTML page, rendered from the stored result."""
    evaluation = selectors.get_evaluation_for(request.user, evaluation_id)
    if evaluation.status not in FINISHED_STATUSES or not evaluation.result:
        raise Http404("no result yet")
    return HttpResponse(render_html(evaluation.result, short_language()), content_type="text/html; charset=utf-8")


@login_required
def evaluation_declaration(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    """The declaration file exactly as it was filed."""
    evaluation = selectors.get_evaluation_for(request.user, evaluation_id)
    if not evaluation.declaration_text:
        raise Http404("no declaration")
    content_type = "application/json" if evaluation.declaration_format == "json" else "application/toml"
    return attachment(evaluation.declaration_text, f"{content_type}; charset=utf-8",
                      f"declaration.{evaluation.declaration_format}")
