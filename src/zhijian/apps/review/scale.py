"""The demo city × N, for the web benchmark and the query-count tests (``seed_demo --scale N``).

Copies of the demo's review story are bulk-inserted next to it: per copy one project (its
"1+2+N" team, two buildings), a submission per building, one to three rounds each, a model
version and a finished check run per round carrying the template round's findings (the same
count per round as the demo; later rounds resolve some, change some measured values and add
one), a waiver and comments. Teams rotate over several organisations of each type (extra
ones are created), so a reviewer sees a fraction of the city and the housing authority all of
it — the tenant filter does real work. No audit entries and no files are written: the model
versions point at the template's stored file. Bulk inserts skip the services on purpose (a
few seconds for ×100 instead of minutes), so this is data for measuring, never a workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import cycle
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from zhijian.apps.accounts.choices import District
from zhijian.apps.accounts.models import Membership, Organization
from zhijian.apps.accounts.uscc import make_uscc
from zhijian.apps.projects.models import Building, Project, ProjectParticipant
from zhijian.apps.review.models import (
    CheckRun,
    Comment,
    Finding,
    ModelVersion,
    Round,
    Submission,
    Waiver,
)
from zhijian.apps.review.services import store_diff_counts

CODE_PREFIX = "430100-SCALE-"  # project codes of the copies: how a second run finds them

# Organisations of each type the copies' teams rotate over (the demo's, plus extra ones).
ORG_POOL = {
    "construction_unit": 4,
    "design": 8,
    "general_contractor": 4,
    "component_producer": 3,
    "review_agency": 6,
    "digital": 3,
}
EXTRA_SERIAL = 9000  # serials of the extra organisations' USCCs (the demo uses 101–802)
TYPE_NAMES = {
    "construction_unit": "置业有限公司", "design": "建筑设计院有限公司", "general_contractor": "建工集团有限公司",
    "component_producer": "预制构件有限公司", "review_agency": "施工图审查中心", "digital": "数字建造科技有限公司",
}
TEAM_ROLES = (
    ("construction_unit", "construction_unit"), ("general_contractor", "epc"), ("design", "design"),
    ("component_producer", "production"), ("digital", "digital"), ("review_agency", "review_agency"),
)

# (final state, number of rounds): a submission's story, cycled over the copies' submissions.
# Seven stories against six review agencies, so each agency gets a mix of them.
STORIES = (("in_review", 2), ("in_review", 1), ("returned", 1), ("approved", 2), ("checking", 2), ("in_review", 3),
           ("submitted", 1))


@dataclass(frozen=True)
class ScaleResult:
    copies: int  # copies present after the call
    added: int  # copies added by this call
    rows: dict[str, int]  # rows of each model added


def template_check_run() -> CheckRun:
    """The finished check run with the most findings (the demo's): the findings every round copies."""
    check = (
        CheckRun.objects.filter(status="done")
        .annotate(n=Count("findings"))
        .filter(n__gt=0)
        .select_related("round__model_version", "round__submitted_by")
        .order_by("-n", "queued_at")
        .first()
    )
    if check is None:
        raise LookupError("no finished check run with findings to copy: run `manage.py seed_demo` first")
    return check


def _organizations() -> dict[str, list[Organization]]:
    pools: dict[str, list[Organization]] = {}
    extra = []
    serial = EXTRA_SERIAL
    for org_type, wanted in ORG_POOL.items():
        found = list(Organization.objects.filter(org_type=org_type, active=True).order_by("uscc")[:wanted])
        for n in range(len(found) + 1, wanted + 1):
            while True:  # skip serials a previous run (or anyone) already used
                serial += 1
                code = make_uscc(serial)
                if not Organization.objects.filter(uscc=code).exists():
                    break
            org = Organization(name=f"长沙扩展{n}号{TYPE_NAMES[org_type]}", uscc=code, org_type=org_type,
                               district=District.values[serial % len(District.values)],
                               latitude=Decimal("28.2") + Decimal(n) / 100, longitude=Decimal("112.9"))
            found.append(org)
            extra.append(org)
        pools[org_type] = found
    Organization.objects.bulk_create(extra)
    return pools


def _reviewer_of(template: CheckRun) -> Any:
    """Someone to sign the copies' decisions: a reviewer of the template's agency, else its submitter."""
    round_ = template.round
    member = (
        Membership.objects.filter(
            role="reviewer", organization__participations__project_id=round_.submission.project_id,
        ).select_related("user").first()
    )
    return member.user if member else round_.submitted_by


@dataclass(frozen=True)
class _Template:
    check: CheckRun
    findings: list[Finding]
    version: ModelVersion
    designer: Any
    reviewer: Any
    now: Any


@transaction.atomic
def scale_review_city(copies: int, *, template: CheckRun | None = None) -> ScaleResult:
    """Make sure ``copies`` copies of the demo's review story exist (adds only the missing ones)."""
    if copies < 0:
        raise ValueError("the number of copies cannot be negative")
    present = Project.objects.filter(code__startswith=CODE_PREFIX).count()
    if present >= copies:
        return ScaleResult(present, 0, {})
    check = template or template_check_run()
    now = timezone.now()
    source = _Template(check, list(check.findings.order_by("ordinal")), check.round.model_version,
                       check.round.submitted_by, _reviewer_of(check), now)
    rotations = {org_type: cycle(pool) for org_type, pool in _organizations().items()}
    districts = cycle(District.values)
    stories = cycle(STORIES)

    rows: dict[str, list[Any]] = {name: [] for name in (
        "projects", "participants", "buildings", "submissions", "versions", "rounds", "checks", "findings",
        "waivers", "comments")}
    for index in range(present + 1, copies + 1):
        project = Project(code=f"{CODE_PREFIX}{index:05d}", name=f"长沙扩展示范项目 {index:03d}",
                          district=next(districts), address=f"长沙市示范大道 {index} 号",
                          latitude=Decimal("28.2"), longitude=Decimal("112.9"))
        rows["projects"].append(project)
        for org_type, role in TEAM_ROLES:
            rows["participants"].append(ProjectParticipant(project=project, organization=next(rotations[org_type]),
                                                           role=role))
        for number, (name, storeys) in enumerate((("1#楼", 6), ("2#楼", 11)), start=1):
            building = Building(project=project, name=name, height_m=Decimal(storeys) * Decimal("3.00"),
                                storeys_above=storeys, storeys_below=1, floor_area_m2=Decimal(storeys * 810))
            rows["buildings"].append(building)
            state, n_rounds = next(stories)
            submission = Submission(project=project, building=building, title=f"{name} 施工图BIM审查",
                                    state=state, created_by=source.designer)
            # Spread over the last 90 days (deterministic), so lists ordered by date see a real mix.
            submission.updated_at = now - timedelta(minutes=(index * 7919 + number * 104729) % (90 * 24 * 60))
            rows["submissions"].append(submission)
            for round_number in range(1, n_rounds + 1):
                _add_round(rows, source, submission, round_number, last=round_number == n_rounds, state=state)

    counts = {}
    for name, model in (("projects", Project), ("participants", ProjectParticipant), ("buildings", Building),
                        ("submissions", Submission), ("versions", ModelVersion), ("rounds", Round),
                        ("checks", CheckRun), ("findings", Finding), ("waivers", Waiver), ("comments", Comment)):
        model.objects.bulk_create(rows[name], batch_size=2000)
        counts[name] = len(rows[name])
    # bulk_create stamps auto_now fields with the current time; bulk_update keeps what was set.
    Submission.objects.bulk_update(rows["submissions"], ["updated_at"], batch_size=2000)
    store_diff_counts([r.id for r in rows["rounds"]])  # as complete_check does for a checked round
    return ScaleResult(copies, copies - present, counts)


def _add_round(rows: dict[str, list[Any]], source: _Template, submission: Submission, number: int, *,
               last: bool, state: str) -> None:
    version = source.version
    model = ModelVersion(submission=submission, sequence=number, file=version.file.name,
                         original_name=version.original_name, size_bytes=version.size_bytes, sha256=version.sha256,
                         schema=version.schema, schema_family=version.schema_family, zipped=version.zipped,
                         uploaded_by=source.designer)
    decided = not last or state in ("returned", "approved")
    decision = ("approved" if state == "approved" and last else "returned") if decided else ""
    round_ = Round(submission=submission, number=number, model_version=model, submitted_by=source.designer,
                   decision=decision, opinion="请按审查意见修改后重新送审" if decision == "returned" else "",
                   decided_by=source.reviewer if decided else None, decided_at=source.now if decided else None)
    running = last and state in ("checking", "submitted")  # submitted: the check is still queued
    status = ("running" if state == "checking" else "queued") if running else "done"
    check = CheckRun(round=round_, status=status, progress={"running": 40, "queued": 0}.get(status, 100),
                     attempts=int(status != "queued"), started_at=None if status == "queued" else source.now,
                     finished_at=None if running else source.now,
                     report=None if running else source.check.report, pack_versions=source.check.pack_versions,
                     summary={} if running else source.check.summary)
    rows["versions"].append(model)
    rows["rounds"].append(round_)
    rows["checks"].append(check)
    if running:
        return
    copied = _findings_of_round(source.findings, number)
    for ordinal, finding in enumerate(copied, start=1):
        finding.check_run = check
        finding.ordinal = ordinal
    rows["findings"].extend(copied)
    if decision == "approved" and copied:
        rows["waivers"].append(Waiver(finding=copied[0], reason="经专家论证，不影响结构安全", waived_by=source.reviewer))
    if last and source.findings:
        rows["comments"].append(Comment(round=round_, guid=source.findings[0].guid or "-", author=source.designer,
                                        body="已按意见修改，详见新版模型"))
        if copied:
            rows["comments"].append(Comment(round=round_, finding=copied[0], author=source.reviewer,
                                            body="请补充计算书"))


COPIED_FIELDS = ("rule_id", "rule_version", "standard", "clause", "mandatory", "advisory", "status", "guid",
                 "ifc_class", "name", "storey", "measured", "required", "unit", "message_zh", "message_en")


def _findings_of_round(template: list[Finding], number: int) -> list[Finding]:
    """Round 1 has the template's findings; each later round resolves two, changes the measured
    value of the next two and brings one new (the shape the round diff and the queue react to)."""
    copies = [Finding(**{name: getattr(f, name) for name in COPIED_FIELDS}) for f in template]
    if number == 1:
        return copies
    resolved = min(2 * (number - 1), max(len(copies) - 1, 0))
    kept = copies[resolved:]
    for finding in kept[:2]:
        if finding.measured is not None:
            finding.measured = round(finding.measured + 0.1 * (number - 1), 3)
    if template:
        new = Finding(**{name: getattr(template[-1], name) for name in COPIED_FIELDS})
        new.guid = f"{(new.guid or 'new')[:58]}-r{number}"
        kept.append(new)
    return kept
