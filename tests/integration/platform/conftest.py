"""Django set-up for the platform tests, and a small city to test in.

The settings module is chosen here (not in pyproject), so domain tests never import Django.
``ZHIJIAN_DB=postgres`` runs the same tests on PostgreSQL (test database ``test_zhijian``).

The city: organisation A's project (owner A, design A, review agency A, EPC A) and
organisation B's project (owner B, design B, review agency B). Users: ``designer_a``,
``reviewer_a``, ``checker_a`` (a reviewer who may check), ``agency_admin_a``, ``owner_a``,
``designer_b``, ``reviewer_b``, ``bureau`` (housing authority),
``outsider`` (an organisation in no project).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijian.config.settings.test")
# Uploaded files of this test session go to a directory of their own, removed at exit.
_DATA_DIR = tempfile.mkdtemp(prefix="zhijian-test-")
os.environ.setdefault("ZHIJIAN_DATA_DIR", _DATA_DIR)
# A file, not memory, so that a real worker process can share the SQLite test database.
os.environ.setdefault("ZHIJIAN_SQLITE_TEST_PATH", os.path.join(_DATA_DIR, "test-zhijian.sqlite3"))
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)

import django  # noqa: E402

django.setup()  # pytest-django sets up Django at start-up only when settings are known then

from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- models ---------------------------------------------------------------------------
def build_model(path: Path, *, master_bedroom: float = 8.9, low_storey: bool = False, schema: str = "IFC4") -> Path:
    """Two storeys of flats. The 2F master bedroom's area is a parameter (GB 50096 5.2.1 asks 9 m²);
    ``low_storey`` makes 1F 2.6 m high, under the mandatory storey height of GB 55038."""
    from zhijian.domain.bim.authoring import ModelBuilder

    builder = ModelBuilder(schema=schema, unit="mm", project="测试住宅")
    second = 2.6 if low_storey else 3.0
    for level, elevation in (("1F", 0.0), ("2F", second)):
        storey = builder.storey(level, elevation)
        area = master_bedroom if level == "2F" else 12.6
        builder.space(storey, f"{level}-01", "主卧", area=area, height=3.0, finish_ceiling_height=2.5)
        builder.space(storey, f"{level}-02", "起居室", area=18.5, height=3.0, finish_ceiling_height=2.5)
    builder.storey("RF", second + 3.0)
    return builder.save(path)


@pytest.fixture
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def failing_model(models_dir: Path) -> Path:
    return build_model(models_dir / "round1.ifc", master_bedroom=8.9)


def revise_model(source: Path, target: Path, *, space: str = "2F-01", area_m2: float = 12.6) -> Path:
    """The designer's revision: the same model (same GlobalIds) with one room's area changed."""
    import ifcopenshell
    import ifcopenshell.util.element

    model = ifcopenshell.open(str(source))
    room = next(s for s in model.by_type("IfcSpace") if s.Name == space)
    scale = 1e6  # the models are in millimetres, so areas are written in mm²
    for definition in ifcopenshell.util.element.get_psets(room, qtos_only=True).values():
        quantity = model.by_id(definition["id"])
        for item in quantity.Quantities:
            if item.Name == "NetFloorArea":
                item.AreaValue = area_m2 * scale
    model.write(str(target))
    return target


@pytest.fixture
def fixed_model(failing_model: Path, models_dir: Path) -> Path:
    return revise_model(failing_model, models_dir / "round2.ifc", area_m2=12.6)


def upload_file(path: Path, name: str | None = None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/octet-stream")


# -- the city -------------------------------------------------------------------------
@dataclass
class City:
    orgs: dict[str, Any]
    users: dict[str, Any]
    project_a: Any
    project_b: Any

    def user(self, name: str) -> Any:
        return self.users[name]


ORG_SPECS = {
    "owner_a": ("A 置业", "construction_unit"), "design_a": ("A 设计院", "design"),
    "agency_a": ("A 审图中心", "review_agency"), "epc_a": ("A 建工", "general_contractor"),
    "producer_a": ("A 构件厂", "component_producer"), "digital_a": ("A 数字", "digital"),
    "owner_b": ("B 置业", "construction_unit"), "design_b": ("B 设计院", "design"),
    "agency_b": ("B 审图中心", "review_agency"), "bureau": ("住建局", "authority"),
    "lonely": ("无项目企业", "equipment"),
}
USER_ROLES = {
    "owner_a": ("owner_a", "org_admin"), "designer_a": ("design_a", "designer"),
    "reviewer_a": ("agency_a", "reviewer"), "checker_a": ("agency_a", "reviewer"),
    "agency_admin_a": ("agency_a", "org_admin"), "contractor_a": ("epc_a", "contractor"),
    "owner_b": ("owner_b", "org_admin"), "designer_b": ("design_b", "designer"),
    "reviewer_b": ("agency_b", "reviewer"), "bureau": ("bureau", "authority"),
    "outsider": ("lonely", "org_admin"),
}


def build_city() -> dict[str, Any]:
    """Create the city through the services; returns the ids."""
    from zhijian.apps.accounts import services as accounts
    from zhijian.apps.accounts.uscc import make_uscc
    from zhijian.apps.projects import services as projects

    orgs = {}
    for serial, (key, (name, org_type)) in enumerate(ORG_SPECS.items(), start=1):
        orgs[key] = accounts.register_organization(
            None, system="test", name=name, uscc=make_uscc(serial * 101), org_type=org_type, district="yuelu",
            latitude=Decimal("28.2"), longitude=Decimal("112.9"),
        )
    users = {}
    for username, (org_key, role) in USER_ROLES.items():
        users[username] = accounts.create_user(None, system="test", username=username, password=PASSWORD)
        membership = accounts.add_membership(None, system="test", user=users[username], organization=orgs[org_key],
                                             role=role)
        if role == "reviewer":  # every discipline; checker_a may also check (复核)
            from zhijian.apps.review.services import declare_disciplines
            from zhijian.domain.review.disciplines import assignable_keys

            declare_disciplines(None, membership, list(assignable_keys()), may_check=username.startswith("checker"),
                                system="test")
    project_a = projects.create_project(None, system="test", owner=orgs["owner_a"], code="A-001", name="A 项目")
    for key, role in (("design_a", "design"), ("agency_a", "review_agency"), ("epc_a", "epc"),
                      ("producer_a", "production"), ("digital_a", "digital")):
        projects.add_participant(None, project_a, orgs[key], role, system="test")
    projects.add_building(None, project_a, system="test", name="1#楼", height_m=Decimal("17.4"), storeys_above=6,
                          floor_area_m2=Decimal("4800"))
    project_b = projects.create_project(None, system="test", owner=orgs["owner_b"], code="B-001", name="B 项目")
    for key, role in (("design_b", "design"), ("agency_b", "review_agency")):
        projects.add_participant(None, project_b, orgs[key], role, system="test")
    return {
        "orgs": {k: o.id for k, o in orgs.items()}, "users": {k: u.id for k, u in users.items()},
        "project_a": project_a.id, "project_b": project_b.id,
    }


def load_city(ids: dict[str, Any]) -> City:
    from zhijian.apps.accounts.models import Organization, User
    from zhijian.apps.projects.models import Project

    orgs = {o.id: o for o in Organization.objects.filter(id__in=ids["orgs"].values())}
    users = {u.id: u for u in User.objects.filter(id__in=ids["users"].values())}
    return City(
        {k: orgs[v] for k, v in ids["orgs"].items()}, {k: users[v] for k, v in ids["users"].items()},
        Project.objects.get(id=ids["project_a"]), Project.objects.get(id=ids["project_b"]),
    )


def staff(submission: Any, reviewer: Any, checker: Any) -> None:
    """Assign ``reviewer`` and ``checker`` to every discipline in the submission's scope (approval needs it)."""
    from zhijian.apps.review import services
    from zhijian.apps.review.staffing import staffing_of

    for discipline in staffing_of(submission).scope:
        services.assign_discipline(reviewer, submission.id, discipline, reviewer_id=reviewer.id, checker_id=checker.id)


def submit(user: Any, submission: Any, path: Path, reason: str = "") -> Any:
    """Upload and submit; the check runs in-process (the task's own code, run by Celery's apply)."""
    from zhijian.apps.review import services
    from zhijian.apps.review.tasks import check_model_version

    version = services.upload_model_version(user, submission.id, upload_file(path))
    services.transition_submission(user, submission.id, "submit", reason)
    check_model_version.apply(args=[str(version.id)])
    submission.refresh_from_db()
    return submission


@pytest.fixture(scope="session")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The city and one checked submission per organisation, committed once for the session;
    every test runs in a transaction rolled back afterwards, so each starts from this state."""
    from zhijian.apps.review import services

    model = build_model(tmp_path_factory.mktemp("world") / "round1.ifc")
    with django_db_blocker.unblock():
        ids = build_city()
        city = load_city(ids)
        sub_a = services.create_submission(city.user("designer_a"), project_id=city.project_a.id, title="A 1#楼")
        sub_b = services.create_submission(city.user("designer_b"), project_id=city.project_b.id, title="B 1#楼")
        submit(city.user("designer_a"), sub_a, model)
        submit(city.user("designer_b"), sub_b, model)
        draft = services.create_submission(city.user("designer_a"), project_id=city.project_a.id, title="A 2#楼")
        returned = services.create_submission(city.user("designer_a"), project_id=city.project_a.id, title="A 3#楼")
        submit(city.user("designer_a"), returned, model)
        services.transition_submission(city.user("reviewer_a"), returned.id, "return", "主卧使用面积不足，请修改")
    ids.update(submission_a=sub_a.id, submission_b=sub_b.id, draft_a=draft.id, returned_a=returned.id)
    return ids


@pytest.fixture
def committed(world: dict[str, Any]) -> dict[str, Any]:
    """The session's city, or — after an earlier transactional test emptied the database — a new
    one with a draft submission of organisation A (committed: the worker reads it)."""
    from zhijian.apps.accounts.models import Organization
    from zhijian.apps.review import services

    if Organization.objects.filter(id=world["orgs"]["owner_a"]).exists():
        return world
    ids = build_city()
    city = load_city(ids)
    draft = services.create_submission(city.user("designer_a"), project_id=city.project_a.id, title="A 2#楼")
    return {**ids, "draft_a": draft.id}


@pytest.fixture
def city(db: None, world: dict[str, Any]) -> City:
    return load_city(world)


@pytest.fixture
def submit_model(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Upload a model as ``user`` and submit it; the enqueued check runs in-process on commit."""

    def run(user: Any, submission: Any, path: Path, reason: str = "") -> Any:
        from zhijian.apps.review import services

        services.upload_model_version(user, submission.id, upload_file(path))
        with django_capture_on_commit_callbacks(execute=True):
            services.transition_submission(user, submission.id, "submit", reason)
        submission.refresh_from_db()
        return submission

    return run


@dataclass
class Reviewed:
    """Project A's submission after round 1 (checked, in review), project B's likewise, A's draft,
    and A's submission returned after round 1."""

    city: City
    submission_a: Any
    submission_b: Any
    round_a: Any
    round_b: Any
    finding_a: Any
    finding_b: Any
    model_a: Any
    model_b: Any
    draft_a: Any
    returned_a: Any  # round 1 returned with an opinion
    decided_round_a: Any


@pytest.fixture
def reviewed(city: City, world: dict[str, Any]) -> Reviewed:
    from zhijian.apps.review.models import Finding, Submission

    sub_a = Submission.objects.get(id=world["submission_a"])
    sub_b = Submission.objects.get(id=world["submission_b"])
    assert sub_a.state == "in_review" and sub_b.state == "in_review"
    round_a, round_b = sub_a.rounds.get(), sub_b.rounds.get()
    returned = Submission.objects.get(id=world["returned_a"])
    return Reviewed(
        city, sub_a, sub_b, round_a, round_b,
        Finding.objects.filter(check_run__round=round_a).order_by("ordinal").first(),
        Finding.objects.filter(check_run__round=round_b).order_by("ordinal").first(),
        round_a.model_version, round_b.model_version, Submission.objects.get(id=world["draft_a"]),
        returned, returned.rounds.get(),
    )


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    def run(user: Any) -> Any:
        client.force_login(user)
        return client

    return run


@pytest.fixture
def token_for() -> Callable[[Any], dict[str, str]]:
    """Headers carrying a fresh API token for ``user``."""

    def run(user: Any) -> dict[str, str]:
        from zhijian.apps.accounts.services import issue_api_token

        _, raw = issue_api_token(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return run
