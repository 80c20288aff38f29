"""API: projects, their "1+2+N" team and buildings."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhijian.apps.common.pagination import LimitOffsetPagination
from zhijian.apps.projects import selectors

router = Router(tags=["projects"])


class ParticipantOut(Schema):
    organization_id: UUID
    organization_name: str
    role: str


class BuildingOut(Schema):
    id: UUID
    name: str
    use: str
    height_m: float
    storeys_above: int
    storeys_below: int
    floor_area_m2: float


class ProjectOut(Schema):
    id: UUID
    code: str
    name: str
    district: str
    address: str
    latitude: float | None
    longitude: float | None
    created_at: dt.datetime


class ProjectDetailOut(ProjectOut):
    team: list[ParticipantOut]
    buildings: list[BuildingOut]
    my_capacities: list[str]


@router.get("", response=list[ProjectOut], summary="Projects your organisations take part in")
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.list_projects_for(request.user)


@router.get("/{uuid:project_id}", response=ProjectDetailOut)
def get_project(request: HttpRequest, project_id: UUID) -> dict:
    project = selectors.get_project_for(request.user, project_id)
    out = {
        "id": project.id, "code": project.code, "name": project.name, "district": project.district,
        "address": project.address, "created_at": project.created_at,
        "latitude": float(project.latitude) if project.latitude is not None else None,
        "longitude": float(project.longitude) if project.longitude is not None else None,
    }
    out["team"] = [
        {"organization_id": p.organization_id, "organization_name": p.organization.name, "role": p.role}
        for p in selectors.list_participants_of(request.user, project)
    ]
    out["buildings"] = [
        {"id": b.id, "name": b.name, "use": b.use, "height_m": float(b.height_m), "storeys_above": b.storeys_above,
         "storeys_below": b.storeys_below, "floor_area_m2": float(b.floor_area_m2)}
        for b in selectors.list_buildings_of(request.user, project)
    ]
    out["my_capacities"] = sorted(c.value for c in selectors.capacities_on(request.user, project))
    return out
