"""The review pages in a real browser (Debian's Chromium via Playwright) against the live server:
log in, read the findings in Chinese, see the model in 3D and locate a finding, switch to English,
and submit a bad upload that is refused with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.browser import chromium_page, needs_chromium
from tests.integration.platform.conftest import PASSWORD, load_city, submit

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--enable-unsafe-swiftshader", "--use-angle=swiftshader"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with chromium_page(monkeypatch, ARGS, locale="zh-CN", viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def checked(committed: dict[str, Any], tmp_path: Path) -> tuple[Any, Any]:
    """The demo building (it has geometry) submitted by organisation A, checked, in review (committed)."""
    from zhijian.apps.review import services
    from zhijian.domain.demo.building import write_demo_building

    city = load_city(committed)
    submission = services.create_submission(city.user("designer_a"), project_id=city.project_a.id, title="浏览器测试")
    submit(city.user("designer_a"), submission, write_demo_building(tmp_path / "demo-building.ifc"))
    assert submission.state == "in_review"
    return city, submission


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_reviewer_reads_findings_and_locates_one_in_3d(live_server: Any, page: Any, checked: tuple[Any, Any]) -> None:
    from django.contrib.staticfiles import finders

    from zhijian.apps.review.models import Finding

    _city, submission = checked
    base = live_server.url
    _log_in(page, base, "reviewer_a")
    assert "审查队列" in page.content() and "浏览器测试" in page.content()
    page.goto(f"{base}/submissions/{submission.id}/")
    bedroom = Finding.objects.filter(check_run__round__submission=submission, rule_id="GB50096-2011-5.2.1").first()
    assert bedroom is not None, "the demo building has an undersized bedroom"
    assert "审查中" in page.content() and bedroom.message_zh in page.content()
    if finders.find("viewer/zhijian-viewer.js"):
        page.wait_for_selector("#model-viewer[data-state=ready]", timeout=90_000)
        page.click(f"button[data-guid='{bedroom.guid}']")
        page.wait_for_selector(f"#model-viewer[data-selected-guid='{bedroom.guid}']")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # the switcher submits on change
    assert "In review" in page.content() and bedroom.message_en in page.content()


def test_a_bad_upload_in_the_browser_is_refused_with_the_reason(
    live_server: Any, page: Any, committed: dict[str, Any], tmp_path: Path
) -> None:
    from zhijian.apps.review.models import ModelVersion

    garbage = tmp_path / "drawing.ifc"
    garbage.write_bytes(b"%PDF-1.7 not a model" * 100)
    base = live_server.url
    _log_in(page, base, "designer_a")
    page.goto(f"{base}/submissions/{committed['draft_a']}/")
    page.set_input_files("input[name=file]", str(garbage))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "这不是 IFC 模型" in page.inner_text("[role=alert]")
    assert not ModelVersion.objects.filter(submission_id=committed["draft_a"]).exists()
