"""The review agency admin's page of its members: reviewers' disciplines and may-check flags,
edited as one table form through the service the API uses, audited, and only theirs to see."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.platform.conftest import PASSWORD, City

pytestmark = pytest.mark.django_db


def _url(city: City, org: str = "agency_a") -> str:
    return f"/agencies/{city.orgs[org].id}/reviewers/"


def _reviewer(city: City, username: str) -> Any:
    from zhijian.apps.accounts.models import Membership

    return Membership.objects.get(user=city.user(username), role="reviewer")


def _table(*rows: tuple[Any, list[str], bool]) -> dict[str, Any]:
    """The table form as the page posts it: each reviewer row's id, ticked disciplines and may-check box."""
    body: dict[str, Any] = {"reviewer": [str(m.id) for m, _, _ in rows]}
    for membership, disciplines, may_check in rows:
        body[f"disciplines-{membership.id}"] = disciplines
        if may_check:
            body[f"may_check-{membership.id}"] = "on"
    return body


def _qualifications(*memberships: Any) -> list[tuple[list[str], bool]]:
    for m in memberships:
        m.refresh_from_db()
    return [(list(m.disciplines), m.may_check) for m in memberships]


def test_the_agency_admin_sees_the_members_with_roles_disciplines_and_may_check(client: Any, city: City) -> None:
    from zhijian.apps.review.services import declare_disciplines

    reviewer = _reviewer(city, "reviewer_a")
    declare_disciplines(city.user("agency_admin_a"), reviewer, ["structure"], may_check=False)
    client.force_login(city.user("agency_admin_a"))
    response = client.get(_url(city))
    assert response.status_code == 200
    page = response.content.decode()
    assert "审查人员及资格" in page and city.orgs["agency_a"].name in page and "data-membership=" in page
    for name in ("reviewer_a", "checker_a", "agency_admin_a"):
        assert name in page
    assert "单位管理员" in page and "审查人员" in page  # the roles
    assert "reviewer_b" not in page  # another agency's reviewer
    rows = {m["membership"].user.username: m for m in response.context["members"]}
    assert rows["reviewer_a"]["held"] == {"structure"} and rows["reviewer_a"]["is_reviewer"]
    assert not rows["agency_admin_a"]["is_reviewer"]
    # reviewer_a's structure box is ticked, architecture is not; checker_a's may-check box is ticked.
    assert f'name="disciplines-{reviewer.id}" value="structure" checked' in page
    assert f'name="disciplines-{reviewer.id}" value="architecture">' in page
    assert f'name="may_check-{reviewer.id}">' in page
    assert f'name="may_check-{_reviewer(city, "checker_a").id}" checked' in page


def test_the_admin_edits_a_reviewers_disciplines_and_it_is_stored_and_audited(client: Any, city: City) -> None:
    from zhijian.apps.audit.models import AuditEntry

    reviewer, checker = _reviewer(city, "reviewer_a"), _reviewer(city, "checker_a")
    checker_before = _qualifications(checker)[0]
    entries = AuditEntry.objects.filter(action="membership.disciplines")
    checker_entries = entries.filter(object_id=str(checker.id)).count()
    client.force_login(city.user("agency_admin_a"))
    response = client.post(_url(city), _table((reviewer, ["fire", "architecture"], True),
                                              (checker, *checker_before)), follow=True)
    assert response.redirect_chain == [(_url(city), 302)]
    assert "已保存 1 名审查人员的资格。" in response.content.decode()
    assert _qualifications(reviewer, checker) == [(["architecture", "fire"], True), checker_before]
    entry = entries.filter(object_id=str(reviewer.id)).latest("at")
    assert entry.actor == city.user("agency_admin_a") and entry.organization_id == city.orgs["agency_a"].id
    assert entry.after == {"disciplines": ["architecture", "fire"], "may_check": True}
    assert entry.before["may_check"] is False and len(entry.before["disciplines"]) > 2
    # The unchanged row is neither written nor audited; saving the same table again changes nothing.
    assert entries.filter(object_id=str(checker.id)).count() == checker_entries
    count = entries.count()
    again = client.post(_url(city), _table((reviewer, ["architecture", "fire"], True)), follow=True)
    assert "没有改动。" in again.content.decode() and entries.count() == count


def test_unticking_everything_clears_a_reviewers_disciplines(client: Any, city: City) -> None:
    reviewer = _reviewer(city, "checker_a")
    client.force_login(city.user("agency_admin_a"))
    assert client.post(_url(city), _table((reviewer, [], False))).status_code == 302
    assert _qualifications(reviewer) == [([], False)]


def test_an_unknown_discipline_is_refused_with_the_reason_and_nothing_changes(client: Any, city: City) -> None:
    from zhijian.apps.audit.models import AuditEntry

    reviewer, checker = _reviewer(city, "reviewer_a"), _reviewer(city, "checker_a")
    before, entries = _qualifications(reviewer, checker), AuditEntry.objects.count()
    client.force_login(city.user("agency_admin_a"))
    # The first row is valid and comes first: it is not kept either (all rows or none).
    response = client.post(_url(city), _table((reviewer, ["fire"], True), (checker, ["structure", "astrology"], True)))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-code="unknown_discipline"' in page and "checker_a：未知的审查专业：astrology。" in page
    assert _qualifications(reviewer, checker) == before and AuditEntry.objects.count() == entries
    client.cookies["django_language"] = "en"
    english = client.post(_url(city), _table((checker, ["astrology"], False))).content.decode()
    assert "checker_a: Unknown review discipline: astrology." in english


@pytest.mark.parametrize("whose", ["agency_admin_a", "reviewer_b", "not-a-uuid"])
def test_only_the_agencys_reviewer_rows_are_accepted(client: Any, city: City, whose: str) -> None:
    from zhijian.apps.accounts.models import Membership

    target = "not-a-uuid" if whose == "not-a-uuid" else str(Membership.objects.get(user=city.user(whose)).id)
    reviewer = _reviewer(city, "reviewer_a")
    before = _qualifications(reviewer, _reviewer(city, "reviewer_b"))
    client.force_login(city.user("agency_admin_a"))
    response = client.post(_url(city), {"reviewer": [str(reviewer.id), target], f"disciplines-{reviewer.id}": ["fire"],
                                        f"disciplines-{target}": ["fire"]})
    assert response.status_code == 422 and 'data-code="not_a_reviewer"' in response.content.decode()
    assert _qualifications(reviewer, _reviewer(city, "reviewer_b")) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reviewer_a", 403),  # a member of the agency, not its admin
        ("checker_a", 403),
        ("designer_a", 403),  # the design institute shares project A with the agency
        ("bureau", 403),  # the housing authority sees the whole city, and changes nothing
        ("designer_b", 404),  # organisation B's people do not see agency A at all
        ("reviewer_b", 404),
        ("outsider", 404),  # an organisation admin, of an organisation in no project
    ],
)
def test_others_cannot_see_or_post_to_the_page(client: Any, city: City, who: str, status: int) -> None:
    from zhijian.apps.audit.models import AuditEntry

    reviewer = _reviewer(city, "reviewer_a")
    before, entries = _qualifications(reviewer), AuditEntry.objects.count()
    client.force_login(city.user(who))
    page = client.get(_url(city))
    assert page.status_code == status and "data-membership=" not in page.content.decode()
    assert client.post(_url(city), _table((reviewer, ["fire"], True))).status_code == status
    assert _qualifications(reviewer) == before and AuditEntry.objects.count() == entries


def test_another_agencys_admin_gets_a_404_and_the_anonymous_a_login(client: Any, city: City) -> None:
    from zhijian.apps.accounts import services as accounts

    reviewer = _reviewer(city, "reviewer_a")
    before = _qualifications(reviewer)
    assert client.get(_url(city)).status_code == 302  # to the login page
    assert client.post(_url(city), _table((reviewer, ["fire"], True))).status_code == 302
    admin_b = accounts.create_user(None, system="test", username="agency_admin_b", password=PASSWORD)
    accounts.add_membership(None, system="test", user=admin_b, organization=city.orgs["agency_b"], role="org_admin")
    client.force_login(admin_b)
    assert client.get(_url(city, "agency_b")).status_code == 200
    assert client.get(_url(city)).status_code == 404
    assert client.post(_url(city), _table((reviewer, ["fire"], True))).status_code == 404
    assert _qualifications(reviewer) == before


def test_only_review_agencies_have_the_page(client: Any, city: City) -> None:
    """The owner's admin administers a construction unit: no reviewers' page for it."""
    client.force_login(city.user("owner_a"))
    assert client.get(_url(city, "owner_a")).status_code == 404


def test_the_nav_links_the_agency_admin_to_the_page(client: Any, city: City) -> None:
    client.force_login(city.user("agency_admin_a"))
    assert f'href="{_url(city)}"' in client.get("/projects/").content.decode()
    for who in ("reviewer_a", "designer_a", "owner_a"):
        client.force_login(city.user(who))
        assert "/reviewers/" not in client.get("/projects/").content.decode()


def test_the_page_is_in_chinese_by_default_and_in_english_when_chosen(client: Any, city: City) -> None:
    client.force_login(city.user("agency_admin_a"))
    chinese = client.get(_url(city)).content.decode()
    assert all(text in chinese for text in ("审查人员及资格", "审查专业", "可复核", "建筑", "给排水", "保存资格"))
    client.post("/i18n/setlang/", {"language": "en", "next": _url(city)})
    english = client.get(_url(city)).content.decode()
    assert all(text in english for text in ("Reviewers and qualifications", "Review disciplines", "May check",
                                            "Architecture", "Plumbing", "Save qualifications", "Organisation admin"))
    assert "审查人员及资格" not in english and "给排水" not in english
