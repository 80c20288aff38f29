"""Reading the audit log, restricted like everything else."""

from __future__ import annotations

from typing import Any

from django.db import models

from zhijian.apps.audit.models import AuditEntry


def list_audit_entries_for(user: Any, *, object_id: Any = None) -> models.QuerySet[AuditEntry]:
    entries = AuditEntry.objects.restrict(user).select_related("actor", "organization")
    if object_id is not None:
        entries = entries.filter(object_id=str(object_id))
    return entries
