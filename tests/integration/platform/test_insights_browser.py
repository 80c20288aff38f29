"""The statistics dashboard on the demo city, in a real browser (Debian's Chromium via Playwright)
against the live server: the seeded rows give every chart data, each chart container holds an
ECharts canvas, the numbers agree with the rows and the API, the page switches to English,
and the console stays clean. A designer of another organisation counts only their project."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.browser import chromium_page, needs_chromium

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "build" / "browser"
CHARTS = ("states", "review_months", "standards", "rules", "districts", "grades", "prefab_months")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with chromium_page(monkeypatch, ARGS, locale="zh-CN", viewport={"width": 1400, "height": 1000}) as page:
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the site has none
        yield page


@pytest.fixture
def demo_city() -> Any:
    """The demo city as ``seed_demo`` loads it (committed: the live server reads it), charts built."""
    from django.contrib.staticfiles import finders

    from zhijian.apps.review.demo import seed_demo_city

    if not finders.find("charts/zhijian-charts.js"):
        subprocess.run(["bash", str(REPO / "frontend" / "build.sh")], check=True, cwd=REPO)
    return seed_demo_city()


def _log_in(page: Any, base: str, user: Any) -> None:
    """A session for ``user`` in the browser (the login form has tests of its own; a user of an
    earlier test may share a demo username and keep that test's password)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base}])
    page.goto(f"{base}/")


def test_the_bureau_sees_the_city_in_charts(live_server: Any, page: Any, demo_city: Any) -> None:
    from django.test import Client

    from zhijian.apps.accounts.models import Membership, User
    from zhijian.apps.assembly.demo import SECOND_PROJECT_CODE
    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.projects.models import Building, Project, ProjectParticipant
    from zhijian.apps.review.models import Finding, Round, Submission

    client = Client()
    client.force_login(User.objects.get(username="bureau"))
    data = client.get("/api/v1/insights/city").json()
    review, prefab = data["review"], data["prefab"]
    # the city's totals are the stored rows
    assert review["submissions"] == Submission.objects.count()
    assert review["first_pass"]["decided"] == Round.objects.filter(number=1).exclude(decision="").count() >= 2
    assert review["review_time"]["rounds"] == Round.objects.exclude(decision="").count()
    assert sum(s["failed"] for s in review["by_standard"]) == Finding.objects.filter(
        check_run__round__number=1, status="fail").count()
    assert prefab["produced"] == LifecycleEvent.objects.filter(event_type="finish_production").count() > 0
    assert prefab["installed"] == LifecycleEvent.objects.filter(event_type="install").count() > 0
    failed_qc = LifecycleEvent.objects.filter(event_type="fail_qc").values("component_id").distinct().count()
    rejected = LifecycleEvent.objects.filter(event_type="reject").values("component_id").distinct().count()
    assert (prefab["qc_failed"], prefab["rejected"]) == (failed_qc, rejected) != (0, 0)
    grades = data["grades"]
    assert sum(grades["totals"].values()) == Building.objects.count() and grades["evaluated"] > 0
    # every chart has something to draw
    assert len([m for m in review["months"] if m["submitted"]]) >= 2 and review["top_rules"]
    assert sum(m["approved"] for m in review["months"]) == review["approved"] >= 1  # 地下车库, in round 2
    assert review["mean_rounds_to_approval"] >= 2
    assert {"yuelu", "kaifu"} <= {d["district"] for d in review["districts"]}  # (and other tests' rows)
    # another organisation's designer counts only the project they design
    client.force_login(User.objects.get(username="designer2"))
    theirs = client.get("/api/v1/insights/city").json()
    designer2 = User.objects.get(username="designer2")
    projects = ProjectParticipant.objects.filter(
        organization_id__in=Membership.objects.filter(user=designer2).values("organization_id")).values("project_id")
    assert Project.objects.get(code=SECOND_PROJECT_CODE).id in {p["project_id"] for p in projects}
    assert theirs["review"]["submissions"] == Submission.objects.filter(project_id__in=projects).count()
    assert theirs["review"]["submissions"] < review["submissions"]
    assert "kaifu" in {d["district"] for d in theirs["review"]["districts"]}
    assert "yuelu" not in {d["district"] for d in theirs["review"]["districts"]}
    assert theirs["prefab"]["produced"] == 0  # the precast story is 岳麓's

    base = live_server.url
    _log_in(page, base, User.objects.get(username="bureau"))
    page.click("nav >> text=城市统计")
    page.wait_for_selector("[data-zhijian-insights][data-state=ready]")
    for name in CHARTS:
        assert page.locator(f"[data-chart={name}] canvas").count() >= 1, f"no canvas in chart {name}"
    assert page.locator("[data-kpi=submissions]").inner_text() == str(review["submissions"])
    assert page.locator("[data-kpi=first_pass_rate]").inner_text() == "0.0%"
    assert "一次审查合格率" in page.content() and "岳麓区" in page.locator("[data-table=districts]").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "insights-zh.png"), full_page=True)

    page.select_option("select[name=language]", "en")
    page.wait_for_selector("[data-zhijian-insights][data-state=ready]")
    assert "First-pass approval rate" in page.content() and "Submissions by state" in page.content()
    labels = page.evaluate("JSON.parse(document.getElementById('insights-labels').textContent).series.submitted")
    assert labels == "New submissions"
    assert page.locator("[data-chart=grades] canvas").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "insights-en.png"), full_page=True)

    assert page.console_errors == []
    # a bad filter: the page says why (422) and draws nothing
    page.goto(f"{base}/insights/?district=kaifu&from=2026-13")
    assert "YYYY-MM" in page.locator("[data-error]").inner_text()
    assert page.locator("[data-zhijian-insights]").count() == 0
