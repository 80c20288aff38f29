"""Derived data the review pages read instead of recomputing it per request: each round's diff
counts (stored when its check finishes, filled by migration 0004 for existing rounds) and the
whole-city answer of the tenancy check (cached on the user object, forgotten on a change)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhijian.apps.common.tenancy import sees_whole_city
from zhijian.apps.review import selectors
from zhijian.apps.review.models import Round, Submission
from zhijian.apps.review.scale import scale_review_city

pytestmark = pytest.mark.django_db


def fresh_counts() -> dict[Any, dict[str, int]]:
    """Every checked round's diff against its previous round, computed from the findings now."""
    return {r.id: selectors.diff_for_round(r).diff.counts
            for r in Round.objects.filter(check_run__status="done").select_related("check_run")}


def test_a_finished_check_stores_the_rounds_diff_counts(reviewed: Any) -> None:
    round_ = reviewed.submission_a.rounds.get()  # round 1, checked in-process by complete_check
    assert round_.check_run.findings.exists()
    assert round_.diff_counts == {"new": round_.check_run.findings.count(), "changed": 0, "still_open": 0,
                                  "resolved": 0}


def test_scaled_rounds_and_the_migration_store_what_the_diff_computes(reviewed: Any) -> None:
    scale_review_city(4)
    expected = fresh_counts()
    assert any(c["resolved"] or c["changed"] for c in expected.values())  # later rounds do differ
    assert {r.id: r.diff_counts for r in Round.objects.filter(id__in=expected)} == expected
    Round.objects.update(diff_counts=None)
    importlib.import_module("zhijian.apps.review.migrations.0004_round_diff_counts").forwards(apps, None)
    assert {r.id: r.diff_counts for r in Round.objects.filter(id__in=expected)} == expected


@pytest.mark.parametrize("username", ["reviewer_a", "bureau"])
def test_the_queue_is_the_same_with_stored_or_computed_counts(reviewed: Any, username: str) -> None:
    scale_review_city(6)
    user = reviewed.city.user(username)

    def queue() -> list[tuple[Any, Any, dict[str, int], int]]:
        return [(i.submission.id, i.round.id if i.round else None, i.counts, i.blocking)
                for i in selectors.review_queue_for(user, limit=1000)]

    stored = queue()
    assert any(item[2]["resolved"] or item[2]["changed"] for item in stored)
    Round.objects.update(diff_counts=None)
    assert queue() == stored


def test_the_whole_city_answer_is_asked_once_per_user_and_forgotten_on_a_change(reviewed: Any) -> None:
    from zhijian.apps.accounts.models import User

    bureau = User.objects.get(id=reviewed.city.user("bureau").id)
    assert Submission.objects.restrict(bureau).count() == 4
    with CaptureQueriesContext(connection) as queries:
        assert sees_whole_city(bureau)
    assert len(queries) == 0
    membership = bureau.memberships.get(role="authority")
    membership.organization.active = False
    membership.organization.save()
    assert not sees_whole_city(bureau)  # the same user object, the organisation now inactive
    assert Submission.objects.restrict(bureau).count() == 0
    membership.organization.active = True
    membership.organization.save()
    assert sees_whole_city(bureau)
