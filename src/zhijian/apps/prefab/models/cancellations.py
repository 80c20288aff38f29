"""Cancelled production-order lines: what was ordered, from whom, and why it was cancelled.

Cancelling moves a line out of ``OrderLine`` (one line per component, so the component is
free to be ordered again) into ``CancelledOrderLine`` with the cancellation it belongs to;
the order keeps its number, and ``ProductionOrder.cancelled_at`` is set once no line is left.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.prefab.models.visibility import restrict_by_project_or_factory


class OrderCancellation(PublicModel):
    order = models.ForeignKey("prefab.ProductionOrder", on_delete=models.PROTECT, related_name="cancellations")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("cancelled by (organisation)"))
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("cancelled by"))
    reason = models.TextField(_("reason"))
    lines = models.PositiveIntegerField(_("lines cancelled"))
    whole_order = models.BooleanField(_("the whole order"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("order cancellation")
        verbose_name_plural = _("order cancellations")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="cancellation_reason_present"),
            models.CheckConstraint(condition=Q(lines__gt=0), name="cancellation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.order} −{self.lines}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="order__project_id", factory="order__factory_id")


class CancelledOrderLine(PublicModel):
    cancellation = models.ForeignKey(OrderCancellation, on_delete=models.PROTECT, related_name="cancelled_lines")
    order = models.ForeignKey("prefab.ProductionOrder", on_delete=models.PROTECT, related_name="cancelled_lines")
    component = models.ForeignKey("prefab.Component", on_delete=models.PROTECT, related_name="cancelled_lines")
    storey = models.SmallIntegerField(_("storey"))
    due_date = models.DateField(_("due"))

    class Meta:
        ordering = ("order", "storey")
        verbose_name = _("cancelled order line")
        verbose_name_plural = _("cancelled order lines")
        constraints = [models.UniqueConstraint(fields=("order", "component"), name="cancelledline_unique")]

    def __str__(self) -> str:
        return f"{self.order} · {self.component}"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="order__project_id", factory="order__factory_id")
