"""Server-rendered pages: log-in, the queue, project and submission pages, tenant isolation (404)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import PASSWORD, Reviewed

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/projects/{project}/"),
    ("get", "/submissions/{submission}/"),
    ("get", "/rounds/{round}/diff/"),
    ("get", "/rounds/{decided}/letter/"),
    ("get", "/rounds/{decided}/letter.pdf"),
    ("get", "/models/{model}/download/"),
    ("post", "/projects/{project}/submissions/new/"),
    ("post", "/submissions/{draft}/upload/"),
    ("post", "/submissions/{submission}/transition/"),
    ("post", "/findings/{finding}/waive/"),
    ("post", "/rounds/{round}/comments/"),
]


def _url(template: str, r: Reviewed) -> str:
    return template.format(project=r.city.project_a.id, submission=r.submission_a.id, draft=r.draft_a.id,
                           round=r.round_a.id, model=r.model_a.id, finding=r.finding_a.id,
                           decided=r.decided_round_a.id)


def _request(client: Any, method: str, url: str, model: Path) -> Any:
    if method == "get":
        return client.get(url)
    data: dict[str, Any] = {"title": "x", "action": "return", "reason": "r", "body": "b", "guid": "g"}
    if url.endswith("/upload/"):
        handle = io.BytesIO(model.read_bytes())
        handle.name = "m.ifc"
        data = {"file": handle}
    return client.post(url, data)


@pytest.mark.parametrize(("method", "template"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: Any, reviewed: Reviewed, failing_model: Path, method: str,
                                               template: str) -> None:
    response = _request(client, method, _url(template, reviewed), failing_model)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["designer_b", "reviewer_b", "outsider"])
@pytest.mark.parametrize(("method", "template"), PAGES)
def test_another_organisation_gets_404_on_every_page(
    client: Any, reviewed: Reviewed, failing_model: Path, settings: Any, method: str, template: str, who: str
) -> None:
    from tests.integration.platform.conftest import stored_files
    from zhijian.apps.audit.models import AuditEntry

    before = (AuditEntry.objects.count(), stored_files(settings))
    client.force_login(reviewed.city.user(who))
    response = _request(client, method, _url(template, reviewed), failing_model)
    assert response.status_code == 404
    assert "对您的单位不可见" in response.content.decode()
    assert (AuditEntry.objects.count(), stored_files(settings)) == before


def test_project_page_shows_the_1_2_n_team_and_buildings(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("contractor_a"))
    page = client.get(f"/projects/{reviewed.city.project_a.id}/").content.decode()
    for name in ("A 建工", "A 设计院", "A 构件厂", "A 数字", "A 置业", "A 审图中心", "1#楼", "工程总承包（EPC，核心）"):
        assert name in page
    assert "新建送审" not in page  # the contractor cannot create submissions


def test_submission_page_lists_findings_with_messages(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("reviewer_a"))
    page = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert reviewed.finding_a.rule_id in page and reviewed.finding_a.message_zh in page
    assert "审查中" in page
    english = client.get(f"/submissions/{reviewed.submission_a.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "审查中" in english  # a browser preferring English still gets the Chinese interface
    client.cookies["django_language"] = "en"  # what the language switcher sets
    english = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert reviewed.finding_a.message_en in english and "In review" in english


def test_the_language_switcher_sets_english(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    assert "审查队列" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Review queue" in response.content.decode()


def test_the_queue_puts_rounds_with_new_or_changed_findings_first(
    client: Any, reviewed: Reviewed, models_dir: Path, submit_model: Any
) -> None:
    from tests.integration.platform.conftest import revise_model
    from zhijian.apps.review import services

    designer, reviewer = reviewed.city.user("designer_a"), reviewed.city.user("reviewer_a")
    services.transition_submission(reviewer, reviewed.submission_a.id, "return", "主卧面积不足")
    worse = revise_model(reviewed.model_a.file.path, models_dir / "worse.ifc", area_m2=8.1)
    submit_model(designer, reviewed.submission_a, worse)
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    queue = page[page.index("<tbody>"):page.index("</tbody>")]
    assert queue.index("A 1#楼") < queue.index("A 2#楼") if "A 2#楼" in queue else True
    first_row = queue[queue.index("<tr"):queue.index("</tr>")]
    assert 'class="delta"' in first_row and "A 1#楼" in first_row and "change-changed" in first_row
    diff = client.get(f"/rounds/{reviewed.submission_a.rounds.get(number=2).id}/diff/").content.decode()
    assert "变化" in diff and "-0.80" in diff


def test_login_works_and_is_rate_limited(client: Any, reviewed: Reviewed, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    assert client.post("/accounts/login/", {"username": "designer_a", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": "designer_a", "password": "wrong"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "designer_a", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.content.decode()


def test_logout_is_a_post(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_pages_post_need_the_csrf_token(reviewed: Reviewed) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewed.city.user("reviewer_a"))
    response = client.post(f"/submissions/{reviewed.submission_a.id}/transition/", {"action": "approve"})
    assert response.status_code == 403


def test_download_page_serves_the_stored_file(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("reviewer_a"))
    response = client.get(f"/models/{reviewed.model_a.id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"ISO-10303-21")


def test_draft_upload_and_submit_through_the_pages(
    client: Any, reviewed: Reviewed, failing_model: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    created = client.post(f"/projects/{reviewed.city.project_a.id}/submissions/new/", {"title": "3#楼"})
    assert created.status_code == 302
    url = created["Location"]
    with failing_model.open("rb") as handle:
        assert client.post(url + "upload/", {"file": handle}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url + "transition/", {"action": "submit"}).status_code == 302
    page = client.get(url).content.decode()
    assert "审查中" in page and "GB50096-2011-5.2.1" in page


def test_the_opinion_letter_in_html_and_pdf(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    html = client.get(f"/rounds/{reviewed.decided_round_a.id}/letter/")
    assert html.status_code == 200
    text = html.content.decode()
    assert "施工图设计文件审查意见告知书" in text and "A-001-YJ01-" in text
    assert "主卧使用面积不足" in text and reviewed.city.orgs["agency_a"].uscc in text
    pdf = client.get(f"/rounds/{reviewed.decided_round_a.id}/letter.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/rounds/{reviewed.round_a.id}/letter/").status_code == 404  # not decided yet


def test_a_letter_the_domain_refuses_is_shown_plain_with_mandatory_violations_apart(
    client: Any, reviewed: Reviewed
) -> None:
    from zhijian.apps.review.models import Finding

    round_ = reviewed.decided_round_a
    check_run = round_.check_run
    check_run.report = {**check_run.report, "findings": []}  # returned for reasons outside the model
    check_run.save(update_fields=["report"])
    findings = list(Finding.objects.filter(check_run=check_run).order_by("ordinal"))
    assert any(f.mandatory and not f.advisory for f in findings)
    client.force_login(reviewed.city.user("designer_a"))
    html = client.get(f"/rounds/{round_.id}/letter/")
    assert html.status_code == 200
    mandatory, general = html.context["mandatory"], html.context["general"]
    assert mandatory == [f for f in findings if f.mandatory and not f.advisory]
    assert general == [f for f in findings if not (f.mandatory and not f.advisory)]
    assert html.context["note"] and html.context["project"] == round_.submission.project
    text = html.content.decode()
    assert f"违反强制性条文 ({len(mandatory)})" in text and mandatory[0].message_zh in text
    assert client.get(f"/rounds/{round_.id}/letter.pdf").status_code == 409


def test_the_opinion_letter_in_english_when_english_is_chosen(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    url = f"/rounds/{reviewed.decided_round_a.id}/letter/"
    assert "施工图设计文件审查意见告知书" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"  # what the language switcher sets
    text = client.get(url).content.decode()
    assert "Construction drawing review: notice of review opinions" in text and "施工图设计文件审查意见告知书" not in text


@pytest.mark.parametrize(("language", "english", "short"),
                         [("zh-hans", False, "zh"), ("en", True, "en"), ("en-us", True, "en"), (None, False, "zh")])
def test_the_active_language_is_english_or_chinese(language: str | None, english: bool, short: str) -> None:
    from django.utils import translation

    from zhijian.apps.common.locale import is_english, short_language

    with translation.override(language):
        assert (is_english(), short_language()) == (english, short)


def test_the_letter_through_the_api(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    url = f"/api/v1/rounds/{reviewed.decided_round_a.id}/letter"
    assert "Construction drawing review" in client.get(url + "?lang=en", **headers).content.decode()
    assert client.get(url + "?format=pdf", **headers).content.startswith(b"%PDF")
    assert client.get(url + "?format=docx", **headers).json()["code"] == "invalid"
    assert client.get(f"/api/v1/rounds/{reviewed.round_a.id}/letter", **headers).status_code == 404


def test_the_submission_page_shows_the_model_in_3d_when_the_viewer_is_built(client: Any, reviewed: Reviewed) -> None:
    from django.contrib.staticfiles import finders

    if not finders.find("viewer/zhijian-viewer.js"):
        pytest.skip("the 3D viewer is not built (make frontend)")
    client.force_login(reviewed.city.user("reviewer_a"))
    page = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert "data-zhijian-viewer" in page and "viewer/zhijian-viewer.js" in page
    assert f'data-model-url="/models/{reviewed.model_a.id}/download/"' in page
    assert f'data-findings-url="/rounds/{reviewed.round_a.id}/report.json"' in page
    assert f'data-guid="{reviewed.finding_a.guid}"' in page
    report = client.get(f"/rounds/{reviewed.round_a.id}/report.json")
    assert report.status_code == 200 and report.json()["report_version"] == 1
