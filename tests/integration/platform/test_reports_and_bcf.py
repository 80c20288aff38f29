"""Report downloads of a check run (JSON, HTML, BCF, CSV) and the designer's BCF replies imported."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed

pytestmark = pytest.mark.django_db

BEDROOM_RULE = "GB50096-2011-5.2.1"


@pytest.mark.parametrize(("fmt", "starts"), [("html", b"<!"), ("bcf", b"PK"), ("csv", b"\xef\xbb\xbf")])
def test_a_check_run_downloads_in_every_format(client: Any, reviewed: Reviewed, token_for: Any, fmt: str,
                                               starts: bytes) -> None:
    headers = token_for(reviewed.city.user("reviewer_a"))
    response = client.get(f"/api/v1/rounds/{reviewed.round_a.id}/report?format={fmt}", **headers)
    assert response.status_code == 200, response.content
    assert response.content.startswith(starts)
    assert "A-001-round1-" in response["Content-Disposition"] and response["Content-Disposition"].endswith(f'.{fmt}"')
    client.force_login(reviewed.city.user("designer_a"))
    page = client.get(f"/rounds/{reviewed.round_a.id}/report.{fmt}")
    assert page.status_code == 200 and page.content.startswith(starts)


def test_an_unknown_report_format_is_refused(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("reviewer_a"))
    response = client.get(f"/api/v1/rounds/{reviewed.round_a.id}/report?format=docx", **headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_another_organisation_cannot_download_the_report_in_any_format(
    client: Any, reviewed: Reviewed, token_for: Any
) -> None:
    headers = token_for(reviewed.city.user("designer_b"))
    for fmt in ("json", "html", "bcf", "csv"):
        assert client.get(f"/api/v1/rounds/{reviewed.round_a.id}/report?format={fmt}", **headers).status_code == 404
    client.force_login(reviewed.city.user("designer_b"))
    assert client.get(f"/rounds/{reviewed.round_a.id}/report.bcf").status_code == 404


def _answered_bcf(report: dict, directory: Path, text: str = "已调整主卧隔墙，面积 12.6 m²。") -> bytes:
    """Our export, answered the way a designer's BCF tool does: a comment on the bedroom topic."""
    import bcf.v3.model as mdl
    from bcf.v3.bcfxml import BcfXml
    from xsdata.models.datatype import XmlDateTime

    from zhijian.domain.reports.bcf_report import write_bcf

    exported = write_bcf(report, directory / "export")
    bcf_file = BcfXml.load(exported)
    for handler in bcf_file.topics.values():
        if handler.topic.title.startswith(BEDROOM_RULE):
            handler.comments = [mdl.Comment(guid=str(uuid.uuid4()), author="李工（设计院）", comment=text,
                                            date=XmlDateTime.from_string("2026-05-06T09:30:00+08:00"))]
    own = bcf_file.add_topic("楼梯间是否需要前室？", "请审查人员确认。", "李工（设计院）", "Issue", "Open")
    own.comments = [mdl.Comment(guid=str(uuid.uuid4()), author="李工", comment="见附图。",
                                date=XmlDateTime.from_string("2026-05-06T09:31:00+08:00"))]
    bcf_file.extensions.topic_types.topic_type.append("Issue")
    answered = directory / "reply.bcfzip"
    bcf_file.save(answered)
    bcf_file.close()
    return answered.read_bytes()


def _post_bcf(client: Any, url: str, payload: bytes, headers: dict[str, str]) -> Any:
    upload = io.BytesIO(payload)
    upload.name = "reply.bcfzip"
    return client.post(url, {"file": upload}, **headers)


def test_designer_replies_in_bcf_become_comments_on_their_findings(
    client: Any, reviewed: Reviewed, token_for: Any, tmp_path: Path
) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import Comment, Finding

    round_ = reviewed.decided_round_a
    payload = _answered_bcf(round_.check_run.report, tmp_path)
    headers = token_for(reviewed.city.user("designer_a"))
    url = f"/api/v1/rounds/{round_.id}/bcf"
    first = _post_bcf(client, url, payload, headers)
    assert first.status_code == 201, first.content
    result = first.json()
    assert result["version"] == "3.0" and result["comments"] == 1 and result["matched"] >= 1
    assert result["unmatched"] == ["楼梯间是否需要前室？"]
    bedroom = Finding.objects.get(check_run__round=round_, rule_id=BEDROOM_RULE)
    comment = Comment.objects.get(round=round_, finding=bedroom)
    assert comment.body == "李工（设计院）: 已调整主卧隔墙，面积 12.6 m²。" and comment.guid == bedroom.guid
    assert AuditEntry.objects.filter(object_id=str(round_.id), action="round.import_bcf").count() == 1
    again = _post_bcf(client, url, payload, headers)
    assert again.status_code == 201 and again.json()["comments"] == 0
    assert Comment.objects.filter(round=round_).count() == 1
    # The reply shows in the opinion letter's reply column.
    client.force_login(reviewed.city.user("designer_a"))
    assert "已调整主卧隔墙" in client.get(f"/rounds/{round_.id}/letter/").content.decode()


@pytest.mark.parametrize(("payload", "code"), [(b"not a zip at all", "not_bcf"), (b"", "not_bcf")])
def test_a_bad_bcf_file_is_refused_and_adds_nothing(
    client: Any, reviewed: Reviewed, token_for: Any, payload: bytes, code: str
) -> None:
    from zhijian.apps.review.models import Comment

    headers = token_for(reviewed.city.user("designer_a"))
    before = Comment.objects.count()
    response = _post_bcf(client, f"/api/v1/rounds/{reviewed.decided_round_a.id}/bcf", payload, headers)
    assert response.status_code == 422, response.content
    assert response.json()["code"] in (code, "file_missing")
    assert Comment.objects.count() == before


def test_bcf_replies_are_the_designers_while_the_submission_is_returned(
    client: Any, reviewed: Reviewed, token_for: Any, tmp_path: Path
) -> None:
    payload = _answered_bcf(reviewed.round_a.check_run.report, tmp_path)
    in_review = _post_bcf(client, f"/api/v1/rounds/{reviewed.round_a.id}/bcf", payload,
                          token_for(reviewed.city.user("designer_a")))
    assert in_review.status_code == 409 and in_review.json()["code"] == "wrong_state"
    by_reviewer = _post_bcf(client, f"/api/v1/rounds/{reviewed.decided_round_a.id}/bcf", payload,
                            token_for(reviewed.city.user("reviewer_a")))
    assert by_reviewer.status_code == 409


def test_bcf_import_through_the_page(client: Any, reviewed: Reviewed, tmp_path: Path) -> None:
    round_ = reviewed.decided_round_a
    client.force_login(reviewed.city.user("designer_a"))
    page = client.get(f"/submissions/{reviewed.returned_a.id}/").content.decode()
    assert "BCF" in page
    upload = io.BytesIO(_answered_bcf(round_.check_run.report, tmp_path))
    upload.name = "reply.bcfzip"
    response = client.post(f"/rounds/{round_.id}/bcf/", {"file": upload}, follow=True)
    assert response.status_code == 200 and "已调整主卧隔墙" in response.content.decode()
