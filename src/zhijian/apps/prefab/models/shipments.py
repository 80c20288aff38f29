"""Shipments: a truck load from a factory to a site, with its delivery note (发货单)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.prefab.models.visibility import restrict_by_project_or_factory


class Shipment(PublicModel):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="shipments")
    factory = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="shipments")
    number = models.CharField(_("delivery note number"), max_length=32)
    vehicle_plate = models.CharField(_("vehicle"), max_length=16)
    driver = models.CharField(_("driver"), max_length=50, blank=True)
    destination = models.CharField(_("destination"), max_length=300, blank=True)
    departed_at = models.DateTimeField(_("departed"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("received by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-departed_at",)
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(fields=("factory", "number"), name="shipment_unique_number"),
            models.CheckConstraint(condition=~Q(vehicle_plate=""), name="shipment_vehicle_present"),
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(delivered_at__gte=models.F("departed_at")),
                name="shipment_delivered_after_departure",
            ),
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True, received_by__isnull=True)
                | Q(delivered_at__isnull=False, received_by__isnull=False),
                name="shipment_delivery_signed",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="project_id", factory="factory_id")


class ShipmentItem(PublicModel):
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="items")
    component = models.ForeignKey("prefab.Component", on_delete=models.PROTECT, related_name="shipment_items")

    class Meta:
        verbose_name = _("shipment item")
        verbose_name_plural = _("shipment items")
        constraints = [models.UniqueConstraint(fields=("shipment", "component"), name="shipmentitem_unique")]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.component_id}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(
            qs, user, action, project="shipment__project_id", factory="shipment__factory_id"
        )
