"""The component registry built from a model version (codes stable across revisions), production
orders to factories with due dates per storey, shipments with delivery notes, label sheets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.integration.platform.prefab.conftest import (
    T0,
    Prefab,
    build_precast_model,
    build_registry,
    event,
    guid_of,
    produced,
    submit_and_check,
)

pytestmark = pytest.mark.django_db


def revise(prefab: Prefab, tmp_path: Any, **changes: Any) -> Any:
    """The designer's next round: returned by the reviewer, a revised model submitted and checked."""
    from zhijian.apps.review import services as review

    review.transition_submission(prefab.user("reviewer_a"), prefab.submission.id, "return", "请修改")
    path = build_precast_model(tmp_path / "precast-v2.ifc", **changes)
    return submit_and_check(prefab.user("designer_a"), prefab.submission, path)


# -- registry -----------------------------------------------------------------------------------
def test_every_precast_element_gets_a_code_with_its_data(prefab: Prefab) -> None:
    from zhijian.domain.prefab.coding import parse_code

    components = prefab.components()
    assert len(components) == 13  # 3 storeys × (2 slabs + 2 walls) + 1 stair; cast-in-place slabs are not
    assert {c.type_code for c in components} == {"DHB", "YWQ", "YLT"}
    slab = next(c for c in components if c.guid == guid_of("2F 叠合板 DBS-1"))
    code = parse_code(slab.code)
    assert (code.building, code.storey, code.type_code) == (1, 2, "DHB")
    assert code.project == prefab.city.project_a.component_numbering.number
    assert (slab.length_m, slab.width_m, slab.height_m) == pytest.approx((3.6, 2.4, 0.06))
    assert slab.volume_m3 == pytest.approx(0.5184) and slab.weight_kg == pytest.approx(1296.0)
    assert (slab.concrete_grade, slab.reinforcement, slab.storey_name) == ("C30", "HRB400E", "2F")
    assert len({c.code for c in components}) == 13
    assert prefab.registry.preliminary and prefab.registry.model_version_id == prefab.version.id


def test_a_revised_model_keeps_the_codes_of_unchanged_elements_and_flags_the_rest(prefab: Prefab, tmp_path: Any) -> None:
    from zhijian.apps.prefab.models import Component

    before = {c.guid: c.code for c in prefab.components()}
    moved, gone = guid_of("3F 叠合板 DBS-2"), guid_of("2F 预制剪力墙 YWQ-2")
    version = revise(prefab, tmp_path, omit=("2F 预制剪力墙 YWQ-2",), extra=("1F 叠合板 DBS-9",),
                     moved={"3F 叠合板 DBS-2": 2})
    build = build_registry(prefab.user("owner_a"), version)
    after = {c.guid: c for c in prefab.components()}
    assert build.summary == {"components": 13, "kept": 12, "issued": 1, "retired": 1, "changed": 1, "uncodable": 0,
                             "unclassified": 0}
    assert all(after[g].code == code for g, code in before.items() if g != gone)
    new = after[guid_of("1F 叠合板 DBS-9")]
    assert new.code not in before.values() and new.first_build_id == build.id
    assert after[moved].storey == 2 and after[moved].flags == ["storey F03 → F02"]
    retired = Component.objects.get(guid=gone)
    assert retired.retired_at is not None and retired.retired_by_id == build.id
    assert build.details["retired"] == [{"guid": gone, "code": before[gone]}]
    # The serial counter moved on: the new code's serial follows the highest issued.
    serials = sorted(int(code[14:20]) for code in before.values())
    assert int(new.code[14:20]) == serials[-1] + 1


def test_an_element_that_comes_back_gets_a_new_code_and_the_old_one_is_reported(prefab: Prefab, tmp_path: Any) -> None:
    from zhijian.apps.review import services as review

    name = "2F 预制剪力墙 YWQ-2"
    old = next(c.code for c in prefab.components() if c.guid == guid_of(name))
    build_registry(prefab.user("owner_a"), revise(prefab, tmp_path, omit=(name,)))
    review.transition_submission(prefab.user("reviewer_a"), prefab.submission.id, "return", "再改")
    v3 = submit_and_check(prefab.user("designer_a"), prefab.submission, build_precast_model(tmp_path / "v3.ifc"))
    build = build_registry(prefab.user("owner_a"), v3)
    back = next(c for c in prefab.components() if c.guid == guid_of(name))
    assert back.code != old and back.previous_code == old
    assert build.details["reissued"] == [{"guid": guid_of(name), "code": back.code, "previous_code": old}]


def test_an_unapproved_model_needs_a_preliminary_registry(prefab: Prefab, tmp_path: Any) -> None:
    from zhijian.apps.common.errors import Conflict
    from zhijian.apps.prefab import services

    with pytest.raises(Conflict) as refused:
        services.request_registry_build(prefab.user("owner_a"), prefab.version.id)
    assert refused.value.code == "model_not_approved"


def approve(prefab: Prefab, version: Any = None) -> None:
    from zhijian.apps.review import services as review
    from zhijian.apps.review.models import Finding

    reviewer = prefab.user("reviewer_a")
    for finding in Finding.objects.filter(check_run__round__model_version=version or prefab.version, mandatory=True):
        review.waive_finding(reviewer, finding.id, "与构件追溯无关")
    from tests.integration.platform.conftest import staff

    staff(prefab.submission, reviewer, prefab.user("checker_a"))  # approval needs each discipline staffed
    review.transition_submission(reviewer, prefab.submission.id, "approve", "审查合格")


def test_approving_the_model_read_before_approval_makes_the_registry_final(prefab: Prefab) -> None:
    from zhijian.apps.prefab import services

    codes = {c.guid: c.code for c in prefab.components()}
    approve(prefab)
    build = services.request_registry_build(prefab.user("contractor_a"), prefab.version.id)
    prefab.registry.refresh_from_db()
    assert build.preliminary and not prefab.registry.preliminary  # read once, before approval
    assert {c.guid: c.code for c in prefab.components()} == codes


def test_an_approved_revision_builds_a_final_registry(prefab: Prefab, tmp_path: Any) -> None:
    version = revise(prefab, tmp_path)
    approve(prefab, version)
    build = build_registry(prefab.user("contractor_a"), version, preliminary=False)
    prefab.registry.refresh_from_db()
    assert not build.preliminary and not prefab.registry.preliminary and build.summary["kept"] == 13


def test_requesting_the_same_build_again_returns_it(prefab: Prefab) -> None:
    from zhijian.apps.prefab import services

    first = prefab.registry.builds.get()
    assert services.request_registry_build(prefab.user("owner_a"), prefab.version.id, preliminary=True) == first


@pytest.mark.parametrize("user, status", [("factory_a", 403), ("reviewer_a", 403), ("designer_b", 404), ("bureau", 403)])
def test_only_the_project_team_builds_the_registry(
    client: Any, prefab: Prefab, token_for: Any, user: str, status: int
) -> None:
    response = client.post("/api/v1/prefab/registries", {"model_version_id": str(prefab.version.id),
                                                          "preliminary": True},
                           content_type="application/json", **token_for(prefab.user(user)))
    assert response.status_code == status, response.content


def test_the_registry_build_runs_in_the_background_on_commit(
    client: Any, prefab: Prefab, token_for: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    version = revise(prefab, tmp_path, extra=("1F 叠合板 DBS-8",))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/prefab/registries", {"model_version_id": str(version.id),
                                                              "preliminary": True},
                               content_type="application/json", **token_for(prefab.user("designer_a")))
    assert response.status_code == 202 and response.json()["status"] == "queued"
    build = client.get(f"/api/v1/prefab/registry-builds/{response.json()['id']}",
                       **token_for(prefab.user("owner_a"))).json()
    assert build["status"] == "done" and build["summary"]["issued"] == 1


# -- orders ---------------------------------------------------------------------------------------
def test_an_order_sets_due_dates_per_storey_and_orders_each_component(prefab: Prefab) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.prefab.selectors import order_storeys

    storeys = order_storeys(prefab.order_a)
    assert [(s.storey, s.due_date, s.components) for s in storeys] == [
        (1, date(2025, 4, 1), 5), (2, date(2025, 4, 15), 4)]
    assert prefab.order_a.number.startswith("PO-") and prefab.order_a.factory == prefab.city.orgs["producer_a"]
    orders = LifecycleEvent.objects.filter(component__registry=prefab.registry, event_type="order")
    assert orders.count() == 11 and set(orders.values_list("role", flat=True)) == {"contractor"}
    assert [c.state for c in prefab.components(storey=3, type_code="DHB")] == ["designed", "designed"]


def test_ordering_again_finds_nothing_left(prefab: Prefab) -> None:
    from zhijian.apps.common.errors import InvalidInput
    from zhijian.apps.prefab import services

    with pytest.raises(InvalidInput) as refused:
        services.create_production_order(
            prefab.user("owner_a"), project_id=prefab.city.project_a.id, factory_id=prefab.factory_b.id,
            building_id=prefab.registry.building_id, due_dates={1: date(2025, 6, 1)},
        )
    assert refused.value.code == "nothing_to_order"


def test_the_contractor_orders_the_rest_of_a_storey(client: Any, prefab: Prefab, token_for: Any) -> None:
    body = {"project_id": str(prefab.city.project_a.id), "factory_id": str(prefab.factory_b.id),
            "building_id": str(prefab.registry.building_id), "due_dates": {"3": "2025-05-10"}, "type_codes": ["DHB"]}
    created = client.post("/api/v1/prefab/orders", body, content_type="application/json",
                          **token_for(prefab.user("contractor_a")))
    assert created.status_code == 201, created.content
    assert created.json()["storeys"] == [{"storey": 3, "due_date": "2025-05-10", "components": 2, "finished": 0,
                                          "delivered": 0, "installed": 0}]
    assert {c.state for c in prefab.components(storey=3)} == {"ordered"}


def test_orders_go_to_factories_of_the_team_and_come_from_the_buyer(client: Any, prefab: Prefab, token_for: Any) -> None:
    body = {"project_id": str(prefab.city.project_a.id), "factory_id": str(prefab.city.orgs["owner_b"].id),
            "building_id": str(prefab.registry.building_id), "due_dates": {"1": "2025-06-01"}}
    assert client.post("/api/v1/prefab/orders", body, content_type="application/json",
                       **token_for(prefab.user("contractor_a"))).json()["code"] == "factory_not_in_team"
    body["factory_id"] = str(prefab.factory_b.id)
    refused = client.post("/api/v1/prefab/orders", body, content_type="application/json",
                          **token_for(prefab.user("factory_a")))
    assert refused.status_code == 403


def test_a_factory_sees_only_its_orders_and_their_components(client: Any, prefab: Prefab, token_for: Any) -> None:
    mine = client.get("/api/v1/prefab/orders", **token_for(prefab.user("factory_b"))).json()
    assert [o["id"] for o in mine["items"]] == [str(prefab.order_b.id)]
    components = client.get("/api/v1/prefab/components", **token_for(prefab.user("factory_b"))).json()
    assert components["count"] == 2 and {c["type_code"] for c in components["items"]} == {"YWQ"}
    assert client.get(f"/api/v1/prefab/orders/{prefab.order_a.id}", **token_for(prefab.user("factory_b"))
                      ).status_code == 404
    contractor = client.get("/api/v1/prefab/components", **token_for(prefab.user("contractor_a"))).json()
    assert contractor["count"] == 13
    assert client.get("/api/v1/prefab/components", **token_for(prefab.user("designer_b"))).json()["count"] == 0
    assert client.get("/api/v1/prefab/components", **token_for(prefab.user("bureau"))).json()["count"] == 13


# -- shipments -------------------------------------------------------------------------------------
def in_stock(prefab: Prefab, post_events: Any, storey: int = 1, n: int = 3) -> list[Any]:
    components = prefab.components(storey=storey)[:n]
    body = post_events(prefab.user("factory_a"), produced([c.code for c in components])).json()
    assert body["counts"]["applied"] == 4 * n
    return components


def test_a_shipment_ships_components_in_stock_with_a_delivery_note(prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import Component

    components = in_stock(prefab, post_events)
    shipment = services.create_shipment(prefab.user("factory_a"), codes=[c.printed_code for c in components],
                                        vehicle_plate="湘a12345", driver="张师傅", destination="A 项目工地",
                                        departed_at=T0 + timedelta(hours=2))
    assert shipment.vehicle_plate == "湘A12345" and shipment.number.startswith("FH20250303-")
    assert {c.state for c in Component.objects.filter(id__in=[c.id for c in components])} == {"shipped"}
    delivered = services.confirm_delivery(prefab.user("contractor_a"), shipment.id,
                                          delivered_at=T0 + timedelta(hours=4))
    assert delivered.received_by == prefab.user("contractor_a")
    assert {c.state for c in Component.objects.filter(id__in=[c.id for c in components])} == {"delivered"}


def test_a_shipment_with_a_component_not_in_stock_is_refused_whole(prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.common.errors import Conflict
    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import Shipment

    components = in_stock(prefab, post_events, n=2)
    not_ready = prefab.components(storey=1)[3]
    with pytest.raises(Conflict) as refused:
        services.create_shipment(prefab.user("factory_a"), codes=[*(c.code for c in components), not_ready.code],
                                 vehicle_plate="湘A1", departed_at=T0 + timedelta(hours=2))
    assert refused.value.code == "events_refused" and not_ready.code in refused.value.detail
    assert not Shipment.objects.exists()
    assert {c.state for c in prefab.components(storey=1)[:2]} == {"in_stock"}


def test_only_the_factory_ships_and_only_the_contractor_confirms(
    client: Any, prefab: Prefab, post_events: Any, token_for: Any
) -> None:
    components = in_stock(prefab, post_events, n=1)
    body = {"codes": [components[0].code], "vehicle_plate": "湘A1", "departed_at": (T0 + timedelta(hours=1)).isoformat()}
    assert client.post("/api/v1/prefab/shipments", body, content_type="application/json",
                       **token_for(prefab.user("contractor_a"))).status_code == 403
    created = client.post("/api/v1/prefab/shipments", body, content_type="application/json",
                          **token_for(prefab.user("factory_a")))
    assert created.status_code == 201 and created.json()["components"] == [components[0].code]
    url = f"/api/v1/prefab/shipments/{created.json()['id']}/delivery"
    assert client.post(url, {}, content_type="application/json", **token_for(prefab.user("factory_a"))
                       ).status_code == 403
    assert client.post(url, {}, content_type="application/json", **token_for(prefab.user("factory_b"))
                       ).status_code == 404
    done = client.post(url, {}, content_type="application/json", **token_for(prefab.user("contractor_a")))
    assert done.status_code == 200 and done.json()["delivered_at"]
    again = client.post(url, {}, content_type="application/json", **token_for(prefab.user("contractor_a")))
    assert again.status_code == 409 and again.json()["code"] == "already_delivered"


# -- labels -----------------------------------------------------------------------------------------
def test_a_label_sheet_is_drawn_in_the_background(
    client: Any, prefab: Prefab, token_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import io

    from pypdf import PdfReader

    headers = token_for(prefab.user("factory_a"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/prefab/label-sheets", {"order_id": str(prefab.order_a.id)},
                               content_type="application/json", **headers)
    assert response.status_code == 202, response.content
    sheet = client.get(f"/api/v1/prefab/label-sheets/{response.json()['id']}", **headers).json()
    assert sheet["status"] == "done" and sheet["labels"] == 9 and sheet["pages"] == 1
    pdf = client.get(f"/api/v1/prefab/label-sheets/{sheet['id']}/file", **headers)
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = reader.pages[0].extract_text()
    first = prefab.components(storey=1)[0].printed_code
    assert first[:13] in text and first[14:] in text
    other = client.get(f"/api/v1/prefab/label-sheets/{sheet['id']}", **token_for(prefab.user("factory_b")))
    assert other.status_code == 404


def test_a_label_sheet_that_cannot_be_drawn_is_marked_failed_with_the_error(
    prefab: Prefab, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import LabelSheet
    from zhijian.apps.prefab.tasks import generate_label_sheet
    from zhijian.domain.prefab import labels

    def disk_full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(labels, "label_sheet_pdf", disk_full)  # an unexpected failure, on the last attempt
    sheet = services.request_label_sheet(prefab.user("factory_a"), base_url="https://zhijian.example/c",
                                         order_id=prefab.order_a.id)
    assert generate_label_sheet.apply(args=[str(sheet.id)]).get() == "failed"
    sheet = LabelSheet.objects.get(id=sheet.id)
    assert (sheet.status, sheet.message, sheet.file.name) == ("failed", "OSError: disk full", "")
    assert generate_label_sheet.apply(args=[str(sheet.id)]).get() == "nothing to do"


def test_the_qr_label_of_a_component_carries_its_page_url(client: Any, prefab: Prefab) -> None:
    component = prefab.component()
    client.force_login(prefab.user("factory_a"))
    response = client.get(f"/c/{component.code}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert component.printed_code in response.content.decode()


def test_due_dates_are_dates(prefab: Prefab) -> None:
    assert prefab.order_a.lines.first().due_date < timezone.localdate() + timedelta(days=3650)
    assert event("X", "order")["type"] == "order"
