"""The demo city's assembly rates: several buildings evaluated from the demo model's variants.

Called by the demo seed (:func:`zhijian.apps.review.demo.seed_demo_city`) after the review
project exists. Idempotent: a submission or project found is reused, and asking again for
an evaluation with the same inputs returns the one already made. Evaluations run here and
now (the task's own code through Celery's ``apply``), so the demo is ready with or without
a worker; the task queued on commit then finds them finished and does nothing.

The demo building (:mod:`zhijian.domain.demo.building`) is written in its prefabrication
variants, each evaluated with the declaration file shipped with it (filed by the project's
designer):

===========================  =========  ==============================================
building                     variant    pre-evaluation (GB/T 51129-2017)
===========================  =========  ==============================================
岳麓区示范安置房项目 1#楼     baseline   P 47.6 %: AAC block walls, Q2 = 0 — not recognised
岳麓区示范安置房项目 2#楼     grade_a    P 63.0 %: grade A
开福区示范保障性住房项目 1#楼  grade_aa   P 85.9 %: grade AA; as built so far (precast
                                        components of 2F–8F installed) P 54.5 %: recognised,
                                        not graded (the façade panels of 1F, 9F–11F and the
                                        members of 9F–11F not installed yet)
===========================  =========  ==============================================
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

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
# The precast components installed so far on the second project (the demo's stand-in for the
# installation events the traceability chain will record).
AS_BUILT_STOREYS = ("2F", "3F", "4F", "5F", "6F", "7F", "8F")


class _DemoModels:
    """The demo IFC file of each variant, written once and only when a submission needs it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.paths: dict[str, Path] = {}

    def __call__(self, variant: str) -> Path:
        if variant not in self.paths:
            from zhijian.domain.demo.building import write_demo_building

            self.paths[variant] = write_demo_building(self.directory / f"demo-building-{variant}.ifc", prefab=variant)
        return self.paths[variant]


def _model_version(project: Project, building: Building, designer: User, title: str, variant: str,
                   models: _DemoModels, created: list[str]) -> ModelVersion:
    """The newest model version of the submission titled ``title`` (created with the variant's model)."""
    submission = Submission.objects.filter(project=project, title=title).first()
    if submission is None:
        submission = review.create_submission(designer, project_id=project.id, title=title, building_id=building.id)
        created.append(f"submission {title}")
    version = submission.model_versions.order_by("-sequence").first()
    if version is not None:
        return version
    path = models(variant)
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


def _evaluate(version: ModelVersion, building: Building, variant: str, designer: User,
              created: list[str]) -> Evaluation:
    from zhijian.domain.demo.building import demo_declaration_path

    path = demo_declaration_path(variant)
    declaration = services.DeclarationFile(name=path.name, text=path.read_text(encoding="utf-8"))
    evaluation = services.evaluate_building(version, building, declaration, designer)
    if evaluation.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING):
        created.append(f"assembly-rate evaluation {building.project.code} {building.name}")
    return _run(evaluation)


def installed_precast(evaluation: Evaluation, storeys: tuple[str, ...] = AS_BUILT_STOREYS) -> list[str]:
    """GlobalIds of the precast components the design credited on the given storeys: members,
    and walls credited as non-masonry because they are precast panels."""
    from zhijian.domain.prefab.precast import PRECAST_EVIDENCE_PREFIX

    found = []
    for item in (evaluation.result or {}).get("items", []):
        key = item.get("key")
        for e in item.get("elements", []):
            if not e.get("counted") or e.get("storey") not in storeys:
                continue
            if key in ("vertical_members", "horizontal_members") or (
                key in ("envelope_non_masonry", "partition_non_masonry")
                and any(ev.startswith(PRECAST_EVIDENCE_PREFIX) for ev in e.get("evidence", []))
            ):
                found.append(e["guid"])
    return list(dict.fromkeys(found))


def seed_assembly_rates(orgs: dict[int, Organization], project: Project, created: list[str]) -> list[Evaluation]:
    """The demo city's evaluations (see the module docstring); returns them in that order."""
    designer = User.objects.get(username="designer")
    designer2 = User.objects.get(username="designer2")
    first, second = project.buildings.order_by("name")[:2]
    other = _second_project(orgs, created)
    other_building = other.buildings.order_by("name").first()
    assert other_building is not None
    with tempfile.TemporaryDirectory() as tmp:
        models = _DemoModels(Path(tmp))
        requests = [
            # The review seed's submission already holds the baseline model.
            (project, first, designer, "1#楼 施工图BIM审查", "baseline"),
            (project, second, designer, "2#楼 施工图BIM审查", "grade_a"),
            (other, other_building, designer2, "1#楼 施工图BIM审查", "grade_aa"),
        ]
        versions = [
            (_model_version(p, b, who, title, variant, models, created), b, variant, who)
            for p, b, who, title, variant in requests
        ]
    evaluations = [_evaluate(version, b, variant, who, created) for version, b, variant, who in versions]
    design = evaluations[-1]
    if design.status == EvaluationStatus.DONE:
        as_built = services.recompute_as_built(design.building, installed_precast(design), system=SEED)
        evaluations.append(_run(as_built))
    return evaluations
