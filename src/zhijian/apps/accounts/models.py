"""Users, organisations, memberships and API tokens."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from zhijian.apps.accounts.choices import District, OrgType, Role
from zhijian.apps.common.models import PublicModel, TimestampedModel
from zhijian.apps.common.tenancy import (
    VIEW,
    RestrictedQuerySet,
    organization_ids,
    sees_whole_city,
    visible_project_ids,
)


class User(AbstractUser):
    """The platform's user; the primary key is a UUID from the first migration."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.username


def validate_uscc(value: str) -> None:
    """A unified social credit code (统一社会信用代码, GB 32100-2015) with a valid check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code: %(reason)s"),
            code="invalid_uscc",
            params={"value": value, "reason": exc.message},
        ) from exc


class OrganizationQuerySet(RestrictedQuerySet):
    pass


class Organization(PublicModel, TimestampedModel):
    """An enterprise or agency taking part in the programme, identified by its USCC."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    org_type = models.CharField(_("type"), max_length=32, choices=OrgType.choices)
    district = models.CharField(_("district"), max_length=32, choices=District.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(org_type__in=OrgType.values), name="organization_type_known"
            ),
            models.CheckConstraint(condition=Exact(Length("uscc"), 18), name="organization_uscc_length"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organization_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organization_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="organization_coordinates_paired",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        """Your own organisations and those you share a project with; the authority sees all."""
        if action == VIEW and sees_whole_city(user):
            return qs
        own = organization_ids(user)
        if action != VIEW:
            return qs.filter(id__in=own)
        from zhijian.apps.projects.models import ProjectParticipant

        partners = ProjectParticipant.objects.filter(project_id__in=visible_project_ids(user)).values("organization_id")
        return qs.filter(Q(id__in=own) | Q(id__in=partners))


class Membership(PublicModel, TimestampedModel):
    """A user's role in an organisation. One user may hold several roles or organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # A reviewer's qualifications (审查专业, keys of domain/review/data/disciplines.json) and
    # whether they may act as checker (复核人); empty for every other role.
    disciplines = models.JSONField(_("review disciplines"), default=list, blank=True)
    may_check = models.BooleanField(_("may check reviews"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=("user", "organization", "role"), name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return qs.filter(organization_id__in=organization_ids(user))


TOKEN_PREFIX = "zj_"


def hash_token(raw: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is a sufficient one-way hash."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(PublicModel):
    """A machine credential; only its SHA-256 is stored. Shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)  # shown in lists to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [models.CheckConstraint(condition=Exact(Length("key_hash"), 64), name="apitoken_hash_length")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return qs.filter(user=user)
