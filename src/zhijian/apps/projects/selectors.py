"""Tenant-restricted reads of projects, their teams and buildings; an actor's capacities."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from zhijian.apps.accounts.choices import OrgType
from zhijian.apps.accounts.models import Membership
from zhijian.apps.common.tenancy import VIEW, membership_rows
from zhijian.apps.projects.models import Building, Project, ProjectParticipant
from zhijian.domain.review.workflow import Capacity, capacities


def list_projects_for(user: Any) -> models.QuerySet[Project]:
    return Project.objects.restrict(user)


def get_project_for(user: Any, project_id: Any, action: str = VIEW) -> Project:
    return get_object_or_404(Project.objects.restrict(user, action), id=project_id)


def list_participants_of(user: Any, project: Project) -> models.QuerySet[ProjectParticipant]:
    return (
        ProjectParticipant.objects.restrict(user)
        .filter(project=project)
        .select_related("organization")
        .order_by("role", "organization__name")
    )


def list_buildings_of(user: Any, project: Project) -> models.QuerySet[Building]:
    return Building.objects.restrict(user).filter(project=project)


def capacities_on(user: Any, project: Project | Any) -> frozenset[Capacity]:
    """What the user may be on this project (designer, reviewer, …), from the pure domain rule."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    project_id = getattr(project, "id", project)
    memberships = membership_rows(user)  # the query restrict() made already for this request's user
    team = ProjectParticipant.objects.filter(project_id=project_id).values_list("organization_id", "role")
    return capacities(
        [(org, role) for org, role, _ in memberships],
        list(team),
        authority_org_ids=[org for org, _, org_type in memberships if org_type == OrgType.AUTHORITY],
    )


def acting_organization(user: Any, project: Project | Any) -> Any:
    """The user's organisation that takes part in the project (for the audit log), if any."""
    if user is None or not user.is_authenticated:
        return None
    project_id = getattr(project, "id", project)
    participant = (
        ProjectParticipant.objects.filter(project_id=project_id, organization__memberships__user=user)
        .select_related("organization")
        .first()
    )
    if participant:
        return participant.organization
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    return membership.organization if membership else None
