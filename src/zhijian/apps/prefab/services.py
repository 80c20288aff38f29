"""Prefab changes: permission + transaction + audit + enqueue on commit; decisions stay in the domain.

People: :func:`request_registry_build`, :func:`create_production_order`,
:func:`record_events` (scanners, site apps; the scan page through :func:`record_event_from_page`),
:func:`create_shipment`,
:func:`confirm_delivery`, :func:`request_label_sheet`. The worker: :func:`run_registry_build`
(via ``begin``/``complete``/``fail``), :func:`begin_label_sheet`/:func:`complete_label_sheet` —
each idempotent, so a task redelivered after a lost worker simply runs again.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import Membership, Organization
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import Conflict, Forbidden, InvalidInput
from zhijian.apps.common.tenancy import CHANGE
from zhijian.apps.prefab import photos
from zhijian.apps.prefab.choices import JobStatus
from zhijian.apps.prefab.models import (
    Component,
    ComponentRegistry,
    LabelSheet,
    LifecycleEvent,
    OrderLine,
    ProductionOrder,
    ProjectNumbering,
    RegistryBuild,
    Shipment,
    ShipmentItem,
)
from zhijian.apps.prefab.recording import EventOutcome, IngestResult, record_events
from zhijian.apps.projects.models import Building, Project, ProjectParticipant
from zhijian.apps.projects.selectors import get_project_for
from zhijian.apps.review.models import ModelVersion, Round
from zhijian.apps.review.selectors import get_model_version_for
from zhijian.domain.prefab.coding import MAX_BUILDING, MAX_PROJECT, ComponentCodeError, parse_code
from zhijian.domain.prefab.component_registry import CodeIssuer, PrecastComponent, reconcile

__all__ = [
    "IngestResult",
    "confirm_delivery",
    "create_production_order",
    "create_shipment",
    "record_event_from_page",
    "record_events",
    "request_label_sheet",
    "request_registry_build",
]

SYSTEM_REGISTRY = "registry"
SYSTEM_LABELS = "labels"
FIRST_PROJECT_NUMBER = 100_001
MAX_LABELS = 5_000
MAX_ORDER_COMPONENTS = 20_000


# -- who may ----------------------------------------------------------------------------------
def _team_memberships(actor: Any, project_id: Any) -> list[tuple[Organization, str, str]]:
    """(organisation, membership role, place in the team) of the actor on the project."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    rows = (
        ProjectParticipant.objects.filter(project_id=project_id, organization__memberships__user=actor,
                                          organization__active=True)
        .select_related("organization")
        .values_list("organization_id", "organization__memberships__role", "role")
    )
    organizations = {o.id: o for o in Organization.objects.filter(id__in={r[0] for r in rows})}
    return [(organizations[org], member_role, place) for org, member_role, place in rows]


def _buyer(actor: Any, project_id: Any) -> Organization | None:
    """The actor's organisation that buys components for the project: its construction unit
    (an administrator) or its general contractor (a contractor or an administrator)."""
    for organization, member_role, place in _team_memberships(actor, project_id):
        if place == "construction_unit" and member_role == "org_admin":
            return organization
        if place == "epc" and member_role in ("contractor", "org_admin"):
            return organization
    return None


def _may_manage_registry(actor: Any, project_id: Any) -> bool:
    if actor is not None and actor.is_superuser:
        return True
    if _buyer(actor, project_id) is not None:
        return True
    return any(place == "design" and role in ("designer", "org_admin")
               for _, role, place in _team_memberships(actor, project_id))


def may_manage_registry(actor: Any, project_id: Any) -> bool:
    """Whether the actor may build the project's registries (pages show the form only then)."""
    return _may_manage_registry(actor, project_id)


def is_site_contractor(actor: Any, project_id: Any) -> bool:
    """Whether the actor confirms deliveries on the project's site (its general contractor)."""
    return _contractor_member(actor, project_id) is not None


def _factory_member(actor: Any, factory_id: Any) -> bool:
    return Membership.objects.filter(
        user=actor, organization_id=factory_id, organization__active=True, role__in=("factory_operator", "org_admin")
    ).exists()


def _contractor_member(actor: Any, project_id: Any) -> Organization | None:
    for organization, member_role, place in _team_memberships(actor, project_id):
        if place == "epc" and member_role in ("contractor", "org_admin"):
            return organization
    return None


# -- registry --------------------------------------------------------------------------------
def _round_of(version: ModelVersion) -> Round | None:
    try:
        return version.round
    except Round.DoesNotExist:
        return None


@transaction.atomic
def request_registry_build(actor: Any, model_version_id: Any, *, preliminary: bool = False) -> RegistryBuild:
    """Read a model version's precast components into its building's registry (in the background).

    The version must be approved; with ``preliminary`` a version whose automated check is done
    is enough (production may start on early storeys while the review goes on), and the
    registry says so until an approved version is read.
    """
    version = get_model_version_for(actor, model_version_id)
    submission = version.submission
    project = submission.project
    if not _may_manage_registry(actor, project.id):
        raise Forbidden(_("Only the project's construction unit, general contractor or designer may build "
                          "its component registry."), code="not_permitted")
    if submission.building_id is None:
        raise InvalidInput(_("The submission names no building; a registry belongs to a building."),
                           code="no_building")
    round_ = _round_of(version)
    approved = round_ is not None and round_.decision == "approved"
    if not approved:
        if not preliminary:
            raise Conflict(_("The model version is not approved. Build a preliminary registry to start "
                             "production before approval."), code="model_not_approved")
        check = getattr(round_, "check_run", None) if round_ is not None else None
        if check is None or check.status != "done":
            raise Conflict(_("The model version has not been checked yet; submit it and wait for the check."),
                           code="model_not_checked")
    registry = _registry_for(project, submission.building)
    if registry.model_version_id and registry.model_version_id != version.id:
        current = ModelVersion.objects.get(id=registry.model_version_id)
        if version.created_at < current.created_at:
            raise Conflict(_("The registry already reads a newer model version."), code="older_model_version")
    build = RegistryBuild.objects.select_for_update().filter(registry=registry, model_version=version).first()
    if build is not None and build.status != JobStatus.FAILED:
        if approved and build.status == JobStatus.DONE and registry.preliminary \
                and registry.model_version_id == version.id:
            # The model read before approval is approved as it was: the registry is final now.
            registry.preliminary = False
            registry.save(update_fields=["preliminary", "updated_at"])
            record(actor=actor, action="registry.confirm", obj=registry, before={"preliminary": True},
                   after={"preliminary": False, "model_version": str(version.id)}, project=project)
        return build
    if build is None:
        build = RegistryBuild.objects.create(registry=registry, model_version=version,
                                             preliminary=not approved, requested_by=actor)
    else:
        build.status, build.message, build.preliminary = JobStatus.QUEUED, "", not approved
        build.save(update_fields=["status", "message", "preliminary"])
    record(actor=actor, action="registry.build_requested", obj=build,
           after={"model_version": str(version.id), "preliminary": not approved}, project=project)
    _enqueue("build_component_registry", build.id)
    return build


def _registry_for(project: Project, building: Building) -> ComponentRegistry:
    registry = ComponentRegistry.objects.select_for_update().filter(building=building).first()
    if registry is not None:
        return registry
    _numbering(project)  # the project's number is fixed with its first registry
    taken = set(ComponentRegistry.objects.filter(project=project).values_list("building_number", flat=True))
    number = _building_number(building.name, taken)
    return ComponentRegistry.objects.create(project=project, building=building, building_number=number)


def _building_number(name: str, taken: set[int]) -> int:
    """The number in the building's name (1#楼 → 1) when free, else the lowest free number."""
    match = re.search(r"\d+", name or "")
    if match and 1 <= int(match.group()) <= MAX_BUILDING and int(match.group()) not in taken:
        return int(match.group())
    free = next((n for n in range(1, MAX_BUILDING + 1) if n not in taken), None)
    if free is None:
        raise Conflict(_("The project already has 99 buildings with components."), code="too_many_buildings")
    return free


def _numbering(project: Project) -> ProjectNumbering:
    """The project's numbering row, locked; created with the next free project number."""
    numbering = ProjectNumbering.objects.select_for_update().filter(project=project).first()
    if numbering is not None:
        return numbering
    for _attempt in range(5):
        highest = ProjectNumbering.objects.aggregate(n=Max("number"))["n"]
        number = max(FIRST_PROJECT_NUMBER, (highest or 0) + 1)
        if number > MAX_PROJECT:
            raise Conflict(_("All project numbers are used."), code="project_numbers_exhausted")
        try:
            with transaction.atomic():
                ProjectNumbering.objects.create(project=project, number=number)
        except IntegrityError:
            continue  # another project took the number first
        return ProjectNumbering.objects.select_for_update().get(project=project)
    raise Conflict(_("Could not allocate a project number; try again."), code="busy")


@dataclass(frozen=True)
class RegistryJob:
    build_id: Any
    file_name: str


@transaction.atomic
def begin_registry_build(build_id: Any) -> RegistryJob | None:
    build = RegistryBuild.objects.select_for_update().filter(id=build_id).first()
    if build is None or build.status in (JobStatus.DONE, JobStatus.FAILED):
        return None
    build.status, build.started_at, build.message = JobStatus.RUNNING, timezone.now(), ""
    build.attempts += 1
    build.save(update_fields=["status", "started_at", "message", "attempts"])
    return RegistryJob(build.id, ModelVersion.objects.get(id=build.model_version_id).file.name)


@transaction.atomic
def complete_registry_build(build_id: Any, components: Iterable[PrecastComponent]) -> RegistryBuild | None:
    """Codes for the model version's components (the domain's ``reconcile``), stored at once."""
    build = RegistryBuild.objects.select_for_update().filter(id=build_id).first()
    if build is None or build.status != JobStatus.RUNNING:
        return None
    registry = ComponentRegistry.objects.select_for_update().select_related("project").get(id=build.registry_id)
    numbering = _numbering(registry.project)
    active = {c.guid: c for c in Component.objects.filter(registry=registry, retired_at__isnull=True)}
    retired = dict(
        Component.objects.filter(registry=registry, retired_at__isnull=False).order_by("retired_at")
        .values_list("guid", "code")
    )
    retired = {guid: code for guid, code in retired.items() if guid not in active}
    components = list(components)
    outcome = reconcile(
        {guid: c.code for guid, c in active.items()}, components,
        CodeIssuer(numbering.number, registry.building_number, numbering.next_serial), retired=retired,
    )
    now = timezone.now()
    by_guid = {c.guid: c for c in components}
    changes = {c.guid: list(c.changes) for c in outcome.changed}
    kept = []
    for guid in outcome.kept:
        row = active[guid]
        _copy_attributes(row, by_guid[guid])
        row.flags, row.last_build = changes.get(guid, []), build
        kept.append(row)
    Component.objects.bulk_update(kept, [*ATTRIBUTES, "flags", "last_build"], batch_size=500)
    new = []
    for issued in outcome.issued:
        row = Component(registry=registry, project=registry.project, code=issued.code, guid=issued.guid,
                        first_build=build, last_build=build, previous_code=issued.previously_retired or "")
        _copy_attributes(row, by_guid[issued.guid])
        new.append(row)
    Component.objects.bulk_create(new, batch_size=1000)
    gone = [r.guid for r in outcome.retired]
    if gone:
        Component.objects.filter(registry=registry, retired_at__isnull=True, guid__in=gone).update(
            retired_at=now, retired_by=build
        )
    numbering.next_serial = outcome.next_serial
    numbering.save(update_fields=["next_serial"])
    version = ModelVersion.objects.get(id=build.model_version_id)
    registry.model_version, registry.preliminary = version, build.preliminary
    registry.save(update_fields=["model_version", "preliminary", "updated_at"])
    build.summary = {
        "components": len(outcome.codes), "kept": len(outcome.kept), "issued": len(outcome.issued),
        "retired": len(outcome.retired), "changed": len(outcome.changed), "uncodable": len(outcome.uncodable),
        "unclassified": len(outcome.unclassified),
    }
    build.details = {
        "reissued": [{"guid": i.guid, "code": i.code, "previous_code": i.previously_retired}
                     for i in outcome.issued if i.previously_retired],
        "retired": [{"guid": r.guid, "code": r.code} for r in outcome.retired],
        "changed": [{"guid": c.guid, "code": c.code, "changes": list(c.changes)} for c in outcome.changed],
        "uncodable": [{"guid": u.guid, "reason": u.reason} for u in outcome.uncodable],
        "unclassified": list(outcome.unclassified),
    }
    build.status, build.finished_at, build.message = JobStatus.DONE, now, ""
    build.save(update_fields=["summary", "details", "status", "finished_at", "message"])
    record(actor=None, system=SYSTEM_REGISTRY, action="registry.build", obj=build, after=build.summary,
           project=registry.project)
    return build


@transaction.atomic
def fail_registry_build(build_id: Any, message: str) -> RegistryBuild | None:
    build = RegistryBuild.objects.select_for_update().select_related("registry").filter(id=build_id).first()
    if build is None or build.status in (JobStatus.DONE, JobStatus.FAILED):
        return None
    build.status, build.finished_at, build.message = JobStatus.FAILED, timezone.now(), (message or "failed")[:500]
    build.save(update_fields=["status", "finished_at", "message"])
    record(actor=None, system=SYSTEM_REGISTRY, action="registry.build_failed", obj=build, reason=build.message,
           project=Project(id=build.registry.project_id))
    return build


ATTRIBUTES = (
    "ifc_class", "name", "type_code", "classified_by", "storey", "storey_name", "length_m", "width_m", "height_m",
    "volume_m3", "weight_kg", "weight_source", "concrete_grade", "reinforcement", "x", "y", "z",
)


def _copy_attributes(row: Component, c: PrecastComponent) -> None:
    row.ifc_class = c.ifc_class[:64]
    row.name = (c.name or "")[:255]
    row.type_code = c.type_code
    row.classified_by = (c.classified_by or "")[:200]
    if c.storey is not None:  # a kept component that lost its storey keeps the last one known
        row.storey, row.storey_name = c.storey, (c.storey_name or "")[:255]
    row.length_m, row.width_m, row.height_m = c.length_m, c.width_m, c.height_m
    row.volume_m3, row.weight_kg, row.weight_source = c.volume_m3, c.weight_kg, (c.weight_source or "")[:100]
    row.concrete_grade, row.reinforcement = (c.concrete_grade or "")[:16], (c.reinforcement or "")[:16]
    row.x, row.y, row.z = c.position if c.position else (None, None, None)


# -- production orders ------------------------------------------------------------------------
@transaction.atomic
def create_production_order(
    actor: Any,
    *,
    project_id: Any,
    factory_id: Any,
    building_id: Any,
    due_dates: Mapping[int, dt.date],
    type_codes: Iterable[str] | None = None,
    note: str = "",
    ordered_at: dt.datetime | None = None,
) -> ProductionOrder:
    """Order the components of some storeys of a building from a factory of the project team,
    each storey with its due date; records the ``order`` lifecycle event of every component."""
    project = get_project_for(actor, project_id)
    buyer = _buyer(actor, project.id)
    if buyer is None:
        raise Forbidden(_("Only the project's construction unit or general contractor may order components."),
                        code="not_permitted")
    if not ProjectParticipant.objects.filter(project=project, organization_id=factory_id, role="production").exists():
        raise InvalidInput(_("The factory is not a production enterprise of this project's team."),
                           code="factory_not_in_team")
    registry = ComponentRegistry.objects.filter(project=project, building_id=building_id).first()
    if registry is None:
        raise InvalidInput(_("The building has no component registry yet."), code="no_registry")
    if not due_dates:
        raise InvalidInput(_("Give a due date for each storey to order."), code="due_dates_required")
    if any(int(storey) == 0 for storey in due_dates):
        raise InvalidInput(_("Storeys are numbered 1, 2, … above ground and −1, −2, … below."), code="invalid")
    components = Component.objects.active().filter(registry=registry, storey__in=[int(s) for s in due_dates],
                                                   order_line__isnull=True)
    if type_codes:
        components = components.filter(type_code__in=list(type_codes))
    components = list(components.order_by("storey", "code")[: MAX_ORDER_COMPONENTS + 1])
    if not components:
        raise InvalidInput(_("No component of these storeys is left to order."), code="nothing_to_order")
    if len(components) > MAX_ORDER_COMPONENTS:
        raise InvalidInput(_("An order holds at most %(n)d components.") % {"n": MAX_ORDER_COMPONENTS},
                           code="order_too_large")
    numbering = _numbering(project)
    sequence = ProductionOrder.objects.filter(project=project).count() + 1
    order = ProductionOrder.objects.create(
        project=project, factory_id=factory_id, ordered_by=buyer, number=f"PO-{numbering.number:06d}-{sequence:04d}",
        note=(note or "")[:2000], created_by=actor,
    )
    due = {int(k): v for k, v in due_dates.items()}
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, component=c, storey=c.storey, due_date=due[c.storey]) for c in components],
        batch_size=1000,
    )
    when = (ordered_at or timezone.now()).isoformat()
    result = record_events(actor, [
        {"idempotency_key": f"order/{order.id}/{c.code}", "code": c.code, "type": "order", "event_time": when}
        for c in components
    ], source="order", as_organization=buyer.id)
    _require_all_applied(result, _("The components could not be ordered"))
    record(actor=actor, action="production_order.create", obj=order,
           after={"number": order.number, "factory": str(factory_id), "components": len(components),
                  "due_dates": {str(k): v.isoformat() for k, v in due.items()}},
           organization=buyer, project=project)
    return order


def _require_all_applied(result: IngestResult, what: str) -> None:
    refused = [r for r in result.results if r.outcome != "applied"]
    if refused:
        sample = "; ".join(f"{r.code}: {r.message()}" for r in refused[:5])
        raise Conflict(f"{what} ({len(refused)}): {sample}", code="events_refused",
                       refused=[{"code": r.code, "reason": r.reason, "message": r.message()} for r in refused[:100]])


# -- the scan page --------------------------------------------------------------------------------
MAX_NOTE = 2_000


def record_event_from_page(
    actor: Any,
    component: Component,
    *,
    event_type: str,
    form_key: str | None,
    note: str = "",
    organization: str | None = None,
    upload: Any | None = None,
    upload_refused: bool = False,
) -> EventOutcome | None:
    """Record the step one person chose on a component's scan page, with its photo if one came.

    ``form_key`` is the key the page was drawn with: the same form sent twice (a double tap, a
    reload) records once, and returns None when this person's event with it is already stored,
    without looking at the photo. Otherwise the photo is checked (``upload_refused``: the upload
    handler refused the body) and stored, the event recorded now through :func:`record_events`,
    and the photo removed again when the event was not stored. A refused photo raises its
    :class:`ServiceError`; a refused event comes back as its outcome.
    """
    key = f"page/{form_key or uuid.uuid4().hex}"[:100]
    item: dict[str, Any] = {
        "idempotency_key": key, "code": component.code, "type": event_type,
        "event_time": timezone.now().isoformat(), "note": note[:MAX_NOTE],
    }
    if organization:
        item["organization"] = organization
    if LifecycleEvent.objects.filter(component=component, idempotency_key=key, recorded_by=actor).exists():
        return None
    photo = None
    photos.refuse_oversized(upload, refused=upload_refused)
    if upload is not None:
        photo = photos.upload_photo(actor, upload, organization_id=item.get("organization"))
        item["photos"] = [photo.key]
    outcome = record_events(actor, [item], source="page").results[0]
    if photo is not None and not outcome.stored:
        photos.discard(photo)  # the event was not kept: neither is its photo
    return outcome


# -- shipments --------------------------------------------------------------------------------
def _codes(texts: Iterable[str]) -> list[str]:
    codes, bad = [], []
    for text in texts:
        try:
            codes.append(parse_code(str(text)).compact)
        except ComponentCodeError as err:
            bad.append(f"{text}: {err}")
    if bad:
        raise InvalidInput("; ".join(bad[:5]), code="bad_component_code")
    return list(dict.fromkeys(codes))


@transaction.atomic
def create_shipment(
    actor: Any,
    *,
    codes: Iterable[str],
    vehicle_plate: str,
    driver: str = "",
    destination: str = "",
    departed_at: dt.datetime | None = None,
    note: str = "",
) -> Shipment:
    """A truck load from the factory: the delivery note, and the ``ship`` event of each component.

    Every component must be the same factory's, for the same project, and in stock: a delivery
    note lists what left the yard, so one refused component refuses the shipment.
    """
    wanted = _codes(codes)
    if not wanted:
        raise InvalidInput(_("A shipment needs at least one component."), code="no_components")
    plate = (vehicle_plate or "").strip().upper()
    if not plate or len(plate) > 16:
        raise InvalidInput(_("Give the vehicle's plate number."), code="vehicle_required")
    components = list(
        Component.objects.restrict(actor).filter(code__in=wanted).select_related("order_line__order")
    )
    missing = sorted(set(wanted) - {c.code for c in components})
    if missing:
        raise InvalidInput(_("Unknown components: %(codes)s") % {"codes": ", ".join(missing[:10])},
                           code="unknown_component")
    factories = {getattr(getattr(c, "order_line", None), "order", None) and c.order_line.order.factory_id
                 for c in components}
    projects = {c.project_id for c in components}
    if len(factories) != 1 or None in factories or len(projects) != 1:
        raise InvalidInput(_("A shipment carries components of one factory's orders for one project."),
                           code="mixed_shipment")
    factory_id, project_id = factories.pop(), projects.pop()
    if not _factory_member(actor, factory_id):
        raise Forbidden(_("Only the factory may ship its components."), code="not_permitted")
    departed = departed_at or timezone.now()
    day = timezone.localtime(departed).strftime("%Y%m%d")
    sequence = Shipment.objects.filter(factory_id=factory_id, number__startswith=f"FH{day}-").count() + 1
    shipment = Shipment.objects.create(
        project_id=project_id, factory_id=factory_id, number=f"FH{day}-{sequence:03d}", vehicle_plate=plate,
        driver=(driver or "").strip()[:50], destination=(destination or "").strip()[:300], departed_at=departed,
        note=(note or "")[:2000], created_by=actor,
    )
    ShipmentItem.objects.bulk_create([ShipmentItem(shipment=shipment, component=c) for c in components])
    result = record_events(actor, [
        {"idempotency_key": f"ship/{shipment.id}/{c.code}", "code": c.code, "type": "ship",
         "event_time": departed.isoformat(), "note": shipment.number}
        for c in components
    ], source="shipment", as_organization=factory_id)
    _require_all_applied(result, _("Components that cannot be shipped"))
    record(actor=actor, action="shipment.create", obj=shipment,
           after={"number": shipment.number, "vehicle": plate, "components": len(components)},
           organization=Organization(id=factory_id), project=Project(id=project_id))
    return shipment


@transaction.atomic
def confirm_delivery(actor: Any, shipment_id: Any, *, delivered_at: dt.datetime | None = None) -> Shipment:
    """The site signs the delivery note: the ``deliver`` event of every component on it."""
    visible = Shipment.objects.restrict(actor).filter(id=shipment_id).values_list("id", flat=True).first()
    if visible is None:
        from django.http import Http404

        raise Http404("no such shipment")
    shipment = Shipment.objects.select_for_update().get(id=visible)
    contractor = _contractor_member(actor, shipment.project_id)
    if contractor is None:
        raise Forbidden(_("Only the project's general contractor may confirm a delivery."), code="not_permitted")
    if shipment.delivered_at is not None:
        raise Conflict(_("This delivery was already confirmed."), code="already_delivered")
    delivered = delivered_at or timezone.now()
    if delivered < shipment.departed_at:
        raise InvalidInput(_("The delivery cannot be before the departure."), code="invalid")
    codes = list(shipment.items.values_list("component__code", flat=True))
    result = record_events(actor, [
        {"idempotency_key": f"deliver/{shipment.id}/{code}", "code": code, "type": "deliver",
         "event_time": delivered.isoformat(), "note": shipment.number}
        for code in codes
    ], source="shipment", as_organization=contractor.id)
    _require_all_applied(result, _("Components whose delivery cannot be confirmed"))
    shipment.delivered_at, shipment.received_by = delivered, actor
    shipment.save(update_fields=["delivered_at", "received_by"])
    record(actor=actor, action="shipment.deliver", obj=shipment, before={"delivered_at": None},
           after={"delivered_at": delivered.isoformat()}, organization=contractor,
           project=Project(id=shipment.project_id))
    return shipment


# -- labels ------------------------------------------------------------------------------------
@transaction.atomic
def request_label_sheet(
    actor: Any,
    *,
    base_url: str,
    project_id: Any | None = None,
    building_id: Any | None = None,
    storey: int | None = None,
    order_id: Any | None = None,
    codes: Iterable[str] | None = None,
) -> LabelSheet:
    """An A4 sheet of QR labels (made in the background) for an order, a storey or a list of codes."""
    if not re.match(r"https?://[^/\s]+", base_url or ""):
        raise InvalidInput(_("The label URL must start with http:// or https://."), code="invalid")
    # A change: the project's team and the ordering factory, not the city-wide view of the authority.
    components = Component.objects.restrict(actor, CHANGE).active()
    title_parts = []
    factory_id = None
    if order_id:
        order = ProductionOrder.objects.restrict(actor, CHANGE).filter(id=order_id).first()
        if order is None:
            raise InvalidInput(_("Unknown production order."), code="unknown_order")
        components = components.filter(order_line__order=order)
        factory_id = order.factory_id
        title_parts.append(order.number)
    if project_id:
        components = components.filter(project_id=project_id)
    if building_id:
        components = components.filter(registry__building_id=building_id)
    if storey is not None:
        components = components.filter(storey=storey)
        title_parts.append(f"{storey}F" if storey > 0 else f"B{-storey}")
    if codes:
        components = components.filter(code__in=_codes(codes))
    if not (order_id or project_id or codes):
        raise InvalidInput(_("Choose an order, a project or components to label."), code="invalid")
    rows = list(components.order_by("storey", "type_code", "code").values_list("code", "project_id",
                                                                               "registry__building__name")[
        : MAX_LABELS + 1])
    if not rows:
        raise InvalidInput(_("No component matches."), code="nothing_to_label")
    if len(rows) > MAX_LABELS:
        raise InvalidInput(_("At most %(n)d labels per sheet.") % {"n": MAX_LABELS}, code="too_many_labels")
    projects = {r[1] for r in rows}
    if len(projects) != 1:
        raise InvalidInput(_("A label sheet holds one project's components."), code="mixed_projects")
    project = Project.objects.get(id=projects.pop())
    buildings = sorted({r[2] for r in rows})
    title = " ".join([project.name, "、".join(buildings[:3]), *title_parts])[:200]
    if factory_id is None:
        factory_id = (
            Membership.objects.filter(user=actor, organization__production_orders__project=project,
                                      role__in=("factory_operator", "org_admin"))
            .values_list("organization_id", flat=True).first()
        )
    sheet = LabelSheet.objects.create(project=project, factory_id=factory_id, title=title,
                                      codes=[r[0] for r in rows], base_url=base_url.rstrip("/"), requested_by=actor)
    record(actor=actor, action="label_sheet.request", obj=sheet, after={"labels": len(rows), "title": title},
           project=project)
    _enqueue("generate_label_sheet", sheet.id)
    return sheet


@transaction.atomic
def begin_label_sheet(sheet_id: Any) -> LabelSheet | None:
    sheet = LabelSheet.objects.select_for_update().filter(id=sheet_id).first()
    if sheet is None or sheet.status in (JobStatus.DONE, JobStatus.FAILED):
        return None
    sheet.status, sheet.message = JobStatus.RUNNING, ""
    sheet.attempts += 1
    sheet.save(update_fields=["status", "message", "attempts"])
    return sheet


@transaction.atomic
def complete_label_sheet(sheet_id: Any, name: str, pages: int, labels: int) -> LabelSheet | None:
    sheet = LabelSheet.objects.select_for_update().filter(id=sheet_id).first()
    if sheet is None or sheet.status != JobStatus.RUNNING:
        return None
    sheet.file.name, sheet.pages, sheet.labels = name, pages, labels
    sheet.status, sheet.finished_at = JobStatus.DONE, timezone.now()
    sheet.save(update_fields=["file", "pages", "labels", "status", "finished_at"])
    record(actor=None, system=SYSTEM_LABELS, action="label_sheet.done", obj=sheet,
           after={"pages": pages, "labels": labels, "file": name}, project=Project(id=sheet.project_id))
    return sheet


@transaction.atomic
def fail_label_sheet(sheet_id: Any, message: str) -> LabelSheet | None:
    sheet = LabelSheet.objects.select_for_update().filter(id=sheet_id).first()
    if sheet is None or sheet.status in (JobStatus.DONE, JobStatus.FAILED):
        return None
    sheet.status, sheet.message, sheet.finished_at = JobStatus.FAILED, (message or "failed")[:500], timezone.now()
    sheet.save(update_fields=["status", "message", "finished_at"])
    record(actor=None, system=SYSTEM_LABELS, action="label_sheet.failed", obj=sheet, reason=sheet.message,
           project=Project(id=sheet.project_id))
    return sheet


# -- the as-built assembly rate ----------------------------------------------------------------------
SYSTEM_TRACEABILITY = "traceability"


def recompute_as_built(registry_id: Any) -> Any:
    """The building's as-built assembly rate from the components installed so far (by their
    events), through the assembly app's seam; None when the building has no design-stage
    evaluation to recompute. The same set of installed components gives the same evaluation."""
    from zhijian.apps.assembly import services as assembly

    registry = ComponentRegistry.objects.select_related("building").filter(id=registry_id).first()
    if registry is None or assembly.latest_design_evaluation(registry.building) is None:
        return None
    installed = list(
        Component.objects.active().filter(registry=registry, state="installed").values_list("guid", flat=True)
    )
    return assembly.recompute_as_built(registry.building, installed, system=SYSTEM_TRACEABILITY)


# -- helpers -------------------------------------------------------------------------------------
def _enqueue(task: str, object_id: UUID) -> None:
    from zhijian.apps.prefab import tasks

    transaction.on_commit(lambda: getattr(tasks, task).delay(str(object_id)))
