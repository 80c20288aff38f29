"""Kept review pages (apps/common/page_cache.py): served again without reading the review
data, and never stale — every write to the tables they show, whichever way it is made, is
seen on the next request. Each test runs on a per-process cache and on Redis (production's)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.integration.platform.conftest import Reviewed
from tests.integration.platform.test_worker import _redis_reachable

REDIS_URL = "redis://127.0.0.1:6379/12"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(params=["locmem", "redis"])
def kept(request: pytest.FixtureRequest, settings: Any) -> None:
    from django.core.cache import cache

    if request.param == "redis":
        if not _redis_reachable(REDIS_URL):
            pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": REDIS_URL}}
    settings.PAGE_CACHE = True
    cache.clear()


def _review_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"review_' in q["sql"] or '"projects_' in q["sql"]]


def _main(html: str) -> str:
    """The page's content, without the header (whose language form returns to the URL asked for)."""
    return TOKEN.sub("", html.split("<main>", 1)[1])


def _row(html: str, marker: str) -> str:
    """The table row holding ``marker``."""
    return next(row for row in html.split("<tr") if marker in row)


def test_a_kept_page_is_served_without_reading_the_review_data(kept: None, reviewed: Reviewed) -> None:
    client = Client()
    client.force_login(reviewed.city.user("reviewer_a"))
    for path in ("/", f"/submissions/{reviewed.submission_a.id}/"):
        first = client.get(path).content.decode()
        with CaptureQueriesContext(connection) as again:
            second = client.get(path).content.decode()
        assert reviewed.submission_a.title in second
        # The submission page still reads the submission (tenancy, title); nothing else of review.
        assert len(_review_queries(again)) == (0 if path == "/" else 1), _review_queries(again)
        assert TOKEN.sub("", first) == TOKEN.sub("", second)


def test_a_service_write_is_seen_on_the_next_request(
    kept: None, reviewed: Reviewed, django_capture_on_commit_callbacks: Any
) -> None:
    """Each test runs in a transaction rolled back at its end: the writes' commits are played
    by running their on-commit callbacks."""
    from zhijian.apps.review import services

    client = Client()
    reviewer = reviewed.city.user("reviewer_a")
    client.force_login(reviewer)
    page = f"/submissions/{reviewed.submission_a.id}/"
    assert "请补充面积说明" not in client.get(page).content.decode()
    assert "state-in_review" in _row(client.get("/").content.decode(), str(reviewed.submission_a.id))
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(reviewer, reviewed.round_a.id, "请补充面积说明", finding_id=reviewed.finding_a.id)
    assert "请补充面积说明" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_submission(reviewer, reviewed.submission_a.id, "return", "面积不足")
    assert "state-returned" in _row(client.get("/").content.decode(), str(reviewed.submission_a.id))


def test_a_write_that_bypasses_the_services_is_seen_too(
    kept: None, reviewed: Reviewed, django_capture_on_commit_callbacks: Any
) -> None:
    from zhijian.apps.common import page_cache
    from zhijian.apps.review.models import Submission

    client = Client()
    client.force_login(reviewed.city.user("reviewer_a"))
    client.get("/")
    version = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():  # rolled back: nothing to see, no bump
        Submission.objects.filter(id=reviewed.submission_a.id).update(title="回滚的标题")
        raise RuntimeError
    assert not callbacks and page_cache.data_version() == version
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Submission.objects.filter(id=reviewed.submission_a.id).update(title="改过的标题")  # no signals, no service
        Submission.objects.filter(id=reviewed.submission_a.id).update(title="改过的标题")
    assert len(callbacks) == 1  # one bump a transaction
    assert page_cache.data_version() > version
    assert "改过的标题" in _row(client.get("/").content.decode(), str(reviewed.submission_a.id))
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:  # raw SQL as well
        cursor.execute('UPDATE "review_submission" SET title = %s WHERE id = %s',
                       ["再改的标题", reviewed.submission_a.id.hex if connection.vendor == "sqlite"
                        else reviewed.submission_a.id])
    assert "再改的标题" in _row(client.get("/").content.decode(), str(reviewed.submission_a.id))


def test_each_user_and_language_has_its_own_page(kept: None, reviewed: Reviewed) -> None:
    a, b = Client(), Client()
    a.force_login(reviewed.city.user("reviewer_a"))
    b.force_login(reviewed.city.user("reviewer_b"))
    assert str(reviewed.submission_a.id) in a.get("/").content.decode()
    page_b = b.get("/").content.decode()
    assert str(reviewed.submission_a.id) not in page_b and str(reviewed.submission_b.id) in page_b
    assert "审查队列" in a.get("/").content.decode()
    a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = a.get("/").content.decode()
    assert "Review queue" in english and "审查队列" not in english


def test_forms_of_a_kept_page_carry_the_sessions_own_csrf_token(
    kept: None, reviewed: Reviewed, django_capture_on_commit_callbacks: Any
) -> None:
    """Two browsers of one reviewer: the second is served the page the first built, and its
    forms post with the second browser's token."""
    from zhijian.apps.common.page_cache import CSRF_PLACEHOLDER

    reviewer = reviewed.city.user("reviewer_a")
    page = f"/submissions/{reviewed.submission_a.id}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(reviewer)
    second.force_login(reviewer)
    first.get(page)
    html = second.get(page).content.decode()
    assert CSRF_PLACEHOLDER not in html
    token = TOKEN.search(html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(f"/rounds/{reviewed.round_a.id}/comments/", {
            "body": "第二个浏览器的意见", "finding_id": reviewed.finding_a.id, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.status_code
    assert "第二个浏览器的意见" in first.get(page).content.decode()
    forged = second.post(f"/rounds/{reviewed.round_a.id}/comments/", {
        "body": "伪造", "finding_id": reviewed.finding_a.id, "csrfmiddlewaretoken": CSRF_PLACEHOLDER})
    assert forged.status_code == 403


def test_using_an_api_token_does_not_empty_the_cache(
    kept: None, reviewed: Reviewed, django_capture_on_commit_callbacks: Any, token_for: Any
) -> None:
    """A token's last use is stamped once a minute: with every scanner of the city doing so, a
    bump per stamp would leave nothing kept."""
    from zhijian.apps.accounts.models import ApiToken
    from zhijian.apps.common import page_cache

    with django_capture_on_commit_callbacks(execute=True):  # committed, as a token issued earlier would be
        headers = token_for(reviewed.city.user("reviewer_a"))
        ApiToken.objects.update(last_used_at=None)
    version = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().get(f"/api/v1/rounds/{reviewed.round_a.id}/findings", **headers)
    assert response.status_code == 200
    assert ApiToken.objects.filter(last_used_at__isnull=False).exists()  # the stamp was written
    assert page_cache.data_version() == version


def test_a_new_release_does_not_serve_the_last_ones_pages(
    kept: None, reviewed: Reviewed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept markup belongs to the code and templates that made it: after a release (a new digest
    of the package's files) the page is built again, not served with the old markup."""
    from zhijian.apps.common import page_cache

    client = Client()
    client.force_login(reviewed.city.user("reviewer_a"))
    client.get("/")
    assert len(page_cache.release()) == 16
    monkeypatch.setattr(page_cache, "release", lambda: "the-next-release")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert _review_queries(queries), "the page was served from the last release's fragment"


def test_only_queue_pages_that_exist_are_kept(kept: None, reviewed: Reviewed) -> None:
    """``?page=`` is the client's: a number past the last page shows the last page, built each
    time, so that a client counting upwards cannot fill the cache."""
    client = Client()
    client.force_login(reviewed.city.user("reviewer_a"))
    last = client.get("/").content.decode()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            far = client.get("/?page=4321").content.decode()
        assert _review_queries(queries), "a page past the last one was kept"
        assert _main(far) == _main(last)  # the last (here the only) page
    with CaptureQueriesContext(connection) as queries:
        client.get("/?page=1")
    assert not _review_queries(queries)  # page 1 exists and was kept
