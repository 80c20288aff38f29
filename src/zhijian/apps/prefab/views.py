"""Prefab pages: the scan page behind every QR label (/c/<code>/), the factory board, a project's
installation progress, production orders, delivery notes and label sheets.

Each view translates the request into a selector or service call and renders. A refused change
comes back as a message with the reason; nothing is stored.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijian.apps.common.errors import ServiceError
from zhijian.apps.prefab import cancellation, photos, public, selectors, services
from zhijian.apps.prefab.choices import STAGE_COLOURS, ComponentState, EventType, JobStatus, Stage
from zhijian.apps.prefab.models import Component
from zhijian.apps.projects.selectors import get_project_for
from zhijian.apps.review.models import ModelVersion
from zhijian.apps.review.uploads import refused_uploads
from zhijian.domain.prefab.labels import component_url, qr_svg


def _scan_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/c/").rstrip("/")


# -- the scan page --------------------------------------------------------------------------------
def component_scan(request: HttpRequest, code: str) -> HttpResponse:
    """What a phone opens from a QR label: the component, its history, and what to record next.

    The label is public: whoever is not in the component's project team (not logged in, or
    another organisation) gets the public view (``public.py``); a malformed code or a code
    nobody issued is a 404 page that says which.
    """
    try:
        component = public.find_component(code)
    except ServiceError as exc:
        return render(request, "prefab/scan_error.html", {"code": code, "error": exc, "kind": "invalid"}, status=404)
    except public.UnknownCode as exc:
        return render(request, "prefab/scan_error.html", {"code": code, "compact": str(exc), "kind": "unknown"},
                      status=404)
    if component.code != code:  # printed or lower-case forms land on the one address
        return redirect("prefab:scan", code=component.code)
    if not public.is_participant(request.user, component):
        if request.method == "POST":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            messages.error(request, _("Only the organisations of this component's project record its steps."))
            return redirect("prefab:scan", code=component.code)
        return render(request, "prefab/scan_public.html", {
            "component": public.public_view(component),
            "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}",
        })
    if request.method == "POST":
        return _record_from_page(request, component)
    timeline = selectors.get_timeline_for(request.user, component)
    line = getattr(component, "order_line", None)
    entries = list(reversed(timeline.entries))
    photo_rows = photos.photos_by_key([key for entry in entries for key in entry.event.photos])
    return render(request, "prefab/scan.html", {
        "component": component,
        "type_name": selectors.type_name(component.type_code),
        "state_label": ComponentState(component.state).label,
        "entries": [
            {"entry": entry, "photos": [
                reverse("api-1:prefab_event_photo", kwargs={"event_id": entry.event.id, "photo_id": photo_rows[key].id})
                for key in entry.event.photos if key in photo_rows
            ]}
            for entry in entries
        ],
        "actions": selectors.next_actions_for(request.user, component),
        "order": line.order if line else None,
        "due_date": line.due_date if line else None,
        "form_key": uuid.uuid4().hex,
        "qr_url": component_url(_scan_url(request), component.code),
        "photo_limit_mb": photos.max_photo_bytes() // (1024 * 1024),
    })


def _record_from_page(request: HttpRequest, component: Component) -> HttpResponse:
    event_type = request.POST.get("type", "")
    label = EventType(event_type).label if event_type in EventType.values else event_type
    try:
        outcome = services.record_event_from_page(
            request.user, component, event_type=event_type, form_key=request.POST.get("key"),
            note=request.POST.get("note", ""), organization=request.POST.get("organization"),
            upload=request.FILES.get("photo"), upload_refused=bool(refused_uploads(request)),
        )
    except ServiceError as exc:
        messages.error(request, exc.detail)
        return redirect("prefab:scan", code=component.code)
    if outcome is None or outcome.outcome == "duplicate":  # None: this form was sent before
        messages.info(request, _("Already recorded: %(event)s.") % {"event": label})
    elif outcome.outcome == "applied":
        messages.success(request, _("Recorded: %(event)s.") % {"event": label})
    else:
        messages.error(request, outcome.message())
    return redirect("prefab:scan", code=component.code)


@login_required
def component_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The component's QR label (SVG): its page URL, with the code as the title."""
    component = selectors.get_component_for(request.user, code)
    svg = qr_svg(component.code, component_url(_scan_url(request), component.code), scale=6)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# -- a project's precast components -------------------------------------------------------------------
STAGE_ORDER = (Stage.INSTALLED, Stage.DELIVERED, Stage.PRODUCED, Stage.NOT_STARTED)


@login_required
def project_progress(request: HttpRequest, project_id: UUID) -> HttpResponse:
    project = get_project_for(request.user, project_id)
    buildings = selectors.project_progress_for(request.user, project)
    legend = [{"colour": STAGE_COLOURS[s], "label": str(Stage(s).label), "stage": s}
              for s in STAGE_ORDER if STAGE_COLOURS[s]]
    for building in buildings:
        totals = building.totals
        building.legend = [{**entry, "count": totals.get(entry["stage"], 0)} for entry in legend]
        building.viewer = {"colours": building.colours,
                           "legend": [{"colour": e["colour"], "label": e["label"]} for e in legend]}
    versions = (
        ModelVersion.objects.restrict(request.user)
        .filter(submission__project=project, submission__building__isnull=False, round__check_run__status="done")
        .select_related("submission__building", "round").order_by("-created_at")[:20]
    )
    return render(request, "prefab/project.html", {
        "project": project,
        "buildings": buildings,
        "stages": [(s, Stage(s).label, STAGE_COLOURS[s]) for s in STAGE_ORDER],
        "orders": selectors.list_orders_for(request.user).filter(project=project).order_by("-created_at")[:50],
        "shipments": selectors.list_shipments_for(request.user).filter(project=project).order_by("-departed_at")[:50],
        "versions": versions,
        "may_build": services.may_manage_registry(request.user, project.id),
    })


@login_required
@require_POST
def registry_build(request: HttpRequest, project_id: UUID) -> HttpResponse:
    try:
        services.request_registry_build(request.user, request.POST.get("model_version_id"),
                                        preliminary=request.POST.get("preliminary") == "1")
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The registry is being built; refresh in a moment."))
    return redirect("prefab:project", project_id=project_id)


# -- orders, shipments, labels ------------------------------------------------------------------------
@login_required
def order_detail(request: HttpRequest, order_id: UUID) -> HttpResponse:
    order = selectors.get_order_for(request.user, order_id)
    components = (
        selectors.list_components_for(request.user).filter(order_line__order=order)
        .order_by("storey", "type_code", "code")
    )
    return render(request, "prefab/order.html", {
        "order": order, "storeys": selectors.order_storeys(order), "components": components,
        "may_cancel": cancellation.may_cancel(request.user, order),
        "cancellations": order.cancellations.select_related("organization", "cancelled_by")
        .prefetch_related("cancelled_lines__component").order_by("created_at"),
    })


@login_required
@require_POST
def order_cancel(request: HttpRequest, order_id: UUID) -> HttpResponse:
    """Cancel the ticked lines (or the whole order), with the reason."""
    order = selectors.get_order_for(request.user, order_id)
    try:
        done = cancellation.cancel_order_lines(request.user, order.id, reason=request.POST.get("reason", ""),
                                               codes=request.POST.getlist("codes") or None)
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Cancelled %(n)d lines of the order.") % {"n": done.lines})
    return redirect("prefab:order", order_id=order.id)


@login_required
@require_POST
def order_labels(request: HttpRequest, order_id: UUID) -> HttpResponse:
    order = selectors.get_order_for(request.user, order_id)
    storey = request.POST.get("storey")
    try:
        sheet = services.request_label_sheet(request.user, base_url=_scan_url(request), order_id=order.id,
                                             storey=int(storey) if storey else None)
    except (ServiceError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", str(exc)))
        return redirect("prefab:order", order_id=order.id)
    return redirect("prefab:label_sheet", sheet_id=sheet.id)


@login_required
def label_sheet(request: HttpRequest, sheet_id: UUID) -> HttpResponse:
    sheet = selectors.get_label_sheet_for(request.user, sheet_id)
    return render(request, "prefab/label_sheet.html", {
        "sheet": sheet, "refresh": sheet.status in (JobStatus.QUEUED, JobStatus.RUNNING)})


@login_required
def label_sheet_file(request: HttpRequest, sheet_id: UUID) -> FileResponse:
    return selectors.label_sheet_pdf_for(request.user, sheet_id)


@login_required
def shipment_detail(request: HttpRequest, shipment_id: UUID) -> HttpResponse:
    """The delivery note (发货单): printable, with the site's confirmation."""
    shipment = selectors.get_shipment_for(request.user, shipment_id)
    components = selectors.shipment_components(shipment)
    return render(request, "prefab/shipment.html", {
        "shipment": shipment, "components": components,
        "types": {c.type_code: selectors.type_name(c.type_code) for c in components},
        "total_weight_t": sum(c.weight_kg or 0 for c in components) / 1000,
        "total_volume": sum(c.volume_m3 or 0 for c in components),
        "may_confirm": shipment.delivered_at is None and services.is_site_contractor(request.user, shipment.project_id),
    })


@login_required
@require_POST
def shipment_deliver(request: HttpRequest, shipment_id: UUID) -> HttpResponse:
    try:
        services.confirm_delivery(request.user, shipment_id)
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Delivery confirmed."))
    return redirect("prefab:shipment", shipment_id=shipment_id)


# -- the factory board ---------------------------------------------------------------------------------
@login_required
def factory_board(request: HttpRequest, organization_id: UUID | None = None) -> HttpResponse:
    """Orders, throughput, QC pass rate, on-time rate and stock age of a factory."""
    own = selectors.factories_of(request.user)
    if organization_id is None:
        if not own:
            return render(request, "prefab/no_factory.html", status=404)
        factory = own[0]
    else:
        factory = selectors.get_factory_for(request.user, organization_id)
    board = selectors.factory_board_for(request.user, factory)
    peak = max((n for _, n in board.throughput), default=0) or 1
    return render(request, "prefab/factory_board.html", {
        "board": board, "factory": factory, "factories": own, "is_own": factory in own,
        "throughput": [(day, n, round(100 * n / peak)) for day, n in board.throughput],
        "throughput_total": sum(n for _, n in board.throughput),
        "shipments": selectors.list_shipments_for(request.user).filter(factory=factory).order_by("-departed_at")[:20],
    })


@login_required
@require_POST
def factory_ship(request: HttpRequest) -> HttpResponse:
    codes = [line.strip() for line in request.POST.get("codes", "").replace(",", "\n").splitlines() if line.strip()]
    try:
        shipment = services.create_shipment(
            request.user, codes=codes, vehicle_plate=request.POST.get("vehicle_plate", ""),
            driver=request.POST.get("driver", ""), destination=request.POST.get("destination", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.detail)
        return redirect("prefab:factory_board")
    messages.success(request, _("Shipment %(number)s recorded.") % {"number": shipment.number})
    return redirect("prefab:shipment", shipment_id=shipment.id)
