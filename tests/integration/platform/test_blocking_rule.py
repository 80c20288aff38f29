"""The rule "this finding blocks approval" exists twice: as a Python predicate (the domain's
``workflow.is_blocking``, and ``selectors.is_blocking`` over a stored finding) and as a database
filter (``selectors.BLOCKING``). Both are built from the domain's ``workflow.BLOCKING``; here they
are checked to agree on every combination of status, mandatory, advisory and waived."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed

pytestmark = pytest.mark.django_db

STATUSES = ("fail", "missing_data")  # every status a stored finding may have (finding_status_known)


def test_the_python_predicate_and_the_database_filter_agree_on_every_combination(reviewed: Reviewed) -> None:
    from zhijian.apps.review import selectors
    from zhijian.apps.review.models import Finding, Waiver
    from zhijian.domain.review import workflow

    check_run = reviewed.round_a.check_run
    reviewer = reviewed.city.user("reviewer_a")
    combinations = list(itertools.product(STATUSES, (False, True), (False, True), (False, True)))
    made: dict[Any, tuple[str, bool, bool, bool]] = {}
    for ordinal, (status, mandatory, advisory, waived) in enumerate(combinations, start=100_000):
        finding = Finding.objects.create(check_run=check_run, ordinal=ordinal, rule_id="test.blocking",
                                         rule_version="1", status=status, mandatory=mandatory, advisory=advisory)
        if waived:
            Waiver.objects.create(finding=finding, reason="combination under test", waived_by=reviewer)
        made[finding.id] = (status, mandatory, advisory, waived)

    read = Finding.objects.filter(id__in=made).select_related("waiver")
    by_filter = set(read.filter(selectors.BLOCKING).values_list("id", flat=True))
    by_predicate = {f.id for f in read if selectors.is_blocking(f)}
    by_domain = {id_ for id_, (status, mandatory, advisory, waived) in made.items()
                 if workflow.is_blocking(status, mandatory, advisory, waived)}
    assert by_filter == by_predicate == by_domain
    # Exactly the mandatory, not advisory, not waived findings block, whatever their status.
    assert sorted(made[id_] for id_ in by_filter) == [("fail", True, False, False), ("missing_data", True, False, False)]
    # A finding read without its waiver gives the same answer (the waiver is then a query away).
    assert {f.id for f in Finding.objects.filter(id__in=made) if selectors.is_blocking(f)} == by_filter
