"""The one tenant mechanism: ``Model.objects.restrict(user, action)``.

Every read of tenant data in pages, the API and tasks goes through it (NetBox's
``RestrictedQuerySet``). A user sees what their organisations take part in — the projects
whose team includes one of their organisations, and everything under those projects. A
member of a housing authority (主管部门) with the ``authority`` role sees the whole city,
but only for ``view``: changes always need a place in the project team. Anything else is
simply absent, so asking for another organisation's object by id is a 404, never a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zhijian.apps.accounts.models import User

VIEW, CHANGE = "view", "change"
ACTIONS = (VIEW, CHANGE)


# Bumped whenever a membership or an organisation is saved or deleted in this process (signals
# in apps/common/apps.py): a user object's cached memberships are then stale.
_generation = [0]


def memberships_changed(**_: Any) -> None:
    _generation[0] += 1


def membership_rows(user: Any) -> list[tuple[Any, str, str]]:
    """``(organization id, role, organization type)`` of the user's active organisations.

    Every ``restrict()`` needs them (five times on a submission's findings page), and so does
    ``projects.selectors.capacities_on``: one query per user object, which is loaded afresh
    for every request, cached on it and forgotten when a membership or organisation changes
    in this process.
    """
    return _memberships(user)[2]


def _memberships(user: Any) -> tuple[list[Any], bool, list[tuple[Any, str, str]]]:
    """The ids of the user's active organisations, whether one makes them the housing authority, the rows."""
    cached = getattr(user, "_tenancy_memberships", None)
    if cached is not None and cached[0] == _generation[0]:
        return cached[1]
    generation = _generation[0]
    Membership = apps.get_model("accounts", "Membership")
    rows = list(Membership.objects.filter(user=user, organization__active=True).values_list(
        "organization_id", "role", "organization__org_type"))
    ids, whole_city = [], False
    for organization_id, role, org_type in rows:
        ids.append(organization_id)
        whole_city = whole_city or (role == "authority" and org_type == "authority")
    answer = (ids, whole_city, rows)
    user._tenancy_memberships = (generation, answer)
    return answer


def organization_ids(user: User | AnonymousUser | None) -> list[Any]:
    """Ids of the user's active organisations (for ``__in`` filters)."""
    if user is None or not user.is_authenticated:
        return []
    return _memberships(user)[0]


def sees_whole_city(user: User | AnonymousUser | None) -> bool:
    """Whether the user is an active member with the authority role of an active housing authority."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return _memberships(user)[1]


def visible_project_ids(user: User | AnonymousUser | None) -> models.QuerySet:
    """Ids of projects one of the user's organisations takes part in (a subquery)."""
    Participant = apps.get_model("projects", "ProjectParticipant")
    return Participant.objects.filter(organization_id__in=organization_ids(user)).values("project_id")


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """Only the rows this user may ``view`` (or ``change``); nothing for anonymous users."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        hook = getattr(self.model, "restrict_queryset", None)
        if hook is not None:
            return hook(self, user, action)
        if action == VIEW and sees_whole_city(user):
            return self
        path = self.model.tenant_project
        if not path:
            raise TypeError(f"{self.model.__name__} declares neither tenant_project nor restrict_queryset")
        return self.filter(**{f"{path}__in": visible_project_ids(user)})
