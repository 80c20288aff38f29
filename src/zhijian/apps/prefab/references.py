"""What an event names beyond its component, checked while an upload is validated.

The recorder (``recording._record``) calls :func:`screen_references` once per upload, after it
has locked the components and before it decides roles, and refuses the events it returns:

- ``photos``: every storage key must be a photo uploaded by the recording organisation
  (``unknown_photo`` / ``photo_of_another_organization``);
- production steps for a component whose order the buyer cancelled, by the factory of that
  order (``order_cancelled``), unless the component was ordered from it again;
- ``cancel_order`` sent as an event while the component still has its order line
  (``cancel_through_order``): a cancellation goes through the order, with a reason, so the
  line is closed with it (``cancellation.cancel_order_lines``).

Cheap when nothing applies (a scanner's batch without photos for the factory's own orders):
one pass over the events and no query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from zhijian.apps.prefab.ingest import EventDraft, EventRefusal
from zhijian.apps.prefab.models import CancelledOrderLine, Photo
from zhijian.domain.prefab.lifecycle import ROLE_POLICY, EventType, OrgRole, State

# Steps a factory records for its order (what a cancelled order's factory may no longer do).
FACTORY_STEPS = frozenset(e for e, roles in ROLE_POLICY.items() if OrgRole.FACTORY in roles)
CANCEL = EventType.CANCEL_ORDER
DESIGNED = State.DESIGNED.value


def screen_references(
    drafts: Sequence[tuple[int, EventDraft]], targets: Mapping[str, Any], organizations: set[UUID]
) -> dict[int, EventRefusal]:
    """Refusals by the event's index; ``targets`` are the locked components by code, with the
    factory of their current order; ``organizations`` those the actor records for."""
    # Components whose order may have been cancelled for the actor's factory: not in one of its
    # orders now, or back to ``designed``. (The second because a scanner's upload that waited
    # for a cancellation's row locks reads the component's new state but, through the join,
    # its order line as it was before; a factory step on a designed component is refused anyway.)
    suspect = {code for code, t in targets.items() if t.factory_id not in organizations or t.state == DESIGNED}
    flagged = [(i, d) for i, d in drafts
               if d.photos or d.event_type is CANCEL or (d.code in suspect and d.event_type in FACTORY_STEPS)]
    if not flagged:
        return {}
    refusals: dict[int, EventRefusal] = {}
    _photos(flagged, organizations, refusals)
    _cancelled(flagged, targets, suspect, organizations, refusals)
    for index, draft in flagged:
        target = targets.get(draft.code)
        if draft.event_type is CANCEL and target is not None and target.factory_id is not None:
            refusals.setdefault(index, EventRefusal(
                "cancel_through_order", "取消订单请在生产订单中操作并填写原因，不能作为扫码事件记录",
                "cancel through the production order (with a reason), not as a scanned event",
            ))
    return refusals


def _photos(flagged: list[tuple[int, EventDraft]], organizations: set[UUID],
            refusals: dict[int, EventRefusal]) -> None:
    keys = {key for _, d in flagged for key in d.photos}
    if not keys:
        return
    owner = dict(Photo.objects.filter(key__in=keys).values_list("key", "organization_id"))
    for index, draft in flagged:
        allowed = {draft.organization} if draft.organization is not None else organizations
        for key in draft.photos:
            if key not in owner:
                refusals[index] = EventRefusal(
                    "unknown_photo", f"照片 {key} 不存在：请先上传照片（/api/v1/prefab/photos）",
                    f"photo {key} does not exist: upload it first (/api/v1/prefab/photos)",
                )
                break
            if owner[key] not in allowed:
                refusals[index] = EventRefusal(
                    "photo_of_another_organization", f"照片 {key} 属于其他单位，不能用于本单位记录的事件",
                    f"photo {key} belongs to another organisation and cannot be attached to your event",
                )
                break


def _cancelled(flagged: list[tuple[int, EventDraft]], targets: Mapping[str, Any], suspect: set[str],
               organizations: set[UUID], refusals: dict[int, EventRefusal]) -> None:
    steps = [(i, d) for i, d in flagged if d.code in suspect and d.event_type in FACTORY_STEPS and i not in refusals]
    if not steps or not organizations:
        return
    ids = {targets[d.code].id: d.code for _, d in steps if d.code in targets}
    cancelled = dict(
        CancelledOrderLine.objects.filter(component_id__in=list(ids), order__factory_id__in=organizations)
        .order_by("cancellation__created_at").values_list("component_id", "order__number")
    )
    by_code = {ids[cid]: number for cid, number in cancelled.items()}
    for index, draft in steps:
        number = by_code.get(draft.code)
        if number is not None:
            refusals[index] = EventRefusal(
                "order_cancelled", f"构件 {draft.code} 的生产订单 {number} 已被取消，不能再记录生产步骤",
                f"the production order {number} of component {draft.code} was cancelled; "
                "no further production steps can be recorded",
            )
