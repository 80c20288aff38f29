"""Tenant-restricted reads of organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from zhijian.apps.accounts.models import Membership, Organization


def list_organizations_for(user: Any) -> models.QuerySet[Organization]:
    return Organization.objects.restrict(user)


def get_organization_for(user: Any, organization_id: Any) -> Organization:
    return get_object_or_404(Organization.objects.restrict(user), id=organization_id)


def list_memberships_of(user: Any) -> models.QuerySet[Membership]:
    return Membership.objects.restrict(user).filter(user=user).select_related("organization")
