"""Recording lifecycle events: the set-based core behind every way an event comes in.

One call takes up to 10,000 events (a scanner's backlog, a site app's upload, the events a
production order or a shipment implies) and does, inside one transaction:

1. read each event (``ingest.parse_event``): layout, component code and check digits, type,
   time zone — a bad one is refused with its reason and the others go on;
2. one query locks the components named (``SELECT … FOR UPDATE``, in id order so that two
   uploads never deadlock) and reads their lifecycle projection and their factory;
3. who may record what: the acting organisation's part for each component (factory of its
   order, the project's contractor or construction unit, …) against the domain's role table
   (``lifecycle.check_role``); then the domain's time sanity check (``check_event_time``);
4. idempotency: a key this organisation already used with the same content is a duplicate
   (nothing changes, and it says so), with other content it is refused. Repeats within the
   upload are found here; stored keys by the insert's unique index on a first attempt, and by
   one query when the upload is recorded again after that index refused one
   (:func:`record_events`);
5. the domain decides. Per component, new events that are not older than anything stored
   are decided one after the other from the stored state (``lifecycle.decide``, in the order
   ``replay`` uses); otherwise the component's whole history is loaded and replayed
   (``lifecycle.replay``), so that a late event is placed by its event time and the events
   after it are decided again. Every event that got this far is stored, applied or not (the
   domain's rule: a late event may make a stored one legal); its outcome is derived;
6. the organisations recorded for locked against deletion (the events table has no database
   foreign keys: models/events.py), one insert of the events (COPY on PostgreSQL), one update
   of the components' projection, one audit entry for the upload.

So an event is written whole or not at all, good events of a batch are kept when others are
refused, and a device may retry a batch as often as it likes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhijian.apps.accounts.models import Membership, Organization
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import PayloadTooLarge
from zhijian.apps.common.locale import is_english
from zhijian.apps.prefab.ingest import (
    MAX_EVENTS,
    EventDraft,
    EventRefusal,
    measurement_dict,
    measurement_from_dict,
    parse_event,
)
from zhijian.apps.prefab.models import Component, IngestBatch, LifecycleEvent
from zhijian.apps.prefab.models.events import uuid7_hex
from zhijian.apps.prefab.references import screen_references
from zhijian.apps.projects.models import Project, ProjectParticipant
from zhijian.domain.prefab.lifecycle import (
    DEFAULT_FUTURE_TOLERANCE,
    ROLE_POLICY,
    EventType,
    Location,
    OrgRole,
    Outcome,
    State,
    check_event_time,
    check_role,
    decide,
    replay,
)
from zhijian.domain.prefab.lifecycle import LifecycleEvent as DomainEvent

APPLIED, DUPLICATE, REJECTED = Outcome.APPLIED.value, Outcome.DUPLICATE.value, Outcome.REJECTED.value
INSERT_BATCH = 2_000
RETRIES = 2

# Membership roles that may act for an organisation in each of its parts.
FACTORY_MEMBERS = frozenset({"factory_operator", "org_admin"})
CONTRACTOR_MEMBERS = frozenset({"contractor", "org_admin"})
OWNER_MEMBERS = frozenset({"org_admin"})
DESIGN_MEMBERS = frozenset({"designer", "org_admin"})

_STATES = {s.value: s for s in State}
_STATE_TEXT = {s: s.value for s in State}  # a dict lookup is a fifth of Enum.value's descriptor
# ``decide`` is a pure function of (state, event type) and its Decision is frozen: decided once.
_decision = functools.cache(decide)


@dataclass(slots=True)
class EventOutcome:
    """What became of one event of an upload, in the order sent."""

    index: int
    outcome: str  # applied / duplicate / rejected
    reason: str | None  # a stable code when not applied (for a duplicate: "duplicate")
    message_zh: str
    message_en: str
    key: str | None
    code: str | None
    event_id: UUID | None  # the stored event (for a duplicate: the earlier one)
    stored: bool  # False: refused before storing, or a duplicate
    state_after: str | None  # the component's state right after this event (by event time)
    state: str | None = None  # the component's state after the whole upload

    def message(self, language: str | None = None) -> str:
        english = language.startswith("en") if language else is_english()
        return self.message_en if english else self.message_zh


@dataclass
class IngestResult:
    batch: IngestBatch | None
    results: list[EventOutcome]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def applied(self) -> list[EventOutcome]:
        return [r for r in self.results if r.outcome == APPLIED]

    @property
    def rejected(self) -> list[EventOutcome]:
        return [r for r in self.results if r.outcome == REJECTED]


@dataclass(slots=True)
class _Target:
    """A component named by the upload, as locked and read."""

    id: UUID
    code: str
    project_id: UUID
    state: str
    state_at: datetime | None
    last_event_at: datetime | None
    retired: bool
    factory_id: UUID | None
    registry_id: UUID | None = None
    # The actor's access, found once per component (not per event: hashing UUIDs is slow).
    visible: bool | None = None
    parts: list[tuple[UUID, OrgRole]] | None = None  # for events that name no organisation


@dataclass(slots=True)
class _Candidate:
    index: int
    draft: EventDraft
    target: _Target
    organization_id: UUID
    organization: str  # the id as text
    role: OrgRole
    time_text: str  # the event time in UTC, ISO 8601 (hashed and copied)
    content_hash: str
    id: str = ""  # the stored event's id (hex), given when it is accepted

    @property
    def domain_key(self) -> str:
        return domain_key(self.organization, self.draft.key)


def _refused(index: int, refusal: EventRefusal, key: str | None = None, code: str | None = None) -> EventOutcome:
    return EventOutcome(index, REJECTED, refusal.code, refusal.message_zh, refusal.message_en, key, code, None,
                        False, None)


def _raw_key(raw: Any) -> str | None:
    if isinstance(raw, Mapping):
        key = raw.get("idempotency_key")
        return key if isinstance(key, str) else None
    return None


# -- the parties ------------------------------------------------------------------------------
class _Parties:
    """The actor's organisations and their parts on the projects of one upload."""

    def __init__(self, actor: Any, project_ids: Iterable[UUID], *, as_organization: UUID | None = None) -> None:
        memberships = Membership.objects.filter(user=actor, organization__active=True)
        if as_organization is not None:
            memberships = memberships.filter(organization_id=as_organization)
        self.memberships: list[tuple[UUID, str]] = list(memberships.values_list("organization_id", "role"))
        self.organizations = {org for org, _ in self.memberships}
        self.authority = any(role == "authority" for _, role in self.memberships)
        self.superuser = bool(getattr(actor, "is_superuser", False))
        self.team: dict[UUID, dict[UUID, set[str]]] = defaultdict(lambda: defaultdict(set))
        projects = set(project_ids)
        if projects and self.organizations:
            for project, org, role in ProjectParticipant.objects.filter(
                project_id__in=projects, organization_id__in=self.organizations
            ).values_list("project_id", "organization_id", "role"):
                self.team[project][org].add(role)
        self._parts: dict[tuple[UUID, UUID | None, UUID | None], list[tuple[UUID, OrgRole]]] = {}
        self._sees: dict[tuple[UUID, UUID | None], bool] = {}

    def sees(self, target: _Target) -> bool:
        """The component is visible to the actor (as ``Component.objects.restrict`` says)."""
        if target.visible is not None:
            return target.visible
        key = (target.project_id, target.factory_id)
        found = self._sees.get(key)
        if found is None:
            found = (
                self.superuser or self.authority
                or (target.factory_id is not None and target.factory_id in self.organizations)
                or any(places - {"production"} for places in self.team.get(target.project_id, {}).values())
            )
            self._sees[key] = found
        target.visible = found
        return found

    def parts(self, target: _Target, organization: UUID | None) -> list[tuple[UUID, OrgRole]]:
        """(organisation, role) pairs the actor may act as for this component."""
        if organization is None and target.parts is not None:
            return target.parts
        key = (target.project_id, target.factory_id, organization)
        found = self._parts.get(key)
        if found is None:
            found = []
            places_of = self.team.get(target.project_id, {})
            for org, member_role in self.memberships:
                if organization is not None and org != organization:
                    continue
                places = places_of.get(org, set())
                if org == target.factory_id and member_role in FACTORY_MEMBERS:
                    found.append((org, OrgRole.FACTORY))
                if "epc" in places and member_role in CONTRACTOR_MEMBERS:
                    found.append((org, OrgRole.CONTRACTOR))
                if "construction_unit" in places and member_role in OWNER_MEMBERS:
                    found.append((org, OrgRole.OWNER))
                if "design" in places and member_role in DESIGN_MEMBERS:
                    found.append((org, OrgRole.DESIGNER))
            found = list(dict.fromkeys(found))
            self._parts[key] = found
        if organization is None:
            target.parts = found
        return found

    def role_for(self, target: _Target, draft: EventDraft) -> tuple[UUID, OrgRole]:
        """The organisation and part the event is recorded as, or why it may not be."""
        if draft.organization is not None and draft.organization not in self.organizations:
            raise EventRefusal("unknown_organization", "你不是事件所填单位的成员",
                               "you are not a member of the organisation named in the event")
        parts = self.parts(target, draft.organization)
        allowed = ROLE_POLICY.get(draft.event_type, frozenset())
        for org, role in parts:
            if role in allowed:
                return org, role
        if not parts:
            raise EventRefusal(
                "no_role", "你的单位在该构件的生产、运输和安装中没有职责，不能记录事件",
                "your organisation has no part in this component's production, shipping or installation",
            )
        reason = check_role(parts[0][1], draft.event_type)
        assert reason is not None
        raise EventRefusal(reason.code.value, reason.message_zh, reason.message_en)


def possible_parts(actor: Any, component: Component) -> list[tuple[UUID, OrgRole]]:
    """The (organisation, role) pairs the actor may record events as for one component."""
    factory = getattr(getattr(component, "order_line", None), "order", None)
    target = _Target(component.id, component.code, component.project_id, component.state, component.state_at,
                     component.last_event_at, component.retired_at is not None,
                     factory.factory_id if factory is not None else None)
    parties = _Parties(actor, [component.project_id])
    return parties.parts(target, None) if parties.sees(target) else []


# -- content ------------------------------------------------------------------------------------
def _content_hash(draft: EventDraft, event_time: str, party: str) -> str:
    """Everything a retry must repeat (not the receipt time), as a 128-bit digest.

    ``event_time`` is the event's time in UTC as ISO 8601 (:func:`_utc_text`), ``party`` the
    organisation, account and role (:func:`_party`). The text hashed may never change: stored
    digests are compared with those of retries (tests pin two digests). One f-string, the
    enumerations formatted as their values (they are ``StrEnum``).
    """
    d = draft
    text = (
        f"{d.code}\x1f{d.event_type}\x1f{event_time}\x1f{party}\x1f{d.operator}\x1f{d.place}\x1f{d.latitude!r}\x1f"
        f"{d.longitude!r}\x1f{_json([measurement_dict(m) for m in d.measurements]) if d.measurements else ''}\x1f"
        f"{_json(list(d.photos)) if d.photos else ''}\x1f{d.note}"
    )
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _party(organization: str, actor: str, role: OrgRole) -> str:
    return f"{organization}\x1f{actor}\x1f{role}"


def domain_key(organization: Any, key: str) -> str:
    """An event's idempotency key as the domain sees it: qualified by its organisation."""
    return f"{organization}/{key}"


def _person(user_id: Any, operator: str) -> str:
    """The domain's actor: the account that recorded, and the person at the device if named."""
    return f"{user_id}/{operator}" if operator else str(user_id)


def _location(place: str, latitude: float | None, longitude: float | None) -> Location | None:
    return Location(place or None, latitude, longitude) if place or latitude is not None else None


def _domain_event(c: _Candidate, actor_id: Any, received_at: datetime) -> DomainEvent:
    d = c.draft
    return DomainEvent(
        idempotency_key=c.domain_key, component=c.target.code, type=d.event_type, event_time=d.event_time,
        received_at=received_at, actor=_person(actor_id, d.operator), organisation=c.organization, role=c.role,
        location=_location(d.place, d.latitude, d.longitude), measurements=d.measurements, photos=d.photos,
        note=d.note,
    )


def stored_domain_event(row: Mapping[str, Any], code: str) -> DomainEvent:
    """A stored event (a ``values()`` row) as the domain's value, the same as when it came in."""
    return DomainEvent(
        idempotency_key=domain_key(row["organization_id"], row["idempotency_key"]), component=code,
        type=EventType(row["event_type"]), event_time=row["event_time"], received_at=row["received_at"],
        actor=_person(row["recorded_by_id"], row["operator"]), organisation=str(row["organization_id"]),
        role=OrgRole(row["role"]), location=_location(row["place"], row["latitude"], row["longitude"]),
        measurements=tuple(measurement_from_dict(m) for m in row["measurements"]), photos=tuple(row["photos"]),
        note=row["note"],
    )


EVENT_ROW_FIELDS = (
    "id", "component_id", "organization_id", "recorded_by_id", "idempotency_key", "event_type", "role", "event_time",
    "received_at", "operator", "place", "latitude", "longitude", "measurements", "photos", "note",
)


# -- the service ---------------------------------------------------------------------------------
def record_events(
    actor: Any,
    items: Sequence[Any],
    *,
    source: str = "api",
    as_organization: UUID | None = None,
    received_at: datetime | None = None,
    future_tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE,
) -> IngestResult:
    """Record decoded events (dicts as sent, or :class:`EventRefusal` for unreadable lines).

    Returns one :class:`EventOutcome` per item, in order. Raises :class:`PayloadTooLarge` for
    more than 10,000 items.

    The first attempt does not look the idempotency keys up: a fresh upload (the usual case)
    has none stored, and the insert's unique index checks every key anyway. If one is taken —
    a device's retry, or a concurrent upload that claimed a key first — the insert fails on
    that index, the transaction is rolled back, and the upload starts again looking its keys
    up (then reports duplicates and reused keys). A retried upload so costs about half an
    upload more; a fresh one saves a query of 10,000 index probes.
    """
    if len(items) > MAX_EVENTS:
        raise PayloadTooLarge(
            f"at most {MAX_EVENTS} events per request, got {len(items)}; split the upload", code="too_many_events",
            limit=MAX_EVENTS,
        )
    for attempt in range(RETRIES + 1):
        try:
            with _no_cyclic_gc(), transaction.atomic():
                return _record(actor, items, source=source, as_organization=as_organization,
                               received_at=received_at, future_tolerance=future_tolerance,
                               look_up_keys=attempt > 0)
        except IntegrityError:
            if attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """An upload makes some 20 objects per event, none of them in a cycle: the cyclic garbage
    collector would only walk the whole heap again and again while they are made (a tenth of
    the time of a 10,000-event batch). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _record(
    actor: Any, items: Sequence[Any], *, source: str, as_organization: UUID | None, received_at: datetime | None,
    future_tolerance: timedelta, look_up_keys: bool,
) -> IngestResult:
    results: list[EventOutcome | None] = [None] * len(items)
    drafts: list[tuple[int, EventDraft]] = []
    code_cache: dict[str, str | EventRefusal] = {}
    for index, raw in enumerate(items):
        try:
            drafts.append((index, parse_event(raw, code_cache)))
        except EventRefusal as refusal:
            results[index] = _refused(index, refusal, _raw_key(raw))

    targets = _lock_targets({d.code for _, d in drafts})
    # The receipt time is read once the components are locked, not when the request came in:
    # replay breaks event-time ties by receipt time, so it must follow the order in which
    # uploads about a component commit. Read before the lock, an upload that waited would sort
    # before the one it waited for, and both would report the same step applied.
    received_at = received_at or timezone.now()
    parties = _Parties(actor, {t.project_id for t in targets.values()}, as_organization=as_organization)
    # Photos named must be the recorder's; a cancelled order takes no more production steps.
    refused = screen_references(drafts, targets, parties.organizations)
    if refused:
        for index, draft in drafts:
            if index in refused:
                results[index] = _refused(index, refused[index], draft.key, draft.code)
        drafts = [(index, draft) for index, draft in drafts if index not in refused]
    actor_id = actor.pk
    actor_text = str(actor_id)
    org_text: dict[UUID, str] = {}
    party_text: dict[tuple[UUID, OrgRole], str] = {}
    horizon = received_at + future_tolerance

    candidates: list[_Candidate] = []
    for index, draft in drafts:
        try:
            target = targets.get(draft.code)
            if target is None or not parties.sees(target):
                raise EventRefusal("unknown_component", f"没有编码为 {draft.code} 的构件（或你无权查看）",
                                   f"no component with code {draft.code} (or it is not visible to you)")
            if target.retired:
                raise EventRefusal("component_retired", f"构件 {draft.code} 已从模型中移除（编码已注销）",
                                   f"component {draft.code} was removed from the model (its code is retired)")
            organization, role = parties.role_for(target, draft)
            org = org_text.get(organization) or org_text.setdefault(organization, str(organization))
            party = party_text.get((organization, role)) or party_text.setdefault(
                (organization, role), _party(org, actor_text, role))
            time_text = _utc_text(draft.event_time)
            candidate = _Candidate(index, draft, target, organization, org, role, time_text,
                                   _content_hash(draft, time_text, party))
            if draft.event_time > horizon:
                late = check_event_time(_domain_event(candidate, actor_id, received_at), future_tolerance)
                assert late is not None
                raise EventRefusal(late.code.value, late.message_zh, late.message_en)
        except EventRefusal as refusal:
            results[index] = _refused(index, refusal, draft.key, draft.code)
            continue
        candidates.append(candidate)

    stored = _decide(_claim_keys(candidates, results, targets, look_up_keys), results, actor_id, received_at)
    done = [r for r in results if r is not None]
    assert len(done) == len(items)
    counts = {
        "events": len(items),
        APPLIED: sum(1 for r in done if r.outcome == APPLIED),
        DUPLICATE: sum(1 for r in done if r.outcome == DUPLICATE),
        REJECTED: sum(1 for r in done if r.outcome == REJECTED),
        "stored": len(stored),
    }
    organizations = {c.organization_id for c in stored} or parties.organizations
    batch = IngestBatch.objects.create(
        organization_id=next(iter(organizations)) if len(organizations) == 1 else None,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None, source=source,
        received_at=received_at, events=counts["events"], applied=counts[APPLIED], duplicates=counts[DUPLICATE],
        rejected=counts[REJECTED], stored=counts["stored"],
    )
    _lock_organizations({c.organization_id for c in stored})
    _insert(stored, batch, actor_id, received_at)
    touched = {c.draft.code for c in stored}
    _update_projection([t for code, t in targets.items() if code in touched])
    projects = {c.target.project_id for c in stored}
    record(actor=actor, action="lifecycle.record", obj=batch, after={"source": source, **counts},
           organization=Organization(id=batch.organization_id) if batch.organization_id else None, project=Project(id=projects.pop()) if len(projects) == 1 else None)
    installed = {c.target.registry_id for c in stored if c.draft.event_type is EventType.INSTALL}
    if installed:
        _as_built_on_commit(installed)
    for r in done:
        target = targets.get(r.code) if r.code else None
        if target is not None:
            r.state = target.state
    return IngestResult(batch, done, counts)


def _lock_targets(codes: set[str]) -> dict[str, _Target]:
    """The components named, locked in id order, with their projection and factory."""
    if not codes:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCK_SQL, [",".join(codes)])  # codes are [0-9A-Z] only
            # Times come as ISO text: Django's time-zone-aware loader costs 8 µs a value.
            return {
                code: _Target(id_, code, project, state, _time(state_at), _time(last), retired, factory, registry)
                for id_, code, project, state, state_at, last, retired, factory, registry in cursor.fetchall()
            }
    else:
        rows = list(
            Component.objects.select_for_update(of=("self",))
            .filter(code__in=codes)
            .order_by("id")
            .values_list("id", "code", "project_id", "state", "state_at", "last_event_at", "retired_at",
                         "order_line__order__factory_id", "registry_id")
        )
    return {
        code: _Target(id_, code, project, state, state_at, last, retired not in (None, False), factory, registry)
        for id_, code, project, state, state_at, last, retired, factory, registry in rows
    }


def _lock_organizations(ids: set[UUID]) -> None:
    """The organisations events are recorded for, locked against deletion until this commits.

    The events table has no database foreign keys (models/events.py says why): this one query
    per upload stands for the check the organisation key made per event. Components need none
    here, their rows are locked ``FOR UPDATE`` already. Raises :class:`IntegrityError` (the
    upload is tried again) if one has gone since the memberships were read.
    """
    if not ids:
        return
    if connection.vendor == "postgresql":
        # KEY SHARE, as a foreign key check locks: concurrent uploads for one organisation
        # share it; only a delete or a change of the id waits.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Organization._meta.db_table} WHERE id = ANY(%s) FOR KEY SHARE", [list(ids)])
            found = {row[0] for row in cursor.fetchall()}
    else:  # SQLite writes one transaction at a time: nothing can delete it meanwhile
        found = set(Organization.objects.filter(id__in=ids).values_list("id", flat=True))
    if found != ids:
        raise IntegrityError(f"organisations {sorted(map(str, ids - found))} no longer exist")


def _as_built_on_commit(registry_ids: set[Any]) -> None:
    """Installation events move the as-built assembly rate: recompute it once this commits."""
    from zhijian.apps.prefab.tasks import update_as_built

    for registry_id in registry_ids - {None}:
        transaction.on_commit(lambda r=registry_id: update_as_built.delay(str(r)))


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _claim_keys(
    candidates: list[_Candidate], results: list[EventOutcome | None], targets: Mapping[str, _Target],
    look_up: bool = True,
) -> list[_Candidate]:
    """Idempotency: the first event with a key (per organisation) claims it; a repeat with the
    same content is a duplicate, one with other content is refused. Without ``look_up`` only
    repeats within the upload are found (stored keys are left to the unique index)."""
    if not candidates:
        return []
    existing = {}
    if look_up:
        slots = {(c.organization, c.draft.key) for c in candidates}
        existing = {
            (str(org), key): (digest, id_, component) for org, key, digest, id_, component in _existing_keys(slots)
        }
    state_by_id = {t.id: t.state for t in targets.values()}
    claimed: dict[tuple[str, str], _Candidate] = {}
    ids = iter(uuid7_hex(len(candidates)))
    accepted = []
    for c in candidates:
        slot = (c.organization, c.draft.key)
        earlier = existing.get(slot)
        if earlier is not None:
            digest, id_, component = earlier
            results[c.index] = _repeat(c, digest, id_, state_by_id.get(component))
            continue
        first = claimed.get(slot)
        if first is not None:
            results[c.index] = _repeat(c, first.content_hash, first.id, None)
            continue
        c.id = next(ids)
        claimed[slot] = c
        accepted.append(c)
    return accepted


def _repeat(c: _Candidate, digest: str, earlier_id: UUID, state: str | None) -> EventOutcome:
    key = c.draft.key
    if digest == c.content_hash:
        return EventOutcome(c.index, DUPLICATE, "duplicate", f"重复提交的事件（幂等键 {key}），已忽略",
                            f"duplicate of event {key}; nothing changed", key, c.draft.code, earlier_id, False, state)
    return EventOutcome(c.index, REJECTED, "idempotency_key_reused", f"幂等键 {key} 已被另一条内容不同的事件使用",
                        f"idempotency key {key} already belongs to a different event", key, c.draft.code, None, False,
                        None)


def _decide(
    accepted: list[_Candidate], results: list[EventOutcome | None], actor_id: Any, received_at: datetime
) -> list[_Candidate]:
    """The domain's decisions per component; every accepted event is stored, applied or not."""
    by_component: dict[Any, list[_Candidate]] = defaultdict(list)
    for c in accepted:
        by_component[c.draft.code].append(c)
    late = [
        cid for cid, items in by_component.items()
        if items[0].target.last_event_at is not None
        and min(c.draft.event_time for c in items) < items[0].target.last_event_at
    ]
    history_of = _histories([by_component[code][0].target.id for code in late], {code: code for code in late})
    for code, items in by_component.items():
        target = items[0].target
        if code in history_of:
            _replay_all(target, items, history_of[code], results, actor_id, received_at)
        else:
            _decide_in_order(target, items, results)
        newest = max(c.draft.event_time for c in items)
        target.last_event_at = newest if target.last_event_at is None else max(target.last_event_at, newest)
    return accepted


def _decide_in_order(target: _Target, items: list[_Candidate], results: list[EventOutcome | None]) -> None:
    """New events not older than anything stored: ``decide`` one after the other from the stored
    state, in ``replay``'s order (event time, then key; they were received after everything
    stored, so they come after stored events of the same time) — what ``replay`` of the whole
    history would conclude, without reading it."""
    state = _STATES[target.state]
    if len(items) > 1:
        items.sort(key=lambda c: (c.draft.event_time, c.domain_key))
    for c in items:
        decision = _decision(state, c.draft.event_type)
        reason = decision.reason
        if reason is None:
            state = decision.state
            target.state_at = c.draft.event_time
            results[c.index] = EventOutcome(c.index, APPLIED, None, "已记录", "recorded", c.draft.key, c.draft.code,
                                            c.id, True, _STATE_TEXT[state])
        else:
            results[c.index] = EventOutcome(c.index, REJECTED, reason.code.value, reason.message_zh,
                                            reason.message_en, c.draft.key, c.draft.code, c.id, True,
                                            _STATE_TEXT[state])
    target.state = _STATE_TEXT[state]


def _replay_all(target: _Target, items: list[_Candidate], history: list[DomainEvent],
                results: list[EventOutcome | None], actor_id: Any, received_at: datetime) -> None:
    """A late event: the whole history replayed by the domain, the new events placed by time."""
    new = {}
    for c in items:
        event = _domain_event(c, actor_id, received_at)
        new[id(event)] = (c, event)
    outcome = replay([*history, *(event for _, event in new.values())])
    state_at = None
    for result in outcome.results:
        if result.outcome is Outcome.APPLIED:
            state_at = result.event.event_time
        found = new.get(id(result.event))
        if found is None:
            continue
        c = found[0]
        reason = result.reason
        results[c.index] = EventOutcome(
            c.index, result.outcome.value, reason.code.value if reason else None,
            reason.message_zh if reason else "已记录", reason.message_en if reason else "recorded",
            c.draft.key, c.draft.code, c.id, True, result.state_after.value,
        )
    target.state = outcome.state.value
    target.state_at = state_at


def _histories(component_ids: list[Any], codes: Mapping[str, str]) -> dict[str, list[DomainEvent]]:
    """The stored events of these components as domain values, by component code."""
    history_of: dict[str, list[DomainEvent]] = defaultdict(list)
    if component_ids:
        rows = (
            LifecycleEvent.objects.filter(component_id__in=component_ids)
            .values(*EVENT_ROW_FIELDS, "component__code")
        )
        for row in rows.iterator(2000):
            code = row["component__code"]
            history_of[code].append(stored_domain_event(row, code))
    return history_of


def _existing_keys(slots: set[tuple[str, str]]) -> list[tuple[Any, str, str, Any, Any]]:
    """Stored events holding any of these (organisation, key) pairs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Keys are printable text, so the unit separator cannot occur in them.
            cursor.execute(KEYS_SQL, [",".join(org for org, _ in slots), "\x1f".join(key for _, key in slots)])
            return cursor.fetchall()
    organizations = {org for org, _ in slots}
    rows = LifecycleEvent.objects.filter(
        organization_id__in=organizations, idempotency_key__in={key for _, key in slots}
    ).values_list("organization_id", "idempotency_key", "content_hash", "id", "component_id")
    return [row for row in rows if (str(row[0]), row[1]) in slots]


def _insert(stored: list[_Candidate], batch: IngestBatch, actor_id: Any, received_at: datetime) -> None:
    """The events: one COPY on PostgreSQL (the rows written as COPY text here), bulk_create elsewhere."""
    if not stored:
        return
    if connection.vendor == "postgresql" and INSERT_WITH_COPY:
        actor, batch_id, received = actor_id.hex, batch.id.hex, received_at.isoformat()
        ids: dict[Any, str] = {}
        lines = []
        for c in stored:
            d = c.draft
            component = ids.get(c.target.id) or ids.setdefault(c.target.id, c.target.id.hex)
            if not (d.operator or d.place or d.note or d.measurements or d.photos or d.latitude is not None) \
                    and "\\" not in d.key:  # the usual scanner event: nothing to escape
                lines.append(f"{c.id}\t{component}\t{c.organization}\t{actor}\t{batch_id}\t{d.key}\t"
                             f"{d.event_type}\t{c.role}\t{c.time_text}\t{received}\t\t\t"
                             f"\\N\t\\N\t[]\t[]\t\t{c.content_hash}\n")
                continue
            lines.append("\t".join((
                c.id, component, c.organization, actor, batch_id, _copy_text(d.key), d.event_type.value, c.role.value,
                d.event_time.isoformat(), received, _copy_text(d.operator), _copy_text(d.place),
                "\\N" if d.latitude is None else repr(d.latitude), "\\N" if d.longitude is None else repr(d.longitude),
                _copy_text(_json([measurement_dict(m) for m in d.measurements])) if d.measurements else "[]",
                _copy_text(_json(list(d.photos))) if d.photos else "[]", _copy_text(d.note), c.content_hash,
            )) + "\n")
        # psycopg's own errors (a taken key: UniqueViolation) as Django's, for the retry.
        with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for start in range(0, len(lines), 2000):
                copy.write("".join(lines[start:start + 2000]))
        return
    rows = [
        LifecycleEvent(
            id=UUID(c.id), component_id=c.target.id, organization_id=c.organization_id, recorded_by_id=actor_id,
            batch_id=batch.id, idempotency_key=c.draft.key, event_type=c.draft.event_type.value, role=c.role.value,
            event_time=c.draft.event_time, received_at=received_at, operator=c.draft.operator, place=c.draft.place,
            latitude=c.draft.latitude, longitude=c.draft.longitude,
            measurements=[measurement_dict(m) for m in c.draft.measurements], photos=list(c.draft.photos),
            note=c.draft.note, content_hash=c.content_hash,
        )
        for c in stored
    ]
    LifecycleEvent.objects.bulk_create(rows, batch_size=INSERT_BATCH)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """A text value in PostgreSQL's COPY text format."""
    return value.translate(_COPY_ESCAPES)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _update_projection(rows: list[_Target]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(PROJECTION_SQL, [
                ",".join(str(t.id) for t in rows), ",".join(t.state for t in rows),
                ",".join(t.state_at.isoformat() if t.state_at else "" for t in rows),
                ",".join(t.last_event_at.isoformat() if t.last_event_at else "" for t in rows),
            ])
        return
    components = [Component(id=t.id, state=t.state, state_at=t.state_at, last_event_at=t.last_event_at) for t in rows]
    Component.objects.bulk_update(components, ["state", "state_at", "last_event_at"], batch_size=500)


# -- PostgreSQL -----------------------------------------------------------------------------------
# Django binds parameters on the client, quoting each value of a 10,000-long list or array in
# Python; these statements take each list as one delimited text parameter instead and split it
# in the database, and the events go in by COPY. Measured by benchmarks/ingest.py.
INSERT_WITH_COPY = True  # benchmarks/ingest.py turns it off to measure bulk_create instead
# The components by their code's unique index (``= ANY`` of a constant array: the planner knows
# its length), the factory by a subquery per component (a component has at most one order line):
# half the time of joining the order lines and orders, whose plan scanned them whole.
LOCK_SQL = """
SELECT c.id, c.code, c.project_id, c.state, to_json(c.state_at) #>> '{}', to_json(c.last_event_at) #>> '{}',
       c.retired_at IS NOT NULL,
       (SELECT o.factory_id FROM prefab_orderline l JOIN prefab_productionorder o ON o.id = l.order_id
        WHERE l.component_id = c.id),
       c.registry_id
FROM prefab_component c
WHERE c.code = ANY(string_to_array(%s, ','))
ORDER BY c.id
FOR UPDATE OF c
"""
KEYS_SQL = """
SELECT e.organization_id, e.idempotency_key, e.content_hash, e.id, e.component_id
FROM prefab_lifecycleevent e
JOIN unnest(string_to_array(%s, ',')::uuid[], string_to_array(%s, chr(31))) AS k(organization_id, idempotency_key)
  ON e.organization_id = k.organization_id AND e.idempotency_key = k.idempotency_key
"""
COPY_COLUMNS = (
    "id", "component_id", "organization_id", "recorded_by_id", "batch_id", "idempotency_key", "event_type", "role",
    "event_time", "received_at", "operator", "place", "latitude", "longitude", "measurements", "photos", "note",
    "content_hash",
)
COPY_SQL = f"COPY prefab_lifecycleevent ({', '.join(COPY_COLUMNS)}) FROM STDIN"
PROJECTION_SQL = """
UPDATE prefab_component AS c SET state = v.state, state_at = v.state_at, last_event_at = v.last_event_at
FROM unnest(string_to_array(%s, ',')::uuid[], string_to_array(%s, ','),
            string_to_array(%s, ',', '')::timestamptz[], string_to_array(%s, ',', '')::timestamptz[])
     AS v(id, state, state_at, last_event_at)
WHERE c.id = v.id
"""
