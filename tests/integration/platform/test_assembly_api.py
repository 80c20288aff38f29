"""Every assembly-rate API endpoint, three ways (anonymous → 401, another organisation → 404,
permitted → 2xx), plus the housing authority (reads everything, changes nothing). The table
is the assembly router's surface; a new route that is not in it fails
``test_every_assembly_route_is_in_the_table``. Ids are real ids of organisation A's objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.integration.platform.conftest import Reviewed
from tests.integration.platform.test_api_permissions import assert_problem

pytestmark = pytest.mark.django_db


@dataclass
class Evaluated:
    """Organisation A's 1#楼 evaluated from A's reviewed model (rooms only: not evaluable)."""

    reviewed: Reviewed
    building: Any
    evaluation: Any


@pytest.fixture
def evaluated(reviewed: Reviewed, django_capture_on_commit_callbacks: Any) -> Evaluated:
    from zhijian.apps.assembly import services

    building = reviewed.city.project_a.buildings.get(name="1#楼")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.evaluate_building(reviewed.model_a, building, None, reviewed.city.user("designer_a"))
    evaluation.refresh_from_db()
    assert evaluation.status == "not_evaluable"
    return Evaluated(reviewed, building, evaluation)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permitted: str
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    other: str = "designer_b"
    scoped: bool = True

    def url(self, e: Evaluated) -> str:
        return self.path.format(building=e.building.id, evaluation=e.evaluation.id)


ENDPOINTS = [
    Endpoint("post", "/api/v1/buildings/{building}/assembly-evaluations", "designer_a", 202,
             {"model_version_id": "{model}", "ifc_building": "1#楼"}),
    Endpoint("get", "/api/v1/buildings/{building}/assembly-evaluations", "reviewer_a"),
    Endpoint("get", "/api/v1/assembly-evaluations/{evaluation}", "contractor_a"),
    Endpoint("get", "/api/v1/assembly-evaluations/{evaluation}/result", "owner_a"),
    Endpoint("get", "/api/v1/assembly-rates", "designer_a", scoped=False),
]
IDS = [f"{e.method.upper()} {e.path}" for e in ENDPOINTS]
SCOPED = [e for e in ENDPOINTS if e.scoped]
SCOPED_IDS = [i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.scoped]


def call(client: Any, endpoint: Endpoint, e: Evaluated, **headers: str) -> Any:
    url = endpoint.url(e)
    if endpoint.method == "get":
        return client.get(url, **headers)
    model = str(e.reviewed.model_a.id)
    body = {k: (v.format(model=model) if isinstance(v, str) else v) for k, v in endpoint.body.items()}
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(client: Any, evaluated: Evaluated, endpoint: Endpoint) -> None:
    response = call(client, endpoint, evaluated)
    assert_problem(response, 401, "not_authenticated")


@pytest.mark.parametrize("endpoint", SCOPED, ids=SCOPED_IDS)
@pytest.mark.parametrize("who", ["designer_b", "outsider"])
def test_another_organisation_gets_404(
    client: Any, evaluated: Evaluated, token_for: Any, endpoint: Endpoint, who: str
) -> None:
    from zhijian.apps.assembly.models import Evaluation
    from zhijian.apps.audit.models import AuditEntry

    before = (AuditEntry.objects.count(), Evaluation.objects.count())
    response = call(client, endpoint, evaluated, **token_for(evaluated.reviewed.city.user(who)))
    assert_problem(response, 404, "not_found")
    assert (AuditEntry.objects.count(), Evaluation.objects.count()) == (before[0] + 1, before[1])  # the token only


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_permitted_user_succeeds(client: Any, evaluated: Evaluated, token_for: Any, endpoint: Endpoint) -> None:
    response = call(client, endpoint, evaluated, **token_for(evaluated.reviewed.city.user(endpoint.permitted)))
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_same_works_with_a_browser_session(client: Any, evaluated: Evaluated, endpoint: Endpoint) -> None:
    client.force_login(evaluated.reviewed.city.user(endpoint.permitted))
    response = call(client, endpoint, evaluated)
    assert response.status_code == endpoint.status, response.content


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "get"], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.method == "get"])
def test_the_housing_authority_reads_everything(
    client: Any, evaluated: Evaluated, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, evaluated, **token_for(evaluated.reviewed.city.user("bureau")))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "post"], ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.method == "post"])
def test_the_housing_authority_changes_nothing(
    client: Any, evaluated: Evaluated, token_for: Any, endpoint: Endpoint
) -> None:
    response = call(client, endpoint, evaluated, **token_for(evaluated.reviewed.city.user("bureau")))
    assert_problem(response, 403, "not_permitted")


def test_every_assembly_route_is_in_the_table() -> None:
    import re

    from zhijian.apps.assembly.api import router

    routes = set()
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                routes.add((method.lower(), re.sub(r"\{[^}]+\}", "{id}", "/api/v1" + path)))
    assert routes == {(e.method, re.sub(r"\{[^}]+\}", "{id}", e.path)) for e in ENDPOINTS}


def test_the_evaluation_and_its_result_say_why_there_is_no_rate(
    client: Any, evaluated: Evaluated, token_for: Any
) -> None:
    headers = token_for(evaluated.reviewed.city.user("designer_a"))
    body = client.get(f"/api/v1/assembly-evaluations/{evaluated.evaluation.id}", **headers).json()
    assert body["status"] == "not_evaluable" and body["p"] is None and body["grade"] == ""
    assert body["error_code"] == "not_evaluable" and any(b.startswith("q1a") for b in body["blocking"])
    assert body["requested_by"] == "designer_a" and body["project_id"] == str(evaluated.reviewed.city.project_a.id)
    result = client.get(f"/api/v1/assembly-evaluations/{evaluated.evaluation.id}/result", **headers).json()
    assert result["result_version"] == 1 and result["blocking"] == body["blocking"]
    listed = client.get(f"/api/v1/buildings/{evaluated.building.id}/assembly-evaluations", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == str(evaluated.evaluation.id)


def test_a_queued_evaluation_has_no_result_yet(client: Any, reviewed: Reviewed, token_for: Any) -> None:
    from zhijian.apps.assembly import services

    building = reviewed.city.project_a.buildings.get(name="1#楼")
    evaluation = services.evaluate_building(reviewed.model_a, building, None, reviewed.city.user("designer_a"))
    headers = token_for(reviewed.city.user("designer_a"))
    assert client.get(f"/api/v1/assembly-evaluations/{evaluation.id}", **headers).json()["status"] == "queued"
    assert_problem(client.get(f"/api/v1/assembly-evaluations/{evaluation.id}/result", **headers), 404, "not_found")


def test_the_api_answers_bad_input_in_problem_details(client: Any, evaluated: Evaluated, token_for: Any) -> None:
    headers = token_for(evaluated.reviewed.city.user("designer_a"))
    url = f"/api/v1/buildings/{evaluated.building.id}/assembly-evaluations"
    problem = assert_problem(client.post(url, {}, content_type="application/json", **headers), 422, "invalid")
    assert any("model_version_id" in e["loc"] for e in problem["errors"])
    missing = client.post(url, {"model_version_id": str(evaluated.building.id)}, content_type="application/json",
                          **headers)
    assert_problem(missing, 404, "not_found")  # not a model version anyone can see
