"""The review queue, the findings page and the findings API make a fixed number of database
queries, however many submissions, rounds and findings the city holds (the web benchmark's
three endpoints; ``benchmarks/web.py`` measures their latency). Counting queries is machine
independent, so a new N+1 fails here, not only as a slower benchmark."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from zhijian.apps.review.models import Finding, Round, Submission
from zhijian.apps.review.scale import CODE_PREFIX, scale_review_city

pytestmark = pytest.mark.django_db

FINDINGS_PAGE_MAX_QUERIES = 13
QUEUE_MAX_QUERIES = 15  # session, user, tenancy, submissions, rounds, facts, blocking, counts, recent …


def count_queries(client: Any, path: str, **headers: Any) -> tuple[int, Any]:
    client.get(path, **headers)  # warm: the first request may load translations, content types …
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), response


def with_rounds(user: Any, n: int) -> Submission:
    """One of the user's scaled submissions in review with ``n`` rounds."""
    found = (
        Submission.objects.restrict(user).filter(project__code__startswith=CODE_PREFIX, state="in_review")
        .annotate(n=Count("rounds")).filter(n=n).order_by("id").first()
    )
    assert found is not None, f"no submission in review with {n} rounds"
    return found


@pytest.mark.parametrize("username", ["reviewer_a", "bureau"])
def test_review_queue_queries_do_not_grow_with_the_city(reviewed: Any, client: Any, username: str) -> None:
    user = reviewed.city.user(username)
    client.force_login(user)
    scale_review_city(1)
    small, page = count_queries(client, "/")
    queued_small = page.context["queue"]
    scale_review_city(12)  # 12 projects, 24 submissions, about 40 rounds, findings in each
    large, page = count_queries(client, "/")
    queued_large = page.context["queue"]
    assert len(queued_large) > len(queued_small)  # the user does see the new rows
    assert any(item.round is not None and item.round.number > 1 for item in queued_large)
    assert large == small, f"the review queue made {small} queries for {len(queued_small)} rows, {large} for {len(queued_large)}"
    assert large <= QUEUE_MAX_QUERIES


def whole_queue(client: Any, sort: str = "") -> list[Any]:
    items, number = [], 1
    while True:
        page = client.get("/", {"page": number, "sort": sort}).context["queue_page"]
        items += page.items
        if not page.has_next:
            return items
        number += 1


def test_queue_counts_match_the_round_diff(reviewed: Any, client: Any) -> None:
    """The batched queue reports what the round diff of each submission says (new, changed …)."""
    from zhijian.apps.review.selectors import diff_for_round

    bureau = reviewed.city.user("bureau")
    client.force_login(bureau)
    scale_review_city(6)
    checked = [item for item in whole_queue(client) if item.round and item.round.check_run.status == "done"]
    assert any(item.counts["resolved"] for item in checked)
    for item in checked:
        assert item.counts == diff_for_round(item.round).diff.counts
        blocking = Finding.objects.filter(check_run__round=item.round, mandatory=True, advisory=False,
                                          waiver__isnull=True).count()
        assert item.blocking == blocking


@pytest.mark.parametrize("username", ["reviewer_a", "bureau"])
def test_findings_page_and_api_queries_do_not_grow_with_rounds_or_findings(
    reviewed: Any, client: Any, token_for: Any, username: str
) -> None:
    user = reviewed.city.user(username)
    scale_review_city(24)  # 24 projects over 6 review agencies and 7 stories: each agency has 2- and 3-round ones
    # Round 2 against round 3 (a first round has no previous round to read: one query less).
    two, three = with_rounds(user, 2), with_rounds(user, 3)
    client.force_login(user)
    page_two, _ = count_queries(client, f"/submissions/{two.id}/")
    page_three, response = count_queries(client, f"/submissions/{three.id}/")
    assert len(response.context["findings"]) > 0
    assert page_three == page_two, f"findings page: {page_two} queries with 2 rounds, {page_three} with 3"
    # session, user, memberships (once for restrict() and the capacities), submission, team, rounds ×2,
    # findings, facts, assignments, reviewers (agencies as a subquery), comments, versions
    assert page_two <= FINDINGS_PAGE_MAX_QUERIES, page_two

    headers = token_for(user)
    rounds = sorted(Round.objects.filter(submission=three), key=lambda r: -r.check_run.findings.count())
    many, few = rounds[0], rounds[-1]
    api_many, response = count_queries(client, f"/api/v1/rounds/{many.id}/findings?limit=500", **headers)
    assert response.json()["count"] == many.check_run.findings.count() > 1
    api_few, _ = count_queries(client, f"/api/v1/rounds/{few.id}/findings?limit=1", **headers)
    assert api_many == api_few, f"findings API: {api_few} queries for one finding, {api_many} for all"


def test_scaling_adds_only_missing_copies_and_refuses_a_negative_count(reviewed: Any) -> None:
    first = scale_review_city(3)
    assert (first.copies, first.added) == (3, 3)
    assert first.rows["projects"] == 3 and first.rows["submissions"] == 6 and first.rows["findings"] > 0
    again = scale_review_city(3)
    assert (again.copies, again.added, again.rows) == (3, 0, {})
    assert Submission.objects.filter(project__code__startswith=CODE_PREFIX).count() == 6
    with pytest.raises(ValueError, match="negative"):
        scale_review_city(-1)
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", scale=-1)


def test_the_queue_is_paged_in_order_with_the_same_queries_on_every_page(reviewed: Any, client: Any) -> None:
    from zhijian.apps.review.selectors import QUEUE_PAGE_SIZE

    bureau = reviewed.city.user("bureau")
    client.force_login(bureau)
    scale_review_city(40)  # about 60 submissions waiting: three pages
    waiting = set(Submission.objects.filter(state__in=["submitted", "checking", "in_review"]).values_list("id", flat=True))
    assert len(waiting) > 2 * QUEUE_PAGE_SIZE
    first, response = count_queries(client, "/")
    page = response.context["queue_page"]
    assert (page.number, page.total, len(page.items)) == (1, len(waiting), QUEUE_PAGE_SIZE)
    assert page.pages == -(-len(waiting) // QUEUE_PAGE_SIZE) and 'rel="next"' in response.content.decode()
    second, response = count_queries(client, "/?page=2")
    assert second == first
    for sort in ("", "deadline"):
        items = whole_queue(client, sort)
        assert {item.submission.id for item in items} == waiting
        assert len(items) == len(waiting)  # each once
    delta = [item.has_delta for item in whole_queue(client)]
    assert any(delta) and delta == sorted(delta, reverse=True)  # rounds with a delta first, across pages
    # A page out of range is the last one; one that is not a number, the first.
    assert client.get("/?page=999").context["queue_page"].number == page.pages
    assert client.get("/?page=x").context["queue_page"].number == 1


def test_seed_demo_scales_and_prints_the_login_url_of_the_host_given(world: Any, db: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", host="0.0.0.0:9000", scale=2, stdout=out)
    text = out.getvalue()
    assert "Demo logins (http://0.0.0.0:9000/accounts/login/):" in text and "8000" not in text
    assert "Scaled copies of the review story: 2 (added 2:" in text
    assert Submission.objects.filter(project__code__startswith=CODE_PREFIX).count() == 4
