"""API: assembly-rate evaluations of buildings (GB/T 51129), their canonical results, and the
city's list of buildings with their current P and grade. Read through the tenant restriction."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhijian.apps.assembly import selectors, services
from zhijian.apps.assembly.choices import FINISHED_STATUSES
from zhijian.apps.assembly.models import Evaluation
from zhijian.apps.common.pagination import MAX_OFFSET, LimitOffsetPagination

router = Router(tags=["assembly rate"])


class EvaluationOut(Schema):
    id: UUID
    building_id: UUID
    project_id: UUID
    model_version_id: UUID
    stage: str
    status: str
    ifc_building: str
    building_label: str
    declaration_name: str
    declaration_sha256: str
    declared_by: str | None
    requested_by: str
    based_on_id: UUID | None
    table_id: str
    table_version: int | None
    p: float | None
    grade: str
    recognised: bool | None
    q1: float | None
    q2: float | None
    q3: float | None
    q4: float | None
    scores: dict[str, Any]
    advisory: bool
    complete: bool
    blocking: list[str]
    not_evaluated: list[str]
    installed_count: int | None
    not_installed_count: int | None
    message: str
    error_code: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_project_id(obj: Evaluation) -> UUID:
        return obj.building.project_id

    @staticmethod
    def resolve_declared_by(obj: Evaluation) -> str | None:
        return str(obj.declared_by) if obj.declared_by_id else None

    @staticmethod
    def resolve_requested_by(obj: Evaluation) -> str:
        return str(obj.requested_by) if obj.requested_by_id else f"system:{obj.requested_by_system}"


class DeclarationIn(Schema):
    name: str = "declaration.toml"
    format: str = ""  # toml | json; "" = from the name
    text: str


class EvaluationIn(Schema):
    model_version_id: UUID
    ifc_building: str = ""  # IfcBuilding name or GlobalId; "" = the model's only building
    declaration: DeclarationIn | None = None


class RatingFilters(Schema):
    district: str = ""
    grade: str = ""  # A | AA | AAA | none | unevaluated
    recognised: bool | None = None
    project_id: UUID | None = None
    limit: int = 50
    offset: int = Field(0, ge=0, le=MAX_OFFSET)  # unbounded, it overflows the database's integer (a 500)


class BuildingRatingOut(Schema):
    building_id: UUID
    building_name: str
    project_id: UUID
    project_code: str
    project_name: str
    district: str
    use: str
    storeys_above: int
    floor_area_m2: float
    stage: str  # the current rating's stage: as_built, design, or "" (not evaluated)
    evaluation_id: UUID | None
    status: str
    p: float | None
    grade: str
    recognised: bool | None
    advisory: bool | None
    complete: bool | None
    evaluated_at: dt.datetime | None
    design_evaluation_id: UUID | None
    design_p: float | None
    design_grade: str
    as_built_evaluation_id: UUID | None
    as_built_p: float | None
    as_built_grade: str


class RatingPageOut(Schema):
    items: list[BuildingRatingOut]
    count: int


def _p(evaluation: Evaluation | None) -> float | None:
    return float(evaluation.p) if evaluation is not None and evaluation.p is not None else None


def rating_row(rating: selectors.Rating) -> dict[str, Any]:
    b, current, design, as_built = rating.building, rating.current, rating.design, rating.as_built
    return {
        "building_id": b.id, "building_name": b.name, "project_id": b.project_id, "project_code": b.project.code,
        "project_name": b.project.name, "district": b.project.district, "use": b.use,
        "storeys_above": b.storeys_above, "floor_area_m2": float(b.floor_area_m2),
        "stage": current.stage if current else "", "evaluation_id": current.id if current else None,
        "status": current.status if current else "", "p": _p(current), "grade": current.grade if current else "",
        "recognised": current.recognised if current else None, "advisory": current.advisory if current else None,
        "complete": current.complete if current else None,
        "evaluated_at": current.finished_at if current else None,
        "design_evaluation_id": design.id if design else None, "design_p": _p(design),
        "design_grade": design.grade if design else "",
        "as_built_evaluation_id": as_built.id if as_built else None, "as_built_p": _p(as_built),
        "as_built_grade": as_built.grade if as_built else "",
    }


@router.post(
    "/buildings/{uuid:building_id}/assembly-evaluations", response={202: EvaluationOut},
    summary="Ask for a design-stage assembly-rate pre-evaluation of a building from a model version",
)
def start_evaluation(request: HttpRequest, building_id: UUID, payload: EvaluationIn) -> Status:
    declaration = (
        services.DeclarationFile(name=payload.declaration.name, text=payload.declaration.text,
                                 format=payload.declaration.format)
        if payload.declaration is not None
        else None
    )
    evaluation = services.evaluate_building(
        payload.model_version_id, building_id, declaration, request.user, ifc_building=payload.ifc_building
    )
    return Status(202, selectors.get_evaluation_for(request.user, evaluation.id, with_result=False))


@router.get(
    "/buildings/{uuid:building_id}/assembly-evaluations", response=list[EvaluationOut],
    summary="A building's assembly-rate evaluations, newest first",
)
@paginate(LimitOffsetPagination)
def list_evaluations(request: HttpRequest, building_id: UUID, stage: str | None = None):  # type: ignore[no-untyped-def]
    building = selectors.get_building_for(request.user, building_id)
    evaluations = selectors.list_evaluations_of(request.user, building).select_related("building")
    return evaluations.filter(stage=stage) if stage else evaluations


@router.get("/assembly-evaluations/{uuid:evaluation_id}", response=EvaluationOut)
def get_evaluation(request: HttpRequest, evaluation_id: UUID) -> Evaluation:
    return selectors.get_evaluation_for(request.user, evaluation_id, with_result=False)


@router.get(
    "/assembly-evaluations/{uuid:evaluation_id}/result",
    summary="The canonical assembly-rate result (result_version 1) with every counted element",
)
def get_result(request: HttpRequest, evaluation_id: UUID) -> Any:
    evaluation = selectors.get_evaluation_for(request.user, evaluation_id)
    if evaluation.status not in FINISHED_STATUSES or evaluation.result is None:
        raise Http404("no result yet")
    return evaluation.result


@router.get(
    "/assembly-rates", response=RatingPageOut,
    summary="Buildings with their current assembly rate and grade (the housing authority sees the city)",
)
def list_ratings(request: HttpRequest, filters: Query[RatingFilters]) -> dict[str, Any]:
    buildings = selectors.list_city_ratings_for(
        request.user, district=filters.district, grade=filters.grade, recognised=filters.recognised,
        project_id=filters.project_id,
    )
    limit = max(1, min(filters.limit, settings.NINJA_PAGINATION_MAX_LIMIT))
    offset = max(0, filters.offset)
    page = list(buildings[offset : offset + limit])
    return {"items": [rating_row(r) for r in selectors.ratings_of(page)], "count": buildings.count()}
