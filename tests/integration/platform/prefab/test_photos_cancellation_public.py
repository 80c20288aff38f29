"""Event photos, production-order cancellation and the public scan page, over real HTTP
(Django's test client) on the session's database (SQLite, or PostgreSQL with ZHIJIAN_DB=postgres)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.core.files.storage import default_storage

from tests.integration.platform.prefab.conftest import Prefab, event, produced
from tests.integration.platform.test_api_permissions import assert_problem

pytestmark = pytest.mark.django_db

# What the upload sniffs: the first bytes of each format (the image itself is not decoded).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
WEBP = b"RIFF\x00\x01\x00\x00WEBPVP8 " + b"\x00" * 200
GIF = b"GIF89a" + b"\x00" * 200


def upload(client: Any, headers: dict[str, str], data: bytes, name: str = "p.jpg",
           content_type: str = "image/jpeg", **fields: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/v1/prefab/photos", {"file": SimpleUploadedFile(name, data, content_type), **fields},
                       **headers)


def record(client: Any, headers: dict[str, str], item: dict[str, Any]) -> Any:
    return client.post("/api/v1/prefab/events", item, content_type="application/json", **headers)


# -- photos ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "content_type", "extension"), [
    (JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png"), (WEBP, "image/webp", ".webp"),
])
def test_a_photo_is_recognised_by_its_bytes_and_stored_under_its_organisation_and_day(
    client: Any, prefab: Prefab, token_for: Any, data: bytes, content_type: str, extension: str
) -> None:
    from django.utils import timezone

    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.prefab.models import Photo

    # The name and the client's type say GIF: neither is believed.
    response = upload(client, token_for(prefab.user("factory_a")), data, name="x.gif", content_type="image/gif")
    assert response.status_code == 201, response.content
    body = response.json()
    org = prefab.city.orgs["producer_a"].id
    assert body["content_type"] == content_type and body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["key"].startswith(f"photos/{org}/{timezone.localdate():%Y/%m/%d}/") and body["key"].endswith(extension)
    with default_storage.open(body["key"], "rb") as stored:
        assert stored.read() == data
    photo = Photo.objects.get(id=body["id"])
    assert (photo.organization_id, photo.uploaded_by) == (org, prefab.user("factory_a"))
    assert AuditEntry.objects.filter(action="photo.upload", object_id=str(photo.id)).exists()


@pytest.mark.parametrize(("data", "code", "status"), [
    (GIF, "not_an_image", 422), (b"<html><script>alert(1)</script></html>", "not_an_image", 422),
    (b"", "empty_file", 422),
])
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused(
    client: Any, prefab: Prefab, token_for: Any, data: bytes, code: str, status: int
) -> None:
    from zhijian.apps.prefab.models import Photo

    before = Photo.objects.count()
    assert_problem(upload(client, token_for(prefab.user("factory_a")), data, name="photo.jpg"), status, code)
    assert Photo.objects.count() == before


def test_a_photo_over_the_limit_is_413(client: Any, prefab: Prefab, token_for: Any, settings: Any) -> None:
    from zhijian.apps.prefab.models import Photo

    settings.ZHIJIAN_MAX_PHOTO_BYTES = 1000
    response = upload(client, token_for(prefab.user("factory_a")), JPEG + b"\x00" * 2000)
    assert_problem(response, 413, "photo_too_large")
    assert response.json()["limit_bytes"] == 1000
    assert upload(client, token_for(prefab.user("factory_a")), JPEG).status_code == 201  # under it: taken
    assert Photo.objects.count() == 1


def test_a_photo_needs_a_file_and_the_authority_uploads_none(client: Any, prefab: Prefab, token_for: Any) -> None:
    assert_problem(client.post("/api/v1/prefab/photos", {}, **token_for(prefab.user("factory_a"))), 422,
                   "file_required")
    assert_problem(upload(client, token_for(prefab.user("bureau")), JPEG), 403, "not_permitted")
    assert_problem(upload(client, {}, JPEG), 401, "not_authenticated")


def test_an_event_names_only_existing_photos_of_its_own_organisation(
    client: Any, prefab: Prefab, token_for: Any
) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent

    code = prefab.component().code
    factory = token_for(prefab.user("factory_a"))
    own = upload(client, factory, JPEG).json()["key"]
    theirs = upload(client, token_for(prefab.user("contractor_a")), PNG).json()["key"]

    missing = record(client, factory, event(code, "start_production", key="m", photos=["photos/nowhere.jpg"]))
    assert_problem(missing, 422, "unknown_photo")
    assert "photos/nowhere.jpg" in missing.json()["detail"]
    assert_problem(record(client, factory, event(code, "start_production", key="t", photos=[own, theirs])), 422,
                   "photo_of_another_organization")
    assert not LifecycleEvent.objects.filter(component__code=code, event_type="start_production").exists()

    applied = record(client, factory, event(code, "start_production", key="o", photos=[own]))
    assert applied.status_code == 201, applied.content
    assert LifecycleEvent.objects.get(component__code=code, event_type="start_production").photos == [own]


def test_a_photo_is_served_to_those_who_see_its_event_and_to_nobody_else(
    client: Any, prefab: Prefab, token_for: Any
) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent, Photo

    code = prefab.component().code
    factory = token_for(prefab.user("factory_a"))
    body = upload(client, factory, JPEG).json()
    other = upload(client, factory, PNG).json()  # uploaded, never named by the event
    record(client, factory, event(code, "start_production", key="s", photos=[body["key"]]))
    stored = LifecycleEvent.objects.get(component__code=code, event_type="start_production")
    url = f"/api/v1/prefab/events/{stored.id}/photos/{body['id']}"

    for user in ("factory_a", "contractor_a", "owner_a", "bureau"):
        response = client.get(url, **token_for(prefab.user(user)))
        assert response.status_code == 200, (user, response.content[:200])
        assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == JPEG
    for user in ("factory_b", "designer_b", "outsider"):  # the tenant rule: not theirs, so not there
        assert_problem(client.get(url, **token_for(prefab.user(user))), 404, "not_found")
    assert_problem(client.get(url), 401, "not_authenticated")
    # A photo the event does not name is not reachable through it.
    assert_problem(client.get(f"/api/v1/prefab/events/{stored.id}/photos/{other['id']}", **factory), 404)
    # The uploader's own address: its organisation (and the authority, reading) only.
    own = f"/api/v1/prefab/photos/{other['id']}"
    assert client.get(own, **factory).status_code == 200
    assert_problem(client.get(own, **token_for(prefab.user("contractor_a"))), 404)
    assert Photo.objects.count() == 2
    history = client.get(f"/api/v1/prefab/components/{code}/events", **token_for(prefab.user("contractor_a"))).json()
    started = next(e for e in history if e["type"] == "start_production")
    assert started["photos"] == [body["key"]] and started["photo_urls"] == [url]


def test_the_scan_page_takes_a_photo_with_the_step_and_shows_it_in_the_history(client: Any, prefab: Prefab) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijian.apps.prefab.models import LifecycleEvent, Photo

    component = prefab.component()
    client.force_login(prefab.user("factory_a"))
    html = client.get(f"/c/{component.code}/").content.decode()
    assert 'accept="image/*" capture="environment"' in html and 'enctype="multipart/form-data"' in html
    response = client.post(f"/c/{component.code}/", {
        "type": "start_production", "key": "k1-start_production",
        "photo": SimpleUploadedFile("IMG_0001.JPG", JPEG, "image/jpeg"),
    }, follow=True)
    assert "已记录" in response.content.decode()
    stored = LifecycleEvent.objects.get(component=component, event_type="start_production")
    photo = Photo.objects.get(key=stored.photos[0])
    thumb = f"/api/v1/prefab/events/{stored.id}/photos/{photo.id}"
    assert f'<img class="thumb" src="{thumb}"' in response.content.decode()
    assert client.get(thumb).status_code == 200  # the page's session opens it

    # Not an image: nothing recorded, and the reason is shown.
    response = client.post(f"/c/{component.code}/", {
        "type": "finish_production", "key": "k2-finish_production",
        "photo": SimpleUploadedFile("x.jpg", GIF, "image/jpeg"),
    }, follow=True)
    assert "JPEG" in response.content.decode()
    assert not LifecycleEvent.objects.filter(component=component, event_type="finish_production").exists()
    # A step refused before it is stored (not the contractor's to record) keeps no photo.
    client.force_login(prefab.user("contractor_a"))
    response = client.post(f"/c/{component.code}/", {
        "type": "finish_production", "key": "k3-finish_production",
        "photo": SimpleUploadedFile("y.jpg", JPEG, "image/jpeg")}, follow=True)
    assert "只有生产单位可以记录" in response.content.decode()
    assert Photo.objects.count() == 1


# -- order cancellation --------------------------------------------------------------------------------------
def cancel(client: Any, headers: dict[str, str], order: Any, reason: str = "设计变更", codes: list[str] | None = None
           ) -> Any:
    return client.post(f"/api/v1/prefab/orders/{order.id}/cancellation", {"reason": reason, "codes": codes or []},
                       content_type="application/json", **headers)


def test_the_contractor_cancels_lines_not_yet_in_production_and_frees_their_components(
    client: Any, prefab: Prefab, token_for: Any
) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.prefab.models import CancelledOrderLine, Component, LifecycleEvent, OrderLine

    slab, wall = prefab.component(storey=2), prefab.component(storey=2, type_code="YWQ")
    response = cancel(client, token_for(prefab.user("contractor_a")), prefab.order_a, codes=[slab.code, wall.code])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "partly_cancelled" and body["cancelled_lines"] == 2 and body["cancelled_at"] is None
    assert body["cancellations"][0]["reason"] == "设计变更"
    assert body["cancellations"][0]["codes"] == sorted([slab.code, wall.code])
    assert not OrderLine.objects.filter(component__in=[slab, wall]).exists()
    assert CancelledOrderLine.objects.filter(order=prefab.order_a).count() == 2
    assert {c.state for c in Component.objects.filter(id__in=[slab.id, wall.id])} == {"designed"}
    assert LifecycleEvent.objects.filter(component=slab, event_type="cancel_order", role="contractor").count() == 1
    entry = AuditEntry.objects.get(action="production_order.cancel", object_id=str(prefab.order_a.id))
    assert entry.reason == "设计变更" and entry.after["cancelled"] == 2

    # The factory's board and list show it; the factory still reads the order.
    factory = token_for(prefab.user("factory_a"))
    listed = {o["number"]: o for o in client.get("/api/v1/prefab/orders", **factory).json()["items"]}
    assert listed[prefab.order_a.number]["status"] == "partly_cancelled"
    client.force_login(prefab.user("factory_a"))
    board = client.get("/prefab/factory/").content.decode()
    assert "2 条已取消" in board or "2 lines cancelled" in board

    # Freed: ordered again, from the other factory, which may then produce them.
    from zhijian.apps.prefab import services

    again = services.create_production_order(
        prefab.user("contractor_a"), project_id=prefab.city.project_a.id, factory_id=prefab.factory_b.id,
        building_id=prefab.registry.building_id, due_dates={2: date(2025, 6, 1)}, type_codes=["DHB"],
    )
    assert set(OrderLine.objects.filter(order=again).values_list("component_id", flat=True)) >= {slab.id}
    assert Component.objects.get(id=slab.id).state == "ordered"
    result = services.record_events(prefab.user("factory_b"), [event(slab.code, "start_production", 5)])
    assert result.results[0].outcome == "applied"


def test_the_factory_of_a_cancelled_order_can_no_longer_record_its_steps(
    client: Any, prefab: Prefab, token_for: Any, post_events: Any
) -> None:
    component = prefab.component(storey=2)
    cancel(client, token_for(prefab.user("contractor_a")), prefab.order_a, codes=[component.code])
    response = post_events(prefab.user("factory_a"), [event(component.code, "start_production", 1)]).json()
    assert response["results"][0]["reason"] == "order_cancelled"
    assert prefab.order_a.number in response["results"][0]["message"]
    assert response["counts"]["applied"] == 0


def test_a_line_in_production_is_not_cancelled_and_nothing_else_is_either(
    client: Any, prefab: Prefab, token_for: Any, post_events: Any
) -> None:
    from zhijian.apps.prefab.models import CancelledOrderLine, Component, OrderLine

    started, waiting = prefab.components(storey=1)[:2]
    post_events(prefab.user("factory_a"), produced([started.code], ("start_production",)))
    response = cancel(client, token_for(prefab.user("contractor_a")), prefab.order_a,
                      codes=[started.code, waiting.code])
    assert_problem(response, 409, "already_in_production")
    assert response.json()["components"] == [{"code": started.code, "state": "in_production"}]
    assert started.code in response.json()["detail"]
    assert OrderLine.objects.filter(component__in=[started, waiting]).count() == 2
    assert Component.objects.get(id=waiting.id).state == "ordered"
    assert not CancelledOrderLine.objects.exists()
    # The whole order likewise (one of its lines is in production).
    assert_problem(cancel(client, token_for(prefab.user("contractor_a")), prefab.order_a), 409,
                   "already_in_production")


def test_the_whole_order_is_cancelled_once(client: Any, prefab: Prefab, token_for: Any) -> None:
    from zhijian.apps.prefab.models import OrderLine

    contractor = token_for(prefab.user("contractor_a"))
    response = cancel(client, contractor, prefab.order_b, reason="改为现浇")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["cancelled_at"]
    assert response.json()["cancellations"][0]["whole_order"] is True
    assert not OrderLine.objects.filter(order=prefab.order_b).exists()
    assert_problem(cancel(client, contractor, prefab.order_b), 409, "already_cancelled")
    listed = client.get("/api/v1/prefab/orders", **token_for(prefab.user("factory_b"))).json()["items"]
    assert [o["status"] for o in listed if o["id"] == str(prefab.order_b.id)] == ["cancelled"]


def test_who_may_cancel_and_what_a_cancellation_needs(client: Any, prefab: Prefab, token_for: Any) -> None:
    code = prefab.component(storey=2).code
    assert_problem(cancel(client, token_for(prefab.user("factory_a")), prefab.order_a, codes=[code]), 403,
                   "not_permitted")
    assert_problem(cancel(client, token_for(prefab.user("designer_a")), prefab.order_a, codes=[code]), 403,
                   "not_permitted")
    assert_problem(cancel(client, token_for(prefab.user("factory_b")), prefab.order_a, codes=[code]), 404)
    contractor = token_for(prefab.user("contractor_a"))
    assert_problem(cancel(client, contractor, prefab.order_a, reason="  ", codes=[code]), 422, "reason_required")
    other = prefab.component(storey=3, type_code="YWQ").code  # order B's
    assert_problem(cancel(client, contractor, prefab.order_a, codes=[other]), 422, "not_in_order")
    cancel(client, contractor, prefab.order_a, codes=[code])
    assert_problem(cancel(client, contractor, prefab.order_a, codes=[code]), 409, "already_cancelled")


def test_cancel_order_is_not_a_scanned_event(client: Any, prefab: Prefab, token_for: Any) -> None:
    component = prefab.component(storey=2)
    response = record(client, token_for(prefab.user("contractor_a")), event(component.code, "cancel_order"))
    assert_problem(response, 422, "cancel_through_order")
    client.force_login(prefab.user("contractor_a"))
    assert 'data-action="cancel_order"' not in client.get(f"/c/{component.code}/").content.decode()


def test_the_order_page_cancels_ticked_lines_with_the_reason(client: Any, prefab: Prefab) -> None:
    from zhijian.apps.prefab.models import CancelledOrderLine

    component = prefab.component(storey=2)
    client.force_login(prefab.user("contractor_a"))
    html = client.get(f"/prefab/orders/{prefab.order_a.id}/").content.decode()
    assert 'id="cancel-form"' in html and f'value="{component.code}"' in html
    html = client.post(f"/prefab/orders/{prefab.order_a.id}/cancel/", {"reason": "楼层取消", "codes": [component.code]},
                       follow=True).content.decode()
    assert 'id="cancellations"' in html and "楼层取消" in html and 'id="order-status"' in html
    assert CancelledOrderLine.objects.get(order=prefab.order_a).component_id == component.id
    client.force_login(prefab.user("factory_a"))  # the factory sees why, and cannot cancel
    html = client.get(f"/prefab/orders/{prefab.order_a.id}/").content.decode()
    assert "楼层取消" in html and 'id="cancel-form"' not in html


# -- the public scan page --------------------------------------------------------------------------------------
def test_anyone_with_the_label_sees_the_public_view_without_the_records(
    client: Any, prefab: Prefab, token_for: Any, post_events: Any
) -> None:
    component = prefab.component()
    factory = token_for(prefab.user("factory_a"))
    key = upload(client, factory, JPEG).json()["key"]
    post_events(prefab.user("factory_a"), [
        event(component.code, "start_production", 0, operator="张三-QC0117", note="模具 M-7 内部备注", photos=[key],
              location={"place": "望城基地 2 号线"}, measurements=[{"item_code": "LEN", "value": 3.0}]),
        event(component.code, "finish_production", 10),
        event(component.code, "stock_in", 20),  # refused (no QC yet): not a step of the public history
    ])
    for user in (None, "designer_b", "factory_b"):
        client.logout()
        if user:
            client.force_login(prefab.user(user))
        response = client.get(f"/c/{component.code}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-view="public"' in html and component.printed_code in html and "叠合板" in html
        assert "A 项目" in html and "1F" in html and prefab.city.orgs["producer_a"].name in html
        assert "已生产待检" in html  # the state
        timeline = html[html.index('id="timeline"'):]
        assert timeline.index("完成生产") < timeline.index("开始生产") < timeline.index("下单")
        assert "2025-03-03 08:00" in timeline  # dated steps (Asia/Shanghai)
        for private in ("张三", "QC0117", "内部备注", "望城基地", "LEN", key, "factory_a", "contractor_a", "<img",
                        "data-action=", "入库"):
            assert private not in html, private
        assert ('id="login"' in html) is (user is None)


def test_a_bad_code_is_a_404_that_says_invalid_and_an_unissued_one_unknown(client: Any, prefab: Prefab) -> None:
    from zhijian.domain.prefab.coding import parse_code

    code = prefab.component().code
    bad = code[:15] + ("1" if code[15] != "1" else "2") + code[16:]
    response = client.get(f"/c/{bad}/")
    assert response.status_code == 404
    assert 'data-kind="invalid"' in response.content.decode() and "wrong_check_digits" in response.content.decode()
    response = client.get("/c/not-a-code/")
    assert response.status_code == 404 and 'data-kind="invalid"' in response.content.decode()
    parsed = parse_code(code)
    from zhijian.domain.prefab.coding import CodeParts, issue_code

    unissued = issue_code(CodeParts(parsed.project, parsed.building, parsed.storey, parsed.type_code, 999_999))
    response = client.get(f"/c/{unissued}/")
    assert response.status_code == 404
    assert 'data-kind="unknown"' in response.content.decode() and "没有构件使用这个编码" in response.content.decode()


def test_a_public_viewer_records_nothing(client: Any, prefab: Prefab) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent

    code = prefab.component().code
    response = client.post(f"/c/{code}/", {"type": "start_production", "key": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(prefab.user("factory_b"))
    client.post(f"/c/{code}/", {"type": "start_production", "key": "y"})
    assert not LifecycleEvent.objects.filter(component__code=code, event_type="start_production").exists()


def test_the_public_view_in_english(client: Any, prefab: Prefab) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/c/{prefab.component().code}/").content.decode()
    assert "Public view of the label" in html and "Order" in html and "Log in" in html


def test_photos_and_cancellations_are_in_the_read_only_admin(client: Any, prefab: Prefab, token_for: Any) -> None:
    from zhijian.apps.accounts.models import User
    from zhijian.apps.prefab.models import OrderCancellation

    key = upload(client, token_for(prefab.user("factory_a")), JPEG).json()["key"]
    cancel(client, token_for(prefab.user("contractor_a")), prefab.order_a, codes=[prefab.component(storey=2).code])
    client.force_login(User.objects.create_superuser("root5", password="x-very-long-password-5"))
    assert key in client.get("/admin/prefab/photo/").content.decode()
    cancellation = OrderCancellation.objects.get()
    html = client.get(f"/admin/prefab/ordercancellation/{cancellation.id}/change/").content.decode()
    assert "设计变更" in html and prefab.component(storey=2).printed_code in html, html[html.find("<main"):][:3000]
