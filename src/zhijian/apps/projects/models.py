"""Project, its team (ProjectParticipant) and its buildings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.accounts.choices import District
from zhijian.apps.common.models import PublicModel, TimestampedModel
from zhijian.apps.projects.choices import SINGLE_PLACES, BuildingUse, ParticipantRole


class Project(PublicModel, TimestampedModel):
    code = models.CharField(_("project code"), max_length=32, unique=True)  # 项目编号
    name = models.CharField(_("name"), max_length=200)
    district = models.CharField(_("district"), max_length=32, choices=District.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    tenant_project = "id"

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="project_code_present"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="project_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="project_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectParticipant(PublicModel):
    """An organisation's place in a project team."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("place in the team"), max_length=32, choices=ParticipantRole.choices)

    tenant_project = "project_id"

    class Meta:
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")
        constraints = [
            models.UniqueConstraint(fields=("project", "organization", "role"), name="participant_unique"),
            models.UniqueConstraint(
                fields=("project", "role"), condition=Q(role__in=[str(r) for r in SINGLE_PLACES]),
                name="participant_single_place",
            ),
            models.CheckConstraint(condition=Q(role__in=ParticipantRole.values), name="participant_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_role_display()} · {self.organization}"


class Building(PublicModel, TimestampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=100)  # e.g. 1#楼
    use = models.CharField(_("use"), max_length=32, choices=BuildingUse.choices, default=BuildingUse.RESIDENTIAL)
    height_m = models.DecimalField(_("height (m)"), max_digits=7, decimal_places=2)
    storeys_above = models.PositiveSmallIntegerField(_("storeys above ground"))
    storeys_below = models.PositiveSmallIntegerField(_("storeys below ground"), default=0)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2)

    tenant_project = "project_id"

    class Meta:
        ordering = ("project", "name")
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="building_unique_name"),
            models.CheckConstraint(condition=Q(height_m__gt=0), name="building_height_positive"),
            models.CheckConstraint(condition=Q(storeys_above__gte=1), name="building_storeys_positive"),
            models.CheckConstraint(condition=Q(floor_area_m2__gt=0), name="building_area_positive"),
            models.CheckConstraint(condition=Q(use__in=BuildingUse.values), name="building_use_known"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.name}"
