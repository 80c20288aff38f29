"""The viewer's generic colour option (``setColours``) in real Chromium: any grouping of elements
by GlobalId, with a legend; findings keep their colour. Then the demo building coloured by
its assembly-rate evaluation, item by item, as the evaluation page shows it."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.browser.conftest import Site, wait_for_viewer

FAIL, NEUTRAL = "#d93025", "#a3acb9"


def call(page, method: str, *args):
    return page.evaluate(
        "([method, args]) => document.querySelector('#viewer').zhijianViewer[method](...args)", [method, list(args)]
    )


def test_set_colours_paints_groups_with_a_legend_and_findings_win(model_page, site: Site) -> None:
    g = site.building.guids
    colours = {g["1F wall north"]: "#1F6FD1", g["2F wall north"]: "#1f6fd1", g["1F slab"]: "#2e9e44",
               g["2F wall south"]: "#2e9e44", "0NoGeometryHere00000000": "#2e9e44", "bad": "blue"}
    legend = [{"colour": "#1f6fd1", "label": "q1a 竖向构件"}, {"colour": "#2e9e44", "label": "q1b 水平构件"}]
    try:
        call(model_page, "setColours", colours, legend)
        assert call(model_page, "getElementColor", g["1F wall north"]) == "#1f6fd1"
        assert call(model_page, "getElementColor", g["1F slab"]) == "#2e9e44"
        assert call(model_page, "getElementColor", g["2F wall south"]) == FAIL  # a finding is on it
        assert call(model_page, "getElementColor", g["3F wall north"]) == NEUTRAL
        element = call(model_page, "getElement", g["2F wall north"])
        assert element["status"] == "coloured" and element["group"] == "q1a 竖向构件" and element["opacity"] == 1
        text = model_page.locator(".zjv-legend").inner_text()
        assert "q1a 竖向构件 2" in text and "q1b 水平构件 1" in text and "不符合 2" in text
        assert "另有 1 个着色构件在模型中无几何体" in text
        call(model_page, "selectGuid", g["1F wall north"])
        assert "q1a 竖向构件" in model_page.locator(".zjv-panel").inner_text()
    finally:
        call(model_page, "clearSelection")
        call(model_page, "setColours", {})
    assert call(model_page, "getElementColor", g["1F wall north"]) == NEUTRAL
    assert "q1a" not in model_page.locator(".zjv-legend").inner_text()


@pytest.mark.skipif(
    importlib.util.find_spec("zhijian.domain.demo.building") is None, reason="the demo building is not in this tree"
)
def test_the_demo_building_is_coloured_by_its_assembly_rate_items(page, site: Site, screenshots) -> None:
    from zhijian.apps.assembly.colours import ITEM_COLOURS, colour_map
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.demo.building import write_demo_building
    from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate

    model = write_demo_building(site.data / "assembly" / "demo-building.ifc")
    result = evaluate_assembly_rate(load_index(model)).to_dict()
    coloured = colour_map(result, "zh")
    (site.data / "assembly" / "colours.json").write_text(json.dumps(coloured, ensure_ascii=False), encoding="utf-8")
    wait_for_viewer(page, site.page_url(model="assembly/demo-building.ifc", findings=None))
    page.evaluate(
        """async () => {
            const {colours, legend} = await (await fetch('/data/assembly/colours.json')).json();
            document.querySelector('#viewer').zhijianViewer.setColours(colours, legend);
        }"""
    )
    by_item = {i["key"]: [e["guid"] for e in i["elements"] if e["counted"]] for i in result["items"]}
    for key in ("vertical_members", "horizontal_members"):
        drawn = page.evaluate(
            "guids => guids.map(g => document.querySelector('#viewer').zhijianViewer.getElementColor(g))",
            by_item[key],
        )
        present = [c for c in drawn if c is not None]
        assert present and set(present) == {ITEM_COLOURS[key]}, key
    legend = page.locator(".zjv-legend").inner_text()
    for entry in coloured["legend"]:
        assert entry["label"] in legend
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "viewer-assembly-rate.png"))
