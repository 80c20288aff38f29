"""Label sheets: printable A4 PDFs of QR labels, made in the background."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.prefab.choices import JobStatus
from zhijian.apps.prefab.models.visibility import restrict_by_project_or_factory


def sheet_upload_path(instance: LabelSheet, filename: str) -> str:
    return f"labels/{instance.project_id}/{instance.id}.pdf"


class LabelSheet(PublicModel):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    factory = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("requested for factory"),
    )
    title = models.CharField(_("title"), max_length=200)
    codes = models.JSONField(default=list)  # the components, fixed when requested
    base_url = models.CharField(max_length=200)  # the component pages' URL prefix put in the QR codes
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    message = models.CharField(_("message"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=sheet_upload_path, max_length=255, blank=True)
    pages = models.PositiveIntegerField(default=0)
    labels = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("label sheet")
        verbose_name_plural = _("label sheets")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="labelsheet_status_known"),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE) | (~Q(file="") & Q(finished_at__isnull=False)),
                name="labelsheet_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(qs, user, action, project="project_id", factory="factory_id")
