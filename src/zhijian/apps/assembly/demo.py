"""The demo city's assembly rates: several buildings evaluated from the demo model.

Called by the demo seed (:func:`zhijian.apps.review.demo.seed_demo_city`) after the review
project exists. Idempotent: a submission or project found is reused, and asking again for
an evaluation with the same inputs returns the one already made. Evaluations run here and
now (the task's own code through Celery's ``apply``), so the demo is ready with or without
a worker; the task queued on commit then finds them finished and does nothing.

What the demo shows: the demo building as drawn (precast shear walls, 叠合板, precast stairs
and balconies from 3F; AAC block infill and partitions) rates q1a 49.0 % (23.1 points),
q1b 68.6 % (0) and Q2 0 — with masonry walls it is not a recognised prefabricated building
whatever is declared, and the sheet says why (Q2 < 10). Declarations differ per building;
one building is also rated as built from the installation records of its lower storeys.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhijian.apps.accounts.models import Organization, User
from zhijian.apps.assembly import services
from zhijian.apps.assembly.choices import EvaluationStatus
from zhijian.apps.assembly.models import Evaluation
from zhijian.apps.projects import services as projects
from zhijian.apps.projects.models import Building, Project
from zhijian.apps.review import services as review
from zhijian.apps.review.models import ModelVersion, Submission

SEED = "seed"
SECOND_PROJECT_CODE = "430105-2025-0002"
SECOND_TEAM = [(302, "epc"), (202, "design"), (402, "production"), (702, "digital"), (502, "review_agency")]
AS_BUILT_STOREYS = ("3F", "4F", "5F", "6F", "7F", "8F")  # precast components installed so far


def _declaration(rows: list[tuple[str, Any, str]], declared_by: str, role: str, date: str) -> str:
    """A TOML declaration file: (item key, value, evidence) per row."""
    lines = ['project = "长沙智建示范"', ""]
    for key, value, evidence in rows:
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, str):
            shown = f'"{value}"'
        else:
            shown = repr(value)
        lines += [
            "[[items]]", f'key = "{key}"', f"value = {shown}", f'declared_by = "{declared_by}"', f'role = "{role}"',
            f"date = {date}", f'evidence = "{evidence}"', "",
        ]
    return "\n".join(lines)


# Full fit-out with integrated kitchens and bathrooms: Q3 = 6 + 6 + 4.5 + 3.8 + 5.0 = 25.3.
FULL_FITOUT = _declaration(
    [
        ("full_fitout", True, "装修施工图 ZS-01～ZS-12"),
        ("dry_floor", 0.80, "楼地面做法表 JS-03：架空地板干式工法"),
        ("integrated_kitchen", 0.80, "集成厨房深化图 CF-01～CF-04"),
        ("integrated_bathroom", 0.75, "集成卫生间深化图 WS-01～WS-06"),
        ("pipe_separation", 0.60, "给排水、电气管线分离布置图 SS-02、DS-02"),
    ],
    "设计师 张工", "设计单位项目负责人", "2025-09-01",
)
# Full fit-out only: Q3 = 6.
FITOUT_ONLY = _declaration(
    [("full_fitout", "是", "装修施工图 ZS-01～ZS-08")], "设计师 张工", "设计单位项目负责人", "2025-10-15",
)


class _DemoModel:
    """The demo IFC file, written once and only when a submission still needs a model."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path: Path | None = None

    def __call__(self) -> Path:
        if self.path is None:
            from zhijian.apps.review.demo import write_demo_model

            self.path = write_demo_model(self.directory / "demo-building.ifc")
        return self.path


def _submission(project: Project, building: Building, designer: User, title: str, model: _DemoModel,
                created: list[str]) -> ModelVersion:
    submission = Submission.objects.filter(project=project, title=title).first()
    if submission is None:
        submission = review.create_submission(designer, project_id=project.id, title=title, building_id=building.id)
        created.append(f"submission {title}")
    version = submission.model_versions.order_by("-sequence").first()
    if version is not None:
        return version
    path = model()
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/x-step")
    return review.upload_model_version(designer, submission.id, upload)


def _second_project(orgs: dict[int, Organization], created: list[str]) -> Project:
    project = Project.objects.filter(code=SECOND_PROJECT_CODE).first()
    if project is not None:
        return project
    project = projects.create_project(
        None, system=SEED, owner=orgs[102], code=SECOND_PROJECT_CODE, name="开福区示范保障性住房项目",
        district="kaifu", address="长沙市开福区示范大道 8 号", latitude=Decimal("28.2560"), longitude=Decimal("112.9870"),
    )
    for serial, role in SECOND_TEAM:
        projects.add_participant(None, project, orgs[serial], role, system=SEED)
    projects.add_building(None, project, system=SEED, name="1#楼", use="residential", height_m=Decimal("33.30"),
                          storeys_above=11, storeys_below=1, floor_area_m2=Decimal("6280.00"))
    created.append(f"project {project.code}")
    return project


def _run(evaluation: Evaluation) -> Evaluation:
    """Evaluate here and now unless it is finished already (idempotent)."""
    from zhijian.apps.assembly.tasks import evaluate_assembly_rate_task

    if evaluation.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING):
        evaluate_assembly_rate_task.apply(args=[str(evaluation.id)])
        evaluation.refresh_from_db()
    return evaluation


def _evaluate(version: ModelVersion, building: Building, text: str, designer: User, created: list[str]) -> Evaluation:
    declaration = services.DeclarationFile(name="declaration.toml", text=text)
    evaluation = services.evaluate_building(version, building, declaration, designer)
    if evaluation.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING):
        created.append(f"assembly-rate evaluation {building.project.code} {building.name}")
    return _run(evaluation)


def installed_precast(evaluation: Evaluation, storeys: tuple[str, ...] = AS_BUILT_STOREYS) -> list[str]:
    """GlobalIds of the precast members the design credited on the given storeys (the demo's
    stand-in for installation events, until the traceability chain records them)."""
    found = []
    for item in (evaluation.result or {}).get("items", []):
        if item.get("key") in ("vertical_members", "horizontal_members"):
            found += [e["guid"] for e in item.get("elements", []) if e.get("counted") and e.get("storey") in storeys]
    return found


def seed_assembly_rates(orgs: dict[int, Organization], project: Project, created: list[str]) -> list[Evaluation]:
    """The demo city's evaluations: two buildings of the review project, one of a second project
    (pre-evaluated, then rated as built from the installation records of 3F–8F)."""
    designer = User.objects.get(username="designer")
    designer2 = User.objects.get(username="designer2")
    first, second = project.buildings.order_by("name")[:2]
    other = _second_project(orgs, created)
    other_building = other.buildings.order_by("name").first()
    assert other_building is not None
    with tempfile.TemporaryDirectory() as tmp:
        model = _DemoModel(Path(tmp))
        requests = [
            (_submission(project, first, designer, "1#楼 施工图BIM审查", model, created), first, FULL_FITOUT, designer),
            (_submission(project, second, designer, "2#楼 施工图BIM审查", model, created), second, FITOUT_ONLY, designer),
            (_submission(other, other_building, designer2, "1#楼 装配式预评价模型", model, created), other_building,
             FULL_FITOUT, designer2),
        ]
    evaluations = [_evaluate(version, building, text, who, created) for version, building, text, who in requests]
    design = evaluations[-1]
    if design.status == EvaluationStatus.DONE:
        as_built = services.recompute_as_built(design.building, installed_precast(design), system=SEED)
        evaluations.append(_run(as_built))
    return evaluations
