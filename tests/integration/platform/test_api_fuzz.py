"""Property-based fuzzing of API v1 with schemathesis, in-process against the Django WSGI app.

Every operation of ``/api/v1/openapi.json`` gets generated requests — the schema's examples, its
boundary values (coverage phase) and random valid and invalid input (fuzzing phase) — sent with an
API token of a designer and of the housing authority. A response must not be a server error, its
status must be declared, its content type and body must match the declared schema (errors are
``application/problem+json`` problem details). Path identifiers are drawn either at random (an
absent object: 404) or from the test city, so real objects' answers are checked too.

The budget is fixed and derandomized (a seed), so a run is reproducible; each request runs in the
test's transaction, rolled back afterwards. Runs on SQLite and, with ``ZHIJIAN_DB=postgres``, on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SEED = 20260520
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"max-examples": 3, "deterministic": True, "no-shrink": True},
    "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": []}},
})

# Path parameter name → ids of real objects of the test city (filled per test by ``_known_ids``);
# read lazily, when Hypothesis draws, so the schema can be built at import time.
KNOWN: dict[str, list[str]] = {}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any] | None) -> Any:
    """The generated parameters, or the same with the identifiers of real objects."""
    real = {name: st.sampled_from(KNOWN[name]) for name in path_parameters or {} if KNOWN.get(name)}
    if not real:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(real).map(lambda drawn: {**path_parameters, **drawn}))


# Which model a path parameter names (``app_label.Model``), for the real ids above.
PARAMETER_MODELS = {
    "organization_id": "accounts.Organization", "membership_id": "accounts.Membership",
    "project_id": "projects.Project", "building_id": "projects.Building",
    "submission_id": "review.Submission", "round_id": "review.Round", "finding_id": "review.Finding",
    "model_version_id": "review.ModelVersion",
}


@pytest.fixture
def _known_ids(db: None, world: dict[str, Any]) -> Iterator[None]:
    from django.apps import apps
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    for name, label in PARAMETER_MODELS.items():
        model = apps.get_model(label)
        KNOWN[name] = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:20]]
    yield
    KNOWN.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["designer_a", "bureau"])
def auth(request: pytest.FixtureRequest, _known_ids: None, city: Any) -> dict[str, str]:
    from zhijian.apps.accounts.services import issue_api_token

    _, raw = issue_api_token(city.user(request.param), "fuzz")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_no_operation_fails_its_contract(case: schemathesis.Case, auth: dict[str, str]) -> None:
    case.call_and_validate(headers=auth, checks=CHECKS)


# -- the bugs the fuzzing found, pinned -------------------------------------------------------
@pytest.mark.parametrize("url", [
    "/api/v1/organizations", "/api/v1/submissions", "/api/v1/prefab/shipments", "/api/v1/assembly-rates",
])
def test_an_offset_beyond_64_bits_is_invalid_input_not_a_server_error(
    client: Any, city: Any, token_for: Any, url: str,
) -> None:
    response = client.get(url, {"offset": str(10**30)}, **token_for(city.user("bureau")))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid"


def test_a_post_to_an_unknown_api_url_is_a_problem_not_the_csrf_page(client: Any, city: Any, token_for: Any) -> None:
    response = client.post("/api/v1/submissions/null,null/transitions", {"action": "submit"},
                           content_type="application/json", **token_for(city.user("designer_a")))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_multipart_without_a_boundary_is_a_bad_request(client: Any, city: Any, token_for: Any) -> None:
    response = client.generic("POST", "/api/v1/prefab/photos", b"--x\r\n", content_type="multipart/form-data",
                              **token_for(city.user("designer_a")))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_body"


def test_every_operation_declares_its_problem_responses(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            assert {"401", "422"} <= declared or (method == "get" and not operation.get("parameters")), (method, path)
            if "{" in path:
                assert "404" in declared, (method, path)
            if method == "post":
                assert {"400", "403", "409"} <= declared, (method, path)
                assert "application/problem+json" in operation["responses"]["409"]["content"]


def test_a_photo_for_a_malformed_organization_id_is_invalid_input(client: Any, city: Any, token_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post("/api/v1/prefab/photos", {"file": SimpleUploadedFile("p.png", png), "organization_id": "true"},
                           **token_for(city.user("designer_a")))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
