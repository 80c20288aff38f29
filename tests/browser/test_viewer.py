"""The 3D viewer in real Chromium over real HTTP: loading, colours, framing, picking, errors."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import Site, wait_for_viewer

FAIL, MISSING, NEUTRAL, SELECTED = "#d93025", "#f29900", "#a3acb9", "#1a73e8"
VIEWER = "#viewer"


def call(page, method: str, *args):
    """Call a method of the mounted viewer (element.zhijianViewer) in the page."""
    return page.evaluate(
        "([method, args]) => document.querySelector('#viewer').zhijianViewer[method](...args)", [method, list(args)]
    )


def events(page, kind: str) -> list[dict]:
    return page.evaluate("kind => window.zhijianEvents.filter(e => e.type === kind).map(e => e.detail)", kind)


def next_frame(page) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_model_loads_and_reports_its_meshes(model_page, site: Site, screenshots) -> None:
    data = model_page.viewer_data
    # One mesh per element with a body; rooms are meshed too (drawn only with a finding).
    assert int(data["meshCount"]) == site.building.with_body
    assert int(data["loadMs"]) > 0 and int(data["readyAtMs"]) >= int(data["loadMs"])
    legend = model_page.locator(".zjv-legend").inner_text()
    assert "不符合 2" in legend and "缺少数据 1" in legend
    assert "另有 1 条问题的构件在模型中无几何体" in legend
    model_page.screenshot(path=str(screenshots / "viewer-test-building.png"))


def test_failing_elements_are_red_missing_data_amber_others_grey(model_page, site: Site) -> None:
    guids = site.building.guids
    assert call(model_page, "getElementColor", guids["2F wall south"]) == FAIL
    assert call(model_page, "getElementColor", guids["1F room 卧室"]) == FAIL
    assert call(model_page, "getElementColor", guids["3F door"]) == MISSING
    other = call(model_page, "getElement", guids["1F wall north"])
    assert other["color"] == NEUTRAL and other["opacity"] < 1 and other["visible"]
    # Rooms without findings are not drawn (they would hide the walls); rooms with one are.
    assert call(model_page, "getElement", guids["1F room 客厅"])["visible"] is False
    assert call(model_page, "getElement", guids["1F room 卧室"])["visible"] is True
    assert call(model_page, "getElementColor", "no-such-guid") is None


def test_set_findings_recolours_the_model(model_page, site: Site) -> None:
    wall = site.building.guids["1F wall east"]
    assert call(model_page, "getElementColor", wall) == NEUTRAL
    call(model_page, "setFindings", [{"guid": wall, "status": "missing_data", "rule_id": "R", "message": "m"}])
    assert call(model_page, "getElementColor", wall) == MISSING
    assert call(model_page, "getElementColor", site.building.guids["2F wall south"]) == NEUTRAL


def test_select_guid_highlights_and_frames_the_element(model_page, site: Site, screenshots) -> None:
    page = model_page
    before = call(page, "getCameraTarget")
    door = site.building.guids["3F door"]
    assert call(page, "selectGuid", door) is True
    after = call(page, "getCameraTarget")
    box = call(page, "getElement", door)["box"]
    assert after != before
    # The camera now looks at the door's centre.
    for axis in range(3):
        assert box["min"][axis] - 1e-6 <= after[axis] <= box["max"][axis] + 1e-6
    assert call(page, "getElementColor", door) == SELECTED
    assert page.get_attribute(VIEWER, "data-selected-guid") == door
    panel = page.locator(".zjv-panel")
    assert panel.is_visible()
    assert "GB50096-5.8.7" in panel.inner_text() and "门缺少洞口宽度" in panel.inner_text()
    next_frame(page)
    page.screenshot(path=str(screenshots / "viewer-selected-door.png"))
    # Selecting from code does not echo a selection event back to the page.
    assert events(page, "zhijian:element-selected") == []
    # Deselecting restores the status colour.
    call(page, "clearSelection")
    assert call(page, "getElementColor", door) == MISSING
    assert not panel.is_visible()
    assert call(page, "selectGuid", "no-such-guid") is False


def test_selecting_from_the_findings_list_frames_the_element(model_page, site: Site) -> None:
    wall = site.building.guids["2F wall south"]
    before = call(model_page, "getCameraTarget")
    model_page.click(f"#findings button[data-guid='{wall}']")
    assert model_page.get_attribute(VIEWER, "data-selected-guid") == wall
    assert call(model_page, "getCameraTarget") != before


def test_clicking_an_element_emits_the_selection_event_with_its_guid(model_page, site: Site) -> None:
    page = model_page
    wall = site.building.guids["2F wall south"]
    next_frame(page)
    point = call(page, "screenPointOf", wall)
    assert point is not None, "the failing wall should be visible in the full view"
    page.mouse.click(point["x"], point["y"])
    selected = events(page, "zhijian:element-selected")
    assert [e["guid"] for e in selected] == [wall]
    assert selected[0]["status"] == "fail" and selected[0]["findings"][0]["rule_id"] == "TEST-wall-thickness"
    assert "外墙厚度不足" in page.locator(".zjv-panel").inner_text()
    assert wall in page.locator("#selected").inner_text()
    # A click on empty sky (bottom right, away from the building and the legend) clears it.
    viewer = page.locator(VIEWER).bounding_box()
    page.mouse.click(viewer["x"] + viewer["width"] - 10, viewer["y"] + viewer["height"] - 10)
    assert len(events(page, "zhijian:selection-cleared")) == 1
    assert page.get_attribute(VIEWER, "data-selected-guid") is None


def test_dragging_orbits_without_selecting(model_page, site: Site) -> None:
    page = model_page
    camera = "() => document.querySelector('#viewer').zhijianViewer.camera.position.toArray()"
    before = page.evaluate(camera)
    point = call(page, "screenPointOf", site.building.guids["2F wall south"])
    page.mouse.move(point["x"], point["y"])
    page.mouse.down()
    page.mouse.move(point["x"] + 120, point["y"] + 30, steps=5)
    page.mouse.up()
    assert page.evaluate(camera) != before
    assert events(page, "zhijian:element-selected") == []


def test_isolating_a_storey_hides_the_others(model_page, site: Site) -> None:
    page, building = model_page, site.building
    page.select_option(".zjv-storeys", building.storeys[1])
    assert page.get_attribute(VIEWER, "data-isolated-storey") == building.storeys[1]
    assert call(page, "getElement", building.guids["2F wall north"])["visible"] is True
    assert call(page, "getElement", building.guids["1F wall north"])["visible"] is False
    assert call(page, "getElement", building.guids["3F slab"])["visible"] is False
    # The picker offers every storey; "all storeys" shows everything again.
    assert page.locator(".zjv-storeys option").count() == 1 + len(building.storeys)
    page.select_option(".zjv-storeys", "")
    assert call(page, "getElement", building.guids["1F wall north"])["visible"] is True


@pytest.mark.parametrize(
    ("model", "lang", "title", "detail"),
    [
        ("broken.ifc", "zh", "模型加载失败", "IFC"),
        ("not-ifc.ifc", "zh", "模型加载失败", "IFC"),
        ("missing.ifc", "zh", "模型加载失败", "HTTP 404"),
        ("missing.ifc", "en", "The model could not be loaded", "HTTP 404"),
    ],
)
def test_a_model_that_fails_to_load_shows_a_visible_message(page, site: Site, model, lang, title, detail) -> None:
    wait_for_viewer(page, site.page_url(model=model, lang=lang), state="error")
    message = page.locator(".zjv-status")
    assert message.is_visible()
    text = message.inner_text()
    assert title in text and detail in text, text
    assert events(page, "zhijian:viewer-error")[0]["reason"]
    assert page.locator("canvas").is_hidden()


def test_an_unreachable_model_url_shows_a_visible_message(page, site: Site) -> None:
    wait_for_viewer(page, site.page_url(model="http://127.0.0.1:9/model.ifc", lang="en"), state="error")
    assert "could not be fetched" in page.locator(".zjv-status").inner_text()
    page.foreign_requests.clear()  # that port was asked for on purpose


def test_english_ui_when_lang_is_en(page, site: Site) -> None:
    wait_for_viewer(page, site.page_url(lang="en"))
    legend = page.locator(".zjv-legend").inner_text()
    assert "Fail 2" in legend and "Missing data 1" in legend
    call(page, "selectGuid", site.building.guids["3F door"])
    assert "Door opening width missing" in page.locator(".zjv-panel").inner_text()
    assert page.locator(".zjv-fit").inner_text() == "Fit"


def test_the_one_line_template_include_mounts_the_viewer(page, site: Site) -> None:
    """What a Django template writes: a data-zhijian-viewer element and the module's script tag
    (here with the findings inline, as `json_script` writes them)."""
    wall = site.building.guids["2F wall south"]
    findings = [{"guid": wall, "status": "fail", "rule_id": "R-1", "message_zh": "太薄", "message_en": "Too thin"}]
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><script id="f" type="application/json">{json.dumps(findings)}</script>
<div id="viewer" data-zhijian-viewer data-model-url="/data/model.ifc" data-findings-script="f"
     style="height: 420px"></div>
<script type="module" src="/viewer/zhijian-viewer.js"></script>
<script>window.seen = []; document.addEventListener("zhijian:element-selected", e => seen.push(e.detail.guid));</script>
</body></html>"""
    (site.data / "include.html").write_text(html, encoding="utf-8")
    page.goto(f"{site.base}/data/include.html")
    page.wait_for_selector("#viewer[data-state=ready]", timeout=90_000)
    assert call(page, "getElementColor", wall) == FAIL
    next_frame(page)
    point = call(page, "screenPointOf", wall)
    page.mouse.click(point["x"], point["y"])
    # The event bubbles to the document, and the page's lang picked the English messages.
    assert page.evaluate("window.seen") == [wall]
    assert "Too thin" in page.locator(".zjv-panel").inner_text()
