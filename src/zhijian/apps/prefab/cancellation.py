"""Cancelling production orders, whole or some lines: permission + transaction + audit.

The buyer who placed the order (its construction unit or general contractor) cancels lines
whose components are still only ordered; a component the factory has started is refused
(409 ``already_in_production``), and so is the whole request, so nothing is half cancelled.
Each cancelled line moves to ``CancelledOrderLine`` (the component is free to order again)
and the component gets a ``cancel_order`` lifecycle event (ordered → designed, the domain's
transition), so its history says what happened and its state comes from its events as ever.
The factory keeps seeing the order, its cancelled lines and the reason; it can no longer
record production steps for those components (``references.screen_references``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijian.apps.accounts.models import Organization
from zhijian.apps.audit.services import record
from zhijian.apps.common.errors import Conflict, Forbidden, InvalidInput
from zhijian.apps.prefab.choices import ComponentState
from zhijian.apps.prefab.models import (
    CancelledOrderLine,
    Component,
    OrderCancellation,
    OrderLine,
    ProductionOrder,
)
from zhijian.apps.prefab.recording import record_events
from zhijian.apps.prefab.services import _codes, _require_all_applied, _team_memberships
from zhijian.apps.projects.models import Project

MAX_REASON = 2000


def buyer_of_order(actor: Any, order: ProductionOrder) -> Organization | None:
    """The actor's organisation that placed the order, if the actor may act for it as a buyer
    (an administrator of the construction unit, a contractor or administrator of the general
    contractor)."""
    for organization, member_role, place in _team_memberships(actor, order.project_id):
        if organization.id != order.ordered_by_id:
            continue
        if (place == "construction_unit" and member_role == "org_admin") or \
                (place == "epc" and member_role in ("contractor", "org_admin")):
            return organization
    return None


def may_cancel(actor: Any, order: ProductionOrder) -> bool:
    """Whether pages show the cancel form: the buyer, while lines are left."""
    return order.cancelled_at is None and buyer_of_order(actor, order) is not None


@transaction.atomic
def cancel_order_lines(
    actor: Any, order_id: Any, *, reason: str, codes: Iterable[str] | None = None
) -> OrderCancellation:
    """Cancel the order's lines for ``codes`` (all its open lines when None or empty)."""
    visible = ProductionOrder.objects.restrict(actor).filter(id=order_id).values_list("id", flat=True).first()
    if visible is None:
        raise Http404("no such order")
    order = ProductionOrder.objects.select_for_update().get(id=visible)
    buyer = buyer_of_order(actor, order)
    if buyer is None:
        raise Forbidden(_("Only the organisation that placed the order may cancel it."), code="not_permitted")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the cancellation."), code="reason_required")
    wanted = _codes(codes or [])
    # The components first, locked in id order as the event recorder locks them: a factory's
    # upload about them waits for this cancellation, or this waits for the upload.
    lines_of = {
        line.component_id: line
        for line in OrderLine.objects.filter(order=order).select_related("component")
    }
    if wanted:
        by_code = {line.component.code: line for line in lines_of.values()}
        missing = [code for code in wanted if code not in by_code]
        if missing:
            already = set(CancelledOrderLine.objects.filter(order=order, component__code__in=missing)
                          .values_list("component__code", flat=True))
            if already:
                raise Conflict(_("Already cancelled: %(codes)s") % {"codes": ", ".join(sorted(already)[:10])},
                               code="already_cancelled", codes=sorted(already))
            raise InvalidInput(_("Not lines of this order: %(codes)s") % {"codes": ", ".join(missing[:10])},
                               code="not_in_order", codes=missing)
        chosen = [by_code[code] for code in wanted]
    else:
        chosen = list(lines_of.values())
    if not chosen:
        raise Conflict(_("The order has no open lines left to cancel."), code="already_cancelled")
    components = list(Component.objects.select_for_update().filter(id__in=[line.component_id for line in chosen])
                      .order_by("id").values_list("id", "code", "state"))
    started = sorted((code, state) for _id, code, state in components if state != ComponentState.ORDERED)
    if started:
        raise Conflict(
            _("%(n)d of these components are already in production or beyond and cannot be cancelled: %(codes)s")
            % {"n": len(started), "codes": ", ".join(code for code, _state in started[:10])},
            code="already_in_production",
            components=[{"code": code, "state": state} for code, state in started[:100]],
        )
    now = timezone.now()
    whole = len(chosen) == len(lines_of)
    cancellation = OrderCancellation.objects.create(
        order=order, organization=buyer, cancelled_by=actor, reason=reason[:MAX_REASON], lines=len(chosen),
        whole_order=whole,
    )
    CancelledOrderLine.objects.bulk_create([
        CancelledOrderLine(cancellation=cancellation, order=order, component_id=line.component_id,
                           storey=line.storey, due_date=line.due_date)
        for line in chosen
    ], batch_size=1000)
    OrderLine.objects.filter(id__in=[line.id for line in chosen]).delete()
    if whole:
        order.cancelled_at = now
        order.save(update_fields=["cancelled_at"])
    result = record_events(actor, [
        {"idempotency_key": f"cancel/{cancellation.id}/{line.component.code}", "code": line.component.code,
         "type": "cancel_order", "event_time": now.isoformat(), "note": order.number}
        for line in chosen
    ], source="cancellation", as_organization=buyer.id)
    _require_all_applied(result, _("The order lines could not be cancelled"))
    record(actor=actor, action="production_order.cancel", obj=order, before={"open_lines": len(lines_of)},
           after={"cancelled": len(chosen), "whole_order": whole, "cancellation": str(cancellation.id),
                  "codes": sorted(line.component.code for line in chosen)[:200]},
           reason=reason[:MAX_REASON], organization=buyer, project=Project(id=order.project_id))
    return cancellation
