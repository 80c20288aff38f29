"""Production orders: a project's order to a factory for a set of components, due per storey."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.prefab.models.visibility import restrict_by_project_or_factory


class ProductionOrder(PublicModel):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="production_orders")
    factory = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="production_orders", verbose_name=_("factory")
    )
    ordered_by = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("ordered by")
    )
    number = models.CharField(_("order number"), max_length=32)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the buyer cancelled its last line (cancelled lines: ``CancelledOrderLine``).
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="order_unique_number"),
            models.CheckConstraint(condition=~Q(number=""), name="order_number_present"),
            models.CheckConstraint(condition=~Q(factory=models.F("ordered_by")), name="order_not_to_itself"),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="project_id", factory="factory_id")


class OrderLine(PublicModel):
    """One component of an order, with its due date (from its storey's due date)."""

    order = models.ForeignKey(ProductionOrder, on_delete=models.PROTECT, related_name="lines")
    component = models.OneToOneField("prefab.Component", on_delete=models.PROTECT, related_name="order_line")
    storey = models.SmallIntegerField(_("storey"))
    due_date = models.DateField(_("due"))

    class Meta:
        ordering = ("order", "storey")
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        indexes = [models.Index(fields=("order", "storey"), name="orderline_order_storey")]
        constraints = [models.CheckConstraint(condition=~Q(storey=0), name="orderline_storey_nonzero")]

    def __str__(self) -> str:
        return f"{self.order} · {self.component_id}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="order__project_id", factory="order__factory_id")
