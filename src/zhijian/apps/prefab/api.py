"""API: lifecycle events in (single, batch, JSON lines), components and their history, registries,
production orders, shipments, label sheets, installation progress and a factory's facts.

Every read goes through the tenant restriction; every change through a service.
"""


import datetime as dt
import json
from typing import Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from zhijian.apps.common.errors import Conflict, InvalidInput, PayloadTooLarge
from zhijian.apps.common.locale import is_english
from zhijian.apps.common.pagination import LimitOffsetPagination
from zhijian.apps.prefab import cancellation, photos, selectors, services
from zhijian.apps.prefab.choices import ComponentState, EventType
from zhijian.apps.prefab.ingest import MAX_EVENTS, split_body
from zhijian.apps.prefab.models import (
    Component,
    ComponentRegistry,
    LabelSheet,
    Photo,
    ProductionOrder,
    RegistryBuild,
    Shipment,
)
from zhijian.apps.prefab.recording import EventOutcome, IngestResult
from zhijian.apps.projects.selectors import get_project_for
from zhijian.apps.review.uploads import refused_uploads
from zhijian.domain.errors import InputError

router = Router(tags=["precast components"])

MAX_BODY_BYTES = 32 * 1024 * 1024  # 10,000 events of about 3 KB each
JSON_LINES = ("application/x-ndjson", "application/jsonl")
EVENT_EXAMPLE = {
    "idempotency_key": "scanner-07/000123",
    "code": "100023-01-F05-DHB-000042-93",
    "type": "finish_production",
    "event_time": "2025-03-01T08:00:00+08:00",
    "operator": "QC-0117",
    "location": {"place": "望城基地 2 号线", "latitude": 28.34, "longitude": 112.82},
    "measurements": [{"item_code": "LEN", "value": 3.0, "unit": "mm"}],
}


# -- schemas ---------------------------------------------------------------------------------------
class EventResultOut(Schema):
    index: int
    outcome: str
    reason: str | None
    message: str
    key: str | None
    code: str | None
    event_id: UUID | None
    stored: bool
    state_after: str | None
    state: str | None


class BatchOut(Schema):
    batch_id: UUID | None
    counts: dict[str, int]
    results: list[EventResultOut]


class ComponentOut(Schema):
    id: UUID
    code: str
    printed_code: str
    guid: str
    project_id: UUID
    registry_id: UUID
    ifc_class: str
    name: str
    type_code: str
    type_name: str
    storey: int
    storey_name: str
    length_m: float | None
    width_m: float | None
    height_m: float | None
    volume_m3: float | None
    weight_kg: float | None
    concrete_grade: str
    reinforcement: str
    state: str
    state_label: str
    state_at: dt.datetime | None
    retired: bool
    previous_code: str
    flags: list[str]

    # Resolvers also see the dicts the detail endpoints return (already resolved).
    @staticmethod
    def resolve_type_name(obj: Component | dict) -> str:
        return obj["type_name"] if isinstance(obj, dict) else selectors.type_name(obj.type_code)

    @staticmethod
    def resolve_state_label(obj: Component | dict) -> str:
        return obj["state_label"] if isinstance(obj, dict) else str(ComponentState(obj.state).label)

    @staticmethod
    def resolve_retired(obj: Component | dict) -> bool:
        return obj["retired"] if isinstance(obj, dict) else obj.retired_at is not None


class TimelineEntryOut(Schema):
    id: UUID
    type: str
    type_label: str
    event_time: dt.datetime
    received_at: dt.datetime
    organization: str
    role: str
    recorded_by: str
    operator: str
    place: str
    latitude: float | None
    longitude: float | None
    measurements: list[dict[str, Any]]
    photos: list[str]
    photo_urls: list[str]  # where to fetch each photo (GET events/{id}/photos/{photo})
    note: str
    outcome: str
    reason: str | None
    message: str
    state_after: str


class NextActionOut(Schema):
    type: str
    label: str
    organization_id: UUID
    role: str


class ComponentDetailOut(ComponentOut):
    order_id: UUID | None
    factory_id: UUID | None
    due_date: dt.date | None
    history: list[TimelineEntryOut]
    next_actions: list[NextActionOut]


class RegistryBuildIn(Schema):
    model_version_id: UUID
    preliminary: bool = False


class RegistryBuildOut(Schema):
    id: UUID
    registry_id: UUID
    model_version_id: UUID
    preliminary: bool
    status: str
    message: str
    summary: dict[str, Any]
    details: dict[str, Any]
    created_at: dt.datetime
    finished_at: dt.datetime | None


class RegistryOut(Schema):
    id: UUID
    project_id: UUID
    building_id: UUID
    building_name: str
    building_number: int
    model_version_id: UUID | None
    preliminary: bool

    @staticmethod
    def resolve_building_name(obj: ComponentRegistry) -> str:
        return obj.building.name


class OrderIn(Schema):
    project_id: UUID
    factory_id: UUID
    building_id: UUID
    due_dates: dict[int, dt.date]
    type_codes: list[str] = []
    note: str = ""


class OrderStoreyOut(Schema):
    storey: int
    due_date: dt.date
    components: int
    finished: int
    delivered: int
    installed: int


class OrderOut(Schema):
    id: UUID
    number: str
    project_id: UUID
    factory_id: UUID
    factory_name: str
    ordered_by_id: UUID
    note: str
    created_at: dt.datetime
    status: str  # open, partly_cancelled, cancelled
    cancelled_at: dt.datetime | None
    cancelled_lines: int

    @staticmethod
    def resolve_factory_name(obj: ProductionOrder | dict) -> str:
        return obj["factory_name"] if isinstance(obj, dict) else obj.factory.name

    @staticmethod
    def resolve_cancelled_lines(obj: ProductionOrder | dict) -> int:
        if isinstance(obj, dict):
            return obj["cancelled_lines"]
        counted = getattr(obj, "n_cancelled_lines", None)
        return counted if counted is not None else obj.cancelled_lines.count()

    @staticmethod
    def resolve_status(obj: ProductionOrder | dict) -> str:
        if isinstance(obj, dict):
            return obj["status"]
        if obj.cancelled_at is not None:
            return "cancelled"
        return "partly_cancelled" if OrderOut.resolve_cancelled_lines(obj) else "open"


class CancellationOut(Schema):
    id: UUID
    organization_id: UUID
    reason: str
    lines: int
    whole_order: bool
    created_at: dt.datetime
    codes: list[str]


class OrderDetailOut(OrderOut):
    storeys: list[OrderStoreyOut]
    cancellations: list[CancellationOut]


class CancellationIn(Schema):
    reason: str
    codes: list[str] = []  # none: every open line of the order


class PhotoOut(Schema):
    id: UUID
    key: str
    content_type: str
    size: int
    sha256: str
    organization_id: UUID
    created_at: dt.datetime
    url: str


class ShipmentIn(Schema):
    codes: list[str]
    vehicle_plate: str
    driver: str = ""
    destination: str = ""
    departed_at: dt.datetime | None = None
    note: str = ""


class DeliveryIn(Schema):
    delivered_at: dt.datetime | None = None


class ShipmentOut(Schema):
    id: UUID
    number: str
    project_id: UUID
    factory_id: UUID
    vehicle_plate: str
    driver: str
    destination: str
    departed_at: dt.datetime
    delivered_at: dt.datetime | None
    note: str


class ShipmentDetailOut(ShipmentOut):
    components: list[str]


class LabelSheetIn(Schema):
    project_id: UUID | None = None
    building_id: UUID | None = None
    storey: int | None = None
    order_id: UUID | None = None
    codes: list[str] = []


class LabelSheetOut(Schema):
    id: UUID
    title: str
    status: str
    message: str
    labels: int
    pages: int
    created_at: dt.datetime
    finished_at: dt.datetime | None


class StoreyProgressOut(Schema):
    storey: int
    storey_name: str
    total: int
    not_started: int
    produced: int
    delivered: int
    installed: int


class BuildingProgressOut(Schema):
    registry_id: UUID
    building_id: UUID
    building_name: str
    model_version_id: UUID | None
    components: int
    storeys: list[StoreyProgressOut]
    stages: dict[str, str]  # GlobalId → not_started / produced / delivered / installed
    colours: dict[str, str]


class RateOut(Schema):
    numerator: int
    denominator: int
    value: float | None


class FactsOut(Schema):
    factory_id: UUID
    factory_name: str
    as_of: dt.datetime
    components: int
    qc_first_pass: RateOut
    on_time_delivery: RateOut
    site_rejection: RateOut
    pending_delivery: int


# -- helpers -------------------------------------------------------------------------------------------
def _result(r: EventOutcome) -> dict[str, Any]:
    return {
        "index": r.index, "outcome": r.outcome, "reason": r.reason, "message": r.message(), "key": r.key,
        "code": r.code, "event_id": r.event_id, "stored": r.stored, "state_after": r.state_after, "state": r.state,
    }


def _batch(result: IngestResult) -> dict[str, Any]:
    return {
        "batch_id": result.batch.id if result.batch else None, "counts": result.counts,
        "results": [_result(r) for r in result.results],
    }


def _read_body(request: HttpRequest) -> bytes:
    """The raw body, up to the limit (read from the stream: Django's own limit is 2.5 MB)."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body is over {MAX_BODY_BYTES // (1024 * 1024)} MB; split the upload",
                              code="body_too_large", limit_bytes=MAX_BODY_BYTES)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body is over {MAX_BODY_BYTES // (1024 * 1024)} MB; split the upload",
                              code="body_too_large", limit_bytes=MAX_BODY_BYTES)
    return body


def _items(request: HttpRequest) -> list[Any]:
    try:
        return split_body(_read_body(request), request.content_type or "application/json")
    except InputError as exc:
        raise InvalidInput(str(exc), code="invalid_body") from exc


def _component_detail(request: HttpRequest, component: Component) -> dict[str, Any]:
    out = ComponentOut.from_orm(component).dict()
    timeline = selectors.get_timeline_for(request.user, component)
    line = getattr(component, "order_line", None)
    out.update(
        order_id=line.order_id if line else None,
        factory_id=line.order.factory_id if line else None,
        due_date=line.due_date if line else None,
        history=_entries(timeline.entries),
        next_actions=[{"type": a.event_type, "label": a.label, "organization_id": a.organization_id, "role": a.role}
                      for a in selectors.next_actions_for(request.user, component)],
    )
    return out


def _entries(entries: list[selectors.TimelineEntry]) -> list[dict[str, Any]]:
    rows = photos.photos_by_key([key for entry in entries for key in entry.event.photos])
    return [_entry(entry, rows) for entry in entries]


def _entry(entry: selectors.TimelineEntry, photo_rows: dict[str, Photo]) -> dict[str, Any]:
    e, r = entry.event, entry.result
    return {
        "photo_urls": [reverse("api-1:prefab_event_photo", kwargs={"event_id": e.id, "photo_id": photo_rows[key].id})
                       for key in e.photos if key in photo_rows],
        "id": e.id, "type": e.event_type, "type_label": str(EventType(e.event_type).label), "event_time": e.event_time,
        "received_at": e.received_at, "organization": entry.organization, "role": e.role,
        "recorded_by": entry.recorded_by, "operator": e.operator, "place": e.place, "latitude": e.latitude,
        "longitude": e.longitude, "measurements": e.measurements, "photos": e.photos, "note": e.note,
        "outcome": r.outcome.value, "reason": r.reason.code.value if r.reason else None,
        "message": (r.reason.message_en if is_english() else r.reason.message_zh) if r.reason else "",
        "state_after": r.state_after.value,
    }


# -- events ------------------------------------------------------------------------------------------------
@router.post(
    "/events", response={200: EventResultOut, 201: EventResultOut},
    summary="Record one lifecycle event (201 applied, 200 duplicate; refused: 409 if stored, else 422)",
    openapi_extra={"requestBody": {"content": {"application/json": {"example": EVENT_EXAMPLE}}, "required": True}},
)
def record_event(request: HttpRequest) -> Any:
    try:
        item = json.loads(_read_body(request).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"the body is not JSON: {exc}", code="invalid_body") from exc
    if not isinstance(item, dict):
        raise InvalidInput("send one event object here; batches go to /api/v1/prefab/events/batch", code="invalid_body")
    outcome = services.record_events(request.user, [item], source="api").results[0]
    if outcome.outcome == "applied":
        return Status(201, _result(outcome))
    if outcome.outcome == "duplicate":
        return Status(200, _result(outcome))
    cls = Conflict if outcome.stored else InvalidInput
    raise cls(outcome.message(), code=outcome.reason or "rejected", result=_result(outcome))


@router.post(
    "/events/batch", response=BatchOut,
    summary=f"Record up to {MAX_EVENTS:,} events: a JSON array, {{\"events\": [...]}}, or JSON lines "
    "(Content-Type application/x-ndjson); one result per event, in order",
    openapi_extra={"requestBody": {"content": {
        "application/json": {"example": [EVENT_EXAMPLE]},
        "application/x-ndjson": {"schema": {"type": "string"}},
    }, "required": True}},
)
def record_batch(request: HttpRequest) -> HttpResponse:
    items = _items(request)
    if len(items) > MAX_EVENTS:
        raise PayloadTooLarge(f"at most {MAX_EVENTS} events per request, got {len(items)}; split the upload",
                              code="too_many_events", limit=MAX_EVENTS)
    result = services.record_events(request.user, items, source="api")
    # Written directly (the shape is BatchOut's): validating 10,000 results again would cost
    # more than recording them.
    return HttpResponse(_batch_json(result), content_type="application/json")


def _batch_json(result: IngestResult) -> str:
    english = is_english()
    rows = [
        {"index": r.index, "outcome": r.outcome, "reason": r.reason,
         "message": r.message_en if english else r.message_zh, "key": r.key, "code": r.code,
         "event_id": _uuid_text(r.event_id), "stored": r.stored, "state_after": r.state_after, "state": r.state}
        for r in result.results
    ]
    body = {"batch_id": str(result.batch.id) if result.batch else None, "counts": result.counts, "results": rows}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _uuid_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 32:  # a new event's id, as the service made it
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


# -- components ----------------------------------------------------------------------------------------------
@router.get("/components", response=list[ComponentOut], summary="Components visible to you")
@paginate(LimitOffsetPagination)
def list_components(  # type: ignore[no-untyped-def]
    request: HttpRequest, project_id: UUID | None = None, registry_id: UUID | None = None,
    storey: int | None = None, state: str | None = None, order_id: UUID | None = None,
):
    components = selectors.list_components_for(request.user).active()
    if project_id:
        components = components.filter(project_id=project_id)
    if registry_id:
        components = components.filter(registry_id=registry_id)
    if storey is not None:
        components = components.filter(storey=storey)
    if state:
        components = components.filter(state=state)
    if order_id:
        components = components.filter(order_line__order_id=order_id)
    return components.order_by("registry_id", "storey", "type_code", "code")


@router.get("/components/{code}", response=ComponentDetailOut,
            summary="A component by its code (hyphens optional): its data, history and the steps you may record next")
def get_component(request: HttpRequest, code: str) -> dict[str, Any]:
    return _component_detail(request, selectors.get_component_for(request.user, code))


@router.get("/components/{code}/events", response=list[TimelineEntryOut], summary="A component's history")
def component_events(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    component = selectors.get_component_for(request.user, code)
    return _entries(selectors.get_timeline_for(request.user, component).entries)


# -- registries ----------------------------------------------------------------------------------------------
@router.post("/registries", response={202: RegistryBuildOut},
             summary="Read a model version's precast components into its building's registry (in the background)")
def build_registry(request: HttpRequest, payload: RegistryBuildIn) -> Status:
    build = services.request_registry_build(request.user, payload.model_version_id, preliminary=payload.preliminary)
    return Status(202, build)


@router.get("/registries", response=list[RegistryOut])
def list_registries(request: HttpRequest, project_id: UUID | None = None) -> Any:
    registries = selectors.list_registries_for(request.user)
    return registries.filter(project_id=project_id) if project_id else registries


@router.get("/registries/{uuid:registry_id}", response=RegistryOut)
def get_registry(request: HttpRequest, registry_id: UUID) -> ComponentRegistry:
    return selectors.get_registry_for(request.user, registry_id)


@router.get("/registries/{uuid:registry_id}/builds", response=list[RegistryBuildOut])
def list_builds(request: HttpRequest, registry_id: UUID) -> Any:
    registry = selectors.get_registry_for(request.user, registry_id)
    return RegistryBuild.objects.restrict(request.user).filter(registry=registry)


@router.get("/registry-builds/{uuid:build_id}", response=RegistryBuildOut)
def get_build(request: HttpRequest, build_id: UUID) -> RegistryBuild:
    return selectors.get_registry_build_for(request.user, build_id)


# -- production orders -----------------------------------------------------------------------------------------
def _order_detail(order: ProductionOrder) -> dict[str, Any]:
    out = OrderOut.from_orm(order).dict()
    out["storeys"] = [
        {"storey": s.storey, "due_date": s.due_date, "components": s.components, "finished": s.finished,
         "delivered": s.delivered, "installed": s.installed}
        for s in selectors.order_storeys(order)
    ]
    out["cancellations"] = [
        {"id": c.id, "organization_id": c.organization_id, "reason": c.reason, "lines": c.lines,
         "whole_order": c.whole_order, "created_at": c.created_at,
         "codes": sorted(line.component.code for line in c.cancelled_lines.all())}
        for c in order.cancellations.prefetch_related("cancelled_lines__component").order_by("created_at")
    ]
    return out


@router.post("/orders", response={201: OrderDetailOut},
             summary="Order a building's components of some storeys from a factory, with a due date per storey")
def create_order(request: HttpRequest, payload: OrderIn) -> Status:
    order = services.create_production_order(
        request.user, project_id=payload.project_id, factory_id=payload.factory_id, building_id=payload.building_id,
        due_dates=payload.due_dates, type_codes=payload.type_codes or None, note=payload.note,
    )
    return Status(201, _order_detail(order))


@router.get("/orders", response=list[OrderOut], summary="Production orders visible to you (a factory: its own)")
@paginate(LimitOffsetPagination)
def list_orders(request: HttpRequest, project_id: UUID | None = None):  # type: ignore[no-untyped-def]
    orders = selectors.list_orders_for(request.user).annotate(n_cancelled_lines=Count("cancelled_lines"))
    return orders.filter(project_id=project_id) if project_id else orders


@router.get("/orders/{uuid:order_id}", response=OrderDetailOut)
def get_order(request: HttpRequest, order_id: UUID) -> dict[str, Any]:
    return _order_detail(selectors.get_order_for(request.user, order_id))


@router.post("/orders/{uuid:order_id}/cancellation", response=OrderDetailOut,
             summary="Cancel the order, or some of its lines (codes), with a reason — the buyer that placed it, "
             "while the components are not yet in production (409 otherwise)")
def cancel_order(request: HttpRequest, order_id: UUID, payload: CancellationIn) -> dict[str, Any]:
    cancellation.cancel_order_lines(request.user, order_id, reason=payload.reason, codes=payload.codes or None)
    return _order_detail(selectors.get_order_for(request.user, order_id))


# -- shipments -----------------------------------------------------------------------------------------------------
def _shipment_detail(shipment: Shipment) -> dict[str, Any]:
    out = ShipmentOut.from_orm(shipment).dict()
    out["components"] = [c.code for c in selectors.shipment_components(shipment)]
    return out


@router.post("/shipments", response={201: ShipmentDetailOut},
             summary="Ship components in stock (the factory): the delivery note and a ship event for each")
def create_shipment(request: HttpRequest, payload: ShipmentIn) -> Status:
    shipment = services.create_shipment(
        request.user, codes=payload.codes, vehicle_plate=payload.vehicle_plate, driver=payload.driver,
        destination=payload.destination, departed_at=payload.departed_at, note=payload.note,
    )
    return Status(201, _shipment_detail(shipment))


@router.get("/shipments", response=list[ShipmentOut])
@paginate(LimitOffsetPagination)
def list_shipments(request: HttpRequest, project_id: UUID | None = None):  # type: ignore[no-untyped-def]
    shipments = selectors.list_shipments_for(request.user)
    return shipments.filter(project_id=project_id) if project_id else shipments


@router.get("/shipments/{uuid:shipment_id}", response=ShipmentDetailOut)
def get_shipment(request: HttpRequest, shipment_id: UUID) -> dict[str, Any]:
    return _shipment_detail(selectors.get_shipment_for(request.user, shipment_id))


@router.post("/shipments/{uuid:shipment_id}/delivery", response=ShipmentDetailOut,
             summary="Confirm the delivery (the site's general contractor): a deliver event for each component")
def confirm_delivery(request: HttpRequest, shipment_id: UUID, payload: DeliveryIn) -> dict[str, Any]:
    return _shipment_detail(services.confirm_delivery(request.user, shipment_id, delivered_at=payload.delivered_at))


# -- label sheets ------------------------------------------------------------------------------------------------------
@router.post("/label-sheets", response={202: LabelSheetOut},
             summary="An A4 PDF of QR labels for an order, a storey or some components (drawn in the background)")
def create_label_sheet(request: HttpRequest, payload: LabelSheetIn) -> Status:
    sheet = services.request_label_sheet(
        request.user, base_url=request.build_absolute_uri("/c/"), project_id=payload.project_id,
        building_id=payload.building_id, storey=payload.storey, order_id=payload.order_id, codes=payload.codes or None,
    )
    return Status(202, sheet)


@router.get("/label-sheets/{uuid:sheet_id}", response=LabelSheetOut)
def get_label_sheet(request: HttpRequest, sheet_id: UUID) -> LabelSheet:
    return selectors.get_label_sheet_for(request.user, sheet_id)


@router.get("/label-sheets/{uuid:sheet_id}/file", summary="The label sheet's PDF, once drawn")
def label_sheet_file(request: HttpRequest, sheet_id: UUID) -> HttpResponse:
    return selectors.label_sheet_pdf_for(request.user, sheet_id)


# -- progress and facts ---------------------------------------------------------------------------------------------------
@router.get("/projects/{uuid:project_id}/progress", response=list[BuildingProgressOut],
            summary="Installation progress per building and storey, and each component's stage by GlobalId")
def project_progress(request: HttpRequest, project_id: UUID) -> list[dict[str, Any]]:
    project = get_project_for(request.user, project_id)
    out = []
    for building in selectors.project_progress_for(request.user, project):
        registry = building.registry
        out.append({
            "registry_id": registry.id, "building_id": registry.building_id, "building_name": registry.building.name,
            "model_version_id": registry.model_version_id, "components": building.components,
            "storeys": [{"storey": s.storey, "storey_name": s.storey_name, "total": s.total,
                         **{stage: s.stages.get(stage, 0) for stage in ("not_started", "produced", "delivered",
                                                                         "installed")}}
                        for s in building.storeys],
            "stages": building.stages_by_guid, "colours": building.colours,
        })
    return out


@router.get("/factories/{uuid:organization_id}/facts", response=FactsOut,
            summary="A factory's quality and delivery record: QC first-pass rate, on-time delivery, site rejection")
def factory_facts(request: HttpRequest, organization_id: UUID) -> dict[str, Any]:
    import django.utils.timezone as tz

    factory = selectors.get_factory_for(request.user, organization_id)
    now = tz.now()
    facts = selectors.factory_facts_for(factory, as_of=now)

    def rate(r: Any) -> dict[str, Any]:
        return {"numerator": r.numerator, "denominator": r.denominator, "value": r.value}

    return {
        "factory_id": factory.id, "factory_name": factory.name, "as_of": now, "components": facts.components,
        "qc_first_pass": rate(facts.qc_first_pass), "on_time_delivery": rate(facts.on_time_delivery),
        "site_rejection": rate(facts.site_rejection), "pending_delivery": facts.pending_delivery,
    }


# -- photos -----------------------------------------------------------------------------------------------------------
def _photo_out(photo: Photo) -> dict[str, Any]:
    return {"id": photo.id, "key": photo.key, "content_type": photo.content_type, "size": photo.size,
            "sha256": photo.sha256, "organization_id": photo.organization_id, "created_at": photo.created_at,
            "url": reverse("api-1:prefab_own_photo", kwargs={"photo_id": photo.id})}


def photo_response(photo: Photo) -> FileResponse:
    """The photo's bytes with the type sniffed at upload, never guessed again by the browser."""
    response = FileResponse(default_storage.open(photo.key, "rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@router.post(
    "/photos", response={201: PhotoOut},
    summary="Upload a photo for lifecycle events (multipart field 'file'; JPEG, PNG or WebP, recognised by its "
    "bytes; at most ZHIJIAN_MAX_PHOTO_BYTES, 10 MB by default); name its key in an event's 'photos'",
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"},
                       "organization_id": {"type": "string", "format": "uuid"}}}}}, "required": True}},
)
def upload_photo(request: HttpRequest) -> Status:
    limit = photos.max_photo_bytes()
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > limit + 64 * 1024:  # refused before a byte is read
        raise photos.too_large(int(length))
    upload = request.FILES.get("file")
    photos.refuse_oversized(upload, refused=bool(refused_uploads(request)))
    if upload is None:
        raise InvalidInput("send the photo as the multipart field 'file'", code="file_required")
    # A form field, not validated by Ninja: photos.upload_photo refuses a malformed id.
    photo = photos.upload_photo(request.user, upload, organization_id=request.POST.get("organization_id") or None)
    return Status(201, _photo_out(photo))


@router.get("/photos/{uuid:photo_id}", url_name="prefab_own_photo",
            summary="A photo your organisation uploaded")
def own_photo(request: HttpRequest, photo_id: UUID) -> FileResponse:
    return photo_response(photos.own_photo(request.user, photo_id))


@router.get("/events/{uuid:event_id}/photos/{uuid:photo_id}", url_name="prefab_event_photo",
            summary="A photo of an event you may see")
def event_photo(request: HttpRequest, event_id: UUID, photo_id: UUID) -> FileResponse:
    return photo_response(photos.photo_of_event(request.user, event_id, photo_id))
