"""Prefab pages over real HTTP (Django's test client): the scan page behind each QR label, the
factory board, a project's installation progress, orders, delivery notes and label sheets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import T0, Prefab, event, produced

pytestmark = pytest.mark.django_db


def page(client: Any, user: Any, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_the_scan_page_shows_the_history_and_the_factorys_next_step(client: Any, prefab: Prefab, post_events: Any) -> None:
    component = prefab.component()
    post_events(prefab.user("factory_a"), produced([component.code], ("start_production", "finish_production")))
    html = page(client, prefab.user("factory_a"), f"/c/{component.code}/")
    assert component.printed_code in html and "叠合板" in html
    assert "已生产待检" in html  # the state, in Chinese by default (the domain's names)
    timeline = html[html.index('id="timeline"'):]
    assert timeline.index("完成生产") < timeline.index("开始生产") < timeline.index("下单")  # newest first
    assert 'data-action="pass_qc"' in html and 'data-action="fail_qc"' in html
    assert 'data-action="install"' not in html


def test_the_contractor_sees_no_factory_step_and_the_designer_no_step(client: Any, prefab: Prefab) -> None:
    code = prefab.component().code
    assert "data-action=" not in page(client, prefab.user("contractor_a"), f"/c/{code}/")
    assert "data-action=" not in page(client, prefab.user("designer_a"), f"/c/{code}/")
    assert 'data-action="start_production"' in page(client, prefab.user("factory_a"), f"/c/{code}/")


def test_a_step_recorded_from_the_page_once_even_if_pressed_twice(client: Any, prefab: Prefab) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent

    component = prefab.component()
    client.force_login(prefab.user("factory_a"))
    form = {"type": "start_production", "key": "abc-start_production"}
    first = client.post(f"/c/{component.code}/", form, follow=True)
    assert "已记录" in first.content.decode()
    second = client.post(f"/c/{component.code}/", form, follow=True)
    assert "已记录过" in second.content.decode() or "Already recorded" in second.content.decode()
    assert LifecycleEvent.objects.filter(component=component, event_type="start_production").count() == 1
    component.refresh_from_db()
    assert component.state == "in_production"


def test_a_refused_step_from_the_page_says_why(client: Any, prefab: Prefab) -> None:
    component = prefab.component()
    client.force_login(prefab.user("contractor_a"))
    html = client.post(f"/c/{component.code}/", {"type": "start_production", "key": "x"}, follow=True).content.decode()
    assert "只有生产单位可以记录" in html


def test_the_scan_page_accepts_the_printed_code_and_explains_a_bad_one(client: Any, prefab: Prefab) -> None:
    component = prefab.component()
    client.force_login(prefab.user("factory_a"))
    response = client.get(f"/c/{component.printed_code}/")
    assert response.status_code == 302 and response["Location"] == f"/c/{component.code}/"
    bad = component.code[:15] + ("1" if component.code[15] != "1" else "2") + component.code[16:]
    response = client.get(f"/c/{bad}/")  # a bad code is a 404 that says why
    assert response.status_code == 404 and "wrong_check_digits" in response.content.decode()
    assert 'data-kind="invalid"' in response.content.decode()


def test_the_scan_page_is_public_without_the_records_for_others(client: Any, prefab: Prefab) -> None:
    code = prefab.component().code
    html = client.get(f"/c/{code}/").content.decode()  # not logged in: the public view, not a redirect
    assert 'data-view="public"' in html and f"/accounts/login/?next=%2Fc%2F{code}%2F" in html
    for other in ("designer_b", "factory_b"):  # another organisation: the public view too, no actions
        html = page(client, prefab.user(other), f"/c/{code}/")
        assert 'data-view="public"' in html and "data-action=" not in html
    html = page(client, prefab.user("bureau"), f"/c/{code}/")
    assert 'data-view="public"' not in html and 'id="timeline"' in html


def test_the_scan_page_in_english(client: Any, prefab: Prefab) -> None:
    client.force_login(prefab.user("factory_a"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/c/{prefab.component().code}/").content.decode()
    assert "History" in html and "Record the next step" in html and "Start production" in html


def test_the_project_page_shows_progress_per_storey_and_colours_for_the_3d_view(
    client: Any, prefab: Prefab, post_events: Any
) -> None:
    import json
    import re

    codes = [c.code for c in prefab.components(storey=1)]
    post_events(prefab.user("factory_a"), produced(codes, ("start_production", "finish_production", "pass_qc",
                                                           "stock_in", "ship")))
    post_events(prefab.user("contractor_a"), [event(codes[0], "deliver", 60), event(codes[0], "accept", 70),
                                              event(codes[0], "install", 80), event(codes[1], "deliver", 60)])
    html = page(client, prefab.user("owner_a"), f"/prefab/projects/{prefab.city.project_a.id}/")
    row = re.search(r'<tr data-storey="1">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[1:5] == ["5", "3", "1", "1"]  # 5 components: 3 produced only, 1 delivered, 1 installed
    colours = json.loads(re.search(r'<script id="progress-colours-[0-9a-f]+" type="application/json">(.*?)</script>',
                                   html, re.S).group(1))
    installed = prefab.components(storey=1)[0]
    assert colours["colours"][installed.guid] == "#0b8a3e"
    assert len(colours["colours"]) == 5 and "data-zhijian-viewer" in html


def test_the_factory_board_shows_orders_throughput_quality_and_stock(client: Any, prefab: Prefab, post_events: Any) -> None:
    from django.utils import timezone

    now = timezone.now()
    codes = [c.code for c in prefab.components(storey=1)]
    batch = []
    for i, code in enumerate(codes):
        verdict = "fail_qc" if i == 0 else "pass_qc"
        steps = ["start_production", "finish_production", verdict]
        if i:
            steps.append("stock_in")
        for j, step in enumerate(steps):
            batch.append({"idempotency_key": f"b{i}{j}", "code": code, "type": step,
                          "event_time": (now - timedelta(days=3, minutes=-10 * j)).isoformat()})
    assert post_events(prefab.user("factory_a"), batch).json()["counts"]["rejected"] == 0
    html = page(client, prefab.user("factory_a"), "/prefab/factory/")
    assert prefab.order_a.number in html and prefab.order_b.number not in html
    assert '<div class="value">80%</div><div class="detail">4 / 5</div>' in html  # QC first pass
    assert '<div class="kpi" data-kpi="stock"><div>已入库</div><div class="value">4</div>' in html
    assert '<div class="kpi" data-kpi="throughput"><div>近 14 天生产</div><div class="value">5</div>' in html


def test_the_factory_board_of_another_factory_is_for_its_partners_and_the_authority(client: Any, prefab: Prefab) -> None:
    url = f"/prefab/factories/{prefab.city.orgs['producer_a'].id}/"
    page(client, prefab.user("bureau"), url)
    page(client, prefab.user("contractor_a"), url)
    page(client, prefab.user("designer_b"), url, 404)
    page(client, prefab.user("designer_a"), "/prefab/factory/", 404)  # not a factory member


def test_the_order_page_and_a_label_sheet_from_it(
    client: Any, prefab: Prefab, django_capture_on_commit_callbacks: Any
) -> None:
    html = page(client, prefab.user("factory_a"), f"/prefab/orders/{prefab.order_a.id}/")
    assert "2025-04-01" in html and prefab.component().printed_code in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/prefab/orders/{prefab.order_a.id}/labels/", {"storey": "2"})
    assert response.status_code == 302
    sheet = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in sheet and "4 个标签" in sheet
    page(client, prefab.user("factory_b"), f"/prefab/orders/{prefab.order_a.id}/", 404)


def test_the_delivery_note_is_signed_by_the_site(client: Any, prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.prefab import services

    components = prefab.components(storey=1)[:2]
    post_events(prefab.user("factory_a"), produced([c.code for c in components]))
    shipment = services.create_shipment(prefab.user("factory_a"), codes=[c.code for c in components],
                                        vehicle_plate="湘A88888", driver="李师傅", departed_at=T0 + timedelta(hours=1))
    html = page(client, prefab.user("factory_a"), f"/prefab/shipments/{shipment.id}/")
    assert "发货单" in html and "湘A88888" in html and components[0].printed_code in html
    assert "确认全部构件到场" not in html  # the factory cannot sign for the site
    html = page(client, prefab.user("contractor_a"), f"/prefab/shipments/{shipment.id}/")
    assert "确认全部构件到场" in html
    signed = client.post(f"/prefab/shipments/{shipment.id}/deliver/", follow=True).content.decode()
    assert "已确认到场" in signed and '<td id="delivered">—</td>' not in signed


def test_the_factory_ships_from_its_board(client: Any, prefab: Prefab, post_events: Any) -> None:
    components = prefab.components(storey=2)[:2]
    post_events(prefab.user("factory_a"), produced([c.code for c in components]))
    client.force_login(prefab.user("factory_a"))
    response = client.post("/prefab/factory/ship/", {"codes": "\n".join(c.printed_code for c in components),
                                                     "vehicle_plate": "湘A2"}, follow=True)
    assert "湘A2" in response.content.decode()
    bad = client.post("/prefab/factory/ship/", {"codes": "100001-01-F01-DHB-000001-00", "vehicle_plate": "湘A3"},
                      follow=True).content.decode()
    assert "check digits" in bad or "校验" in bad
