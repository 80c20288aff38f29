"""Model mixins (NetBox-style features): UUID public ids, timestamps, the restricted queryset."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models

from zhijian.apps.common.tenancy import RestrictedQuerySet


class PublicModel(models.Model):
    """A model whose primary key is a random UUID: public ids never reveal counts or order.

    ``tenant_project`` is the lookup path from the model to its project's id, used by
    :meth:`RestrictedQuerySet.restrict`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    objects = RestrictedQuerySet.as_manager()

    tenant_project: ClassVar[str] = ""

    class Meta:
        abstract = True


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
