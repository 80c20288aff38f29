"""AuditEntry: one row per change, never updated or deleted (NetBox's ObjectChange shape).

Append-only is enforced three times: the model refuses to save an existing row, the
queryset refuses bulk updates and deletes, and a database trigger (PostgreSQL and SQLite,
migration 0002) aborts UPDATE and DELETE statements whoever sends them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.common.tenancy import (
    VIEW,
    RestrictedQuerySet,
    organization_ids,
    sees_whole_city,
    visible_project_ids,
)


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")


class AuditEntry(PublicModel):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)  # username, or "system:<task>"
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("project"),
    )
    action = models.CharField(_("action"), max_length=64)  # e.g. "submission.return"
    object_type = models.CharField(_("object type"), max_length=64)  # e.g. "review.submission"
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("-at",)
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=("object_type", "object_id"), name="audit_object")]
        constraints = [
            models.CheckConstraint(condition=~Q(action=""), name="audit_action_present"),
            models.CheckConstraint(condition=~Q(actor_label=""), name="audit_actor_present"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        if action != VIEW:
            return qs.none()
        if sees_whole_city(user):
            return qs
        return qs.filter(Q(project_id__in=visible_project_ids(user)) | Q(organization_id__in=organization_ids(user)))
