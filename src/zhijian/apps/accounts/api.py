"""API: who am I, and the organisations I can see."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhijian.apps.accounts import selectors
from zhijian.apps.accounts.models import Organization
from zhijian.apps.common.pagination import LimitOffsetPagination

router = Router(tags=["organisations"])


class OrganizationOut(Schema):
    id: UUID
    name: str
    uscc: str
    org_type: str
    org_type_label: str
    district: str
    address: str
    latitude: float | None
    longitude: float | None
    created_at: dt.datetime

    @staticmethod
    def resolve_org_type_label(obj: Organization) -> str:
        return str(obj.get_org_type_display())


class MembershipOut(Schema):
    organization_id: UUID
    organization_name: str
    organization_type: str
    role: str


class MeOut(Schema):
    id: UUID
    username: str
    display_name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The authenticated user and their memberships")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.id,
        "username": user.username,
        "display_name": getattr(user, "display_name", ""),
        "memberships": [
            {"organization_id": m.organization_id, "organization_name": m.organization.name,
             "organization_type": m.organization.org_type, "role": m.role}
            for m in selectors.list_memberships_of(user)
        ],
    }


@router.get("/organizations", response=list[OrganizationOut], summary="Organisations visible to you")
@paginate(LimitOffsetPagination)
def list_organizations(request: HttpRequest, org_type: str | None = None):  # type: ignore[no-untyped-def]
    organizations = selectors.list_organizations_for(request.user)
    return organizations.filter(org_type=org_type) if org_type else organizations


@router.get("/organizations/{uuid:organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: UUID) -> Organization:
    return selectors.get_organization_for(request.user, organization_id)
