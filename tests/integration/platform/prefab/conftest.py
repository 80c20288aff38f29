"""A precast project to test traceability in: the city's project A with a model of precast
components, its registry, and production orders to two factories.

``prefab`` is built once per test module inside a transaction rolled back when the module ends
(every test runs in a savepoint inside it), so the session's committed city stays as the
platform tests expect it. The model: 1F–3F of 1#楼, per storey two 叠合板 (DHB), two 预制剪力墙
(YWQ) and one cast-in-place slab; a precast stair flight (YLT) on 1F. GlobalIds are derived
from names, so a revised model keeps them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import ifcopenshell.guid
import pytest
from django.db import transaction

from tests.integration.platform.conftest import PASSWORD, City, load_city, upload_file

PRECAST = {"Zhijian_Precast": {"是否预制": "是", "混凝土强度等级": "C30", "钢筋牌号": "HRB400E"}}
T0 = datetime.fromisoformat("2025-03-03T08:00:00+08:00")


def guid_of(name: str) -> str:
    return ifcopenshell.guid.compress(uuid.uuid5(uuid.NAMESPACE_URL, f"zhijian-test/{name}").hex)


def build_precast_model(path: Path, *, storeys: int = 3, omit: tuple[str, ...] = (), extra: tuple[str, ...] = (),
                        moved: dict[str, int] | None = None) -> Path:
    """The test building. ``omit`` drops elements by name, ``extra`` adds 叠合板 named so on 1F,
    ``moved`` puts an element on another storey (by number)."""
    from zhijian.domain.bim.authoring import ModelBuilder

    builder = ModelBuilder(schema="IFC4", unit="mm", project="测试装配式住宅")
    levels = [builder.storey(f"{n}F", 3.0 * (n - 1), height=3.0) for n in range(1, storeys + 1)]
    moved = moved or {}

    def add(name: str, storey_no: int, ifc_class: str, x: float, **kw: Any) -> None:
        if name in omit:
            return
        storey = levels[moved.get(name, storey_no) - 1]
        element = builder.element(ifc_class, storey, name, x=x, **kw)
        element.GlobalId = guid_of(name)

    for n in range(1, storeys + 1):
        for i in (1, 2):
            add(f"{n}F 叠合板 DBS-{i}", n, "IfcSlab", 4.0 * i, predefined_type="FLOOR", psets=PRECAST,
                quantities={"Length": 3.6, "Width": 2.4, "Depth": 0.06, "NetVolume": 0.5184},
                size=(3.6, 2.4, 0.06), z=2.94)
            add(f"{n}F 预制剪力墙 YWQ-{i}", n, "IfcWall", 4.0 * i, y=3.0, psets=PRECAST,
                quantities={"Length": 3.0, "Width": 0.2, "Height": 2.9, "NetVolume": 1.74}, size=(3.0, 0.2, 2.9))
        add(f"{n}F 现浇板", n, "IfcSlab", 12.0, predefined_type="FLOOR", size=(2.0, 2.0, 0.12), z=2.88)
    add("1F 预制楼梯 ST-28", 1, "IfcStairFlight", 14.0, psets=PRECAST, size=(1.2, 2.6, 1.5))
    for name in extra:
        add(name, 1, "IfcSlab", 20.0, predefined_type="FLOOR", psets=PRECAST,
            quantities={"Length": 3.0, "Width": 2.0, "Depth": 0.06, "NetVolume": 0.36}, size=(3.0, 2.0, 0.06), z=2.94)
    return builder.save(path)


@dataclass
class Prefab:
    city: City
    factory_b: Any  # a second component producer in project A's team
    submission: Any
    version: Any
    registry: Any
    order_a: Any  # storeys 1–2 → producer_a
    order_b: Any  # the walls of storey 3 → factory_b (its two slabs are left to order)
    model_path: Path
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, name: str) -> Any:
        return self.users.get(name) or self.city.user(name)

    def components(self, **filters: Any) -> list[Any]:
        from zhijian.apps.prefab.models import Component

        return list(Component.objects.filter(registry=self.registry, retired_at__isnull=True, **filters)
                    .order_by("storey", "type_code", "code"))

    def component(self, storey: int = 1, type_code: str = "DHB", index: int = 0) -> Any:
        return self.components(storey=storey, type_code=type_code)[index]


def submit_and_check(user: Any, submission: Any, path: Path) -> Any:
    from zhijian.apps.review import services
    from zhijian.apps.review.tasks import check_model_version

    version = services.upload_model_version(user, submission.id, upload_file(path))
    services.transition_submission(user, submission.id, "submit", "送审")
    check_model_version.apply(args=[str(version.id)])
    return version


def build_registry(user: Any, version: Any, *, preliminary: bool = True) -> Any:
    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.tasks import build_component_registry

    build = services.request_registry_build(user, version.id, preliminary=preliminary)
    build_component_registry.apply(args=[str(build.id)])
    build.refresh_from_db()
    assert build.status == "done", build.message
    return build


def make_prefab(city: City, model_dir: Path) -> Prefab:
    from zhijian.apps.accounts import services as accounts
    from zhijian.apps.accounts.uscc import make_uscc
    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import ComponentRegistry
    from zhijian.apps.projects import services as projects
    from zhijian.apps.review import services as review

    users = {}
    factory_a = accounts.create_user(None, system="test", username="factory_a", password=PASSWORD)
    accounts.add_membership(None, system="test", user=factory_a, organization=city.orgs["producer_a"],
                            role="factory_operator")
    factory_b_org = accounts.register_organization(
        None, system="test", name="B 构件厂", uscc=make_uscc(99_001), org_type="component_producer", district="yuelu",
    )
    projects.add_participant(None, city.project_a, factory_b_org, "production", system="test")
    factory_b = accounts.create_user(None, system="test", username="factory_b", password=PASSWORD)
    accounts.add_membership(None, system="test", user=factory_b, organization=factory_b_org, role="factory_operator")
    users.update(factory_a=factory_a, factory_b=factory_b)

    building = city.project_a.buildings.get(name="1#楼")
    path = build_precast_model(model_dir / "precast-v1.ifc")
    submission = review.create_submission(city.user("designer_a"), project_id=city.project_a.id,
                                          title="1#楼 装配式", building_id=building.id)
    version = submit_and_check(city.user("designer_a"), submission, path)
    build_registry(city.user("owner_a"), version)
    registry = ComponentRegistry.objects.get(building=building)
    contractor = city.user("contractor_a")
    order_a = services.create_production_order(
        contractor, project_id=city.project_a.id, factory_id=city.orgs["producer_a"].id, building_id=building.id,
        due_dates={1: date(2025, 4, 1), 2: date(2025, 4, 15)}, ordered_at=T0 - timedelta(days=1),
    )
    order_b = services.create_production_order(
        contractor, project_id=city.project_a.id, factory_id=factory_b_org.id, building_id=building.id,
        due_dates={3: date(2025, 5, 1)}, type_codes=["YWQ"], ordered_at=T0 - timedelta(days=1),
    )
    return Prefab(city, factory_b_org, submission, version, registry, order_a, order_b, path, users)


def committed_city(world: dict[str, Any]) -> City:
    """The session's city, or — after a transactional test emptied the database — a new one."""
    from tests.integration.platform.conftest import build_city
    from zhijian.apps.accounts.models import Organization

    if Organization.objects.filter(id=world["orgs"]["owner_a"]).exists():
        return load_city(world)
    return load_city(build_city())


@pytest.fixture(scope="module")
def _prefab(django_db_setup: None, django_db_blocker: Any, world: dict[str, Any],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prefab]:
    """Built once per module in a transaction that is rolled back at the module's end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield make_prefab(load_city(world), tmp_path_factory.mktemp("prefab"))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def prefab(_prefab: Prefab, db: None) -> Prefab:
    return _prefab


def event(code: str, type_: str, minutes: int = 0, key: str | None = None, **extra: Any) -> dict[str, Any]:
    """One event as a device sends it; the key defaults to the code, type and time."""
    when = (T0 + timedelta(minutes=minutes)).isoformat()
    return {"idempotency_key": key or f"{code}/{type_}/{minutes}", "code": code, "type": type_, "event_time": when,
            **extra}


FACTORY_STEPS = ("start_production", "finish_production", "pass_qc", "stock_in")


def produced(codes: list[str], steps: tuple[str, ...] = FACTORY_STEPS, start: int = 0) -> list[dict[str, Any]]:
    return [event(code, step, start + 10 * i) for code in codes for i, step in enumerate(steps)]


@pytest.fixture
def post_events(client: Any, token_for: Callable[[Any], dict[str, str]]) -> Callable[..., Any]:
    """POST events to the batch API as a user (JSON array, or JSON lines)."""
    import json

    def run(user: Any, events: list[Any], *, lines: bool = False) -> Any:
        headers = token_for(user)
        if lines:
            body = "\n".join(e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in events)
            return client.post("/api/v1/prefab/events/batch", body, content_type="application/x-ndjson", **headers)
        return client.post("/api/v1/prefab/events/batch", events, content_type="application/json", **headers)

    return run
