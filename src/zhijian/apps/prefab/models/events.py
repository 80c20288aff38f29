"""Lifecycle events: append-only, one row per event a device or a person recorded.

Append-only three times over, like the audit log: the model refuses to save an existing row
or delete one, the queryset refuses bulk updates and deletes, and database triggers
(migration 0002) abort UPDATE (and DELETE on PostgreSQL) whoever sends them.

Idempotency keys are unique per organisation (``(organization, idempotency_key)``): devices
choose their keys, and two companies' scanners counting from 1 must not collide. Every event
of one component is replayed by the domain (``lifecycle.replay``) with its key qualified by
the organisation, so the database and the replay agree on what a repeat is.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel
from zhijian.apps.common.tenancy import RestrictedQuerySet
from zhijian.apps.prefab.choices import EventRole, EventType
from zhijian.apps.prefab.models.visibility import restrict_by_project_or_factory

MAX_KEY = 100


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then random.

    Ten million events keyed by random UUIDs would scatter every insert over the primary-key
    index; time-ordered ones append to its right edge.
    """
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def uuid7_hex(n: int) -> list[str]:
    """``n`` version-7 UUIDs as 32 hex digits (what COPY takes), made together."""
    head = f"{time.time_ns() // 1_000_000:012x}"
    noise = os.urandom(10 * n).hex()
    out = []
    for i in range(0, 20 * n, 20):
        chunk = noise[i:i + 20]
        # version 7 in the 13th digit, the RFC 4122 variant (10xx) in the 17th
        out.append(f"{head}7{chunk[1:4]}{'89ab'[int(chunk[4], 16) & 3]}{chunk[5:20]}")
    return out


class AppendOnlyError(Exception):
    pass


class EventQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("lifecycle events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("lifecycle events are append-only")


class IngestBatch(PublicModel):
    """One upload (a single event or a batch): who sent it, when, and what became of it."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+", null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    source = models.CharField(_("source"), max_length=32)  # api, page, order, shipment, seed
    received_at = models.DateTimeField(_("received"))
    events = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-received_at",)
        verbose_name = _("event upload")
        verbose_name_plural = _("event uploads")

    def __str__(self) -> str:
        return f"{self.source} {self.received_at:%Y-%m-%d %H:%M:%S} ({self.events})"

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        from zhijian.apps.common.tenancy import organization_ids

        return qs.filter(Q(organization_id__in=organization_ids(user)) | Q(recorded_by=user))


class LifecycleEvent(PublicModel):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # No database foreign keys on this table (migration 0007). A checked key is a trigger per
    # inserted row: an index probe and a row lock in the referenced table — measured at 6–7 µs
    # an event each, a third of a 10,000-event COPY (benchmarks/README.md). The integrity they
    # gave is kept another way, at the cost of the rare operation instead of every event:
    # * inserts: only the recording service writes events (append-only: never updated), and it
    #   writes the ids of the components it has just locked ``FOR UPDATE`` and of the
    #   organisations it locks ``FOR KEY SHARE`` once per upload (``recording._lock_organizations``),
    #   the account that is logged in and the upload row it made, all in the same transaction;
    #   a row that is locked cannot disappear before the events referring to it commit;
    # * deletes: Django's ``PROTECT`` refuses to delete a component or organisation that has
    #   events, and on PostgreSQL a trigger (migration 0007) refuses it to any SQL (a deleting
    #   transaction waits for the upload's locks, then sees its events). Nothing deletes them
    #   anyway: components are retired, organisations deactivated.
    component = models.ForeignKey(
        "prefab.Component", on_delete=models.PROTECT, related_name="events", db_index=False, db_constraint=False,
    )  # indexed with event_time below
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False,
        verbose_name=_("organisation"),
    )  # indexed by the idempotency constraint
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False,
        verbose_name=_("recorded by"),
    )
    batch = models.ForeignKey(IngestBatch, on_delete=models.PROTECT, related_name="+", db_index=False,
                              db_constraint=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=MAX_KEY)
    event_type = models.CharField(_("event"), max_length=24, choices=EventType.choices)
    role = models.CharField(_("as"), max_length=16, choices=EventRole.choices)
    event_time = models.DateTimeField(_("event time"))  # the device's clock
    received_at = models.DateTimeField(_("received"))  # the server's clock
    operator = models.CharField(_("operator"), max_length=100, blank=True)  # person at the device (badge, cert no.)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    measurements = models.JSONField(_("measurements"), default=list, blank=True)
    photos = models.JSONField(_("photos"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    content_hash = models.CharField(max_length=32)  # what a retry must repeat (everything but the receipt time)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ("event_time", "received_at", "idempotency_key")  # replay's order
        verbose_name = _("lifecycle event")
        verbose_name_plural = _("lifecycle events")
        indexes = [models.Index(fields=("component", "event_time"), name="event_component_time")]
        constraints = [
            models.UniqueConstraint(fields=("organization", "idempotency_key"), name="event_unique_key_per_org"),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="event_key_present"),
            models.CheckConstraint(condition=Q(event_type__in=EventType.values), name="event_type_known"),
            models.CheckConstraint(condition=Q(role__in=EventRole.values), name="event_role_known"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="event_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.component_id} @ {self.event_time:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("lifecycle events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("lifecycle events are append-only")

    @staticmethod
    def restrict_queryset(qs: models.QuerySet, user: Any, action: str) -> models.QuerySet:
        return restrict_by_project_or_factory(
            qs, user, action, project="component__project_id", factory="component__order_line__order__factory_id"
        )
