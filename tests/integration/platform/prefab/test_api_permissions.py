"""Every prefab API endpoint, the platform's way: anonymous → 401, another organisation → 404 (or
the refusal that endpoint gives instead, never data), permitted → 2xx, the housing authority
reads everything and changes nothing. A new endpoint missing from the table fails
``test_every_prefab_route_is_in_the_table``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import T0, Prefab, event, produced
from tests.integration.platform.test_api_permissions import assert_problem

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # what the upload sniffs (the image is not decoded)


@dataclass
class Targets:
    """Objects the endpoints act on, all of organisation A's project."""

    prefab: Prefab
    in_stock: Any  # a component ready to ship
    shipment: Any  # shipped, not yet delivered
    sheet: Any  # a drawn label sheet
    photo: Any  # factory A's photo, named by an event of the shipped component
    photo_event: Any

    def ids(self) -> dict[str, Any]:
        p = self.prefab
        return {
            "code": p.component(storey=2).code, "registry": p.registry.id, "build": p.registry.builds.get().id,
            "order": p.order_a.id, "shipment": self.shipment.id, "sheet": self.sheet.id, "project": p.city.project_a.id,
            "factory": p.city.orgs["producer_a"].id, "version": p.version.id, "building": p.registry.building_id,
            "factory_b": p.factory_b.id, "in_stock": self.in_stock.code, "photo": self.photo.id,
            "event": self.photo_event.id,
        }


@pytest.fixture
def targets(prefab: Prefab, post_events: Any) -> Targets:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.prefab.photos import upload_photo
    from zhijian.apps.prefab.tasks import generate_label_sheet

    shipped, ready = prefab.components(storey=1)[:2]
    photo = upload_photo(prefab.user("factory_a"), SimpleUploadedFile("qc.png", PNG))
    events = produced([shipped.code, ready.code])
    events[0]["photos"] = [photo.key]
    post_events(prefab.user("factory_a"), events)
    photo_event = LifecycleEvent.objects.get(component=shipped, idempotency_key=events[0]["idempotency_key"])
    shipment = services.create_shipment(prefab.user("factory_a"), codes=[shipped.code], vehicle_plate="湘A1",
                                        departed_at=T0 + timedelta(hours=1))
    sheet = services.request_label_sheet(prefab.user("factory_a"), base_url="https://zhijian.example/c",
                                         order_id=prefab.order_a.id, storey=2)
    generate_label_sheet.apply(args=[str(sheet.id)])
    return Targets(prefab, ready, shipment, sheet, photo, photo_event)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permitted: str
    status: int = 200
    body: dict[str, Any] | list[Any] = field(default_factory=dict)
    scoped: bool = True  # False: lists and uploads, which cannot 404
    other_status: int = 404  # what another organisation gets
    authority_status: int = 403  # what the housing authority gets for a change


ENDPOINTS = [
    Endpoint("post", "/api/v1/prefab/events", "factory_a", 201,
             {"idempotency_key": "p1", "code": "{code}", "type": "start_production", "event_time": "2025-03-03T08:00:00+08:00"},
             scoped=False, authority_status=422),
    Endpoint("post", "/api/v1/prefab/events/batch", "factory_a", 200,
             [{"idempotency_key": "p2", "code": "{code}", "type": "start_production", "event_time": "2025-03-03T08:00:00+08:00"}],
             scoped=False, authority_status=200),
    Endpoint("get", "/api/v1/prefab/components", "factory_a", scoped=False),
    Endpoint("get", "/api/v1/prefab/components/{code}", "factory_a"),
    Endpoint("get", "/api/v1/prefab/components/{code}/events", "contractor_a"),
    Endpoint("post", "/api/v1/prefab/registries", "owner_a", 202, {"model_version_id": "{version}", "preliminary": True}),
    Endpoint("get", "/api/v1/prefab/registries", "designer_a", scoped=False),
    Endpoint("get", "/api/v1/prefab/registries/{registry}", "designer_a"),
    Endpoint("get", "/api/v1/prefab/registries/{registry}/builds", "owner_a"),
    Endpoint("get", "/api/v1/prefab/registry-builds/{build}", "owner_a"),
    Endpoint("post", "/api/v1/prefab/orders", "contractor_a", 201,
             {"project_id": "{project}", "factory_id": "{factory_b}", "building_id": "{building}",
              "due_dates": {"3": "2025-05-10"}, "type_codes": ["DHB"]}),
    Endpoint("get", "/api/v1/prefab/orders", "factory_a", scoped=False),
    Endpoint("get", "/api/v1/prefab/orders/{order}", "factory_a"),
    Endpoint("post", "/api/v1/prefab/orders/{order}/cancellation", "contractor_a", 200,
             {"reason": "设计变更", "codes": ["{code}"]}),
    Endpoint("post", "/api/v1/prefab/shipments", "factory_a", 201,
             {"codes": ["{in_stock}"], "vehicle_plate": "湘A2", "departed_at": "2025-03-03T12:00:00+08:00"},
             other_status=422),
    Endpoint("get", "/api/v1/prefab/shipments", "contractor_a", scoped=False),
    Endpoint("get", "/api/v1/prefab/shipments/{shipment}", "contractor_a"),
    Endpoint("post", "/api/v1/prefab/shipments/{shipment}/delivery", "contractor_a", 200,
             {"delivered_at": "2025-03-03T14:00:00+08:00"}),
    Endpoint("post", "/api/v1/prefab/label-sheets", "factory_a", 202, {"order_id": "{order}"}, other_status=422,
             authority_status=422),
    Endpoint("get", "/api/v1/prefab/label-sheets/{sheet}", "factory_a"),
    Endpoint("get", "/api/v1/prefab/label-sheets/{sheet}/file", "factory_a"),
    Endpoint("get", "/api/v1/prefab/projects/{project}/progress", "owner_a"),
    Endpoint("get", "/api/v1/prefab/factories/{factory}/facts", "contractor_a"),
    Endpoint("post", "/api/v1/prefab/photos", "factory_a", 201, {"file": "photo"}, scoped=False),
    Endpoint("get", "/api/v1/prefab/photos/{photo}", "factory_a"),
    Endpoint("get", "/api/v1/prefab/events/{event}/photos/{photo}", "contractor_a"),
]
IDS = [f"{e.method.upper()} {e.path}" for e in ENDPOINTS]
CHANGES = [e for e in ENDPOINTS if e.method == "post"]
READS = [e for e in ENDPOINTS if e.method == "get"]
SCOPED = [e for e in ENDPOINTS if e.scoped]
# What another factory of the same project may not see: the other factory's order, components,
# events, shipments and labels (the project's progress, its registries and its factories'
# records are the team's).
FACTORY_SCOPED = [e for e in SCOPED if "registr" not in e.path and not e.path.endswith(("/progress", "/facts"))]


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def call(client: Any, endpoint: Endpoint, t: Targets, **headers: str) -> Any:
    ids = t.ids()
    url = endpoint.path.format(**ids)
    if endpoint.method == "get":
        return client.get(url, **headers)
    if endpoint.body == {"file": "photo"}:  # multipart
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile("site.png", PNG)}, **headers)
    return client.post(url, _fill(endpoint.body, ids), content_type="application/json", **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(client: Any, targets: Targets, endpoint: Endpoint) -> None:
    assert_problem(call(client, endpoint, targets), 401, "not_authenticated")


@pytest.mark.parametrize("endpoint", SCOPED, ids=[f"{e.method.upper()} {e.path}" for e in SCOPED])
@pytest.mark.parametrize("user", ["designer_b", "outsider"])
def test_another_organisation_gets_404(
    client: Any, targets: Targets, token_for: Any, endpoint: Endpoint, user: str
) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent, Shipment

    events, shipments = LifecycleEvent.objects.count(), Shipment.objects.count()
    response = call(client, endpoint, targets, **token_for(targets.prefab.user(user)))
    assert_problem(response, endpoint.other_status)
    assert (LifecycleEvent.objects.count(), Shipment.objects.count()) == (events, shipments)


@pytest.mark.parametrize("endpoint", FACTORY_SCOPED, ids=[f"{e.method.upper()} {e.path}" for e in FACTORY_SCOPED])
def test_another_factory_of_the_project_gets_nothing(
    client: Any, targets: Targets, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, targets, **token_for(targets.prefab.user("factory_b")))
    assert response.status_code in (403, 404, 422), response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_permitted_user_succeeds(client: Any, targets: Targets, token_for: Any, endpoint: Endpoint) -> None:
    response = call(client, endpoint, targets, **token_for(targets.prefab.user(endpoint.permitted)))
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_same_works_with_a_browser_session(client: Any, targets: Targets, endpoint: Endpoint) -> None:
    client.force_login(targets.prefab.user(endpoint.permitted))
    response = call(client, endpoint, targets)
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", READS, ids=[f"GET {e.path}" for e in READS])
def test_the_housing_authority_reads_everything(client: Any, targets: Targets, token_for: Any, endpoint: Endpoint) -> None:
    assert call(client, endpoint, targets, **token_for(targets.prefab.user("bureau"))).status_code == 200


@pytest.mark.parametrize("endpoint", CHANGES, ids=[f"POST {e.path}" for e in CHANGES])
def test_the_housing_authority_changes_nothing(client: Any, targets: Targets, token_for: Any, endpoint: Endpoint) -> None:
    from zhijian.apps.prefab.models import (
        LabelSheet,
        LifecycleEvent,
        ProductionOrder,
        RegistryBuild,
        Shipment,
    )

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (LifecycleEvent, Shipment, ProductionOrder, LabelSheet, RegistryBuild))

    before = counts()
    response = call(client, endpoint, targets, **token_for(targets.prefab.user("bureau")))
    assert response.status_code == endpoint.authority_status, response.content
    if response.status_code == 200:
        assert {r["reason"] for r in response.json()["results"]} == {"no_role"}
    assert counts() == before


def test_every_prefab_route_is_in_the_table() -> None:
    import re

    from zhijian.apps.prefab.api import router
    from zhijian.config.api import api

    prefix = next(p for p, r in api._routers if r is router)
    routes = {
        (method.lower(), re.sub(r"\{[^}]+\}", "{id}", "/api/v1/" + "/".join(
            p.strip("/") for p in (prefix, path) if p.strip("/"))))
        for path, view in router.path_operations.items() for operation in view.operations
        for method in operation.methods
    }
    table = {(e.method, re.sub(r"\{[^}]+\}", "{id}", e.path)) for e in ENDPOINTS}
    assert routes == table


def test_a_factory_cannot_read_the_history_of_a_competitors_component(
    client: Any, targets: Targets, token_for: Any
) -> None:
    code = targets.prefab.component(storey=1).code
    response = client.get(f"/api/v1/prefab/components/{code}/events", **token_for(targets.prefab.user("factory_b")))
    assert_problem(response, 404, "not_found")


def test_a_malformed_code_in_a_url_says_what_is_wrong(client: Any, targets: Targets, token_for: Any) -> None:
    response = client.get("/api/v1/prefab/components/100001-01-F01", **token_for(targets.prefab.user("factory_a")))
    assert_problem(response, 422, "malformed_code")
    assert event("x", "order")["type"] == "order"
