"""Illegal state changes are refused with the reason, and leave the submission and the audit log untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed

pytestmark = pytest.mark.django_db


def _transition(client: Any, headers: dict[str, str], submission: Any, action: str, reason: str = "") -> Any:
    return client.post(f"/api/v1/submissions/{submission.id}/transitions", {"action": action, "reason": reason},
                       content_type="application/json", **headers)


def _snapshot(submission: Any) -> tuple[str, int, int]:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import Round

    submission.refresh_from_db()
    return submission.state, AuditEntry.objects.count(), Round.objects.filter(submission=submission).count()


CASES = [
    # (who, which submission, action, reason, status, code)
    ("designer_a", "draft_a", "submit", "", 409, "model_required"),
    ("reviewer_a", "draft_a", "approve", "", 409, "wrong_state"),
    ("designer_a", "submission_a", "submit", "", 409, "wrong_state"),
    ("designer_a", "submission_a", "approve", "", 403, "not_permitted"),
    ("reviewer_a", "submission_a", "return", "   ", 409, "reason_required"),
    ("reviewer_a", "submission_a", "finish_check", "", 403, "not_permitted"),
    ("reviewer_a", "submission_a", "teleport", "", 409, "unknown_action"),
    ("contractor_a", "submission_a", "approve", "", 403, "not_permitted"),
    ("bureau", "submission_a", "return", "不合格", 403, "not_permitted"),
]


@pytest.mark.parametrize(("who", "which", "action", "reason", "status", "code"), CASES)
def test_illegal_transition_is_refused_and_changes_nothing(
    client: Any, reviewed: Reviewed, token_for: Any, who: str, which: str, action: str, reason: str, status: int,
    code: str,
) -> None:
    submission = getattr(reviewed, which)
    headers = token_for(reviewed.city.user(who))
    before = _snapshot(submission)
    response = _transition(client, headers, submission, action, reason)
    assert response.status_code == status, response.content
    problem = response.json()
    assert problem["code"] == code and problem["detail"]
    assert _snapshot(submission) == before


def test_approval_is_refused_while_a_mandatory_finding_is_open_then_allowed_after_waiver(
    client: Any, reviewed: Reviewed, token_for: Any, models_dir: Path, submit_model: Any
) -> None:
    from tests.integration.platform.conftest import build_model, staff
    from zhijian.apps.review.models import Finding

    low = build_model(models_dir / "low.ifc", low_storey=True)
    submission = submit_model(reviewed.city.user("designer_a"), reviewed.draft_a, low)
    blocking = Finding.objects.filter(check_run__round__submission=submission, mandatory=True, advisory=False)
    assert blocking.exists(), "the low storey should fail a mandatory provision"
    headers = token_for(reviewed.city.user("reviewer_a"))
    before = _snapshot(submission)
    refused = _transition(client, headers, submission, "approve")
    assert refused.status_code == 409
    assert refused.json()["code"] == "mandatory_findings_open"
    assert str(blocking.count()) in refused.json()["detail"]
    assert _snapshot(submission) == before
    for finding in blocking:
        assert client.post(f"/api/v1/findings/{finding.id}/waiver", {"reason": "结构专业另行复核"},
                           content_type="application/json", **headers).status_code == 201
    staff(submission, reviewed.city.user("reviewer_a"), reviewed.city.user("checker_a"))
    assert _transition(client, headers, submission, "approve").status_code == 200


def test_a_finding_cannot_be_waived_twice_or_without_reason(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("reviewer_a"))
    url = f"/api/v1/findings/{reviewed.finding_a.id}/waiver"
    assert client.post(url, {"reason": " "}, content_type="application/json", **headers).json()["code"] == "reason_required"
    assert client.post(url, {"reason": "可接受"}, content_type="application/json", **headers).status_code == 201
    again = client.post(url, {"reason": "再次"}, content_type="application/json", **headers)
    assert again.status_code == 409 and again.json()["code"] == "already_waived"


def test_refusals_speak_chinese_by_default_and_english_on_request(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    chinese = _transition(client, headers, reviewed.draft_a, "submit").json()["detail"]
    assert chinese == "请先上传模型再提交。"
    english = _transition(client, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"}, reviewed.draft_a, "submit").json()
    assert english["detail"] == "Upload a model before submitting."


def test_transition_buttons_on_the_page_show_the_reason_of_a_refusal(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("reviewer_a"))
    before = _snapshot(reviewed.submission_a)
    response = client.post(f"/submissions/{reviewed.submission_a.id}/transition/", {"action": "return", "reason": ""})
    assert response.status_code == 409
    assert "需要填写理由" in response.content.decode()
    assert _snapshot(reviewed.submission_a) == before


def test_the_page_offers_only_the_actions_the_role_allows(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("reviewer_a"))
    page = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert 'value="return"' in page and 'value="approve"' in page and 'value="submit"' not in page
    client.force_login(reviewed.city.user("designer_a"))
    page = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert 'name="action"' not in page
    client.force_login(reviewed.city.user("bureau"))
    page = client.get(f"/submissions/{reviewed.submission_a.id}/").content.decode()
    assert 'name="action"' not in page and 'name="file"' not in page


def test_return_on_the_page_then_letter(client: Any, reviewed: Reviewed) -> None:
    client.force_login(reviewed.city.user("reviewer_a"))
    response = client.post(f"/submissions/{reviewed.submission_a.id}/transition/",
                           {"action": "return", "reason": "主卧面积不足"}, follow=True)
    assert response.status_code == 200
    reviewed.submission_a.refresh_from_db()
    assert reviewed.submission_a.state == "returned"
    letter = client.get(f"/rounds/{reviewed.round_a.id}/letter/").content.decode()
    assert "施工图设计文件审查意见告知书" in letter and "主卧面积不足" in letter
    assert reviewed.city.orgs["design_a"].uscc in letter
