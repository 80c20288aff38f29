"""Organisations (USCC), memberships, passwords, tokens, the tenant mechanism and the append-only audit log."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from tests.integration.platform.conftest import City, Reviewed

pytestmark = pytest.mark.django_db


def test_a_valid_uscc_is_accepted_and_a_bad_check_character_refused(city: City) -> None:
    from zhijian.apps.accounts import services
    from zhijian.apps.accounts.uscc import make_uscc
    from zhijian.apps.common.errors import InvalidInput

    good = make_uscc(987654, region="430104")
    org = services.register_organization(None, system="test", name="新企业", uscc=good, org_type="digital")
    assert org.uscc == good
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InvalidInput) as refused:
        services.register_organization(None, system="test", name="坏代码", uscc=bad, org_type="digital")
    assert "uscc" in refused.value.detail


def test_the_database_refuses_what_validation_would(city: City) -> None:
    from zhijian.apps.accounts.models import Organization

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="x", uscc="123", org_type="design")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="x", uscc="91430100000000019W", org_type="bank")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="x", uscc="91430100000000027P", org_type="design", latitude=28)


def test_a_weak_password_is_refused(city: City) -> None:
    from zhijian.apps.accounts import services
    from zhijian.apps.common.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.create_user(None, system="test", username="weak", password="12345678")
    assert refused.value.code == "weak_password"


def test_project_team_places_fit_organisation_types(city: City) -> None:
    from zhijian.apps.common.errors import Conflict, InvalidInput
    from zhijian.apps.projects import services

    with pytest.raises(InvalidInput):
        services.add_participant(None, city.project_a, city.orgs["design_b"], "epc")
    with pytest.raises(Conflict):
        services.add_participant(None, city.project_a, city.orgs["agency_b"], "review_agency")
    # N digital enterprises: more than one is fine.
    services.add_participant(None, city.project_a, city.orgs["lonely"], "digital")


def test_a_project_has_one_epc_core_even_against_the_database(city: City) -> None:
    from zhijian.apps.accounts import services as accounts
    from zhijian.apps.accounts.uscc import make_uscc
    from zhijian.apps.projects.models import ProjectParticipant

    other = accounts.register_organization(None, system="test", name="另一总包", uscc=make_uscc(55555),
                                           org_type="general_contractor")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectParticipant.objects.create(project=city.project_a, organization=other, role="epc")


def test_only_team_admins_change_the_team(city: City) -> None:
    from zhijian.apps.common.errors import Forbidden
    from zhijian.apps.projects import services

    with pytest.raises(Forbidden):
        services.add_participant(city.user("designer_a"), city.project_a, city.orgs["lonely"], "digital")
    services.add_participant(city.user("owner_a"), city.project_a, city.orgs["lonely"], "digital")


def test_restrict_is_the_one_mechanism(reviewed: Reviewed) -> None:
    from django.contrib.auth.models import AnonymousUser

    from zhijian.apps.common.tenancy import CHANGE
    from zhijian.apps.review.models import Finding, Submission

    city = reviewed.city
    assert set(Submission.objects.restrict(city.user("designer_b"))) == {reviewed.submission_b}
    assert not Submission.objects.restrict(AnonymousUser()).exists()
    assert not Finding.objects.restrict(city.user("outsider")).exists()
    assert Submission.objects.restrict(city.user("bureau")).count() == 4
    # The authority sees the city, but may change nothing through the restriction either.
    assert not Submission.objects.restrict(city.user("bureau"), CHANGE).exists()
    with pytest.raises(ValueError):
        Submission.objects.restrict(city.user("designer_a"), "delete")


def test_inactive_users_see_nothing(reviewed: Reviewed) -> None:
    from zhijian.apps.review.models import Submission

    user = reviewed.city.user("designer_a")
    user.is_active = False
    user.save()
    assert not Submission.objects.restrict(user).exists()


def test_the_audit_log_is_append_only_in_python(reviewed: Reviewed) -> None:
    from zhijian.apps.audit.models import AppendOnlyError, AuditEntry

    entry = AuditEntry.objects.first()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_audit_log_is_append_only_in_the_database(reviewed: Reviewed) -> None:
    from zhijian.apps.audit.models import AuditEntry

    entry = AuditEntry.objects.first()
    table = AuditEntry._meta.db_table
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = 'x' WHERE id = %s", [entry.pk.hex if connection.vendor == "sqlite" else entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])


def test_every_state_change_is_audited_with_who_when_from_to_why(reviewed: Reviewed) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review import services

    reviewer = reviewed.city.user("reviewer_a")
    services.transition_submission(reviewer, reviewed.submission_a.id, "return", "请补充净高")
    entry = AuditEntry.objects.filter(object_id=str(reviewed.submission_a.id)).order_by("-at").first()
    assert entry.action == "submission.return" and entry.actor == reviewer and entry.at is not None
    assert (entry.before, entry.after, entry.reason) == ({"state": "in_review"}, {"state": "returned"}, "请补充净高")
    assert entry.organization == reviewed.city.orgs["agency_a"] and entry.project == reviewed.city.project_a


def test_tokens_are_stored_hashed(reviewed: Reviewed) -> None:
    from zhijian.apps.accounts.models import ApiToken
    from zhijian.apps.accounts.services import issue_api_token, user_for_token

    token, raw = issue_api_token(reviewed.city.user("designer_a"), "ci")
    assert raw.startswith("zj_") and raw not in {token.key_hash, token.prefix}
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert user_for_token(raw) == reviewed.city.user("designer_a")
