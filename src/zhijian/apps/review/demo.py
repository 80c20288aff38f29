"""The demo city: organisations of every type, a user per role, a project checked once.

Idempotent: running it again finds what exists and adds only what is missing. Everything
goes through the same services as pages and the API (audit entries included), acting as
the system (``system:seed``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhijian.apps.accounts import services as accounts
from zhijian.apps.accounts.models import Organization, User
from zhijian.apps.accounts.uscc import make_uscc
from zhijian.apps.projects import services as projects
from zhijian.apps.projects.models import Project
from zhijian.apps.review import services as review
from zhijian.apps.review.models import Submission

SEED = "seed"
DEMO_PASSWORD = os.environ.get("ZHIJIAN_DEMO_PASSWORD", "zhijian-demo-2025")

# (serial, name, type, district, latitude, longitude). Names are invented ("示范" = demo).
ORGANIZATIONS = [
    (101, "长沙示范置业有限公司", "construction_unit", "yuelu", "28.2356", "112.9388"),
    (102, "湘江示范投资发展有限公司", "construction_unit", "kaifu", "28.2551", "112.9860"),
    (201, "长沙示范建筑设计院有限公司", "design", "yuelu", "28.1960", "112.9430"),
    (202, "湖南示范工程设计研究院有限公司", "design", "furong", "28.1966", "113.0012"),
    (301, "湖南示范建工集团有限公司", "general_contractor", "tianxin", "28.1148", "112.9853"),
    (302, "长沙示范建设工程有限公司", "general_contractor", "yuhua", "28.1350", "113.0360"),
    (401, "长沙示范预制构件有限公司", "component_producer", "wangcheng", "28.3470", "112.8196"),
    (402, "湖南示范住工科技有限公司", "component_producer", "ningxiang", "28.2778", "112.5520"),
    (501, "湖南示范施工图审查中心有限公司", "review_agency", "furong", "28.1940", "112.9850"),
    (502, "长沙示范审图咨询有限公司", "review_agency", "yuhua", "28.1370", "113.0050"),
    (601, "长沙市住房和城乡建设局（演示）", "authority", "yuelu", "28.2280", "112.9380"),
    (701, "长沙示范数字建造科技有限公司", "digital", "yuelu", "28.2100", "112.8900"),
    (702, "湖南示范智建软件有限公司", "digital", "changsha_county", "28.2470", "113.0800"),
    (801, "长沙示范智能装备有限公司", "equipment", "changsha_county", "28.2420", "113.1000"),
    (802, "湖南示范机械制造有限公司", "equipment", "liuyang", "28.1630", "113.6430"),
]

# (username, display name, organisation serial, role)
USERS = [
    ("owner", "建设单位管理员", 101, "org_admin"),
    ("designer", "设计师 张工", 201, "designer"),
    ("reviewer", "审图专家 李工", 501, "reviewer"),
    ("reviewer_mep", "审图专家 刘工", 501, "reviewer"),
    ("checker", "审图复核 陈工", 501, "reviewer"),
    ("agency_admin", "审图中心管理员", 501, "org_admin"),
    ("bureau", "住建局 王科长", 601, "authority"),
    ("contractor", "总包 赵经理", 301, "contractor"),
    ("factory", "构件厂 钱主管", 401, "factory_operator"),
    ("digital", "数字化企业 孙工", 701, "org_admin"),
    ("designer2", "另一设计院 周工", 202, "designer"),
    ("reviewer2", "另一审图机构 吴工", 502, "reviewer"),
]

# The demo agency's reviewers: (username, disciplines declared, may check). 李工 reviews the
# building side, 刘工 structure and services, 陈工 checks (复核) every discipline of the scope.
QUALIFICATIONS = [
    ("reviewer", ["architecture", "fire", "energy", "green"], False),
    ("reviewer_mep", ["structure", "plumbing", "hvac", "electrical", "civil_defence"], False),
    ("checker", ["architecture", "structure", "plumbing", "hvac", "electrical", "energy", "fire", "green",
                 "civil_defence"], True),
    ("reviewer2", ["architecture", "structure", "fire"], True),
]

TEAM = [(301, "epc"), (201, "design"), (401, "production"), (701, "digital"), (801, "digital"), (501, "review_agency")]
PROJECT_CODE = "430104-2025-0001"
DEMO_TITLE = "1#楼 施工图BIM审查"


@dataclass
class SeedResult:
    created: list[str]
    logins: list[tuple[str, str, str, str]]  # username, password, organisation, role
    project: Project
    submission: Submission
    evaluations: list[Any] = field(default_factory=list)  # assembly-rate evaluations (apps.assembly)
    traceability: Any = None  # the precast components' story (apps.prefab.demo)


def uscc_for(serial: int, org_type: str) -> str:
    authority, kind = ("1", "1") if org_type == "authority" else ("9", "1")
    return make_uscc(serial, region="430100", authority=authority, kind=kind)


def write_demo_model(path: Path) -> Path:
    """The shared demo building when present; otherwise a small residential model."""
    try:
        from zhijian.domain.demo.building import write_demo_building  # written by the domain team
    except ImportError:
        return write_small_model(path)
    return write_demo_building(path)


def write_small_model(path: Path, *, fixed: bool = False) -> Path:
    """Two storeys of flats; unless ``fixed``, the 2F master bedroom is 8.9 m² (GB 50096 asks 9 m²)."""
    from zhijian.domain.bim.authoring import ModelBuilder

    builder = ModelBuilder(schema="IFC4", unit="mm", project="智建演示住宅")
    for level, elevation in (("1F", 0.0), ("2F", 3.0)):
        storey = builder.storey(level, elevation)
        master = 12.6 if fixed or level == "1F" else 8.9
        for number, (name, area) in enumerate((("主卧", master), ("次卧", 7.2), ("起居室", 18.5)), start=1):
            builder.space(storey, f"{level}-0{number}", name, area=area, height=3.0, finish_ceiling_height=2.8)
    builder.storey("RF", 6.0)  # the roof level closes the 2F storey height
    return builder.save(path)


@transaction.atomic
def _organizations(created: list[str]) -> dict[int, Organization]:
    found: dict[int, Organization] = {}
    for serial, name, org_type, district, lat, lon in ORGANIZATIONS:
        code = uscc_for(serial, org_type)
        organization = Organization.objects.filter(uscc=code).first()
        if organization is None:
            organization = accounts.register_organization(
                None, system=SEED, name=name, uscc=code, org_type=org_type, district=district,
                latitude=Decimal(lat), longitude=Decimal(lon),
            )
            created.append(f"organisation {name}")
        found[serial] = organization
    return found


def _users(orgs: dict[int, Organization], created: list[str]) -> list[tuple[str, str, str, str]]:
    logins = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "", DEMO_PASSWORD, display_name="平台管理员")
        created.append("user admin")
    logins.append(("admin", DEMO_PASSWORD, "—", "platform admin"))
    for username, display, serial, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_user(None, system=SEED, username=username, password=DEMO_PASSWORD,
                                        display_name=display)
            created.append(f"user {username}")
        membership = accounts.add_membership(None, system=SEED, user=user, organization=orgs[serial], role=role)
        for name, disciplines, may_check in QUALIFICATIONS:
            if name == username and (membership.disciplines != disciplines or membership.may_check != may_check):
                review.declare_disciplines(None, membership, disciplines, may_check=may_check, system=SEED)
        logins.append((username, DEMO_PASSWORD, orgs[serial].name, role))
    return logins


def _staff(submission: Submission) -> None:
    """Each discipline in scope gets its reviewer (by qualification) and 陈工 as checker."""
    from zhijian.apps.review.staffing import assignments_of, staffing_of

    agency_admin = User.objects.get(username="agency_admin")
    checker = User.objects.get(username="checker")
    assigned = assignments_of(submission)
    for discipline in staffing_of(submission).scope:
        if discipline in assigned or submission.state == "approved":
            continue
        reviewer = next(User.objects.get(username=name) for name, keys, _ in QUALIFICATIONS
                        if discipline in keys and name != "checker")
        review.assign_discipline(agency_admin, submission.id, discipline, reviewer_id=reviewer.id,
                                 checker_id=checker.id)


def _returned_submission(project: Project, created: list[str]) -> Submission:
    """The civil-air-defence basement (人防地下室): 人防 added to the scope, round 1 checked, staffed
    and returned with an opinion, so its letter (审查意见告知书) shows a real signature table."""
    title = "人防地下室 施工图BIM审查"
    submission = Submission.objects.filter(project=project, title=title).first()
    if submission is not None:
        _finish_unchecked(submission)
        return submission
    designer = User.objects.get(username="designer")
    submission = review.create_submission(designer, project_id=project.id, title=title)
    review.update_review_scope(User.objects.get(username="agency_admin"), submission.id,
                               disciplines=[*submission.disciplines, "civil_defence"])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_small_model(Path(tmp) / "demo-basement.ifc")
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/x-step")
        version = review.upload_model_version(designer, submission.id, upload)
    review.transition_submission(designer, submission.id, "submit", "首次送审")
    from zhijian.apps.review.tasks import check_model_version

    check_model_version.apply(args=[str(version.id)])
    submission.refresh_from_db()
    if submission.state == "in_review":
        _staff(submission)
        review.transition_submission(User.objects.get(username="reviewer"), submission.id, "return",
                                     "主卧使用面积不足 9 m²，请按 GB 50096 修改后复审。")
    created.append(f"submission {submission.title}")
    submission.refresh_from_db()
    return submission


def _project(orgs: dict[int, Organization], created: list[str]) -> Project:
    project = Project.objects.filter(code=PROJECT_CODE).first()
    if project is not None:
        return project
    with transaction.atomic():
        project = projects.create_project(
            None, system=SEED, owner=orgs[101], code=PROJECT_CODE, name="岳麓区示范安置房项目",
            district="yuelu", address="长沙市岳麓区示范路 1 号", latitude=Decimal("28.2130"),
            longitude=Decimal("112.9080"),
        )
        for serial, role in TEAM:
            projects.add_participant(None, project, orgs[serial], role, system=SEED)
        projects.add_building(None, project, system=SEED, name="1#楼", use="residential", height_m=Decimal("17.40"),
                              storeys_above=6, storeys_below=1, floor_area_m2=Decimal("4860.00"))
        projects.add_building(None, project, system=SEED, name="2#楼", use="residential", height_m=Decimal("33.30"),
                              storeys_above=11, storeys_below=1, floor_area_m2=Decimal("9120.00"))
    created.append(f"project {project.code}")
    return project


def _submission(project: Project, created: list[str]) -> Submission:
    # By title: other parts of the demo add (back-dated) submissions to the same project.
    submission = Submission.objects.filter(project=project, title=DEMO_TITLE).order_by("created_at").first()
    if submission is not None:
        _finish_unchecked(submission)
        return submission
    designer = User.objects.get(username="designer")
    building = project.buildings.order_by("name").first()
    submission = review.create_submission(designer, project_id=project.id, title=DEMO_TITLE,
                                          building_id=building.id if building else None)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_model(Path(tmp) / "demo-building.ifc")
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/x-step")
    version = review.upload_model_version(designer, submission.id, upload)
    review.transition_submission(designer, submission.id, "submit", "首次送审")
    # Check here and now, so the demo is ready whether or not a worker runs; the queued task
    # that a worker may pick up later finds the check done and does nothing (idempotent).
    from zhijian.apps.review.tasks import check_model_version

    check_model_version.apply(args=[str(version.id)])
    created.append(f"submission {submission.title}")
    submission.refresh_from_db()
    return submission


def _finish_unchecked(submission: Submission) -> None:
    """A seed interrupted before its check ran (no worker, broker down) is completed here."""
    from zhijian.apps.review.tasks import check_model_version

    for round_ in submission.rounds.select_related("check_run"):
        check = getattr(round_, "check_run", None)
        if check is not None and check.status in ("queued", "running"):
            check_model_version.apply(args=[str(round_.model_version_id)])
    submission.refresh_from_db()


def seed_demo_city() -> SeedResult:
    """Create what is missing of the demo city; the demo model is checked in this process."""
    created: list[str] = []
    orgs = _organizations(created)
    logins = _users(orgs, created)
    project = _project(orgs, created)
    submission = _submission(project, created)
    if submission.state == "in_review":
        _staff(submission)
    # The assembly app's part of the city: buildings with assembly-rate evaluations.
    from zhijian.apps.assembly.demo import seed_assembly_rates

    evaluations = seed_assembly_rates(orgs, project, created)
    # The prefab app's part: 1#楼's precast components ordered, produced, shipped, partly installed.
    from zhijian.apps.prefab.demo import seed_traceability

    traceability = seed_traceability(project, created)
    # The statistics dashboard's part: earlier reviews returned and revised (apps.insights.demo).
    from zhijian.apps.insights.demo import seed_review_history

    seed_review_history(created)
    # Last, so that its letter number follows those of the earlier (back-dated) reviews above.
    _returned_submission(project, created)
    return SeedResult(created, logins, project, submission, evaluations, traceability)


