"""Concurrent decisions (threads, each with its own database connection) draw distinct,
consecutive letter numbers from the agency's counter: the row lock of the ``F()`` update
orders them, and the unique constraint on the round would refuse a number issued twice."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tests.integration.platform.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)

DECISIONS = 6


def _in_review(city: Any, n: int) -> list[Any]:
    """``n`` submissions of project A in review (rows written directly: no check to run)."""
    from zhijian.apps.review.models import ModelVersion, Round, Submission

    designer = city.user("designer_a")
    submissions = []
    for i in range(n):
        submission = Submission.objects.create(project=city.project_a, title=f"并发 {i}", state="in_review",
                                               created_by=designer)
        version = ModelVersion.objects.create(
            submission=submission, sequence=1, file=f"models/{submission.id}/m.ifc", original_name="m.ifc",
            size_bytes=1, sha256="0" * 64, schema="IFC4", schema_family="IFC4", uploaded_by=designer,
        )
        Round.objects.create(submission=submission, number=1, model_version=version, submitted_by=designer)
        submissions.append(submission)
    return submissions


def test_concurrent_decisions_get_distinct_consecutive_numbers(world: dict[str, Any]) -> None:
    from django.db import connection

    from tests.integration.platform.conftest import build_city, load_city
    from zhijian.apps.accounts.models import Organization
    from zhijian.apps.review import services
    from zhijian.apps.review.models import LetterCounter, Round

    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are PostgreSQL's; run with ZHIJIAN_DB=postgres")
    exists = Organization.objects.filter(id=world["orgs"]["owner_a"]).exists()
    city = load_city(world if exists else build_city())
    agency = city.orgs["agency_a"]
    before = sum(LetterCounter.objects.filter(agency=agency, kind="opinion").values_list("last_serial", flat=True))
    submissions = _in_review(city, DECISIONS)
    reviewer = city.user("reviewer_a")

    def decide(submission_id: Any) -> None:
        services.transition_submission(reviewer, submission_id, "return", "请修改")

    run_together(*(functools.partial(decide, s.id) for s in submissions))
    rounds = list(Round.objects.filter(submission__in=submissions))
    serials = sorted(r.letter_serial for r in rounds)
    assert serials == list(range(before + 1, before + DECISIONS + 1))
    assert len({r.letter_number for r in rounds}) == DECISIONS
    year = rounds[0].letter_year
    assert LetterCounter.objects.get(agency=agency, kind="opinion", year=year).last_serial == before + DECISIONS
