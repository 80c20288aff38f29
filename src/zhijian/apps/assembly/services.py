"""Assembly-rate evaluations: permission + transaction + audit + enqueue on commit.

People: :func:`evaluate_building` (a design-stage pre-evaluation, 预评价). The traceability
app: :func:`recompute_as_built` (the as-built rate from installed components). The worker:
:func:`begin_evaluation`, :func:`complete_evaluation`, :func:`fail_evaluation` — each
idempotent, so a task redelivered after a lost worker simply runs again.

Declarations are parsed here, before anything is stored, so a bad file is refused at once
(422, with the line and key at fault); the model is read by the worker.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.assembly.choices import FINISHED_STATUSES, LIVE_STATUSES, EvaluationStatus, Stage
from zhijian.apps.assembly.models import Evaluation
from zhijian.apps.assembly.selectors import get_building_for
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import Conflict, Forbidden, InvalidInput
from zhijian.apps.common.ids import as_uuid
from zhijian.apps.projects.models import Building
from zhijian.apps.projects.selectors import acting_organization, capacities_on
from zhijian.apps.review.models import ModelVersion
from zhijian.apps.review.selectors import get_model_version_for
from zhijian.domain.errors import DeclarationError, ScoringTableError
from zhijian.domain.prefab.declaration import parse_declarations
from zhijian.domain.prefab.scoring_table import DEFAULT_TABLE, ScoringTable, load_table
from zhijian.domain.review.workflow import Capacity

MAX_DECLARATION_BYTES = 256 * 1024
MAX_INSTALLED = 200_000
SYSTEM_WORKER = "assembly"
EVALUATORS = frozenset({Capacity.DESIGNER, Capacity.CONSTRUCTION_UNIT})
_LINE = re.compile(r" line (\d+)")


@dataclass(frozen=True)
class DeclarationFile:
    """A declaration as filed: its name, its format (``toml`` or ``json``) and its text."""

    name: str
    text: str
    format: str = ""  # "" = from the name's suffix

    @classmethod
    def from_upload(cls, upload: Any) -> DeclarationFile:
        """From an uploaded file (page form or API); refused when too large or not UTF-8."""
        size = int(getattr(upload, "size", 0) or 0)
        if size > MAX_DECLARATION_BYTES:
            raise InvalidInput(_("A declaration file has at most 256 KB."), code="bad_declaration")
        raw = upload.read(MAX_DECLARATION_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(_("The declaration file is not UTF-8 text."), code="bad_declaration") from exc
        return cls(name=str(getattr(upload, "name", "") or "declaration"), text=text)


def _table() -> ScoringTable:
    try:
        return load_table(DEFAULT_TABLE)
    except ScoringTableError as exc:  # a broken installation, not the user's input
        raise Conflict(str(exc), code="bad_scoring_table") from exc


def _declaration(declaration: DeclarationFile | None, table: ScoringTable) -> tuple[str, str, str]:
    """(name, format, text) of a declaration that parses, or InvalidInput with the line at fault."""
    if declaration is None or not declaration.text.strip():
        return "", "", ""
    name = PurePath(declaration.name or "declaration").name[:255]
    fmt = (declaration.format or PurePath(name).suffix.lstrip(".")).lower()
    if fmt not in ("toml", "json"):
        raise InvalidInput(
            _("%(name)s: a declaration file must be .toml or .json") % {"name": name}, code="bad_declaration"
        )
    if len(declaration.text.encode("utf-8")) > MAX_DECLARATION_BYTES:
        raise InvalidInput(_("A declaration file has at most 256 KB."), code="bad_declaration")
    try:
        parse_declarations(declaration.text, fmt, table, name)
    except DeclarationError as exc:
        found = _LINE.search(str(exc))
        extra = {"line": int(found.group(1))} if found else {}
        raise InvalidInput(str(exc), code="bad_declaration", **extra) from exc
    return name, fmt, declaration.text


def _sha256(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _model_version_id(value: Any) -> uuid.UUID:
    found = as_uuid(getattr(value, "id", value))
    if found is None:
        raise InvalidInput(_("Choose a model version."), code="invalid")
    return found


def _check_model_version(building: Building, version: ModelVersion) -> None:
    submission = version.submission
    if submission.project_id != building.project_id:
        raise InvalidInput(_("The model version belongs to another project."), code="wrong_project")
    if submission.building_id is not None and submission.building_id != building.id:
        raise InvalidInput(
            _("The model version was submitted for another building (%(name)s).") % {"name": submission.building.name},
            code="wrong_building",
        )


def _live(building: Building, version_id: Any, stage: str, inputs: str) -> Evaluation | None:
    return Evaluation.objects.filter(
        building=building, model_version_id=version_id, stage=stage, inputs_sha256=inputs, status__in=LIVE_STATUSES
    ).first()


def _create(fields: dict[str, Any]) -> tuple[Evaluation, bool]:
    """The new evaluation, or the live one with the same inputs (a repeated or concurrent request)."""
    existing = _live(fields["building"], fields["model_version"].id, fields["stage"], fields["inputs_sha256"])
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Evaluation.objects.create(**fields), True
    except IntegrityError:
        existing = _live(fields["building"], fields["model_version"].id, fields["stage"], fields["inputs_sha256"])
        if existing is None:
            raise
        return existing, False


def _enqueue(evaluation_id: Any) -> None:
    from zhijian.apps.assembly.tasks import evaluate_assembly_rate_task

    transaction.on_commit(lambda: evaluate_assembly_rate_task.delay(str(evaluation_id)))


# -- people -----------------------------------------------------------------------------
@transaction.atomic
def evaluate_building(
    model_version: ModelVersion | Any,
    building: Building | Any,
    declaration: DeclarationFile | None,
    actor: Any,
    *,
    ifc_building: str = "",
) -> Evaluation:
    """Ask for a design-stage pre-evaluation of ``building`` from ``model_version``.

    Refused (and nothing stored) unless the actor is the project's designer or construction
    unit, the model version belongs to the building's project (and to this building, when its
    submission names one) and the declaration parses. The same request again returns the
    evaluation already made or under way. The model is read by the worker, after commit.
    """
    building = get_building_for(actor, getattr(building, "id", building))  # 404 for other organisations
    if not capacities_on(actor, building.project_id) & EVALUATORS:
        raise Forbidden(
            _("Only the project's designer or construction unit may ask for an assembly-rate evaluation."),
            code="not_permitted",
        )
    version = get_model_version_for(actor, _model_version_id(model_version))
    _check_model_version(building, version)
    ifc_building = (ifc_building or "").strip()
    if len(ifc_building) > 255:
        raise InvalidInput(_("An IFC building name has at most 255 characters."), code="invalid")
    table = _table()
    name, fmt, text = _declaration(declaration, table)
    inputs = _sha256(table.id, table.version, ifc_building, fmt, text)
    evaluation, created = _create({
        "building": building, "model_version": version, "stage": Stage.DESIGN, "ifc_building": ifc_building,
        "inputs_sha256": inputs, "declaration_name": name, "declaration_format": fmt, "declaration_text": text,
        "declaration_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text else "",
        "declared_by": actor if text else None, "requested_by": actor,
    })
    if created:
        record(actor=actor, action="assembly_evaluation.request", obj=evaluation, after={
            "building": str(building.id), "model_version": str(version.id), "stage": Stage.DESIGN,
            "ifc_building": ifc_building, "declaration": name or None,
            "declaration_sha256": evaluation.declaration_sha256 or None, "table": f"{table.id} v{table.version}",
        }, organization=acting_organization(actor, building.project_id), project=building.project)
        _enqueue(evaluation.id)
    return evaluation


# -- the traceability seam --------------------------------------------------------------
def latest_design_evaluation(building: Building | Any) -> Evaluation | None:
    """The building's newest finished design-stage evaluation that gave a rate."""
    return (
        Evaluation.objects.filter(building_id=getattr(building, "id", building), stage=Stage.DESIGN,
                                  status=EvaluationStatus.DONE)
        .select_related("model_version", "building__project")
        .order_by("-finished_at", "-created_at")
        .first()
    )


@transaction.atomic
def recompute_as_built(
    building: Building | Any,
    installed_guids: Iterable[str],
    *,
    actor: Any = None,
    system: str = "traceability",
) -> Evaluation:
    """The as-built rate of ``building``: its latest design evaluation recomputed crediting only
    the precast components whose GlobalIds are in ``installed_guids``.

    Called by the traceability app (``actor`` None, ``system`` naming it) when installation
    events arrive; a user may call it too, with the same permission as a pre-evaluation. The
    same set of GlobalIds again returns the evaluation already made. The rule of what counts
    as built is the domain's (:mod:`zhijian.domain.prefab.as_built`).
    """
    if actor is not None:
        building = get_building_for(actor, getattr(building, "id", building))
        if not capacities_on(actor, building.project_id) & EVALUATORS:
            raise Forbidden(
                _("Only the project's designer or construction unit may ask for an assembly-rate evaluation."),
                code="not_permitted",
            )
    elif not isinstance(building, Building):
        building = Building.objects.select_related("project").get(id=building)
    if actor is None and not system:
        raise ValueError("recompute_as_built needs an actor or the name of the calling system")
    guids = _installed(installed_guids)
    base = latest_design_evaluation(building)
    if base is None:
        raise Conflict(
            _("%(building)s has no finished design-stage evaluation to recompute as built.") % {"building": building.name},
            code="no_design_evaluation",
        )
    inputs = _sha256(base.inputs_sha256, str(base.id), guids)
    evaluation, created = _create({
        "building": building, "model_version": base.model_version, "stage": Stage.AS_BUILT,
        "ifc_building": base.ifc_building, "inputs_sha256": inputs, "declaration_name": base.declaration_name,
        "declaration_format": base.declaration_format, "declaration_text": base.declaration_text,
        "declaration_sha256": base.declaration_sha256, "declared_by": base.declared_by, "installed_guids": guids,
        "based_on": base, "requested_by": actor, "requested_by_system": "" if actor is not None else system[:32],
    })
    if created:
        record(actor=actor, system="" if actor is not None else system, action="assembly_evaluation.as_built",
               obj=evaluation, after={"building": str(building.id), "based_on": str(base.id),
                                      "model_version": str(base.model_version_id), "installed": len(guids)},
               project=building.project,
               organization=acting_organization(actor, building.project_id) if actor is not None else None)
        _enqueue(evaluation.id)
    return evaluation


def _installed(guids: Iterable[str]) -> list[str]:
    if isinstance(guids, str | bytes):
        raise InvalidInput(_("Installed components are a list of GlobalIds."), code="invalid")
    found: set[str] = set()
    for guid in guids:
        if not isinstance(guid, str) or not guid.strip() or len(guid.strip()) > 64:
            raise InvalidInput(_("Each installed component is a GlobalId of at most 64 characters."), code="invalid")
        found.add(guid.strip())
        if len(found) > MAX_INSTALLED:
            raise InvalidInput(_("Too many installed components in one request."), code="invalid")
    return sorted(found)


# -- the worker -------------------------------------------------------------------------
@dataclass(frozen=True)
class EvaluationJob:
    evaluation_id: Any
    file_name: str
    original_name: str
    ifc_building: str
    declaration_name: str
    declaration_format: str
    declaration_text: str
    installed_guids: tuple[str, ...] | None


@transaction.atomic
def begin_evaluation(evaluation_id: Any) -> EvaluationJob | None:
    """Mark the evaluation running; None when there is nothing to do (gone, or finished already)."""
    evaluation = (
        Evaluation.objects.select_for_update().select_related("model_version").filter(id=evaluation_id).first()
    )
    if evaluation is None or evaluation.status not in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING):
        return None
    evaluation.status = EvaluationStatus.RUNNING
    evaluation.attempts += 1
    evaluation.started_at = timezone.now()
    evaluation.save(update_fields=["status", "attempts", "started_at", "updated_at"])
    version = evaluation.model_version
    installed = tuple(evaluation.installed_guids) if evaluation.installed_guids is not None else None
    return EvaluationJob(
        evaluation.id, version.file.name, version.original_name, evaluation.ifc_building, evaluation.declaration_name,
        evaluation.declaration_format, evaluation.declaration_text, installed,
    )


def _score(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(round(float(value), 1)))


@transaction.atomic
def complete_evaluation(
    evaluation_id: Any, result: dict[str, Any], *, installed: int | None = None, not_installed: int | None = None
) -> Evaluation | None:
    """Store the canonical result: ``done``, or ``not_evaluable`` when a required item could not
    be evaluated (the sheet says which and why; no rate is given, never a silent zero)."""
    evaluation = Evaluation.objects.select_for_update().select_related("building__project").filter(
        id=evaluation_id
    ).first()
    if evaluation is None or evaluation.status != EvaluationStatus.RUNNING:
        return None
    blocking = [str(b) for b in result.get("blocking") or []]
    scores = {str(k): v for k, v in (result.get("scores") or {}).items()}
    table = result.get("table") or {}
    evaluation.result = result
    evaluation.table_id = str(table.get("id") or "")[:64]
    evaluation.table_version = table.get("version")
    evaluation.table_edition = str(table.get("edition") or "")[:64]
    evaluation.building_label = str(result.get("building") or "")[:255]
    evaluation.scores = scores
    evaluation.q1, evaluation.q2, evaluation.q3, evaluation.q4 = (_score(scores.get(k)) for k in ("Q1", "Q2", "Q3", "Q4"))
    evaluation.advisory = bool(result.get("advisory"))
    evaluation.complete = bool(result.get("complete"))
    evaluation.blocking = blocking
    evaluation.not_evaluated = [str(n) for n in result.get("not_evaluated") or []]
    evaluation.installed_count = installed
    evaluation.not_installed_count = not_installed
    evaluation.finished_at = timezone.now()
    if blocking:
        evaluation.status = EvaluationStatus.NOT_EVALUABLE
        evaluation.p = None
        evaluation.grade = ""
        evaluation.recognised = False
        evaluation.message = ("cannot compute the assembly rate: " + "; ".join(blocking))[:1000]
        evaluation.error_code = "not_evaluable"
    else:
        evaluation.status = EvaluationStatus.DONE
        evaluation.p = _score(result.get("P"))
        evaluation.recognised = bool(result.get("recognised"))
        evaluation.grade = str(result.get("grade") or "") if evaluation.recognised else ""
        evaluation.message = ""
        evaluation.error_code = ""
        if evaluation.p is None:  # 100 − Q4 = 0: every item declared absent
            evaluation.status = EvaluationStatus.NOT_EVALUABLE
            evaluation.recognised = False
            evaluation.grade = ""
            evaluation.message = "cannot compute the assembly rate: every item is declared absent (100 − Q4 = 0)"
            evaluation.error_code = "not_evaluable"
    evaluation.save()
    record(actor=None, system=SYSTEM_WORKER, action=f"assembly_evaluation.{evaluation.status}", obj=evaluation,
           after={"P": str(evaluation.p) if evaluation.p is not None else None, "grade": evaluation.grade,
                  "recognised": evaluation.recognised, "scores": scores, "advisory": evaluation.advisory,
                  "complete": evaluation.complete, "blocking": blocking,
                  "table": f"{evaluation.table_id} v{evaluation.table_version}"},
           project=evaluation.building.project)
    return evaluation


@transaction.atomic
def fail_evaluation(evaluation_id: Any, reason: str, code: str = "failed") -> Evaluation | None:
    """The evaluation could not be made (unreadable model, unknown IFC building): record why."""
    evaluation = Evaluation.objects.select_for_update().select_related("building__project").filter(
        id=evaluation_id
    ).first()
    if evaluation is None or evaluation.status in (*FINISHED_STATUSES, EvaluationStatus.FAILED):
        return None
    evaluation.status = EvaluationStatus.FAILED
    evaluation.message = (reason or "the evaluation failed").strip()[:1000]
    evaluation.error_code = (code or "failed")[:32]
    evaluation.finished_at = timezone.now()
    evaluation.save(update_fields=["status", "message", "error_code", "finished_at", "updated_at"])
    record(actor=None, system=SYSTEM_WORKER, action="assembly_evaluation.failed", obj=evaluation,
           after={"message": evaluation.message, "code": evaluation.error_code}, reason=evaluation.message,
           project=evaluation.building.project)
    return evaluation
