"""Who sees what of the prefab app, as querysets for the ``restrict_queryset`` hooks.

The platform's rule (``common.tenancy``) is that a project's team sees the project. Here one
place in the team is narrower: a production enterprise (构件厂) sees only its own production
orders and the components, events and shipments that belong to them, not its competitors'
orders on the same project. The housing authority sees the whole city (view only).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

from zhijian.apps.common.tenancy import VIEW, organization_ids, sees_whole_city

PRODUCTION = "production"


def team_project_ids(user: Any) -> models.QuerySet:
    """Projects one of the user's organisations takes part in other than as a factory."""
    Participant = apps.get_model("projects", "ProjectParticipant")
    return (
        Participant.objects.filter(organization_id__in=organization_ids(user))
        .exclude(role=PRODUCTION)
        .values("project_id")
    )


def restrict_by_project_or_factory(
    qs: models.QuerySet, user: Any, action: str, *, project: str, factory: str
) -> models.QuerySet:
    """Rows of projects the user's team place covers, or rows of the user's factory's orders.

    ``project`` and ``factory`` are lookup paths from the model to the project id and to the
    factory organisation id.
    """
    if action == VIEW and sees_whole_city(user):
        return qs
    return qs.filter(
        models.Q(**{f"{project}__in": team_project_ids(user)}) | models.Q(**{f"{factory}__in": organization_ids(user)})
    )


def restrict_to_team_or_ordering_factory(qs: models.QuerySet, user: Any, action: str, *, project: str) -> models.QuerySet:
    """Rows of projects the user's team place covers, or of projects where the user's factory
    has a production order (registries, label sheets: what a factory needs to find its work)."""
    if action == VIEW and sees_whole_city(user):
        return qs
    Order = apps.get_model("prefab", "ProductionOrder")
    ordering = Order.objects.filter(factory_id__in=organization_ids(user)).values("project_id")
    return qs.filter(models.Q(**{f"{project}__in": team_project_ids(user)}) | models.Q(**{f"{project}__in": ordering}))
