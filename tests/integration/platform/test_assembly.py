"""Assembly-rate evaluations on the platform: the demo building pre-evaluated with a declaration,
bad input refused or explained, the as-built seam, the city list, and the pages.

Figures (hand-checked in ``tests/unit/test_assembly_rate_demo.py`` and the declaration below):
the demo building gives Q1 = 23.1 (q1a 49.0 %), Q2 = 0 (AAC block walls); the declaration gives
Q3 = 6 (全装修) + 6 (q3a 80 %) + 4.5 (q3b 80 %) + 3.8 (q3c 75 %) + 5.0 (q3d 60 %) = 25.3; so
P = (23.1 + 0 + 25.3) / 100 = 48.4 % and the building is not recognised (Q2 < 10, P < 50 %).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.assembly_models import declared
from tests.integration.platform.conftest import Reviewed, upload_file

pytestmark = pytest.mark.django_db

DECLARATION = 'project = "测试"\n\n' + "\n".join([
    declared("full_fitout", "true", "装修施工图 ZS-01～ZS-12"),
    declared("dry_floor", "0.80", "楼地面做法表"),
    declared("integrated_kitchen", '"80%"', "厨房详图"),
    declared("integrated_bathroom", "0.75", "卫生间详图"),
    declared("pipe_separation", "0.60", "管线分离布置图"),
])

BAD_DECLARATION = DECLARATION.replace('key = "dry_floor"\nvalue = 0.80', 'key = "dry_floor"\nvalue = 1.8')


@pytest.fixture(scope="session")
def demo_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    building = pytest.importorskip("zhijian.domain.demo.building", reason="the demo building is not in this tree")
    return building.write_demo_building(tmp_path_factory.mktemp("assembly") / "demo-building.ifc")


@pytest.fixture
def building_a(reviewed: Reviewed) -> Any:
    return reviewed.city.project_a.buildings.get(name="1#楼")


@pytest.fixture
def demo_version(reviewed: Reviewed, demo_model: Path) -> Any:
    """The demo building uploaded to project A's draft submission (a model version, not submitted)."""
    from zhijian.apps.review import services

    return services.upload_model_version(reviewed.city.user("designer_a"), reviewed.draft_a.id, upload_file(demo_model))


@pytest.fixture
def evaluate(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Ask for an evaluation; the task enqueued on commit runs in-process (Celery eager)."""

    def run(version: Any, building: Any, user: Any, text: str | None = DECLARATION, **kwargs: Any) -> Any:
        from zhijian.apps.assembly import services

        declaration = services.DeclarationFile("declaration.toml", text) if text else None
        with django_capture_on_commit_callbacks(execute=True):
            evaluation = services.evaluate_building(version, building, declaration, user, **kwargs)
        evaluation.refresh_from_db()
        return evaluation

    return run


# -- the happy path ---------------------------------------------------------------------
def test_the_demo_building_is_pre_evaluated_with_its_declaration(
    reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any]
) -> None:
    from zhijian.apps.audit.models import AuditEntry

    designer = reviewed.city.user("designer_a")
    evaluation = evaluate(demo_version, building_a, designer)
    assert evaluation.status == "done", evaluation.message
    assert (evaluation.stage, float(evaluation.p), evaluation.grade, evaluation.recognised) == ("design", 48.4, "", False)
    assert [float(q) for q in (evaluation.q1, evaluation.q2, evaluation.q3, evaluation.q4)] == [23.1, 0.0, 25.3, 0.0]
    assert evaluation.advisory and not evaluation.complete  # q2b, q2d neither modelled nor declared
    assert evaluation.blocking == [] and any("q2b" in n for n in evaluation.not_evaluated)
    assert (evaluation.table_id, evaluation.table_version) == ("GB/T 51129-2017", 1)
    assert evaluation.building_label == "1#楼"
    assert evaluation.declared_by == designer and evaluation.declaration_format == "toml"
    assert evaluation.declaration_text == DECLARATION
    result = evaluation.result
    assert result["result_version"] == 1 and result["P"] == 48.4
    assert result["model"]["file"] == "demo-building.ifc"
    q1a = next(i for i in result["items"] if i["symbol"] == "q1a")
    assert q1a["counts"]["counted"] == 180 and all(e["guid"] for e in q1a["elements"])
    full_fitout = next(i for i in result["items"] if i["key"] == "full_fitout")
    assert full_fitout["declaration"]["declared_by"] == "张工" and full_fitout["declaration"]["line"] == 4
    actions = list(AuditEntry.objects.filter(object_id=str(evaluation.id)).order_by("at").values_list("action", flat=True))
    assert actions == ["assembly_evaluation.request", "assembly_evaluation.done"]


def test_asking_again_with_the_same_inputs_returns_the_same_evaluation(
    reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any]
) -> None:
    from zhijian.apps.assembly.models import Evaluation

    designer = reviewed.city.user("designer_a")
    first = evaluate(demo_version, building_a, designer)
    again = evaluate(demo_version, building_a, designer)
    other = evaluate(demo_version, building_a, designer, text=None)
    assert again.id == first.id and other.id != first.id
    assert Evaluation.objects.filter(building=building_a).count() == 2
    assert other.status == "done" and float(other.q3) == 0.0 and other.declared_by is None


# -- bad input ---------------------------------------------------------------------------
def test_a_bad_declaration_is_refused_with_the_line_and_nothing_is_stored(
    reviewed: Reviewed, building_a: Any, demo_version: Any
) -> None:
    from zhijian.apps.assembly import services
    from zhijian.apps.assembly.models import Evaluation
    from zhijian.apps.common.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.evaluate_building(demo_version, building_a, services.DeclarationFile("d.toml", BAD_DECLARATION),
                                   reviewed.city.user("designer_a"))
    assert refused.value.status == 422 and refused.value.code == "bad_declaration"
    assert refused.value.extra == {"line": 12}
    assert "d.toml line 12" in refused.value.detail and "'dry_floor'" in refused.value.detail
    assert "out of range" in refused.value.detail
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("name", "text", "fragment"), [
    ("d.toml", '[[items]]\nkey = "balcony"\nvalue = true\ndeclared_by = "x"\nrole = "r"\ndate = 2026-01-01\nevidence = "e"\n',
     "line 2: unknown item 'balcony'"),
    ("d.json", '{"items": [\n {"key": "full_fitout", "value": "maybe", "declared_by": "x", "role": "r",'
               ' "date": "2026-01-01", "evidence": "e"}]}', "line 2: item 'full_fitout': value 'maybe'"),
    ("d.txt", "x", ".toml 或 .json"),
])
def test_declarations_with_unknown_items_or_bad_values_are_422(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, token_for: Any, name: str, text: str,
    fragment: str,
) -> None:
    response = client.post(
        f"/api/v1/buildings/{building_a.id}/assembly-evaluations",
        {"model_version_id": str(demo_version.id), "declaration": {"name": name, "text": text}},
        content_type="application/json", **token_for(reviewed.city.user("designer_a")),
    )
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "bad_declaration" and fragment in problem["detail"], problem
    if " line " in fragment:
        assert problem["line"] == 2


def test_a_model_without_structural_elements_says_which_item_could_not_be_evaluated(
    reviewed: Reviewed, building_a: Any, evaluate: Callable[..., Any]
) -> None:
    """Project A's reviewed model has rooms only: no rate, and the reason, never a silent zero."""
    evaluation = evaluate(reviewed.model_a, building_a, reviewed.city.user("designer_a"))
    assert evaluation.status == "not_evaluable"
    assert evaluation.p is None and evaluation.grade == "" and evaluation.recognised is False
    assert evaluation.error_code == "not_evaluable"
    assert any(line.startswith("q1a") and "no vertical load-bearing members" in line for line in evaluation.blocking)
    assert any(line.startswith("q1b") and "no horizontal members" in line for line in evaluation.blocking)
    assert "q1a" in evaluation.message and "q1b" in evaluation.message
    assert evaluation.result["P"] is not None  # the calculator's figure is kept in the sheet, not shown as a rate


def test_an_ifc_building_the_model_does_not_have_fails_naming_the_buildings_it_has(
    reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any]
) -> None:
    evaluation = evaluate(demo_version, building_a, reviewed.city.user("designer_a"), ifc_building="9#楼")
    assert evaluation.status == "failed" and evaluation.error_code == "unknown_building"
    assert evaluation.message == "no building named '9#楼' in the model; buildings: 1#楼"
    assert evaluation.result is None and evaluation.p is None


def test_an_unknown_platform_building_is_a_404(client: Any, reviewed: Reviewed, demo_version: Any, token_for: Any) -> None:
    response = client.post(
        "/api/v1/buildings/00000000-0000-4000-8000-000000000000/assembly-evaluations",
        {"model_version_id": str(demo_version.id)}, content_type="application/json",
        **token_for(reviewed.city.user("designer_a")),
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_only_the_designer_or_construction_unit_may_evaluate(
    reviewed: Reviewed, building_a: Any, demo_version: Any
) -> None:
    from django.http import Http404

    from zhijian.apps.assembly import services
    from zhijian.apps.common.errors import Forbidden

    for user in ("reviewer_a", "contractor_a", "bureau"):
        with pytest.raises(Forbidden):
            services.evaluate_building(demo_version, building_a, None, reviewed.city.user(user))
    with pytest.raises(Http404):
        services.evaluate_building(demo_version, building_a, None, reviewed.city.user("designer_b"))
    assert services.evaluate_building(demo_version, building_a, None, reviewed.city.user("owner_a")).status == "queued"


def test_a_model_of_another_project_or_building_is_refused(
    reviewed: Reviewed, building_a: Any, demo_model: Path
) -> None:
    from django.http import Http404

    from zhijian.apps.assembly import services
    from zhijian.apps.common.errors import InvalidInput
    from zhijian.apps.projects import services as projects
    from zhijian.apps.review import services as review

    designer = reviewed.city.user("designer_a")
    with pytest.raises(Http404):  # project B's model is not visible to project A's designer
        services.evaluate_building(reviewed.model_b, building_a, None, designer)
    other = projects.add_building(None, reviewed.city.project_a, name="2#楼", height_m=30, storeys_above=10,
                                  floor_area_m2=5000)
    submission = review.create_submission(designer, project_id=reviewed.city.project_a.id, title="2#楼",
                                          building_id=other.id)
    version = review.upload_model_version(designer, submission.id, upload_file(demo_model))
    with pytest.raises(InvalidInput) as refused:
        services.evaluate_building(version, building_a, None, designer)
    assert refused.value.code == "wrong_building" and "2#楼" in refused.value.detail
    assert services.evaluate_building(version, other, None, designer).building == other


# -- the as-built seam -----------------------------------------------------------------
def test_as_built_is_recomputed_crediting_only_installed_components(
    reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from zhijian.apps.assembly import services

    design = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    items = {i["symbol"]: i for i in design.result["items"]}
    credited = {s: [e for e in items[s]["elements"] if e["counted"]] for s in ("q1a", "q1b")}
    lower = ("3F", "4F", "5F", "6F", "7F", "8F")
    installed = {e["guid"] for s in credited for e in credited[s] if e["storey"] in lower}
    records = [*installed, "0NotAComponent00000000x"]  # a GlobalId the design never credited is ignored
    with django_capture_on_commit_callbacks(execute=True):
        built = services.recompute_as_built(building_a, records)
    built.refresh_from_db()
    assert built.status == "done" and built.stage == "as_built" and built.based_on == design
    assert built.model_version == demo_version and built.declaration_text == design.declaration_text
    assert built.requested_by is None and built.requested_by_system == "traceability"
    assert (built.installed_count, built.not_installed_count) == (len(installed), 358 - len(installed))
    q1a = next(i for i in built.result["items"] if i["symbol"] == "q1a")
    expected = sum(e["quantity"] for e in credited["q1a"] if e["guid"] in installed)
    assert q1a["numerator"] == pytest.approx(expected, abs=1e-4)
    assert q1a["denominator"] == items["q1a"]["denominator"]  # the building still has every member
    assert round(q1a["ratio"] * 100, 1) == 32.6 and q1a["score"] == 0.0  # under 35 %
    assert float(built.p) == 25.3 and float(built.q1) == 0.0 and float(built.q3) == 25.3
    assert built.result["inputs"]["overrides"].startswith("installation records (240 of 358")
    # The same records again: the same evaluation. Different records: a new one.
    assert services.recompute_as_built(building_a, sorted(records, reverse=True)).id == built.id
    assert services.recompute_as_built(building_a, []).id != built.id


def test_as_built_needs_a_finished_design_evaluation_and_plain_guids(reviewed: Reviewed, building_a: Any) -> None:
    from zhijian.apps.assembly import services
    from zhijian.apps.common.errors import Conflict, InvalidInput

    with pytest.raises(Conflict) as refused:
        services.recompute_as_built(building_a, ["0abc"])
    assert refused.value.code == "no_design_evaluation" and "1#楼" in refused.value.detail
    with pytest.raises(InvalidInput):
        services.recompute_as_built(building_a, "0abc")  # a string is not a list of GlobalIds
    with pytest.raises(InvalidInput):
        services.recompute_as_built(building_a, ["x" * 65])


# -- the city list -----------------------------------------------------------------------
def test_the_authority_lists_the_city_with_p_and_grade_and_filters(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any], token_for: Any
) -> None:
    from zhijian.apps.projects import services as projects
    from zhijian.apps.projects.models import Project

    evaluation = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    projects.add_building(None, reviewed.city.project_b, name="B-1#楼", height_m=20, storeys_above=6,
                          floor_area_m2=3000)
    Project.objects.filter(id=reviewed.city.project_a.id).update(district="kaifu")
    bureau = token_for(reviewed.city.user("bureau"))
    page = client.get("/api/v1/assembly-rates", **bureau).json()
    rows = {r["building_name"]: r for r in page["items"]}
    assert page["count"] == 2 and set(rows) == {"1#楼", "B-1#楼"}
    row = rows["1#楼"]
    assert (row["stage"], row["p"], row["grade"], row["recognised"]) == ("design", 48.4, "", False)
    assert row["evaluation_id"] == str(evaluation.id) and row["district"] == "kaifu"
    assert rows["B-1#楼"]["evaluation_id"] is None and rows["B-1#楼"]["stage"] == ""
    kaifu = client.get("/api/v1/assembly-rates?district=kaifu", **bureau).json()
    assert [r["building_name"] for r in kaifu["items"]] == ["1#楼"]
    assert client.get("/api/v1/assembly-rates?grade=none", **bureau).json()["count"] == 1
    assert client.get("/api/v1/assembly-rates?grade=A", **bureau).json()["count"] == 0
    assert client.get("/api/v1/assembly-rates?grade=unevaluated", **bureau).json()["count"] == 1
    assert client.get("/api/v1/assembly-rates?recognised=false", **bureau).json()["count"] == 1
    # Everyone else sees the buildings of their own projects only.
    mine = client.get("/api/v1/assembly-rates", **token_for(reviewed.city.user("designer_b"))).json()
    assert [r["building_name"] for r in mine["items"]] == ["B-1#楼"]
    assert client.get("/api/v1/assembly-rates", **token_for(reviewed.city.user("outsider"))).json()["count"] == 0


def test_the_as_built_rating_supersedes_the_pre_evaluation_in_the_list(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any],
    token_for: Any, django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from zhijian.apps.assembly import services

    design = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    with django_capture_on_commit_callbacks(execute=True):
        built = services.recompute_as_built(building_a, [])
    row = client.get("/api/v1/assembly-rates", **token_for(reviewed.city.user("bureau"))).json()["items"][0]
    assert (row["stage"], row["evaluation_id"]) == ("as_built", str(built.id))
    assert (row["design_evaluation_id"], row["design_p"]) == (str(design.id), 48.4)
    assert row["as_built_p"] == row["p"] < 48.4


# -- pages -------------------------------------------------------------------------------
def test_the_evaluation_page_shows_the_rate_the_sheet_and_the_coloured_3d_view(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any]
) -> None:
    import json
    import re

    evaluation = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    client.force_login(reviewed.city.user("bureau"))
    page = client.get(f"/assembly/evaluations/{evaluation.id}/").content.decode()
    assert "48.4%" in page and "不满足装配式建筑认定的前提条件" in page and "预评价（设计阶段）" in page
    assert f'data-model-url="/models/{demo_version.id}/download/"' in page
    assert 'data-colours-script="assembly-colours"' in page and "viewer/zhijian-viewer.js" in page
    colours = json.loads(re.search(r'<script id="assembly-colours" type="application/json">(.*?)</script>', page, re.S)[1])
    legend = {entry["item"]: entry for entry in colours["legend"]}
    assert legend["vertical_members"]["counted"] == 180 and legend["horizontal_members"]["counted"] == 178
    assert len(colours["colours"]) == 358 and legend["vertical_members"]["label"].startswith("q1a ")
    assert set(legend) == {"vertical_members", "horizontal_members"}  # the walls are masonry: nothing credited
    assert f'src="/assembly/evaluations/{evaluation.id}/sheet/"' in page
    sheet = client.get(f"/assembly/evaluations/{evaluation.id}/sheet/")
    assert sheet.status_code == 200 and sheet["X-Frame-Options"] == "SAMEORIGIN"
    text = sheet.content.decode()
    assert "装配式建筑评价表" in text and "48.4%" in text and "张工" in text
    declaration = client.get(f"/assembly/evaluations/{evaluation.id}/declaration/")
    assert declaration.content.decode() == DECLARATION
    client.cookies["django_language"] = "en"
    english = client.get(f"/assembly/evaluations/{evaluation.id}/sheet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Prefabricated building assessment" in english


def test_the_city_page_and_the_building_page(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any]
) -> None:
    evaluation = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    client.force_login(reviewed.city.user("bureau"))
    city = client.get("/assembly/?grade=none").content.decode()
    assert "1#楼" in city and "48.4%" in city and f"/assembly/evaluations/{evaluation.id}/" in city
    assert "48.4%" not in client.get("/assembly/?grade=AAA").content.decode()
    page = client.get(f"/assembly/buildings/{building_a.id}/").content.decode()
    assert "48.4%" in page and "新建预评价" not in page  # the authority changes nothing
    client.force_login(reviewed.city.user("designer_a"))
    page = client.get(f"/assembly/buildings/{building_a.id}/").content.decode()
    assert 'name="model_version_id"' in page and str(demo_version.id) in page


def test_the_building_page_form_evaluates_and_refuses_a_bad_declaration(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    import io

    from zhijian.apps.assembly.models import Evaluation

    client.force_login(reviewed.city.user("designer_a"))
    url = f"/assembly/buildings/{building_a.id}/evaluate/"
    bad = io.BytesIO(BAD_DECLARATION.encode())
    bad.name = "申报.toml"
    refused = client.post(url, {"model_version_id": str(demo_version.id), "declaration": bad})
    assert refused.status_code == 422
    assert "申报.toml line 12" in refused.content.decode() and not Evaluation.objects.exists()
    good = io.BytesIO(DECLARATION.encode("utf-8-sig"))
    good.name = "申报.toml"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"model_version_id": str(demo_version.id), "declaration": good})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assembly/evaluations/{evaluation.id}/"
    evaluation.refresh_from_db()
    assert evaluation.status == "done" and evaluation.declaration_name == "申报.toml"
    client.force_login(reviewed.city.user("reviewer_a"))
    assert client.post(url, {"model_version_id": str(demo_version.id)}).status_code == 403


PAGES = ["/assembly/buildings/{building}/", "/assembly/evaluations/{evaluation}/",
         "/assembly/evaluations/{evaluation}/sheet/", "/assembly/evaluations/{evaluation}/declaration/"]


@pytest.mark.parametrize("template", PAGES)
def test_pages_are_for_logged_in_users_of_the_project(
    client: Any, reviewed: Reviewed, building_a: Any, demo_version: Any, evaluate: Callable[..., Any], template: str
) -> None:
    evaluation = evaluate(demo_version, building_a, reviewed.city.user("designer_a"))
    url = template.format(building=building_a.id, evaluation=evaluation.id)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for other in ("designer_b", "outsider"):
        client.force_login(reviewed.city.user(other))
        assert client.get(url).status_code == 404
    client.force_login(reviewed.city.user("reviewer_a"))
    assert client.get(url).status_code == 200
    assert client.post(f"/assembly/buildings/{building_a.id}/evaluate/").status_code == 403


# -- the demo city -------------------------------------------------------------------------
def test_the_demo_city_shows_several_evaluated_buildings_and_seeding_again_adds_nothing(world: Any) -> None:
    """The demo building's variants, each with its shipped declaration: not recognised, A, AA,
    and AA's building as built so far (2F–8F installed, façade panels included): recognised,
    not graded."""
    from zhijian.apps.accounts.models import User
    from zhijian.apps.assembly.models import Evaluation
    from zhijian.apps.assembly.selectors import list_city_ratings_for, ratings_of
    from zhijian.apps.review.demo import seed_demo_city

    first = seed_demo_city()
    summary = [(e.building.name, e.stage, float(e.p), e.grade, e.recognised) for e in first.evaluations]
    assert summary == [
        ("1#楼", "design", 47.6, "", False),
        ("2#楼", "design", 63.0, "A", True),
        ("1#楼", "design", 85.9, "AA", True),
        ("1#楼", "as_built", 54.5, "", True),
    ]
    assert all(e.status == "done" and e.declaration_text and e.declared_by is not None for e in first.evaluations)
    assert [e.declaration_name for e in first.evaluations[:3]] == ["baseline.toml", "grade_a.toml", "grade_aa.toml"]
    assert first.evaluations[3].based_on == first.evaluations[2]
    count = Evaluation.objects.count()
    again = seed_demo_city()
    assert Evaluation.objects.count() == count and not [c for c in again.created if "evaluation" in c]
    assert [e.id for e in again.evaluations] == [e.id for e in first.evaluations]
    bureau = User.objects.get(username="bureau")
    rated = {(r.building.project.district, r.building.name): r.current.grade
             for r in ratings_of(list(list_city_ratings_for(bureau))) if r.current is not None}
    assert rated == {("yuelu", "1#楼"): "", ("yuelu", "2#楼"): "A", ("kaifu", "1#楼"): ""}
    assert [b.name for b in list_city_ratings_for(bureau, grade="A", district="yuelu")] == ["2#楼"]


def test_the_built_viewer_is_served_as_a_static_file() -> None:
    """The evaluation page loads static/viewer/zhijian-viewer.js: the build output is a static dir."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    if not (settings.PACKAGE_DIR / "static" / "viewer" / "zhijian-viewer.js").is_file():
        pytest.skip("the viewer is not built (make frontend)")
    assert finders.find("viewer/zhijian-viewer.js")
    assert finders.find("viewer/web-ifc.wasm")


def test_the_form_without_a_model_version_says_so(client: Any, reviewed: Reviewed, building_a: Any) -> None:
    client.force_login(reviewed.city.user("designer_a"))
    for value in ("", "not-a-uuid"):
        response = client.post(f"/assembly/buildings/{building_a.id}/evaluate/", {"model_version_id": value})
        assert response.status_code == 422 and "请选择模型版本" in response.content.decode()


def test_the_page_of_a_model_without_structure_gives_the_reasons_not_a_rate(
    client: Any, reviewed: Reviewed, building_a: Any, evaluate: Callable[..., Any]
) -> None:
    evaluation = evaluate(reviewed.model_a, building_a, reviewed.city.user("designer_a"))
    client.force_login(reviewed.city.user("designer_a"))
    page = client.get(f"/assembly/evaluations/{evaluation.id}/").content.decode()
    assert "无法给出装配率" in page and "no vertical load-bearing members" in page
    assert "data-p=" not in page and "Q1 " not in page
    listed = client.get(f"/assembly/buildings/{building_a.id}/").content.decode()
    assert "无法评价" in listed
