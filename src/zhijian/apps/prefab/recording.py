"""Recording lifecycle events: the set-based core behind every way an event comes in.

One call takes up to 10,000 events (a scanner's backlog, a site app's upload, the events a
production order or a shipment implies) and does, inside one transaction:

1. read each event (``ingest.parse_event``): layout, component code and check digits, type,
   time zone — a bad one is refused with its reason and the others go on;
2. one query locks the components named (``SELECT … FOR UPDATE``, in id order so that two
   uploads never deadlock) and reads their lifecycle projection and their factory;
3. who may record what: the acting organisation's part for each component (factory of its
   order, the project's contractor or construction unit, …) against the domain's role table
   (``lifecycle.check_role``); then the time sanity check (``lifecycle.check_event_time``);
4. idempotency, one query: a key this organisation already used with the same content is a
   duplicate (nothing changes, and it says so), with other content it is refused;
5. the domain decides (``lifecycle.replay``): per component, the new events are replayed
   from the stored state when none is older than what is stored; otherwise the component's
   whole history is loaded and replayed, so that a late event is placed by its event time and
   events after it are decided again (the domain's rule: every well-formed event is stored,
   its outcome is derived);
6. one bulk insert of the events, one update of the components' projection, one audit entry.

So an event is written whole or not at all, good events of a batch are kept when others are
refused, and a device may retry a batch as often as it likes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language

from zhijian.apps.accounts.models import Membership
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import PayloadTooLarge
from zhijian.apps.prefab.ingest import (
    MAX_EVENTS,
    EventDraft,
    EventRefusal,
    measurement_dict,
    measurement_from_dict,
    parse_event,
)
from zhijian.apps.prefab.models import Component, IngestBatch, LifecycleEvent
from zhijian.apps.prefab.models.events import uuid7
from zhijian.apps.projects.models import Project, ProjectParticipant
from zhijian.domain.prefab.lifecycle import (
    DEFAULT_FUTURE_TOLERANCE,
    ROLE_NAMES,
    ROLE_POLICY,
    EventResult,
    EventType,
    Location,
    OrgRole,
    Outcome,
    State,
    check_event_time,
    check_role,
    replay,
)
from zhijian.domain.prefab.lifecycle import (
    LifecycleEvent as DomainEvent,
)

APPLIED, DUPLICATE, REJECTED = Outcome.APPLIED.value, Outcome.DUPLICATE.value, Outcome.REJECTED.value
INSERT_BATCH = 2_000
RETRIES = 2

# Membership roles that may act for an organisation in each of its parts.
FACTORY_MEMBERS = frozenset({"factory_operator", "org_admin"})
CONTRACTOR_MEMBERS = frozenset({"contractor", "org_admin"})
OWNER_MEMBERS = frozenset({"org_admin"})
DESIGN_MEMBERS = frozenset({"designer", "org_admin"})


@dataclass(frozen=True, slots=True)
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
        language = language or get_language() or "zh-hans"
        return self.message_en if language.startswith("en") else self.message_zh


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


@dataclass(slots=True)
class _Candidate:
    index: int
    draft: EventDraft
    target: _Target
    organization_id: UUID
    role: OrgRole
    event: DomainEvent
    content_hash: str
    id: UUID = field(default_factory=uuid7)


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
        for project, org, role in ProjectParticipant.objects.filter(
            project_id__in=set(project_ids), organization_id__in=self.organizations
        ).values_list("project_id", "organization_id", "role"):
            self.team[project][org].add(role)
        self._cache: dict[tuple[UUID, UUID | None, UUID | None], list[tuple[UUID, OrgRole]]] = {}

    def sees(self, target: _Target) -> bool:
        """The component is visible to the actor (as ``Component.objects.restrict`` says)."""
        if self.superuser or self.authority or (target.factory_id is not None and target.factory_id in self.organizations):
            return True
        return any(places - {"production"} for places in self.team.get(target.project_id, {}).values())

    def parts(self, target: _Target, organization: UUID | None) -> list[tuple[UUID, OrgRole]]:
        """(organisation, role) pairs the actor may act as for this component."""
        cache_key = (target.project_id, target.factory_id, organization)
        found = self._cache.get(cache_key)
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
            self._cache[cache_key] = found
        return found


def _role_for(parties: _Parties, target: _Target, draft: EventDraft) -> tuple[UUID, OrgRole]:
    if draft.organization is not None and draft.organization not in parties.organizations:
        raise EventRefusal("unknown_organization", "你不是事件所填单位的成员", "you are not a member of the organisation named")
    parts = parties.parts(target, draft.organization)
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


# -- content ------------------------------------------------------------------------------------
def _content_hash(draft: EventDraft, organization: UUID, actor_id: Any, role: OrgRole) -> str:
    """Everything a retry must repeat (not the receipt time), as a 128-bit digest."""
    parts = [
        draft.code, draft.event_type.value, draft.event_time.astimezone(UTC).isoformat(), str(organization),
        str(actor_id), role.value, draft.operator, draft.place, repr(draft.latitude), repr(draft.longitude),
        _json([measurement_dict(m) for m in draft.measurements]) if draft.measurements else "",
        _json(list(draft.photos)) if draft.photos else "", draft.note,
    ]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def domain_key(organization: Any, key: str) -> str:
    """An event's idempotency key as the domain sees it: qualified by its organisation."""
    return f"{organization}/{key}"


def _domain_event(draft: EventDraft, target: _Target, organization: UUID, role: OrgRole, actor_id: Any,
                  received_at: datetime) -> DomainEvent:
    location = (
        Location(draft.place or None, draft.latitude, draft.longitude)
        if draft.place or draft.latitude is not None else None
    )
    return DomainEvent(
        idempotency_key=domain_key(organization, draft.key), component=target.code, type=draft.event_type,
        event_time=draft.event_time, received_at=received_at, actor=_person(actor_id, draft.operator),
        organisation=str(organization), role=role, location=location, measurements=draft.measurements,
        photos=draft.photos, note=draft.note,
    )


def _person(user_id: Any, operator: str) -> str:
    """The domain's actor: the account that recorded, and the person at the device if named."""
    return f"{user_id}/{operator}" if operator else str(user_id)


def stored_domain_event(row: Mapping[str, Any], code: str) -> DomainEvent:
    """A stored event (a ``values()`` row) as the domain's value, the same as when it came in."""
    location = (
        Location(row["place"] or None, row["latitude"], row["longitude"])
        if row["place"] or row["latitude"] is not None else None
    )
    return DomainEvent(
        idempotency_key=domain_key(row["organization_id"], row["idempotency_key"]), component=code,
        type=EventType(row["event_type"]), event_time=row["event_time"], received_at=row["received_at"],
        actor=_person(row["recorded_by_id"], row["operator"]), organisation=str(row["organization_id"]),
        role=OrgRole(row["role"]), location=location,
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
    more than 10,000 items. A concurrent upload that claims the same key first makes this one
    start again (then it reports a duplicate), at most twice.
    """
    if len(items) > MAX_EVENTS:
        raise PayloadTooLarge(
            f"at most {MAX_EVENTS} events per request, got {len(items)}; split the upload", code="too_many_events",
            limit=MAX_EVENTS,
        )
    for attempt in range(RETRIES + 1):
        try:
            with transaction.atomic():
                return _record(actor, items, source=source, as_organization=as_organization,
                               received_at=received_at or timezone.now(), future_tolerance=future_tolerance)
        except IntegrityError:
            if attempt == RETRIES:
                raise
    raise AssertionError("unreachable")


def _record(
    actor: Any, items: Sequence[Any], *, source: str, as_organization: UUID | None, received_at: datetime,
    future_tolerance: timedelta,
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
    parties = _Parties(actor, {t.project_id for t in targets.values()}, as_organization=as_organization)
    actor_id = actor.pk

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
            organization, role = _role_for(parties, target, draft)
            event = _domain_event(draft, target, organization, role, actor_id, received_at)
            late = check_event_time(event, future_tolerance)
            if late is not None:
                raise EventRefusal(late.code.value, late.message_zh, late.message_en)
        except EventRefusal as refusal:
            results[index] = _refused(index, refusal, draft.key, draft.code)
            continue
        candidates.append(_Candidate(index, draft, target, organization, role, event,
                                     _content_hash(draft, organization, actor_id, role)))

    accepted = _claim_keys(candidates, results, targets)
    stored = _decide(accepted, results, targets)
    counts = {
        "events": len(items),
        APPLIED: sum(1 for r in results if r is not None and r.outcome == APPLIED),
        DUPLICATE: sum(1 for r in results if r is not None and r.outcome == DUPLICATE),
        REJECTED: sum(1 for r in results if r is not None and r.outcome == REJECTED),
        "stored": len(stored),
    }
    organizations = {c.organization_id for c in accepted} or parties.organizations
    batch = IngestBatch.objects.create(
        organization_id=next(iter(organizations)) if len(organizations) == 1 else None,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None, source=source,
        received_at=received_at, events=counts["events"], applied=counts[APPLIED], duplicates=counts[DUPLICATE],
        rejected=counts[REJECTED], stored=counts["stored"],
    )
    _insert(stored, batch, actor_id, received_at)
    _update_projection(targets, {c.target.id for c in stored})
    projects = {c.target.project_id for c in stored}
    record(actor=actor, action="lifecycle.record", obj=batch, after={"source": source, **counts},
           organization=batch.organization, project=Project(id=projects.pop()) if len(projects) == 1 else None)
    final = [r for r in results if r is not None]
    assert len(final) == len(items)
    states = {t.id: t.state for t in targets.values()}
    by_code = {t.code: t for t in targets.values()}
    final = [
        _with_state(r, states.get(by_code[r.code].id) if r.code in by_code else None) for r in final
    ]
    return IngestResult(batch, final, counts)


def _with_state(result: EventOutcome, state: str | None) -> EventOutcome:
    if state is None or result.state == state:
        return result
    return EventOutcome(result.index, result.outcome, result.reason, result.message_zh, result.message_en, result.key,
                        result.code, result.event_id, result.stored, result.state_after, state)


def _lock_targets(codes: set[str]) -> dict[str, _Target]:
    """The components named, locked in id order, with their projection and factory."""
    if not codes:
        return {}
    if connection.vendor == "postgresql":
        with _pg_cursor() as cursor:
            cursor.execute(LOCK_SQL, [list(codes)])
            rows = cursor.fetchall()
    else:
        rows = list(
            Component.objects.select_for_update(of=("self",))
            .filter(code__in=codes)
            .order_by("id")
            .values_list("id", "code", "project_id", "state", "state_at", "last_event_at", "retired_at",
                         "order_line__order__factory_id")
        )
    return {
        code: _Target(id_, code, project, state, state_at, last, retired is not None and retired is not False, factory)
        for id_, code, project, state, state_at, last, retired, factory in rows
    }


def _claim_keys(
    candidates: list[_Candidate], results: list[EventOutcome | None], targets: Mapping[str, _Target]
) -> list[_Candidate]:
    """Idempotency: the first event with a key (per organisation) claims it; a repeat with the
    same content is a duplicate, one with other content is refused."""
    if not candidates:
        return []
    slots = {(c.organization_id, c.draft.key) for c in candidates}
    existing: dict[tuple[UUID, str], tuple[str, UUID, UUID]] = {
        (org, key): (digest, id_, component) for org, key, digest, id_, component in _existing_keys(slots)
    }
    state_by_id = {t.id: t.state for t in targets.values()}
    claimed: dict[tuple[UUID, str], _Candidate] = {}
    accepted = []
    for c in candidates:
        slot = (c.organization_id, c.draft.key)
        earlier = existing.get(slot)
        if earlier is not None:
            digest, id_, component = earlier
            results[c.index] = _repeat(c, digest, id_, state_by_id.get(component))
            continue
        first = claimed.get(slot)
        if first is not None:
            results[c.index] = _repeat(c, first.content_hash, first.id, None)
            continue
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
    accepted: list[_Candidate], results: list[EventOutcome | None], targets: Mapping[str, _Target]
) -> list[_Candidate]:
    """The domain's replay per component; every accepted event is stored, applied or not."""
    by_component: dict[UUID, list[_Candidate]] = defaultdict(list)
    for c in accepted:
        by_component[c.target.id].append(c)
    late = [
        cid for cid, items in by_component.items()
        if items[0].target.last_event_at is not None
        and min(c.draft.event_time for c in items) < items[0].target.last_event_at
    ]
    history_of: dict[UUID, list[DomainEvent]] = defaultdict(list)
    if late:
        codes = {c.target.id: c.target.code for cid in late for c in by_component[cid][:1]}
        for row in LifecycleEvent.objects.filter(component_id__in=late).values(*EVENT_ROW_FIELDS).iterator(2000):
            history_of[row["component_id"]].append(stored_domain_event(row, codes[row["component_id"]]))
    for cid, items in by_component.items():
        target = items[0].target
        new = {id(c.event): c for c in items}
        if cid in history_of:
            history = replay([*history_of[cid], *(c.event for c in items)])
        else:
            history = replay([c.event for c in items], initial=State(target.state))
        last_applied: EventResult | None = None
        for result in history.results:
            if result.outcome is Outcome.APPLIED:
                last_applied = result
            c = new.get(id(result.event))
            if c is None:
                continue
            reason = result.reason
            results[c.index] = EventOutcome(
                c.index, result.outcome.value, reason.code.value if reason else None,
                reason.message_zh if reason else "已记录", reason.message_en if reason else "recorded",
                c.draft.key, c.draft.code, c.id, True, result.state_after.value,
            )
        target.state = history.state.value
        if last_applied is not None:
            target.state_at = last_applied.event.event_time
        elif cid in history_of:
            target.state_at = None
        newest = max(c.draft.event_time for c in items)
        target.last_event_at = newest if target.last_event_at is None else max(target.last_event_at, newest)
    return accepted


def _existing_keys(slots: set[tuple[UUID, str]]) -> list[tuple[UUID, str, str, UUID, UUID]]:
    """Stored events holding any of these (organisation, key) pairs."""
    if connection.vendor == "postgresql":
        with _pg_cursor() as cursor:
            cursor.execute(KEYS_SQL, [[org for org, _ in slots], [key for _, key in slots]])
            return cursor.fetchall()
    organizations = {org for org, _ in slots}
    rows = LifecycleEvent.objects.filter(
        organization_id__in=organizations, idempotency_key__in={key for _, key in slots}
    ).values_list("organization_id", "idempotency_key", "content_hash", "id", "component_id")
    return [row for row in rows if (row[0], row[1]) in slots]


def _insert(stored: list[_Candidate], batch: IngestBatch, actor_id: Any, received_at: datetime) -> None:
    """The events, in one COPY on PostgreSQL (bulk_create elsewhere)."""
    if not stored:
        return
    if connection.vendor == "postgresql" and INSERT_WITH_COPY:
        with _pg_cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for c in stored:
                d = c.draft
                copy.write_row((
                    c.id, c.target.id, c.organization_id, actor_id, batch.id, d.key, d.event_type.value, c.role.value,
                    d.event_time, received_at, d.operator, d.place, d.latitude, d.longitude,
                    _json([measurement_dict(m) for m in d.measurements]) if d.measurements else "[]",
                    _json(list(d.photos)) if d.photos else "[]", d.note, c.content_hash,
                ))
        return
    rows = [
        LifecycleEvent(
            id=c.id, component_id=c.target.id, organization_id=c.organization_id, recorded_by_id=actor_id,
            batch_id=batch.id, idempotency_key=c.draft.key, event_type=c.draft.event_type.value, role=c.role.value,
            event_time=c.draft.event_time, received_at=received_at, operator=c.draft.operator, place=c.draft.place,
            latitude=c.draft.latitude, longitude=c.draft.longitude,
            measurements=[measurement_dict(m) for m in c.draft.measurements], photos=list(c.draft.photos),
            note=c.draft.note, content_hash=c.content_hash,
        )
        for c in stored
    ]
    LifecycleEvent.objects.bulk_create(rows, batch_size=INSERT_BATCH)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _update_projection(targets: Mapping[str, _Target], changed: set[UUID]) -> None:
    rows = [t for t in targets.values() if t.id in changed]
    if not rows:
        return
    if connection.vendor == "postgresql":
        with _pg_cursor() as cursor:
            cursor.execute(PROJECTION_SQL, [[t.id for t in rows], [t.state for t in rows], [t.state_at for t in rows],
                                            [t.last_event_at for t in rows]])
        return
    components = [
        Component(id=t.id, state=t.state, state_at=t.state_at, last_event_at=t.last_event_at) for t in rows
    ]
    Component.objects.bulk_update(components, ["state", "state_at", "last_event_at"], batch_size=500)


# -- PostgreSQL: server-side parameters (arrays travel in binary), COPY for the insert ---------
# Django's psycopg cursors bind parameters on the client, quoting every value of a 10,000-long
# list in Python; these few statements instead send arrays as parameters and rows by COPY.
INSERT_WITH_COPY = True  # benchmarks/ingest.py turns it off to measure bulk_create instead
_EVENT_TABLE = "prefab_lifecycleevent"
LOCK_SQL = """
SELECT c.id, c.code, c.project_id, c.state, c.state_at, c.last_event_at, c.retired_at IS NOT NULL, o.factory_id
FROM prefab_component c
LEFT JOIN prefab_orderline l ON l.component_id = c.id
LEFT JOIN prefab_productionorder o ON o.id = l.order_id
WHERE c.code = ANY(%s::varchar[])
ORDER BY c.id
FOR UPDATE OF c
"""
KEYS_SQL = f"""
SELECT e.organization_id, e.idempotency_key, e.content_hash, e.id, e.component_id
FROM {_EVENT_TABLE} e
JOIN unnest(%s::uuid[], %s::varchar[]) AS k(organization_id, idempotency_key)
  ON e.organization_id = k.organization_id AND e.idempotency_key = k.idempotency_key
"""
COPY_COLUMNS = (
    "id", "component_id", "organization_id", "recorded_by_id", "batch_id", "idempotency_key", "event_type", "role",
    "event_time", "received_at", "operator", "place", "latitude", "longitude", "measurements", "photos", "note",
    "content_hash",
)
COPY_SQL = f"COPY {_EVENT_TABLE} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
PROJECTION_SQL = """
UPDATE prefab_component AS c SET state = v.state, state_at = v.state_at, last_event_at = v.last_event_at
FROM unnest(%s::uuid[], %s::varchar[], %s::timestamptz[], %s::timestamptz[]) AS v(id, state, state_at, last_event_at)
WHERE c.id = v.id
"""


def _pg_cursor() -> Any:
    """A psycopg cursor on Django's connection (same transaction) that binds on the server."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def role_names(role: str) -> tuple[str, str]:
    return ROLE_NAMES[OrgRole(role)]
