"""The demo city's traceability: 岳麓区示范安置房项目 1#楼's precast components from order to installation.

Called by the demo seed (:func:`zhijian.apps.review.demo.seed_demo_city`) once the review project
exists and its 1#楼 model is checked. Everything goes through the services, acting as the demo
users (owner, contractor, factory), so the audit log and the events read as they would in life:

- the registry is read from the checked (not yet approved) model: a preliminary registry, the
  358 precast components of 3F–11F;
- the general contractor orders 3F–11F from 长沙示范预制构件有限公司, each storey due three days
  after the one below;
- the factory's scanners upload production, QC and stock-in: one 4F slab fails QC and is
  reworked; 3F–9F are in stock, half of 10F is waiting for QC, the rest of 10F in production,
  11F is only ordered;
- trucks (delivery notes of up to 12 components) carry 3F–8F; the site confirms 3F–7F, accepts
  them (a 5F wall panel is rejected on arrival, returned, repaired and shipped again; 7F arrives a
  day late) and installs 3F–6F. 8F is on the road.

Idempotent: the events carry fixed keys and times counted from the order's date, and nothing is
done twice once the order exists with its events. The whole seed is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhijian.apps.accounts.models import Organization, User
from zhijian.apps.prefab import services
from zhijian.apps.prefab.models import (
    Component,
    ComponentRegistry,
    LifecycleEvent,
    ProductionOrder,
    Shipment,
)
from zhijian.apps.projects.models import Project

FACTORY_SERIAL = 401
STOREYS = range(3, 12)
TRUCK = 12  # components per truck
START_DAYS_AGO = 30  # the order is placed this many days before the first seeding

# How far each storey has come (the last step every component of it reached).
REACHED = {3: "install", 4: "install", 5: "install", 6: "install", 7: "accept", 8: "ship", 9: "stock_in",
           10: "finish_production", 11: "order"}
FACTORY_STEPS = ("start_production", "finish_production", "pass_qc", "stock_in")


@dataclass
class DemoTraceability:
    registry: ComponentRegistry | None
    order: ProductionOrder | None
    events: int = 0
    shipments: int = 0
    created: list[str] = field(default_factory=list)


def _at(anchor: date, day: float, hour: int = 8) -> datetime:
    moment = timezone.make_aware(datetime.combine(anchor, time(hour)))
    return moment + timedelta(days=day)


def seed_traceability(project: Project, created: list[str]) -> DemoTraceability:
    """Load what is missing of the demo project's traceability (see the module docstring)."""
    building = project.buildings.order_by("name").first()
    if building is None:
        return DemoTraceability(None, None)
    users = {u.username: u for u in User.objects.filter(username__in=("owner", "contractor", "factory"))}
    factory = (
        Organization.objects.filter(participations__project=project, participations__role="production")
        .order_by("name").first()
    )
    if len(users) < 3 or factory is None:
        return DemoTraceability(None, None)
    with transaction.atomic():
        registry = _registry(project, building, users["owner"], created)
        if registry is None:
            return DemoTraceability(None, None)
        order = ProductionOrder.objects.filter(project=project, factory=factory).order_by("created_at").first()
        if order is None:
            anchor = timezone.localdate() - timedelta(days=START_DAYS_AGO)
            order = services.create_production_order(
                users["contractor"], project_id=project.id, factory_id=factory.id, building_id=building.id,
                due_dates={s: anchor + timedelta(days=10 + 3 * (s - 3)) for s in STOREYS},
                note="3F–11F 预制构件（演示）", ordered_at=_at(anchor, 0, 9),
            )
            created.append(f"production order {order.number}")
        result = DemoTraceability(registry, order)
        if LifecycleEvent.objects.filter(component__registry=registry).exclude(event_type="order").exists():
            return result  # seeded already
        anchor = timezone.localtime(
            LifecycleEvent.objects.filter(component__order_line__order=order, event_type="order")
            .order_by("event_time").values_list("event_time", flat=True).first()
        ).date()
        _story(result, registry, order, anchor, users)
        created.append(f"traceability of {building.name}: {result.events} events, {result.shipments} shipments")
    return result


def _registry(project: Project, building: Any, owner: User, created: list[str]) -> ComponentRegistry | None:
    registry = ComponentRegistry.objects.filter(building=building).first()
    if registry is not None and registry.model_version_id:
        return registry
    from zhijian.apps.prefab.tasks import build_component_registry
    from zhijian.apps.review.models import ModelVersion

    version = (
        ModelVersion.objects.filter(submission__project=project, submission__building=building,
                                    round__check_run__status="done")
        .order_by("-created_at").first()
    )
    if version is None:
        return None
    build = services.request_registry_build(owner, version.id, preliminary=True)
    build_component_registry.apply(args=[str(build.id)])
    created.append(f"component registry of {building.name}")
    return ComponentRegistry.objects.get(building=building)


def _story(result: DemoTraceability, registry: ComponentRegistry, order: ProductionOrder, anchor: date,
           users: dict[str, User]) -> None:
    factory, contractor = users["factory"], users["contractor"]
    components = list(
        Component.objects.active().filter(registry=registry, order_line__order=order).order_by("storey", "type_code",
                                                                                               "code")
    )
    by_storey: dict[int, list[Component]] = {}
    for c in components:
        by_storey.setdefault(c.storey, []).append(c)
    qc_failure = next(c for c in by_storey.get(4, []) if c.type_code == "DHB")
    rejected = next(c for c in by_storey.get(5, []) if c.type_code in ("YWQ", "YJQ", "YNQ"))

    def ev(c: Component, step: str, when: datetime, **extra: Any) -> dict[str, Any]:
        return {"idempotency_key": f"demo/{c.code}/{step}/{when:%Y%m%d%H%M}", "code": c.code, "type": step,
                "event_time": when.isoformat(), **extra}

    # 1. The factory: production, QC and stock, storey after storey.
    batch = []
    for storey, items in by_storey.items():
        k = storey - 3
        reached = REACHED[storey]
        if reached == "order":
            continue
        for i, c in enumerate(items):
            start = _at(anchor, 2 + 3 * k, 7) + timedelta(minutes=4 * i)
            steps = list(FACTORY_STEPS)
            if reached == "finish_production":
                steps = steps[:2] if i % 2 == 0 else steps[:1]
            if c is qc_failure:
                steps = ["start_production", "finish_production", "fail_qc", "start_rework", "finish_rework",
                         "pass_qc", "stock_in"]
            for j, step in enumerate(steps):
                extra: dict[str, Any] = {"operator": "QC-0117" if "qc" in step else "LINE-2",
                                         "location": {"place": "望城基地 2 号生产线"}}
                if step == "pass_qc":
                    extra["measurements"] = [{"item_code": "LEN", "value": 2.0 - (i % 5)},
                                             {"item_code": "WH", "value": 1.0}]
                if step == "fail_qc":
                    extra.update(note="侧面蜂窝，需修补", measurements=[{"item_code": "LEN", "value": 7.0}])
                when = start + timedelta(hours=(0, 20, 26, 27, 40, 52, 54)[j] if c is qc_failure else (0, 20, 26, 27)[j])
                batch.append(ev(c, step, when, **extra))
    result.events += _record(factory, batch)

    # 2. Trucks: 3F–8F, twelve components a truck, on the storey's shipping day.
    shipments: dict[int, list[Shipment]] = {}
    for storey in range(3, 9):
        k = storey - 3
        items = by_storey.get(storey, [])
        for n, start in enumerate(range(0, len(items), TRUCK)):
            load = items[start:start + TRUCK]
            shipment = services.create_shipment(
                factory, codes=[c.code for c in load], vehicle_plate=f"湘A{61200 + 10 * storey + n}",
                driver="刘师傅" if n % 2 else "王师傅", destination="岳麓区示范路 1 号 1#楼",
                departed_at=_at(anchor, 9 + 3 * k, 6) + timedelta(hours=n),
            )
            shipments.setdefault(storey, []).append(shipment)
            result.shipments += 1

    # 3. The site: 3F–7F delivered (7F a day late), accepted, 3F–6F installed; one 5F panel rejected.
    site = []
    for storey in range(3, 8):
        k = storey - 3
        late = 2 if storey == 7 else 0  # due the day after 6F's delivery day + 3: two days late
        for n, shipment in enumerate(shipments.get(storey, [])):
            delivered = _at(anchor, 9 + 3 * k + late, 10) + timedelta(hours=n)
            services.confirm_delivery(contractor, shipment.id, delivered_at=delivered)
        for i, c in enumerate(by_storey.get(storey, [])):
            checked = _at(anchor, 9 + 3 * k + late, 15) + timedelta(minutes=2 * i)
            if c is rejected:
                site += [ev(c, "reject", checked, note="预埋套筒位置偏差超限，退场"),
                         ev(c, "return_to_factory", checked + timedelta(hours=2))]
                continue
            site.append(ev(c, "accept", checked, operator="监理见证"))
            if REACHED[storey] == "install":
                site.append(ev(c, "install", _at(anchor, 12 + 3 * k, 8) + timedelta(minutes=6 * i)))
    result.events += _record(contractor, site)

    # 4. The rejected panel: repaired, inspected and stocked again, shipped with a later truck.
    k = 5 - 3
    again = _at(anchor, 11 + 3 * k, 8)
    repair = [ev(rejected, step, again + timedelta(hours=h))
              for step, h in (("start_rework", 0), ("finish_rework", 6), ("pass_qc", 8), ("stock_in", 9))]
    result.events += _record(factory, repair)
    reship = services.create_shipment(factory, codes=[rejected.code], vehicle_plate="湘A61299", driver="王师傅",
                                      destination="岳麓区示范路 1 号 1#楼", departed_at=again + timedelta(days=1))
    services.confirm_delivery(contractor, reship.id, delivered_at=again + timedelta(days=1, hours=3))
    result.shipments += 1
    final = [ev(rejected, "accept", again + timedelta(days=1, hours=4)),
             ev(rejected, "install", again + timedelta(days=2))]
    result.events += _record(contractor, final)
    result.events += sum(len(s.items.all()) * 2 for group in shipments.values() for s in group)  # ship + deliver


def _record(user: User, events: list[dict[str, Any]]) -> int:
    outcome = services.record_events(user, events, source="seed")
    refused = [r for r in outcome.results if r.outcome == "rejected"]
    if refused:
        raise RuntimeError(f"demo events refused: {refused[0].code} {refused[0].reason}: {refused[0].message_en}")
    return outcome.counts["applied"]
