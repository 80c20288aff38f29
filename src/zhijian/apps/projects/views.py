"""Project pages: the list and a project's team, buildings and submissions."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhijian.apps.projects import selectors
from zhijian.apps.review.selectors import list_submissions_for
from zhijian.domain.review.workflow import Capacity


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.list_projects_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {"page": page})


@login_required
def project_detail(request: HttpRequest, project_id: UUID) -> HttpResponse:
    project = selectors.get_project_for(request.user, project_id)
    held = selectors.capacities_on(request.user, project)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "team": selectors.list_participants_of(request.user, project),
        "buildings": selectors.list_buildings_of(request.user, project),
        "submissions": list_submissions_for(request.user).filter(project=project),
        "may_create": bool(held & {Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT}),
        "capacities": sorted(c.value for c in held),
    })
