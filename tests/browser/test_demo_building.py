"""The demo building (``zhijian demo-model``) reviewed by the real rule packs, in the viewer:
how long it takes to show, and that every failing element is drawn red."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.browser.conftest import Site, wait_for_viewer

FAIL = "#d93025"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zhijian.domain.demo.building") is None,
    reason="zhijian.domain.demo.building (the demo model) is not in this tree yet",
)


@pytest.fixture(scope="module")
def demo(site: Site) -> dict:
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.demo.building import write_demo_building
    from zhijian.domain.reports.json_report import write_json
    from zhijian.domain.review.engine import run_review
    from zhijian.domain.review.packs import select_packs

    model = write_demo_building(site.data / "demo" / "demo-building.ifc")
    report = run_review(load_index(model), select_packs(None))
    path = write_json(report, site.data / "demo", "zh")
    return {"model": model, "report": json.loads(Path(path).read_text(encoding="utf-8")), "report_path": path}


def test_demo_building_is_drawn_with_its_failing_elements_red(page, site: Site, demo, screenshots) -> None:
    url = site.page_url(model="demo/demo-building.ifc", findings=f"demo/{demo['report_path'].name}")
    data = wait_for_viewer(page, url)
    assert int(data["meshCount"]) > 100
    failing = {f["guid"] for f in demo["report"]["findings"] if f["status"] == "fail"}
    assert failing, "the demo building is meant to fail a few provisions"
    colours = page.evaluate(
        "guids => guids.map(g => document.querySelector('#viewer').zhijianViewer.getElementColor(g))", sorted(failing)
    )
    drawn = [c for c in colours if c is not None]
    assert drawn and all(c == FAIL for c in drawn), colours
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "viewer-demo-building.png"))
    size_mb = demo["model"].stat().st_size / 1e6
    timings = page.evaluate("() => document.querySelector('#viewer').zhijianViewer.timings")
    line = (
        f"demo building {size_mb:.1f} MB, {data['meshCount']} meshes: viewer ready {data['readyAtMs']} ms "
        f"after navigation, {data['loadMs']} ms after mount (ms since mount: {timings}); "
        f"{len(drawn)}/{len(failing)} failing elements drawn\n"
    )
    (screenshots / "viewer-demo-load.txt").write_text(line, encoding="utf-8")
    print(line)
