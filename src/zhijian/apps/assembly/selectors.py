"""Tenant-restricted reads of evaluations, and the city's list of buildings with P and grade.

Everything goes through ``restrict(user)``: an organisation sees the buildings of the
projects it takes part in; the housing authority (主管部门) sees the whole city. Lists never
load the stored result (hundreds of kB per evaluation): only the detail page and the result
endpoint do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from zhijian.apps.assembly.choices import FINISHED_STATUSES, GRADES, Stage
from zhijian.apps.assembly.models import Evaluation
from zhijian.apps.common.tenancy import VIEW
from zhijian.apps.projects.models import Building
from zhijian.apps.review.models import ModelVersion

HEAVY = ("result", "declaration_text", "installed_guids")
GRADE_FILTERS = (*GRADES, "none", "unevaluated")  # "none": evaluated, not graded


def get_building_for(user: Any, building_id: Any, action: str = VIEW) -> Building:
    return get_object_or_404(Building.objects.restrict(user, action).select_related("project"), id=building_id)


def list_evaluations_of(user: Any, building: Building) -> models.QuerySet[Evaluation]:
    return (
        Evaluation.objects.restrict(user)
        .filter(building=building)
        .select_related("model_version__submission", "requested_by", "declared_by")
        .defer(*HEAVY)
        .order_by("-created_at")
    )


def get_evaluation_for(user: Any, evaluation_id: Any, *, with_result: bool = True) -> Evaluation:
    evaluations = Evaluation.objects.restrict(user).select_related(
        "building__project", "model_version__submission", "requested_by", "declared_by", "based_on"
    )
    if not with_result:
        evaluations = evaluations.defer(*HEAVY)
    return get_object_or_404(evaluations, id=evaluation_id)


def list_model_versions_for_building(user: Any, building: Building) -> models.QuerySet[ModelVersion]:
    """Model versions an evaluation of this building may use: its project's, not another building's."""
    return (
        ModelVersion.objects.restrict(user)
        .filter(submission__project_id=building.project_id)
        .filter(Q(submission__building__isnull=True) | Q(submission__building=building))
        .select_related("submission")
        .order_by("-created_at")
    )


def _latest(stage: str) -> models.QuerySet[Evaluation]:
    return Evaluation.objects.filter(building=OuterRef("pk"), stage=stage, status__in=FINISHED_STATUSES).order_by(
        "-finished_at", "-created_at"
    )


def _current(field: str) -> Subquery:
    return Subquery(Evaluation.objects.filter(id=OuterRef("current_id")).values(field)[:1])


def list_city_ratings_for(
    user: Any, *, district: str = "", grade: str = "", recognised: bool | None = None, project_id: Any = None
) -> models.QuerySet[Building]:
    """Buildings visible to the user with their current rating (the newest finished as-built
    evaluation, else the newest finished pre-evaluation): ``current_id``, ``current_stage``,
    ``current_p``, ``current_grade``, ``current_recognised``, and ``design_id``/``as_built_id``.

    ``grade``: A / AA / AAA, ``none`` (evaluated, not graded) or ``unevaluated``.
    """
    buildings = (
        Building.objects.restrict(user)
        .select_related("project")
        .annotate(
            design_id=Subquery(_latest(Stage.DESIGN).values("id")[:1]),
            as_built_id=Subquery(_latest(Stage.AS_BUILT).values("id")[:1]),
        )
        .annotate(
            current_id=Coalesce(F("as_built_id"), F("design_id")),
            current_stage=Case(
                When(as_built_id__isnull=False, then=Value(Stage.AS_BUILT.value)),
                When(design_id__isnull=False, then=Value(Stage.DESIGN.value)),
                default=Value(""),
            ),
        )
        .annotate(
            current_p=_current("p"), current_grade=_current("grade"), current_recognised=_current("recognised"),
        )
        .order_by("project__district", "project__name", "name")
    )
    if district:
        buildings = buildings.filter(project__district=district)
    if project_id:
        buildings = buildings.filter(project_id=project_id)
    if grade in GRADES:
        buildings = buildings.filter(current_grade=grade)
    elif grade == "none":
        buildings = buildings.filter(current_id__isnull=False, current_grade="")
    elif grade == "unevaluated":
        buildings = buildings.filter(current_id__isnull=True)
    if recognised is not None:
        buildings = buildings.filter(current_recognised=recognised)
    return buildings


@dataclass(frozen=True)
class Rating:
    """One row of the city list: a building and its evaluations (without their results)."""

    building: Building
    current: Evaluation | None
    design: Evaluation | None
    as_built: Evaluation | None


def ratings_of(buildings: list[Building]) -> list[Rating]:
    """The evaluations named by :func:`list_city_ratings_for`'s annotations, one query."""
    ids = {i for b in buildings for i in (getattr(b, "design_id", None), getattr(b, "as_built_id", None)) if i}
    found = {e.id: e for e in Evaluation.objects.filter(id__in=ids).defer(*HEAVY)}
    rows = []
    for b in buildings:
        design, as_built = found.get(b.design_id), found.get(b.as_built_id)
        rows.append(Rating(b, as_built or design, design, as_built))
    return rows
