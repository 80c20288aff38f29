"""The component registry aggregate: project numbering, registries per building, their builds,
and the components with their codes and their lifecycle state (a projection of the events)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.common.tenancy import RestrictedQuerySet
from zhijian.apps.prefab.choices import ComponentState, JobStatus
from zhijian.apps.prefab.models.events import uuid7
from zhijian.apps.prefab.models.visibility import (
    restrict_by_project_or_factory,
    restrict_to_team_or_ordering_factory,
)
from zhijian.domain.prefab.coding import (
    CODE_LENGTH,
    MAX_BUILDING,
    MAX_PROJECT,
    MAX_SERIAL,
    MAX_STOREY,
)


class ProjectNumbering(PublicModel):
    """The project's number in component codes and its serial counter (never goes back)."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="component_numbering")
    number = models.PositiveIntegerField(_("project number in codes"), unique=True)
    next_serial = models.PositiveIntegerField(_("next serial"), default=1)

    tenant_project = "project_id"

    class Meta:
        verbose_name = _("component numbering")
        verbose_name_plural = _("component numberings")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=MAX_PROJECT), name="numbering_number_range"),
            models.CheckConstraint(
                condition=Q(next_serial__gte=1, next_serial__lte=MAX_SERIAL + 1), name="numbering_serial_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number:06d}"


class ComponentRegistry(PublicModel):
    """The precast components of one building, across the revisions of its model (a lineage)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="component_registries")
    building = models.OneToOneField("projects.Building", on_delete=models.PROTECT, related_name="component_registry")
    building_number = models.PositiveSmallIntegerField(_("building number in codes"))
    model_version = models.ForeignKey(
        "review.ModelVersion", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("current model version"),
    )
    preliminary = models.BooleanField(_("built from a model not yet approved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_project = "project_id"

    class Meta:
        ordering = ("project", "building_number")
        verbose_name = _("component registry")
        verbose_name_plural = _("component registries")
        constraints = [
            models.UniqueConstraint(fields=("project", "building_number"), name="registry_unique_building_number"),
            models.CheckConstraint(
                condition=Q(building_number__gte=1, building_number__lte=MAX_BUILDING), name="registry_building_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} ({self.building_number:02d})"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_to_team_or_ordering_factory(qs, user, action, project="project_id")


class RegistryBuild(PublicModel):
    """One reading of a model version into the registry: what was kept, issued, retired, changed."""

    registry = models.ForeignKey(ComponentRegistry, on_delete=models.PROTECT, related_name="builds")
    model_version = models.ForeignKey("review.ModelVersion", on_delete=models.PROTECT, related_name="+")
    preliminary = models.BooleanField(_("preliminary (model not yet approved)"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    message = models.CharField(_("message"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)  # counts
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)  # issued/retired/changed/…

    tenant_project = "registry__project_id"

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("registry build")
        verbose_name_plural = _("registry builds")
        constraints = [
            models.UniqueConstraint(fields=("registry", "model_version"), name="registrybuild_unique_version"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="registrybuild_status_known"),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE) | Q(finished_at__isnull=False), name="registrybuild_done_finished"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registry} ← {self.model_version_id} ({self.status})"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_to_team_or_ordering_factory(qs, user, action, project="registry__project_id")


class ComponentQuerySet(RestrictedQuerySet):
    def active(self) -> ComponentQuerySet:
        return self.filter(retired_at__isnull=True)


class Component(PublicModel):
    """A precast element of a building's model, with its city-wide code (一物一码).

    ``state``, ``state_at`` and ``last_event_at`` are a projection of the component's
    lifecycle events (kept in step by the event service in the same transaction); the events
    are the truth.
    """

    # Time-ordered ids: components read from one model get neighbouring ids, so an upload about
    # them inserts into neighbouring pages of the events' (component, time) index.
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # Few indexes on purpose: the event service rewrites state, state_at and last_event_at of
    # thousands of rows per upload, and with none of them indexed (and free room on each page,
    # migration 0002) PostgreSQL updates them in place ("HOT") without touching any index.
    registry = models.ForeignKey(
        ComponentRegistry, on_delete=models.PROTECT, related_name="components", db_index=False
    )  # indexed with storey and with guid below
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=CODE_LENGTH)  # compact, no hyphens; unique below
    guid = models.CharField("GlobalId", max_length=64)
    ifc_class = models.CharField(_("IFC class"), max_length=64)
    name = models.CharField(_("name"), max_length=255, blank=True)
    type_code = models.CharField(_("type"), max_length=3)
    classified_by = models.CharField(_("classified by"), max_length=200, blank=True)
    storey = models.SmallIntegerField(_("storey"))  # 1, 2, … above ground; −1, … below
    storey_name = models.CharField(_("storey name"), max_length=255, blank=True)
    length_m = models.FloatField(_("length (m)"), null=True, blank=True)
    width_m = models.FloatField(_("width (m)"), null=True, blank=True)
    height_m = models.FloatField(_("height (m)"), null=True, blank=True)
    volume_m3 = models.FloatField(_("concrete volume (m³)"), null=True, blank=True)
    weight_kg = models.FloatField(_("weight (kg)"), null=True, blank=True)
    weight_source = models.CharField(max_length=100, blank=True)
    concrete_grade = models.CharField(_("concrete grade"), max_length=16, blank=True)
    reinforcement = models.CharField(_("reinforcement"), max_length=16, blank=True)
    x = models.FloatField(null=True, blank=True)  # placement origin, world, m
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    first_build = models.ForeignKey(RegistryBuild, on_delete=models.PROTECT, related_name="+", db_index=False)
    last_build = models.ForeignKey(RegistryBuild, on_delete=models.PROTECT, related_name="+", db_index=False)
    flags = models.JSONField(_("changes to look at"), default=list, blank=True)  # e.g. ["storey F05 → F06"]
    previous_code = models.CharField(_("earlier code of this GlobalId"), max_length=CODE_LENGTH, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by = models.ForeignKey(
        RegistryBuild, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    state = models.CharField(_("state"), max_length=16, choices=ComponentState.choices, default=ComponentState.DESIGNED)
    state_at = models.DateTimeField(_("state since"), null=True, blank=True)  # event time of the last applied event
    last_event_at = models.DateTimeField(null=True, blank=True)  # latest event time stored

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ("code",)  # project, building, storey, type, serial
        verbose_name = _("component")
        verbose_name_plural = _("components")
        indexes = [models.Index(fields=("registry", "storey"), name="component_registry_storey")]
        constraints = [
            models.UniqueConstraint(fields=("code",), name="component_code_unique"),
            models.CheckConstraint(condition=Exact(Length("code"), CODE_LENGTH), name="component_code_length"),
            models.UniqueConstraint(
                fields=("registry", "guid"), condition=Q(retired_at__isnull=True), name="component_active_guid_unique"
            ),
            models.CheckConstraint(
                condition=~Q(storey=0) & Q(storey__gte=-MAX_STOREY, storey__lte=MAX_STOREY), name="component_storey_range"
            ),
            models.CheckConstraint(condition=Q(state__in=ComponentState.values), name="component_state_known"),
            models.CheckConstraint(
                condition=Q(retired_at__isnull=True, retired_by__isnull=True)
                | Q(retired_at__isnull=False, retired_by__isnull=False),
                name="component_retired_by_build",
            ),
            models.CheckConstraint(condition=~Q(guid=""), name="component_guid_present"),
        ]

    def __str__(self) -> str:
        return self.printed_code

    @property
    def printed_code(self) -> str:
        c = self.code
        return f"{c[0:6]}-{c[6:8]}-{c[8:11]}-{c[11:14]}-{c[14:20]}-{c[20:22]}" if len(c) == CODE_LENGTH else c

    @property
    def storey_label(self) -> str:
        return f"{self.storey}F" if self.storey > 0 else f"B{-self.storey}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="project_id", factory="order_line__order__factory_id")
