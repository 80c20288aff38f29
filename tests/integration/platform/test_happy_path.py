"""The whole review through the API: upload → check → findings → return → resubmit → diff → approve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import City

pytestmark = pytest.mark.django_db

BEDROOM_RULE = "GB50096-2011-5.2.1"


def _upload(client: Any, headers: dict[str, str], submission_id: str, path: Path) -> Any:
    with path.open("rb") as handle:
        return client.post(f"/api/v1/submissions/{submission_id}/models", {"file": handle}, **headers)


def test_a_submission_goes_round_trip_to_approval(
    client: Any, city: City, failing_model: Path, fixed_model: Path, token_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    designer = token_for(city.user("designer_a"))
    reviewer = token_for(city.user("reviewer_a"))

    created = client.post("/api/v1/submissions", {"project_id": str(city.project_a.id), "title": "1#楼 施工图"},
                          content_type="application/json", **designer)
    assert created.status_code == 201, created.content
    submission = created.json()
    assert submission["state"] == "draft" and submission["actions"] == ["submit"]
    sid = submission["id"]

    uploaded = _upload(client, designer, sid, failing_model)
    assert uploaded.status_code == 201, uploaded.content
    version = uploaded.json()
    assert version["sequence"] == 1 and version["ifc_schema"] == "IFC4" and len(version["sha256"]) == 64
    assert version["status"] == "uploaded"

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/api/v1/submissions/{sid}/transitions", {"action": "submit"},
                                content_type="application/json", **designer)
    assert submitted.status_code == 200, submitted.content
    detail = client.get(f"/api/v1/submissions/{sid}", **reviewer).json()
    assert detail["state"] == "in_review"
    assert detail["actions"] == ["return", "approve"]
    round1 = detail["current_round"]
    assert round1["number"] == 1
    assert round1["check"]["status"] == "done" and round1["check"]["progress"] == 100
    assert {p["id"] for p in round1["check"]["pack_versions"]} >= {"gb50096-2011"}
    assert all(p["version"] for p in round1["check"]["pack_versions"])

    model = client.get(f"/api/v1/models/{version['id']}", **designer).json()
    assert model["status"] == "done" and model["progress"] == 100

    findings = client.get(f"/api/v1/rounds/{round1['id']}/findings", **reviewer).json()
    bedroom = [f for f in findings["items"] if f["rule_id"] == BEDROOM_RULE]
    assert len(bedroom) == 1 and bedroom[0]["storey"] == "2F"
    assert bedroom[0]["measured"] == pytest.approx(8.9) and bedroom[0]["unit"] == "m2"

    report = client.get(f"/api/v1/rounds/{round1['id']}/report", **reviewer).json()
    assert report["report_version"] == 1 and report["model"]["file"] == "round1.ifc"
    assert report["summary"]["failed"] == sum(1 for f in findings["items"] if f["status"] == "fail")

    comment = client.post(f"/api/v1/rounds/{round1['id']}/comments",
                          {"body": "请核对主卧面积", "finding_id": bedroom[0]["id"]},
                          content_type="application/json", **reviewer)
    assert comment.status_code == 201 and comment.json()["guid"] == bedroom[0]["guid"]

    returned = client.post(f"/api/v1/submissions/{sid}/transitions",
                           {"action": "return", "reason": "主卧使用面积不足 9 m²，请修改"},
                           content_type="application/json", **reviewer)
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    assert returned.json()["current_round"]["decision"] == "returned"

    assert _upload(client, designer, sid, fixed_model).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = client.post(f"/api/v1/submissions/{sid}/transitions", {"action": "submit", "reason": "已修改"},
                                  content_type="application/json", **designer)
    assert resubmitted.status_code == 200
    round2 = client.get(f"/api/v1/submissions/{sid}", **reviewer).json()["current_round"]
    assert round2["number"] == 2 and round2["check"]["status"] == "done"

    diff = client.get(f"/api/v1/rounds/{round2['id']}/diff", **reviewer).json()
    assert diff["previous_round_id"] == round1["id"]
    resolved = [e for e in diff["entries"] if e["change"] == "resolved"]
    assert [(e["rule_id"], e["guid"]) for e in resolved if e["rule_id"] == BEDROOM_RULE] == [
        (BEDROOM_RULE, bedroom[0]["guid"])
    ]
    assert diff["counts"]["resolved"] >= 1 and diff["counts"]["new"] == 0

    # Whatever else is open and mandatory is waived with a reason before approval.
    open_findings = client.get(f"/api/v1/rounds/{round2['id']}/findings?mandatory=true", **reviewer).json()["items"]
    for finding in open_findings:
        waived = client.post(f"/api/v1/findings/{finding['id']}/waiver", {"reason": "二维图纸已表达"},
                             content_type="application/json", **reviewer)
        assert waived.status_code == 201, waived.content

    # Every discipline in scope needs a reviewer and a checker before the certificate (合格书) can be issued.
    unstaffed = client.post(f"/api/v1/submissions/{sid}/transitions", {"action": "approve"},
                            content_type="application/json", **reviewer)
    assert unstaffed.status_code == 409 and unstaffed.json()["code"] == "disciplines_unstaffed"
    staffing = client.get(f"/api/v1/submissions/{sid}/staffing", **reviewer).json()
    checker = next(c for c in staffing["candidates"] if c["may_check"])
    me = next(c for c in staffing["candidates"] if not c["may_check"])
    for discipline in staffing["scope"]:
        assigned = client.post(f"/api/v1/submissions/{sid}/assignments",
                               {"discipline": discipline, "reviewer_id": me["id"], "checker_id": checker["id"]},
                               content_type="application/json", **reviewer)
        assert assigned.status_code == 200, assigned.content
    assert assigned.json()["complete"] and assigned.json()["gaps"] == []
    approved = client.post(f"/api/v1/submissions/{sid}/transitions", {"action": "approve", "reason": "审查合格"},
                           content_type="application/json", **reviewer)
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved" and approved.json()["actions"] == []

    history = client.get(f"/api/v1/submissions/{sid}/history?limit=100", **designer).json()["items"]
    moves = [(h["action"], h["before"]["state"], h["after"]["state"]) for h in reversed(history) if h["before"]]
    assert moves == [
        ("submission.submit", "draft", "submitted"),
        ("submission.start_check", "submitted", "checking"),
        ("submission.finish_check", "checking", "in_review"),
        ("submission.return", "in_review", "returned"),
        ("submission.submit", "returned", "submitted"),
        ("submission.start_check", "submitted", "checking"),
        ("submission.finish_check", "checking", "in_review"),
        ("submission.approve", "in_review", "approved"),
    ]
    who = {h["action"]: h["actor"] for h in history}
    assert who["submission.return"] == "reviewer_a" and who["submission.finish_check"] == "system:check"
    assert next(h for h in history if h["action"] == "submission.return")["reason"].startswith("主卧")

    # The opinion letters of both rounds render.
    client.force_login(city.user("reviewer_a"))
    letter = client.get(f"/rounds/{round1['id']}/letter/")
    assert letter.status_code == 200
    assert "主卧使用面积不足" in letter.content.decode()
