"""The scan page on a phone (390 × 844, Debian's Chromium via Playwright) against the live server,
after a factory's scanner uploaded its batch over the real HTTP API: the label's public view,
log in from it, read the component's history, record the next step with a tap and a photo."""

from __future__ import annotations

import json
import struct
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.browser import chromium_page, needs_chromium
from tests.integration.platform.conftest import PASSWORD
from tests.integration.platform.prefab.conftest import committed_city, make_prefab, produced

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[4] / "build" / "browser"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def phone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A phone-sized page (iPhone 12-14 class: 390 × 844 CSS pixels, touch, Chinese)."""
    with chromium_page(monkeypatch, ARGS, locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=3,
                       is_mobile=True, has_touch=True) as page:
        yield page


def png(width: int, height: int) -> bytes:
    """A real (decodable) PNG, written here so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xc0\x30\x30" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def upload(base: str, token: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The scanner's backlog as JSON lines, over HTTP to the live server."""
    body = "\n".join(json.dumps(e, ensure_ascii=False) for e in events).encode("utf-8")
    request = urllib.request.Request(f"{base}/api/v1/prefab/events/batch", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_the_scan_page_on_a_phone_shows_the_history_after_a_factory_upload(
    live_server: Any, phone: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    from zhijian.apps.accounts.services import issue_api_token
    from zhijian.apps.prefab.models import Component, LifecycleEvent, Photo

    prefab = make_prefab(committed_city(world), tmp_path)
    components = prefab.components(storey=1)
    _, token = issue_api_token(prefab.user("factory_a"), "scanner 7")
    result = upload(live_server.url, token, produced([c.code for c in components]))
    assert result["counts"]["applied"] == 4 * len(components)

    slab = components[0]
    page = phone
    page.goto(f"{live_server.url}/c/{slab.code}/")  # what the phone's camera opens from the label
    # Not logged in: the label's public view — the component, its state and dated steps, no records.
    assert page.locator("[data-view=public]").count() == 1
    assert page.inner_text("#code") == slab.printed_code and page.inner_text("#state") == "已入库"
    assert page.locator("#timeline li .what").all_inner_texts() == ["入库", "出厂检验合格", "完成生产", "开始生产", "下单"]
    assert page.locator("button[data-action]").count() == 0 and page.locator("input[type=file]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scan-page-public-phone.png"), full_page=True)
    page.locator("#login").tap()
    page.fill("input[name=username]", "factory_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/c/{slab.code}/")

    assert page.inner_text("#code") == slab.printed_code
    assert page.inner_text("#state") == "已入库"
    steps = page.locator("#timeline li .what").all_inner_texts()
    assert steps == ["入库", "出厂检验合格", "完成生产", "开始生产", "下单"]  # newest first
    assert page.locator("#timeline li").first.get_attribute("data-outcome") == "applied"
    # Made for the phone: nothing wider than the screen, the step button a thumb can hit.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ship = page.locator("button[data-action=ship]")
    box = ship.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 44
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scan-page-phone.png"), full_page=True)

    # The phone's camera (a file input with capture) takes the photo that goes with the step.
    camera = page.locator("input[type=file][data-photo-for=ship]")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    camera.set_input_files(files=[{"name": "IMG_0412.PNG", "mimeType": "image/png", "buffer": png(8, 6)}])
    ship.tap()
    page.wait_for_selector("[role=status]")
    assert "已记录：发运" in page.inner_text(".messages")
    assert page.inner_text("#state") == "已发运"
    assert page.locator("#timeline li .what").first.inner_text() == "发运"
    assert Component.objects.get(id=slab.id).state == "shipped"
    thumb = page.locator("#timeline li").first.locator("img.thumb")
    thumb.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [8, 6]  # served, and decodes
    shipped = LifecycleEvent.objects.get(component=slab, event_type="ship")
    assert Photo.objects.get(key=shipped.photos[0]).content_type == "image/png"
    page.screenshot(path=str(SCREENSHOTS / "scan-page-photo-phone.png"), full_page=True)


def test_the_progress_page_colours_installed_delivered_and_produced_components_in_3d(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, world: dict[str, Any], tmp_path: Path
) -> None:
    from django.contrib.staticfiles import finders

    from tests.integration.platform.prefab.conftest import event
    from zhijian.apps.prefab import services

    if not finders.find("viewer/zhijian-viewer.js"):
        pytest.skip("the viewer is not built (make frontend)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    prefab = make_prefab(committed_city(world), tmp_path)
    installed, delivered, made, waiting = prefab.components(storey=1)[:4]
    services.record_events(prefab.user("factory_a"), produced([installed.code, delivered.code, made.code]))
    shipment = services.create_shipment(prefab.user("factory_a"), codes=[installed.code, delivered.code],
                                        vehicle_plate="湘A3")
    services.confirm_delivery(prefab.user("contractor_a"), shipment.id)
    from django.utils import timezone

    now = timezone.now()
    services.record_events(prefab.user("contractor_a"), [
        {**event(installed.code, "accept"), "event_time": now.isoformat()},
        {**event(installed.code, "install"), "event_time": now.isoformat(), "idempotency_key": "i"},
    ])
    with chromium_page(monkeypatch, [*ARGS, "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
                       locale="zh-CN", viewport={"width": 1280, "height": 900}) as page:
        page.goto(f"{live_server.url}/accounts/login/?next=/prefab/projects/{prefab.city.project_a.id}/")
        page.fill("input[name=username]", "owner_a")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".progress-viewer[data-state=ready], .progress-viewer[data-state=error]", timeout=90_000)
        assert page.get_attribute(".progress-viewer", "data-state") == "ready"
        colours = page.evaluate(
            "guids => guids.map(g => document.querySelector('.progress-viewer').zhijianViewer.getElementColor(g))",
            [installed.guid, delivered.guid, made.guid, waiting.guid],
        )
        assert colours[:3] == ["#0b8a3e", "#1a73e8", "#f5b700"]
        assert colours[3] != "#0b8a3e"  # not produced yet: the viewer's neutral grey
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "progress-3d.png"))
