"""Bad uploads are refused with a clear reason, and nothing is stored: no file, no row, no audit entry."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed, stored_files

pytestmark = pytest.mark.django_db

HEADER = (
    b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\n"
    b"FILE_NAME('x.ifc','2025-01-01T00:00:00',(''),(''),'','','');\n"
)


def _truncated(model: Path) -> bytes:
    data = model.read_bytes()
    return data[: len(data) // 2]


def _zip(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


BAD: dict[str, tuple[Callable[[Path], bytes], int, str]] = {
    "empty": (lambda m: b"", 422, "empty_file"),
    "garbage": (lambda m: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, 422, "not_ifc"),
    "text that is not STEP": (lambda m: "施工图说明：本工程为住宅。\n".encode() * 100, 422, "not_ifc"),
    "truncated": (_truncated, 422, "truncated_ifc"),
    "header without schema": (lambda m: HEADER + b"ENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n", 422, "truncated_ifc"),
    "unsupported schema": (
        lambda m: HEADER + b"FILE_SCHEMA(('CIS2'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n", 422,
        "unsupported_schema",
    ),
    "zip without ifc": (lambda m: _zip("readme.txt", b"no model here"), 422, "no_ifc_in_zip"),
    "damaged zip": (lambda m: _zip("model.ifc", m.read_bytes())[:300], 422, "truncated_ifc"),
    "zip with truncated ifc": (lambda m: _zip("model.ifc", _truncated(m)), 422, "truncated_ifc"),
}


def _post(client: Any, reviewed: Reviewed, name: str, payload: bytes, headers: dict[str, str]) -> Any:
    upload = io.BytesIO(payload)
    upload.name = name
    return client.post(f"/api/v1/submissions/{reviewed.draft_a.id}/models", {"file": upload}, **headers)


def _nothing_stored(reviewed: Reviewed, settings: Any, before: tuple[int, int, list[Path]]) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import ModelVersion

    assert (ModelVersion.objects.count(), AuditEntry.objects.count(), stored_files(settings)) == before


def _state(settings: Any) -> tuple[int, int, list[Path]]:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review.models import ModelVersion

    return ModelVersion.objects.count(), AuditEntry.objects.count(), stored_files(settings)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_upload_is_refused_through_the_api(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, settings: Any, case: str
) -> None:
    make, status, code = BAD[case]
    headers = token_for(reviewed.city.user("designer_a"))
    before = _state(settings)
    suffix = ".ifczip" if "zip" in case else ".ifc"
    response = _post(client, reviewed, f"model{suffix}", make(failing_model), headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code and problem["detail"]
    _nothing_stored(reviewed, settings, before)


def test_an_oversized_upload_is_refused_with_413_and_the_limit(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, settings: Any
) -> None:
    settings.ZHIJIAN_MAX_MODEL_BYTES = 4096
    headers = token_for(reviewed.city.user("designer_a"))
    before = _state(settings)
    response = _post(client, reviewed, "big.ifc", failing_model.read_bytes(), headers)
    assert response.status_code == 413, response.content
    problem = response.json()
    assert problem["code"] == "file_too_large" and problem["limit_bytes"] == 4096
    assert "0.0 MB" in problem["detail"] or "MB" in problem["detail"]
    _nothing_stored(reviewed, settings, before)


def test_a_file_just_under_the_limit_is_accepted(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, settings: Any
) -> None:
    settings.ZHIJIAN_MAX_MODEL_BYTES = failing_model.stat().st_size
    headers = token_for(reviewed.city.user("designer_a"))
    response = _post(client, reviewed, "exact.ifc", failing_model.read_bytes(), headers)
    assert response.status_code == 201, response.content


def test_a_zipped_model_is_accepted(client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    response = _post(client, reviewed, "model.ifczip", _zip("model.ifc", failing_model.read_bytes()), headers)
    assert response.status_code == 201, response.content
    assert response.json()["zipped"] is True


def test_a_missing_file_field_is_a_422(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    response = client.post(f"/api/v1/submissions/{reviewed.draft_a.id}/models", {}, **headers)
    assert response.status_code == 422 and response.json()["code"] == "file_missing"


def test_stored_file_is_the_uploaded_file_with_its_sha256(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any
) -> None:
    import hashlib

    headers = token_for(reviewed.city.user("designer_a"))
    created = _post(client, reviewed, "原始文件名.ifc", failing_model.read_bytes(), headers).json()
    assert created["sha256"] == hashlib.sha256(failing_model.read_bytes()).hexdigest()
    assert created["size_bytes"] == failing_model.stat().st_size
    download = client.get(f"/api/v1/models/{created['id']}/file", **headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == failing_model.read_bytes()
    assert "filename*=utf-8''" in download["Content-Disposition"]


def test_uploads_are_refused_once_the_submission_is_in_review(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, settings: Any
) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    before = _state(settings)
    with failing_model.open("rb") as handle:
        response = client.post(f"/api/v1/submissions/{reviewed.submission_a.id}/models", {"file": handle}, **headers)
    assert response.status_code == 409 and response.json()["code"] == "wrong_state"
    _nothing_stored(reviewed, settings, before)


def test_a_reviewer_cannot_upload(client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("reviewer_a"))
    with failing_model.open("rb") as handle:
        response = client.post(f"/api/v1/submissions/{reviewed.draft_a.id}/models", {"file": handle}, **headers)
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"


@pytest.mark.parametrize("case", ["garbage", "truncated", "empty"])
def test_bad_upload_on_the_page_shows_the_reason(
    client: Any, reviewed: Reviewed, failing_model: Path, settings: Any, case: str
) -> None:
    make, status, code = BAD[case]
    client.force_login(reviewed.city.user("designer_a"))
    before = _state(settings)
    upload = io.BytesIO(make(failing_model))
    upload.name = "model.ifc"
    response = client.post(f"/submissions/{reviewed.draft_a.id}/upload/", {"file": upload})
    assert response.status_code == status
    page = response.content.decode()
    assert f'data-code="{code}"' in page
    _nothing_stored(reviewed, settings, before)


def test_oversized_upload_on_the_page_names_the_limit_in_chinese(
    client: Any, reviewed: Reviewed, failing_model: Path, settings: Any
) -> None:
    settings.ZHIJIAN_MAX_MODEL_BYTES = 2_000
    client.force_login(reviewed.city.user("designer_a"))
    before = _state(settings)
    with failing_model.open("rb") as handle:
        response = client.post(f"/submissions/{reviewed.draft_a.id}/upload/", {"file": handle})
    assert response.status_code == 413
    assert "超过上传上限" in response.content.decode()
    _nothing_stored(reviewed, settings, before)


def test_a_model_the_worker_cannot_read_returns_the_submission_with_the_reason(
    reviewed: Reviewed, failing_model: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The stored file is gone by the time the worker runs: the check fails, the designer gets it back."""
    from django.core.files.storage import default_storage

    from tests.integration.platform.conftest import upload_file
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review import services
    from zhijian.apps.review.models import CheckRun

    designer = reviewed.city.user("designer_a")
    version = services.upload_model_version(designer, reviewed.draft_a.id, upload_file(failing_model))
    default_storage.delete(version.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_submission(designer, reviewed.draft_a.id, "submit")
    reviewed.draft_a.refresh_from_db()
    check = CheckRun.objects.get(round__submission=reviewed.draft_a)
    assert (check.status, reviewed.draft_a.state) == ("failed", "returned")
    assert check.message.startswith("the model could not be read")
    entry = AuditEntry.objects.filter(object_id=str(reviewed.draft_a.id), action="submission.fail_check").get()
    assert entry.actor_label == "system:check" and entry.reason == check.message
