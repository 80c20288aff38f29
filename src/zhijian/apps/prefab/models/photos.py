"""Photos of lifecycle events (a QC defect, a delivery, an installed joint).

A photo is uploaded first and its storage key is then named in an event's ``photos``; the
row says whose it is (the uploading organisation), so an event can only carry its own
organisation's photos, and who may fetch the file is decided by the events that name it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.common.tenancy import VIEW, organization_ids, sees_whole_city

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class Photo(PublicModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    key = models.CharField(_("storage key"), max_length=255, unique=True)  # what events name in ``photos``
    content_type = models.CharField(_("content type"), max_length=16)  # sniffed from the bytes
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(condition=Q(content_type__in=PHOTO_TYPES), name="photo_type_known"),
            models.CheckConstraint(condition=Q(size__gt=0), name="photo_not_empty"),
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        """The uploading organisation's members (and the authority, reading); others reach a
        photo through an event they see."""
        if action == VIEW and sees_whole_city(user):
            return qs
        return qs.filter(organization_id__in=organization_ids(user))
