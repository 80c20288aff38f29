"""Tenant-restricted reads of the prefab app: every query starts from ``Model.objects.restrict``.

A factory sees its own orders and the components, events and shipments in them; the project's
team (owner, contractor, designer, …) sees the project's; the housing authority the whole city.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhijian.apps.accounts.models import Organization
from zhijian.apps.common.errors import InvalidInput
from zhijian.apps.prefab.choices import (
    STAGE_COLOURS,
    STAGE_OF_STATE,
    ComponentState,
    EventType,
    JobStatus,
    Stage,
)
from zhijian.apps.prefab.models import (
    CancelledOrderLine,
    Component,
    ComponentRegistry,
    LabelSheet,
    LifecycleEvent,
    OrderLine,
    ProductionOrder,
    RegistryBuild,
    Shipment,
)
from zhijian.apps.prefab.recording import EVENT_ROW_FIELDS, possible_parts, stored_domain_event
from zhijian.apps.projects.models import Project
from zhijian.domain.prefab.coding import ComponentCodeError, parse_code
from zhijian.domain.prefab.labels import code_from_payload
from zhijian.domain.prefab.lifecycle import (
    ROLE_POLICY,
    TRANSITIONS,
    EventResult,
    History,
    State,
    replay,
)
from zhijian.domain.prefab.lifecycle import EventType as DomainEventType
from zhijian.domain.prefab.quality_facts import FactoryFacts, check_measurements, factory_facts

DELIVERED_OR_LATER = (ComponentState.DELIVERED, ComponentState.ACCEPTED, ComponentState.REJECTED,
                      ComponentState.INSTALLED)
SHIPPED_OR_LATER = (ComponentState.SHIPPED, *DELIVERED_OR_LATER)
FINISHED = (ComponentState.PRODUCED, ComponentState.QC_PASSED, ComponentState.QC_FAILED, ComponentState.REWORKED,
            ComponentState.IN_STOCK, ComponentState.SHIPPED, ComponentState.DELIVERED, ComponentState.ACCEPTED,
            ComponentState.REJECTED, ComponentState.RETURNED, ComponentState.INSTALLED)


# -- components -----------------------------------------------------------------------------------
def compact_code(text: str) -> str:
    """The compact code from typed or scanned text (a URL too), or :class:`InvalidInput` saying why."""
    try:
        return parse_code(text).compact
    except ComponentCodeError as err:
        found = code_from_payload(text) if "/" in text else None
        if found is not None:
            return found.compact
        raise InvalidInput(str(err), code=err.code) from err


def list_components_for(user: Any) -> models.QuerySet[Component]:
    return Component.objects.restrict(user)


def get_component_for(user: Any, code: str) -> Component:
    """The component with this code if the user may see it (404 otherwise; 422 for a bad code)."""
    compact = compact_code(code)
    return get_object_or_404(
        Component.objects.restrict(user).select_related("project", "registry__building", "order_line__order__factory"),
        code=compact,
    )


@dataclass(frozen=True)
class TimelineEntry:
    event: LifecycleEvent
    result: EventResult
    organization: str
    recorded_by: str
    qc: Any = None  # quality_facts.QcCheck of the measurements, if any

    @property
    def applied(self) -> bool:
        return self.result.outcome.value == "applied"


@dataclass(frozen=True)
class Timeline:
    component: Component
    entries: list[TimelineEntry]
    history: History


def component_history(component: Component) -> History:
    """The component's stored events replayed by the domain (state and each event's outcome)."""
    rows = list(
        LifecycleEvent.objects.filter(component=component)
        .order_by("event_time", "received_at", "idempotency_key")
        .values(*EVENT_ROW_FIELDS)
    )
    return replay([stored_domain_event(row, component.code) for row in rows])


def get_timeline_for(user: Any, component: Component) -> Timeline:
    """Every event of a visible component with its outcome, oldest first (the scan page's history).

    ``component`` comes from :func:`get_component_for` (restricted): whoever sees a component
    sees all its events (``LifecycleEvent.restrict_queryset`` says the same), so they are read
    by the component's id alone — one indexed query, the lookup the benchmark times.
    """
    events = {
        e.id: e
        for e in LifecycleEvent.objects.filter(component_id=component.id).select_related("organization", "recorded_by")
    }
    rows = [
        {f: getattr(e, f) for f in EVENT_ROW_FIELDS}
        for e in sorted(events.values(), key=lambda e: (e.event_time, e.received_at, e.idempotency_key))
    ]
    domain_events = [stored_domain_event(row, component.code) for row in rows]
    by_event = {id(d): rows[i]["id"] for i, d in enumerate(domain_events)}
    history = replay(domain_events)
    kind = _type(component.type_code)
    entries = []
    for result in history.results:
        event = events[by_event[id(result.event)]]
        qc = None
        if event.measurements:
            try:
                qc = check_measurements(
                    result.event.measurements, tolerance_class=kind.tolerance_class if kind else None,
                    length_m=component.length_m, height_m=component.height_m,
                    concrete_grade=component.concrete_grade if "/" not in component.concrete_grade else None,
                )
            except Exception:  # a measurement the table cannot read is shown as sent
                qc = None
        entries.append(TimelineEntry(event, result, event.organization.name, str(event.recorded_by), qc))
    return Timeline(component, entries, history)


@dataclass(frozen=True)
class NextAction:
    event_type: str
    label: str
    organization_id: UUID
    role: str


def next_actions_for(user: Any, component: Component) -> list[NextAction]:
    """The steps the user may record next: legal from the current state (the domain's table)
    and allowed to one of the user's parts on this component (the domain's role table)."""
    if component.retired_at is not None:
        return []
    state = State(component.state)
    parts = possible_parts(user, component)
    actions = []
    for (from_state, event_type), _target in TRANSITIONS.items():
        if from_state is not state or event_type is DomainEventType.CANCEL_ORDER:
            continue  # an order is cancelled on the order's page, with a reason
        for organization_id, role in parts:
            if role in ROLE_POLICY.get(event_type, frozenset()):
                actions.append(NextAction(event_type.value, str(EventType(event_type.value).label), organization_id,
                                          role.value))
                break
    return actions


def _type(type_code: str) -> Any:
    from zhijian.domain.prefab.coding import component_types

    return component_types().get(type_code)


def type_name(type_code: str) -> str:
    kind = _type(type_code)
    return kind.zh if kind else type_code


# -- registries -----------------------------------------------------------------------------------
def list_registries_for(user: Any, project: Project | None = None) -> models.QuerySet[ComponentRegistry]:
    registries = ComponentRegistry.objects.restrict(user).select_related("building", "model_version")
    return registries.filter(project=project) if project is not None else registries


def get_registry_for(user: Any, registry_id: Any) -> ComponentRegistry:
    return get_object_or_404(list_registries_for(user), id=registry_id)


def get_registry_build_for(user: Any, build_id: Any) -> RegistryBuild:
    return get_object_or_404(RegistryBuild.objects.restrict(user).select_related("registry"), id=build_id)


# -- orders ---------------------------------------------------------------------------------------
def list_orders_for(user: Any) -> models.QuerySet[ProductionOrder]:
    return ProductionOrder.objects.restrict(user).select_related("project", "factory", "ordered_by")


def get_order_for(user: Any, order_id: Any) -> ProductionOrder:
    return get_object_or_404(list_orders_for(user), id=order_id)


@dataclass
class StoreyLine:
    storey: int
    due_date: dt.date
    components: int
    states: Counter[str] = field(default_factory=Counter)

    @property
    def finished(self) -> int:
        return sum(n for s, n in self.states.items() if s in FINISHED)

    @property
    def delivered(self) -> int:
        return sum(n for s, n in self.states.items() if STAGE_OF_STATE[s] in (Stage.DELIVERED, Stage.INSTALLED))

    @property
    def installed(self) -> int:
        return self.states.get(ComponentState.INSTALLED, 0)

    @property
    def storey_label(self) -> str:
        return f"{self.storey}F" if self.storey > 0 else f"B{-self.storey}"


def order_storeys(order: ProductionOrder) -> list[StoreyLine]:
    """The order per storey: its due date and how far its components are."""
    lines: dict[tuple[int, dt.date], StoreyLine] = {}
    rows = (
        OrderLine.objects.filter(order=order).values("storey", "due_date", "component__state")
        .annotate(n=Count("id")).order_by("storey")
    )
    for row in rows:
        line = lines.setdefault((row["storey"], row["due_date"]), StoreyLine(row["storey"], row["due_date"], 0))
        line.components += row["n"]
        line.states[row["component__state"]] += row["n"]
    return list(lines.values())


# -- shipments -------------------------------------------------------------------------------------
def list_shipments_for(user: Any) -> models.QuerySet[Shipment]:
    return Shipment.objects.restrict(user).select_related("project", "factory", "received_by")


def get_shipment_for(user: Any, shipment_id: Any) -> Shipment:
    return get_object_or_404(list_shipments_for(user), id=shipment_id)


def shipment_components(shipment: Shipment) -> list[Component]:
    return list(
        Component.objects.filter(shipment_items__shipment=shipment).select_related("registry__building")
        .order_by("storey", "type_code", "code")
    )


# -- label sheets ---------------------------------------------------------------------------------
def list_label_sheets_for(user: Any) -> models.QuerySet[LabelSheet]:
    return LabelSheet.objects.restrict(user)


def get_label_sheet_for(user: Any, sheet_id: Any) -> LabelSheet:
    return get_object_or_404(list_label_sheets_for(user), id=sheet_id)


def label_sheet_pdf_for(user: Any, sheet_id: Any) -> FileResponse:
    """The drawn sheet's PDF as a download (the page and the API serve the same); 404 until it is drawn."""
    sheet = get_label_sheet_for(user, sheet_id)
    if sheet.status != JobStatus.DONE:
        raise Http404("not drawn yet")
    return FileResponse(sheet.file.open("rb"), as_attachment=True, filename=f"labels-{sheet.id}.pdf",
                        content_type="application/pdf")


# -- installation progress ---------------------------------------------------------------------------
@dataclass
class StoreyProgress:
    storey: int
    storey_name: str
    total: int = 0
    stages: Counter[str] = field(default_factory=Counter)

    @property
    def storey_label(self) -> str:
        return f"{self.storey}F" if self.storey > 0 else f"B{-self.storey}"

    def share(self, stage: str) -> float:
        return self.stages.get(stage, 0) / self.total if self.total else 0.0

    @property
    def percentages(self) -> dict[str, float]:
        return {stage: round(100 * self.share(stage), 1) for stage in Stage.values}


@dataclass
class BuildingProgress:
    registry: ComponentRegistry
    storeys: list[StoreyProgress]
    colours: dict[str, str]  # GlobalId → colour of its stage (installed / delivered / produced)
    stages_by_guid: dict[str, str]

    @property
    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for storey in self.storeys:
            total.update(storey.stages)
        return total

    @property
    def components(self) -> int:
        return sum(s.total for s in self.storeys)


def project_progress_for(user: Any, project: Project) -> list[BuildingProgress]:
    """Per building and storey, how many components are produced, delivered, installed."""
    buildings = []
    for registry in list_registries_for(user, project).order_by("building_number"):
        storeys: dict[int, StoreyProgress] = {}
        colours, stages = {}, {}
        rows = (
            Component.objects.restrict(user).active().filter(registry=registry)
            .values_list("guid", "storey", "storey_name", "state")
        )
        for guid, storey, storey_name, state in rows:
            stage = STAGE_OF_STATE[state]
            line = storeys.setdefault(storey, StoreyProgress(storey, storey_name))
            line.total += 1
            line.stages[stage] += 1
            stages[guid] = stage
            colour = STAGE_COLOURS[stage]
            if colour:
                colours[guid] = colour
        buildings.append(BuildingProgress(registry, sorted(storeys.values(), key=lambda s: -s.storey), colours,
                                          stages))
    return buildings


# -- the factory board and the factory's facts --------------------------------------------------------
def factories_of(user: Any) -> list[Organization]:
    """The component producers the user works for (factory operators and administrators)."""
    return list(
        Organization.objects.filter(
            org_type="component_producer", active=True, memberships__user=user,
            memberships__role__in=("factory_operator", "org_admin"),
        ).distinct().order_by("name")
    )


def get_factory_for(user: Any, organization_id: Any) -> Organization:
    """A factory whose record the user may read: their own, one sharing a project with them, or
    any (the housing authority)."""
    return get_object_or_404(Organization.objects.restrict(user).filter(org_type="component_producer"),
                             id=organization_id)


def factory_histories(factory_id: Any, *, since: dt.datetime | None = None) -> dict[str, History]:
    """Every component of the factory's orders, its events replayed (for the facts)."""
    components = dict(
        Component.objects.filter(order_line__order__factory_id=factory_id).values_list("id", "code")
    )
    events: dict[UUID, list[Any]] = defaultdict(list)
    rows = (
        LifecycleEvent.objects.filter(component_id__in=list(components)).order_by("component_id", "event_time")
        .values(*EVENT_ROW_FIELDS)
    )
    for row in rows.iterator(5000):
        events[row["component_id"]].append(stored_domain_event(row, components[row["component_id"]]))
    return {components[cid]: replay(items) for cid, items in events.items()}


def factory_facts_for(factory: Organization, *, as_of: dt.datetime | None = None) -> FactoryFacts:
    """QC first-pass rate, on-time delivery and site rejection of a factory (the domain's
    ``factory_facts``), over every component it produced on the platform."""
    as_of = as_of or timezone.now()
    histories = factory_histories(factory.id)
    due = dict(
        OrderLine.objects.filter(order__factory=factory).values_list("component__code", "due_date")
    )
    facts = factory_facts(histories, as_of=as_of, due=due).get(str(factory.id))
    if facts is None:
        from zhijian.domain.prefab.quality_facts import Rate

        facts = FactoryFacts(str(factory.id), 0, Rate(0, 0), Rate(0, 0), Rate(0, 0), 0)
    return facts


@dataclass
class FactoryBoard:
    factory: Organization
    orders: list[tuple[ProductionOrder, dict[str, int]]]
    throughput: list[tuple[dt.date, int]]  # components finished per day, recent days
    facts: FactoryFacts
    stock: int
    stock_age_days: dict[str, int]  # buckets "0–7", "8–30", "31–90", "> 90"
    oldest_stock_days: int | None
    average_stock_days: float | None


STOCK_BUCKETS = ((7, "0–7"), (30, "8–30"), (90, "31–90"), (None, "> 90"))


def factory_board_for(user: Any, factory: Organization, *, days: int = 14) -> FactoryBoard:
    now = timezone.now()
    orders = list(list_orders_for(user).filter(factory=factory).order_by("-created_at")[:50])
    progress: dict[UUID, dict[str, int]] = defaultdict(Counter)
    for row in (OrderLine.objects.filter(order__in=orders).values("order_id", "component__state")
                .annotate(n=Count("id"))):
        progress[row["order_id"]][row["component__state"]] += row["n"]
    overdue = dict(
        OrderLine.objects.filter(order__in=orders, due_date__lt=timezone.localdate())
        .exclude(component__state__in=DELIVERED_OR_LATER).values("order_id").annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    cancelled = dict(
        CancelledOrderLine.objects.filter(order__in=orders).values("order_id").annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    summary = []
    for order in orders:
        states = progress.get(order.id, Counter())
        summary.append((order, {
            "components": sum(states.values()),
            "finished": sum(n for s, n in states.items() if s in FINISHED),
            "shipped": sum(n for s, n in states.items() if s in SHIPPED_OR_LATER),
            "installed": states.get(ComponentState.INSTALLED, 0),
            "overdue": overdue.get(order.id, 0),
            "cancelled": cancelled.get(order.id, 0),
        }))
    start = timezone.localdate() - dt.timedelta(days=days - 1)
    finished = Counter(
        timezone.localtime(t).date()
        for t in LifecycleEvent.objects.filter(
            organization=factory, event_type=EventType.FINISH_PRODUCTION,
            event_time__gte=timezone.make_aware(dt.datetime.combine(start, dt.time())),
        ).values_list("event_time", flat=True)
    )
    throughput = [(start + dt.timedelta(days=i), finished.get(start + dt.timedelta(days=i), 0)) for i in range(days)]
    stock_times = list(
        Component.objects.filter(order_line__order__factory=factory, state=ComponentState.IN_STOCK)
        .values_list("state_at", flat=True)
    )
    ages = [max(0, (now - t).days) for t in stock_times if t is not None]
    buckets = dict.fromkeys((label for _, label in STOCK_BUCKETS), 0)
    for age in ages:
        label = next(label for limit, label in STOCK_BUCKETS if limit is None or age <= limit)
        buckets[label] += 1
    return FactoryBoard(
        factory=factory, orders=summary, throughput=throughput, facts=factory_facts_for(factory, as_of=now),
        stock=len(stock_times), stock_age_days=buckets, oldest_stock_days=max(ages) if ages else None,
        average_stock_days=round(sum(ages) / len(ages), 1) if ages else None,
    )
