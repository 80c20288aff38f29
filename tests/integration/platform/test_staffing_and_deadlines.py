"""The review agency's staffing (discipline × reviewer × checker), the approval's staffing rule, the
letter-number counter and the review deadline, through the services, the API and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed, staff

pytestmark = pytest.mark.django_db


def _assign(client: Any, headers: dict[str, str], submission: Any, **body: Any) -> Any:
    body = {k: (str(v) if v is not None else None) for k, v in body.items()}
    return client.post(f"/api/v1/submissions/{submission.id}/assignments", body, content_type="application/json",
                       **headers)


def _waive_blocking(reviewer: Any, submission: Any) -> None:
    from zhijian.apps.review import services
    from zhijian.apps.review.models import Finding

    for finding in Finding.objects.filter(check_run__round__submission=submission, mandatory=True, waiver=None):
        services.waive_finding(reviewer, finding.id, "二维图纸已表达")


# -- assignments ------------------------------------------------------------------------
def test_the_agency_assigns_a_reviewer_and_a_checker_and_it_is_audited(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import DisciplineAssignment

    city, sub = reviewed.city, reviewed.submission_a
    response = _assign(client, token_for(city.user("agency_admin_a")), sub, discipline="structure",
                       reviewer_id=city.user("reviewer_a").id, checker_id=city.user("checker_a").id)
    assert response.status_code == 200, response.content
    row = next(r for r in response.json()["rows"] if r["discipline"] == "structure")
    assert row["name"] == "结构" and row["reviewer"]["name"] == "reviewer_a" and row["checker"]["name"] == "checker_a"
    assert "structure" not in [g["discipline"] for g in response.json()["gaps"]]
    assignment = DisciplineAssignment.objects.get(submission=sub, discipline="structure")
    entry = AuditEntry.objects.filter(action="discipline.assign", object_id=str(assignment.id)).get()
    assert entry.after["reviewer_id"] == str(city.user("reviewer_a").id) and entry.before is None
    # Re-assigning replaces, and the audit keeps the earlier pair.
    response = _assign(client, token_for(city.user("reviewer_a")), sub, discipline="structure",
                       reviewer_id=city.user("checker_a").id, checker_id=None)
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.reviewer == city.user("checker_a") and assignment.checker is None
    last = AuditEntry.objects.filter(action="discipline.assign", object_id=str(assignment.id)).order_by("-at").first()
    assert last.before["checker_id"] == str(city.user("checker_a").id)


@pytest.mark.parametrize(
    ("discipline", "reviewer", "checker", "code"),
    [
        ("plumbng", "reviewer_a", "checker_a", "unknown_discipline"),
        ("civil_defence", "reviewer_a", "checker_a", "discipline_out_of_scope"),
        ("architecture", None, None, "assignee_required"),
        ("architecture", "reviewer_b", "checker_a", "not_agency_member"),  # another organisation's reviewer
        ("architecture", "designer_a", "checker_a", "not_agency_member"),  # not a reviewer at all
        ("architecture", "agency_admin_a", "checker_a", "not_agency_member"),  # an admin reviews nothing
        ("architecture", "checker_a", "reviewer_a", "not_a_checker"),
        ("architecture", "checker_a", "checker_a", "same_person"),
    ],
)
def test_assignments_are_refused_with_the_reason(
    client: Any, reviewed: Reviewed, token_for: Any, discipline: str, reviewer: str | None, checker: str | None,
    code: str,
) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import DisciplineAssignment

    city = reviewed.city
    entries = AuditEntry.objects.count()
    headers = token_for(city.user("reviewer_a"))
    response = _assign(client, headers, reviewed.submission_a, discipline=discipline,
                       reviewer_id=city.user(reviewer).id if reviewer else None,
                       checker_id=city.user(checker).id if checker else None)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code and response.json()["detail"]
    assert not DisciplineAssignment.objects.filter(submission=reviewed.submission_a).exists()
    assert AuditEntry.objects.count() == entries + 1  # the token only


def test_a_reviewer_without_the_discipline_is_refused(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    from zhijian.apps.accounts.models import Membership
    from zhijian.apps.review.services import declare_disciplines

    city = reviewed.city
    membership = Membership.objects.get(user=city.user("reviewer_a"), role="reviewer")
    declare_disciplines(city.user("agency_admin_a"), membership, ["structure"])
    response = _assign(client, token_for(city.user("agency_admin_a")), reviewed.submission_a,
                       discipline="architecture", reviewer_id=city.user("reviewer_a").id)
    assert response.status_code == 422 and response.json()["code"] == "discipline_not_held"
    assert "建筑" in response.json()["detail"]  # the discipline by its Chinese name


def test_declaring_disciplines_is_the_agency_admins_and_checked(reviewed: Reviewed) -> None:
    from zhijian.apps.accounts.models import Membership
    from zhijian.apps.common.errors import Forbidden, InvalidInput
    from zhijian.apps.review.services import declare_disciplines

    city = reviewed.city
    membership = Membership.objects.get(user=city.user("reviewer_a"), role="reviewer")
    with pytest.raises(Forbidden):
        declare_disciplines(city.user("reviewer_a"), membership, ["fire"])
    with pytest.raises(InvalidInput) as bad:
        declare_disciplines(city.user("agency_admin_a"), membership, ["fire", "astrology"])
    assert bad.value.code == "unknown_discipline" and "astrology" in bad.value.detail
    admin = Membership.objects.get(user=city.user("agency_admin_a"))
    with pytest.raises(InvalidInput) as wrong:
        declare_disciplines(city.user("agency_admin_a"), admin, ["fire"])
    assert wrong.value.code == "not_a_reviewer"


@pytest.mark.parametrize("who", ["designer_a", "owner_a", "contractor_a"])
def test_only_the_review_agency_assigns(client: Any, reviewed: Reviewed, token_for: Any, who: str) -> None:
    city = reviewed.city
    response = _assign(client, token_for(city.user(who)), reviewed.submission_a, discipline="architecture",
                       reviewer_id=city.user("reviewer_a").id, checker_id=city.user("checker_a").id)
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"


def test_another_agency_cannot_see_or_staff_the_submission(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    city = reviewed.city
    headers = token_for(city.user("reviewer_b"))
    assert client.get(f"/api/v1/submissions/{reviewed.submission_a.id}/staffing", **headers).status_code == 404
    response = _assign(client, headers, reviewed.submission_a, discipline="architecture",
                       reviewer_id=city.user("reviewer_b").id)
    assert response.status_code == 404
    client.force_login(city.user("reviewer_b"))
    page = client.post(f"/submissions/{reviewed.submission_a.id}/assign/", {"discipline": "architecture"})
    assert page.status_code == 404
    assert client.post(f"/submissions/{reviewed.submission_a.id}/scope/", {"disciplines": ["fire"]}).status_code == 404


# -- scope and review class ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"disciplines": ["architecture", "astrology"]}, "unknown_discipline"),
        ({"disciplines": ["accessibility"]}, "unknown_discipline"),  # a grouping, signed by architecture
        ({"disciplines": []}, "empty_scope"),
        ({"review_class": "huge"}, "unknown_review_class"),
    ],
)
def test_a_bad_scope_is_refused(client: Any, reviewed: Reviewed, token_for: Any, body: dict[str, Any], code: str) -> None:
    response = client.post(f"/api/v1/submissions/{reviewed.submission_a.id}/scope", body,
                           content_type="application/json", **token_for(reviewed.city.user("reviewer_a")))
    assert response.status_code == 422 and response.json()["code"] == code


def test_findings_widen_the_scope(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    """The world's model fails architecture rules: architecture stays in scope even when not declared."""
    headers = token_for(reviewed.city.user("reviewer_a"))
    response = client.post(f"/api/v1/submissions/{reviewed.submission_a.id}/scope", {"disciplines": ["fire"]},
                           content_type="application/json", **headers)
    assert response.status_code == 200
    assert response.json()["declared_scope"] == ["fire"]
    assert response.json()["scope"] == ["architecture", "fire"]


# -- approval needs every discipline staffed; the letters list them ----------------------
def test_approval_needs_a_reviewer_and_a_checker_per_discipline_and_the_certificate_lists_them(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    from zhijian.apps.review import services
    from zhijian.apps.review.models import Round

    city, sub = reviewed.city, reviewed.submission_a
    reviewer, checker = city.user("reviewer_a"), city.user("checker_a")
    _waive_blocking(reviewer, sub)
    services.update_review_scope(reviewer, sub.id, disciplines=["architecture", "structure"])
    services.assign_discipline(reviewer, sub.id, "architecture", reviewer_id=reviewer.id, checker_id=checker.id)
    services.assign_discipline(reviewer, sub.id, "structure", reviewer_id=checker.id)  # no checker yet
    headers = token_for(reviewer)
    refused = client.post(f"/api/v1/submissions/{sub.id}/transitions", {"action": "approve"},
                          content_type="application/json", **headers)
    assert refused.status_code == 409 and refused.json()["code"] == "disciplines_unstaffed"
    assert "结构" in refused.json()["detail"] and "建筑" not in refused.json()["detail"]
    sub.refresh_from_db()
    assert sub.state == "in_review"
    services.assign_discipline(reviewer, sub.id, "structure", reviewer_id=reviewer.id, checker_id=checker.id)
    approved = client.post(f"/api/v1/submissions/{sub.id}/transitions", {"action": "approve"},
                           content_type="application/json", **headers)
    assert approved.status_code == 200, approved.content
    round_ = Round.objects.get(id=reviewed.round_a.id)
    assert [(s["discipline"], s["reviewer"], s["checker"]) for s in round_.signatories] == [
        ("architecture", "reviewer_a", "checker_a"), ("structure", "reviewer_a", "checker_a"),
    ]
    letter = client.get(f"/api/v1/rounds/{round_.id}/letter", **headers).content.decode()
    assert "审查合格书" in letter and round_.letter_number in letter
    table = letter[letter.index("复核人员签字"):]
    table = table[:table.index("</table>")]
    assert table.index("建筑") < table.index("reviewer_a") < table.index("checker_a") < table.index("结构")
    assert table.count("reviewer_a") == 2 and table.count("checker_a") == 2
    pdf = client.get(f"/api/v1/rounds/{round_.id}/letter?format=pdf", **headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "复核人员签字" in text and "结构" in text and text.count("checker_a") >= 2
    # The signature table is the one of the decision day: later changes do not rewrite the certificate.
    from zhijian.apps.review.models import DisciplineAssignment

    DisciplineAssignment.objects.filter(submission=sub).delete()
    english = client.get(f"/api/v1/rounds/{round_.id}/letter?lang=en", **headers).content.decode()
    table = english[english.index("Checker</th>"):]
    table = table[:table.index("</table>")]
    assert "Structure" in table and table.count("checker_a") == 2


def test_approval_on_the_page_shows_the_missing_disciplines(client: Any, reviewed: Reviewed) -> None:
    _waive_blocking(reviewed.city.user("reviewer_a"), reviewed.submission_a)
    client.force_login(reviewed.city.user("reviewer_a"))
    response = client.post(f"/submissions/{reviewed.submission_a.id}/transition/", {"action": "approve"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-code="disciplines_unstaffed"' in page and "暖通" in page


def test_the_page_form_assigns_and_refuses_with_the_reason(client: Any, reviewed: Reviewed) -> None:
    from zhijian.apps.review.models import DisciplineAssignment

    city, sub = reviewed.city, reviewed.submission_a
    client.force_login(city.user("agency_admin_a"))
    page = client.get(f"/submissions/{sub.id}/").content.decode()
    assert f'action="/submissions/{sub.id}/assign/"' in page and 'name="checker_id"' in page
    bad = client.post(f"/submissions/{sub.id}/assign/", {"discipline": "fire", "reviewer_id": str(city.user("reviewer_b").id)})
    assert bad.status_code == 422 and 'data-code="not_agency_member"' in bad.content.decode()
    bad = client.post(f"/submissions/{sub.id}/assign/", {"discipline": "fire", "reviewer_id": "not-a-uuid"})
    assert bad.status_code == 422
    ok = client.post(f"/submissions/{sub.id}/assign/", {"discipline": "fire", "reviewer_id": str(city.user("reviewer_a").id),
                                                        "checker_id": str(city.user("checker_a").id)})
    assert ok.status_code == 302
    assert DisciplineAssignment.objects.get(submission=sub, discipline="fire").checker == city.user("checker_a")
    saved = client.post(f"/submissions/{sub.id}/scope/", {"disciplines": ["fire", "civil_defence"], "review_class": "large"})
    assert saved.status_code == 302
    sub.refresh_from_db()
    assert sub.disciplines == ["fire", "civil_defence"] and sub.review_class == "large"
    # The designer sees the table but no form.
    client.force_login(city.user("designer_a"))
    page = client.get(f"/submissions/{sub.id}/").content.decode()
    assert "reviewer_a" in page and f"/submissions/{sub.id}/assign/" not in page


# -- letter numbers -----------------------------------------------------------------------
def test_each_decision_draws_the_next_number_of_its_agency_kind_and_year(reviewed: Reviewed) -> None:
    from zhijian.apps.review import services
    from zhijian.apps.review.models import LetterCounter, Round

    city = reviewed.city
    earlier = Round.objects.get(id=reviewed.decided_round_a.id)  # the world's return: opinion no. 1
    assert earlier.letter_serial == 1 and earlier.letter_agency == city.orgs["agency_a"]
    assert earlier.letter_number == "A-001-YJ01-001"
    services.transition_submission(city.user("reviewer_a"), reviewed.submission_a.id, "return", "请修改")
    services.transition_submission(city.user("reviewer_b"), reviewed.submission_b.id, "return", "请修改")
    a = Round.objects.get(id=reviewed.round_a.id)
    b = Round.objects.get(id=reviewed.round_b.id)
    assert (a.letter_serial, a.letter_number) == (2, "A-001-YJ01-002")
    assert (b.letter_serial, b.letter_number) == (1, "B-001-YJ01-001")  # another agency counts on its own
    year = a.decided_at.astimezone().year
    counter = LetterCounter.objects.get(agency=city.orgs["agency_a"], kind="opinion", year=year)
    assert counter.last_serial == 2


def test_a_number_is_never_issued_twice(reviewed: Reviewed) -> None:
    from django.db import IntegrityError, transaction

    from zhijian.apps.review.models import Round

    earlier = Round.objects.get(id=reviewed.decided_round_a.id)
    other = Round.objects.get(id=reviewed.round_a.id)
    other.decision, other.opinion, other.decided_by, other.decided_at = (
        "returned", "x", earlier.decided_by, earlier.decided_at
    )
    other.letter_agency, other.letter_year, other.letter_serial = (
        earlier.letter_agency, earlier.letter_year, earlier.letter_serial
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_the_letter_shows_the_stored_number(client: Any, reviewed: Reviewed) -> None:
    from zhijian.apps.review.models import Round

    round_ = reviewed.decided_round_a
    Round.objects.filter(id=round_.id).update(letter_number="湘审意〔2026〕88号")
    client.force_login(reviewed.city.user("designer_a"))
    assert "湘审意〔2026〕88号" in client.get(f"/rounds/{round_.id}/letter/").content.decode()


# -- deadlines ------------------------------------------------------------------------------
def test_a_round_is_due_after_its_class_limit_and_the_api_says_how_long_is_left(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    from django.utils import timezone

    from zhijian.domain.review.deadlines import review_deadline

    round_ = reviewed.round_a
    expected = review_deadline(timezone.localtime(round_.submitted_at).date(), "medium_or_small")
    assert round_.due_on == expected.due and round_.due_advisory == expected.advisory
    headers = token_for(reviewed.city.user("designer_a"))
    detail = client.get(f"/api/v1/submissions/{reviewed.submission_a.id}", **headers).json()
    assert detail["deadline"] == expected.due.isoformat() and detail["deadline_advisory"] is True
    assert detail["working_days_left"] == 10 - _worked_since(round_.submitted_at) and detail["overdue"] is False
    assert detail["current_round"]["due_on"] == expected.due.isoformat()
    # A large project has 15 working days: the pending round's deadline follows the class.
    client.post(f"/api/v1/submissions/{reviewed.submission_a.id}/scope", {"review_class": "large"},
                content_type="application/json", **token_for(reviewed.city.user("reviewer_a")))
    later = client.get(f"/api/v1/submissions/{reviewed.submission_a.id}", **headers).json()
    assert later["deadline"] == review_deadline(expected.start, "large").due.isoformat()
    assert later["working_days_left"] == detail["working_days_left"] + 5
    # A decided round has no running deadline (the designer's revision time is not counted).
    returned = client.get(f"/api/v1/submissions/{reviewed.returned_a.id}", **headers).json()
    assert returned["deadline"] is None and returned["working_days_left"] is None


def _worked_since(submitted_at: dt.datetime) -> int:
    from django.utils import timezone

    from zhijian.domain.review.deadlines import working_days_between

    return working_days_between(timezone.localtime(submitted_at).date(), timezone.localdate())


def test_overdue_rounds_are_red_and_the_queue_sorts_by_deadline(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    from zhijian.apps.review.models import Round

    today = dt.date.today()
    Round.objects.filter(id=reviewed.round_a.id).update(due_on=today - dt.timedelta(days=30), due_advisory=True)
    client.force_login(reviewed.city.user("bureau"))
    page = client.get("/?sort=deadline").content.decode()
    assert "mandatory overdue" in page and "参考" in page  # the deadline rests on S facts: advisory
    first = page.index(reviewed.submission_a.title)
    assert first < page.index(reviewed.submission_b.title)  # the overdue one first
    detail = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert "mandatory overdue" in detail and "已超期" in detail and "专业" in detail
    api = client.get("/api/v1/submissions?ordering=deadline", **token_for(reviewed.city.user("bureau"))).json()
    assert api["items"][0]["id"] == str(reviewed.submission_a.id) and api["items"][0]["overdue"] is True
    assert api["items"][0]["working_days_left"] < 0
    bad = client.get("/api/v1/submissions?ordering=price", **token_for(reviewed.city.user("bureau")))
    assert bad.status_code == 422
    Round.objects.filter(id=reviewed.round_a.id).update(due_on=today + dt.timedelta(days=400))
    api = client.get("/api/v1/submissions?ordering=deadline", **token_for(reviewed.city.user("bureau"))).json()
    assert api["items"][0]["id"] == str(reviewed.submission_b.id)


def test_staff_helper_makes_the_submission_approvable(reviewed: Reviewed) -> None:
    from zhijian.apps.review import services

    city = reviewed.city
    _waive_blocking(city.user("reviewer_a"), reviewed.submission_a)
    staff(reviewed.submission_a, city.user("reviewer_a"), city.user("checker_a"))
    result = services.transition_submission(city.user("reviewer_a"), reviewed.submission_a.id, "approve")
    assert result.submission.state == "approved" and result.round.letter_number.startswith("A-001-SC-")


def test_the_opinion_letter_lists_the_assigned_reviewers_and_the_review_deadline(client: Any, reviewed: Reviewed) -> None:
    from zhijian.apps.review import services

    city, sub = reviewed.city, reviewed.submission_a
    reviewer, checker = city.user("reviewer_a"), city.user("checker_a")
    services.assign_discipline(reviewer, sub.id, "architecture", reviewer_id=reviewer.id, checker_id=checker.id)
    services.transition_submission(reviewer, sub.id, "return", "主卧面积不足")  # a return needs no full staffing
    client.force_login(city.user("designer_a"))
    letter = client.get(f"/rounds/{reviewed.round_a.id}/letter/").content.decode()
    assert "审查意见告知书" in letter and "审查时限" in letter and "10 个工作日" in letter
    table = letter[letter.index("复核人员签字"):]
    table = table[:table.index("</table>")]
    assert "建筑" in table and "reviewer_a" in table and "checker_a" in table


def test_reviewer_disciplines_are_declared_through_the_api_by_the_agency_admin(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    from zhijian.apps.accounts.models import Membership
    from zhijian.apps.audit.models import AuditEntry

    city = reviewed.city
    membership = Membership.objects.get(user=city.user("reviewer_a"), role="reviewer")
    url = f"/api/v1/reviewer-memberships/{membership.id}/disciplines"
    admin = token_for(city.user("agency_admin_a"))
    ok = client.post(url, {"disciplines": ["fire", "architecture"], "may_check": True}, content_type="application/json",
                     **admin)
    assert ok.status_code == 200 and ok.json()["disciplines"] == ["architecture", "fire"] and ok.json()["may_check"]
    entry = AuditEntry.objects.filter(action="membership.disciplines", object_id=str(membership.id)).latest("at")
    assert entry.after == {"disciplines": ["architecture", "fire"], "may_check": True}
    bad = client.post(url, {"disciplines": ["fengshui"]}, content_type="application/json", **admin)
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_discipline" and "fengshui" in bad.json()["detail"]
    # The design institute shares the project, so it sees the agency, but may not declare for it.
    designer = client.post(url, {"disciplines": ["fire"]}, content_type="application/json",
                           **token_for(city.user("designer_a")))
    assert designer.status_code == 403
    admin_membership = Membership.objects.get(user=city.user("agency_admin_a"))
    wrong = client.post(f"/api/v1/reviewer-memberships/{admin_membership.id}/disciplines", {"disciplines": ["fire"]},
                        content_type="application/json", **admin)
    assert wrong.status_code == 422 and wrong.json()["code"] == "not_a_reviewer"
    membership.refresh_from_db()
    assert membership.disciplines == ["architecture", "fire"]


def test_the_migration_gives_older_rounds_their_printed_numbers_and_deadlines(reviewed: Reviewed) -> None:
    """Rounds decided before the counter keep the number their letter showed; the counter goes on from there."""
    import importlib

    from django.apps import apps

    from zhijian.apps.review import services
    from zhijian.apps.review.models import LetterCounter, Round

    city = reviewed.city
    services.transition_submission(city.user("reviewer_a"), reviewed.submission_a.id, "return", "请修改")
    decided = Round.objects.filter(id__in=[reviewed.decided_round_a.id, reviewed.round_a.id])
    printed = {r.id: r.letter_number for r in decided}
    # As the rows were before the migration: no numbers, no counters, no deadline on the pending round.
    decided.update(letter_agency=None, letter_year=None, letter_serial=None, letter_number="")
    LetterCounter.objects.all().delete()
    Round.objects.filter(id=reviewed.round_b.id).update(due_on=None)
    migration = importlib.import_module("zhijian.apps.review.migrations.0003_backfill_letters_and_deadlines")
    migration.forwards(apps, None)
    assert {r.id: r.letter_number for r in Round.objects.filter(id__in=printed)} == printed
    counter = LetterCounter.objects.get(agency=city.orgs["agency_a"], kind="opinion")
    assert counter.last_serial == 2
    assert services.next_letter_serial(city.orgs["agency_a"].id, "approval", counter.year) == 3  # never reused
    assert Round.objects.get(id=reviewed.round_b.id).due_on == reviewed.round_b.due_on
