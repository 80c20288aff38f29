"""Every API endpoint, three ways: anonymous → 401, another organisation → 404, permitted → 2xx.

The table below is the API surface; a new endpoint that is not in it fails
``test_every_route_is_in_the_table``. Ids are always real ids of organisation A's objects,
so a 404 for organisation B proves the tenant restriction, not a typo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted with the Reviewed fixture's ids
    permitted: str  # a user of organisation A allowed to call it
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    upload: str = ""  # "model" or "bcf": a multipart file of that kind
    other: str = "designer_b"  # a user of organisation B
    scoped: bool = True  # False: lists and "me", which cannot 404

    def url(self, r: Reviewed) -> str:
        return self.path.format(
            org=r.city.orgs["design_a"].id, project=r.city.project_a.id, submission=r.submission_a.id,
            draft=r.draft_a.id, model=r.model_a.id, round=r.round_a.id, finding=r.finding_a.id,
            decided=r.decided_round_a.id, membership=_reviewer_membership(r),
        )


def _reviewer_membership(r: Reviewed) -> Any:
    from zhijian.apps.accounts.models import Membership

    return Membership.objects.get(user=r.city.user("reviewer_a"), role="reviewer").id


ENDPOINTS = [
    Endpoint("get", "/api/v1/me", "designer_a", scoped=False),
    Endpoint("get", "/api/v1/organizations", "designer_a", scoped=False),
    Endpoint("get", "/api/v1/organizations/{org}", "designer_a"),
    Endpoint("get", "/api/v1/projects", "designer_a", scoped=False),
    Endpoint("get", "/api/v1/projects/{project}", "designer_a"),
    Endpoint("get", "/api/v1/submissions", "designer_a", scoped=False),
    Endpoint("post", "/api/v1/submissions", "designer_a", 201, {"project_id": "{project}", "title": "新送审"}),
    Endpoint("get", "/api/v1/submissions/{submission}", "reviewer_a"),
    Endpoint("post", "/api/v1/submissions/{submission}/transitions", "reviewer_a", 200,
             {"action": "return", "reason": "请修改"}),
    Endpoint("get", "/api/v1/submissions/{submission}/history", "designer_a"),
    Endpoint("get", "/api/v1/submissions/{submission}/staffing", "designer_a"),
    Endpoint("post", "/api/v1/submissions/{submission}/assignments", "agency_admin_a", 200,
             {"discipline": "architecture", "reviewer_id": "{reviewer}", "checker_id": "{checker}"}),
    Endpoint("post", "/api/v1/submissions/{submission}/scope", "reviewer_a", 200,
             {"disciplines": ["architecture", "fire"], "review_class": "large"}),
    Endpoint("post", "/api/v1/reviewer-memberships/{membership}/disciplines", "agency_admin_a", 200,
             {"disciplines": ["structure", "fire"], "may_check": True}),
    Endpoint("get", "/api/v1/submissions/{submission}/rounds", "designer_a"),
    Endpoint("get", "/api/v1/submissions/{submission}/models", "designer_a"),
    Endpoint("post", "/api/v1/submissions/{draft}/models", "designer_a", 201, upload="model"),
    Endpoint("get", "/api/v1/models/{model}", "designer_a"),
    Endpoint("get", "/api/v1/models/{model}/file", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{round}", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{round}/report", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{round}/findings", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{round}/diff", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{round}/comments", "reviewer_a"),
    Endpoint("get", "/api/v1/rounds/{decided}/letter", "designer_a"),
    Endpoint("post", "/api/v1/rounds/{decided}/bcf", "designer_a", 201, upload="bcf"),
    Endpoint("post", "/api/v1/rounds/{round}/comments", "reviewer_a", 201, {"body": "请核对", "guid": "0abc"}),
    Endpoint("get", "/api/v1/findings/{finding}", "reviewer_a"),
    Endpoint("post", "/api/v1/findings/{finding}/waiver", "reviewer_a", 201, {"reason": "图纸已表达"}),
]
IDS = [f"{e.method.upper()} {e.path}" for e in ENDPOINTS]


def call(client: Any, endpoint: Endpoint, r: Reviewed, model: Path, **headers: str) -> Any:
    url = endpoint.url(r)
    if endpoint.upload == "bcf":
        return client.post(url, {"file": bcf_export(r.decided_round_a, model.parent)}, **headers)
    if endpoint.upload:
        with model.open("rb") as handle:
            return client.post(url, {"file": handle}, **headers)
    if endpoint.method == "get":
        return client.get(url, **headers)
    ids = {"project": r.city.project_a.id, "reviewer": r.city.user("reviewer_a").id,
           "checker": r.city.user("checker_a").id}
    body = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in endpoint.body.items()}
    return client.post(url, body, content_type="application/json", **headers)


def bcf_export(round_: Any, directory: Path) -> Any:
    """The round's findings as our BCF export, opened for upload."""
    import io

    from zhijian.domain.reports.bcf_report import write_bcf

    round_.check_run.refresh_from_db()
    path = write_bcf(round_.check_run.report, directory / "bcf-export")
    upload = io.BytesIO(path.read_bytes())
    upload.name = "replies.bcfzip"
    return upload


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"] and problem["type"]
    if code:
        assert problem["code"] == code
    return problem


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(client: Any, reviewed: Reviewed, failing_model: Path, endpoint: Endpoint) -> None:
    response = call(client, endpoint, reviewed, failing_model)
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.scoped], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.scoped])
def test_another_organisation_gets_404(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, endpoint: Endpoint, settings: Any
) -> None:
    from tests.integration.platform.conftest import stored_files
    from zhijian.apps.audit.models import AuditEntry

    entries, files = AuditEntry.objects.count(), stored_files(settings)
    response = call(client, endpoint, reviewed, failing_model, **token_for(reviewed.city.user(endpoint.other)))
    assert_problem(response, 404, "not_found")
    assert AuditEntry.objects.count() == entries + 1  # only the token issued above
    assert stored_files(settings) == files


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.scoped], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.scoped])
def test_an_organisation_in_no_project_gets_404(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, reviewed, failing_model, **token_for(reviewed.city.user("outsider")))
    assert_problem(response, 404, "not_found")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_permitted_user_succeeds(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, reviewed, failing_model, **token_for(reviewed.city.user(endpoint.permitted)))
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_same_works_with_a_browser_session(
    client: Any, reviewed: Reviewed, failing_model: Path, endpoint: Endpoint
) -> None:
    client.force_login(reviewed.city.user(endpoint.permitted))
    response = call(client, endpoint, reviewed, failing_model)
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "get"], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.method == "get"])
def test_the_housing_authority_reads_everything(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, reviewed, failing_model, **token_for(reviewed.city.user("bureau")))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "post"], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.method == "post"])
def test_the_housing_authority_changes_nothing(
    client: Any, reviewed: Reviewed, failing_model: Path, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, reviewed, failing_model, **token_for(reviewed.city.user("bureau")))
    assert_problem(response, 403, "not_permitted")


def test_lists_hold_only_what_the_organisation_takes_part_in(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    b = token_for(reviewed.city.user("designer_b"))
    projects = {p["id"] for p in client.get("/api/v1/projects", **b).json()["items"]}
    assert projects == {str(reviewed.city.project_b.id)}
    submissions = {s["id"] for s in client.get("/api/v1/submissions", **b).json()["items"]}
    assert submissions == {str(reviewed.submission_b.id)}
    organisations = {o["id"] for o in client.get("/api/v1/organizations", **b).json()["items"]}
    expected = {str(reviewed.city.orgs[k].id) for k in ("owner_b", "design_b", "agency_b")}
    assert organisations == expected
    everything = client.get("/api/v1/submissions", **token_for(reviewed.city.user("bureau"))).json()
    assert everything["count"] == 4


def test_lists_are_paginated(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    bureau = token_for(reviewed.city.user("bureau"))
    page = client.get("/api/v1/organizations?limit=2&offset=1", **bureau).json()
    assert len(page["items"]) == 2 and page["count"] == len(reviewed.city.orgs)


def test_every_route_is_in_the_table() -> None:
    """Every route of the accounts, projects and review routers (other apps test their own)."""
    from zhijian.apps.accounts.api import router as accounts
    from zhijian.apps.projects.api import router as projects
    from zhijian.apps.review.api import router as review
    from zhijian.config.api import api

    routes = set()
    for prefix, router in api._routers:
        if router not in (accounts, projects, review):
            continue
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
                    routes.add((method.lower(), full.replace("{uuid:", "{").rstrip("/")))
    table = set()
    for e in ENDPOINTS:
        table.add((e.method, e.path.replace("{draft}", "{submission}").replace("{decided}", "{round}")))
    normalised = {(m, _names(p)) for m, p in routes}
    assert normalised == {(m, _names(p)) for m, p in table}


def _names(path: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", "{id}", path)


def test_unknown_api_paths_and_malformed_ids_are_problem_404s(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    assert_problem(client.get("/api/v1/nothing-here", **headers), 404, "not_found")
    assert_problem(client.get("/api/v1/submissions/42", **headers), 404, "not_found")


def test_bad_json_is_a_422_problem(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    headers = token_for(reviewed.city.user("designer_a"))
    response = client.post("/api/v1/submissions", {"title": "x"}, content_type="application/json", **headers)
    problem = assert_problem(response, 422, "invalid")
    assert any("project_id" in e["loc"] for e in problem["errors"])


def test_a_revoked_or_unknown_token_is_401(client: Any, reviewed: Reviewed) -> None:
    from zhijian.apps.accounts.services import issue_api_token, revoke_api_token

    user = reviewed.city.user("designer_a")
    token, raw = issue_api_token(user, "ci")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    revoke_api_token(user, token.id)
    assert_problem(client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}"), 401)
    assert_problem(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer zj_guess"), 401)


def test_session_posts_need_the_csrf_token(reviewed: Reviewed) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewed.city.user("reviewer_a"))
    response = client.post(f"/api/v1/rounds/{reviewed.round_a.id}/comments", {"body": "x", "guid": "g"},
                           content_type="application/json")
    assert_problem(response, 403, "csrf_failed")


def test_openapi_document_and_docs_are_served(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/submissions/{submission_id}/transitions" in paths
    assert client.get("/api/v1/docs").status_code == 200
