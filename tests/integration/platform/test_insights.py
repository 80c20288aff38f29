"""The city statistics dashboard and its API: the authority counts the whole city, anyone else
only their organisations' projects; anonymous users are sent to log in (401 on the API); bad
filters are a 422 problem. Expected numbers are counted from the rows the fixtures stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.platform.conftest import City, Reviewed

URL = "/api/v1/insights/city"
pytestmark = pytest.mark.django_db


def _states(data: dict[str, Any]) -> dict[str, int]:
    return {row["state"]: row["count"] for row in data["review"]["by_state"] if row["count"]}


def _mandatory_round1(**where: Any) -> int:
    from zhijian.apps.review.models import Finding

    return Finding.objects.filter(check_run__round__number=1, status="fail", mandatory=True, **where).count()


def test_the_authority_counts_the_whole_city(reviewed: Reviewed, login: Any) -> None:
    client = login(reviewed.city.user("bureau"))
    response = client.get(URL)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["scope"] == "city"
    # A: in review, draft, returned; B: in review
    assert _states(data) == {"draft": 1, "in_review": 2, "returned": 1}
    review = data["review"]
    assert review["submissions"] == 4
    assert review["first_pass"] == {"decided": 1, "approved": 0, "rate": 0.0}  # A 3#楼 returned in round 1
    assert review["review_time"]["rounds"] == 1 and review["review_time"]["median_hours"] == 0
    assert review["mandatory"]["checked_submissions"] == 3
    assert review["mandatory"]["failed"] == _mandatory_round1()
    findings = sum(s["failed"] for s in review["by_standard"])
    from zhijian.apps.review.models import Finding

    assert findings == Finding.objects.filter(check_run__round__number=1, status="fail").count() > 0
    assert review["top_rules"][0]["failed"] >= review["top_rules"][-1]["failed"]
    assert {d["district"] for d in review["districts"]} == {""}  # the test projects have no district
    months = review["months"]
    assert sum(m["submitted"] for m in months) == 3 and sum(m["approved"] for m in months) == 0
    assert data["labels"]["states"]["in_review"]


def test_a_designer_counts_only_their_organisations_projects(reviewed: Reviewed, login: Any) -> None:
    data = login(reviewed.city.user("designer_b")).get(URL).json()
    assert data["scope"] == "organisations"
    assert _states(data) == {"in_review": 1}
    assert data["review"]["first_pass"]["decided"] == 0 and data["review"]["first_pass"]["rate"] is None
    assert data["review"]["mandatory"]["failed"] == _mandatory_round1(check_run__round__submission__project__code="B-001")
    outsider = login(reviewed.city.user("outsider")).get(URL).json()
    assert outsider["review"]["submissions"] == 0 and outsider["review"]["by_standard"] == []


def test_an_approval_counts_as_first_pass_with_its_review_time(reviewed: Reviewed, login: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from zhijian.apps.review.models import Round, Submission

    # Stored as the review service stores an approval (the workflow itself is tested elsewhere),
    # the round submitted 30 hours before its decision.
    now = timezone.now()
    Round.objects.filter(id=reviewed.round_a.id).update(
        decision="approved", decided_by=reviewed.city.user("reviewer_a"), decided_at=now,
        submitted_at=now - dt.timedelta(hours=30, minutes=5))
    Submission.objects.filter(id=reviewed.submission_a.id).update(state="approved")
    data = login(reviewed.city.user("bureau")).get(URL).json()["review"]
    assert data["first_pass"] == {"decided": 2, "approved": 1, "rate": 0.5}
    assert data["approved"] == 1 and data["mean_rounds_to_approval"] == 1.0
    assert data["review_time"]["rounds"] == 2
    assert data["review_time"]["p90_hours"] == 30  # of 0 h (the return) and 30 h
    assert sum(m["approved"] for m in data["months"]) == 1


def test_filters_narrow_the_counts(reviewed: Reviewed, login: Any) -> None:
    client = login(reviewed.city.user("bureau"))
    assert client.get(URL, {"district": "furong"}).json()["review"]["submissions"] == 0
    assert client.get(URL, {"from": "2001-01", "to": "2001-12"}).json()["review"]["submissions"] == 0
    future = client.get(URL, {"from": "2001-01-01"}).json()
    assert future["review"]["submissions"] == 4 and future["filters"]["from"] == "2001-01-01"


@pytest.mark.parametrize(("query", "reason"), [
    ({"district": "gotham"}, "unknown district"),
    ({"from": "2026-13-01"}, "YYYY-MM-DD"),
    ({"from": "2026-03-01", "to": "2026-02-01"}, "after"),
])
def test_bad_filters_are_a_422_problem(city: City, login: Any, query: dict[str, str], reason: str) -> None:
    client = login(city.user("bureau"))
    response = client.get(URL, query)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_filter" and reason in body["detail"]
    page = client.get("/insights/", query)
    assert page.status_code == 422 and reason in page.content.decode()


def test_anonymous_users_must_log_in(client: Any, city: City) -> None:
    response = client.get(URL)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    page = client.get("/insights/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_the_page_shows_the_numbers_as_tables(reviewed: Reviewed, login: Any) -> None:
    client = login(reviewed.city.user("bureau"))
    html = client.get("/insights/").content.decode()
    assert "城市统计" in html and 'data-chart="states"' in html and 'data-table="rules"' in html
    assert 'data-kpi="first_pass_rate">0.0%' in html
    assert "charts/zhijian-charts.js" in html and "/api/v1/insights/city" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/insights/"})
    english = client.get("/insights/").content.decode()
    assert "City statistics" in english and "First-pass approval rate" in english


def test_the_dashboard_catalog_is_translated_and_compiled() -> None:
    import gettext
    from pathlib import Path

    from tests.integration.platform.test_settings_and_commands import _po_catalog
    from zhijian.apps import insights

    locale = Path(insights.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
    source = _po_catalog(locale / "django.po")
    assert source and all(source.values()), [k for k, v in source.items() if not v]
    with (locale / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert {k: v for k, v in source.items() if compiled.gettext(k) != v} == {}


def test_the_same_queries_however_large_the_city(reviewed: Reviewed, login: Any, settings: Any) -> None:
    """GROUP BY queries, never a query per row: the count does not move when the city grows."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from zhijian.apps.review.scale import scale_review_city

    settings.INSIGHTS_CACHE_SECONDS = 0  # computed every time
    client = login(reviewed.city.user("bureau"))

    def count() -> tuple[int, int]:
        client.get(URL)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        return len(queries), response.json()["review"]["submissions"]

    small, submissions = count()
    scale_review_city(5)
    large, more = count()
    assert more == submissions + 10 and large == small > 10, (small, large)


def test_answers_are_cached_per_user(reviewed: Reviewed, login: Any) -> None:
    from zhijian.apps.review import services

    bureau = login(reviewed.city.user("bureau"))
    before = bureau.get(URL).json()["review"]["submissions"]
    services.create_submission(reviewed.city.user("designer_b"), project_id=reviewed.city.project_b.id, title="B 2#楼")
    assert bureau.get(URL).json()["review"]["submissions"] == before  # within INSIGHTS_CACHE_SECONDS
    designer = login(reviewed.city.user("designer_b"))  # another user: computed for them, never the bureau's
    assert designer.get(URL).json()["review"]["submissions"] == 2
