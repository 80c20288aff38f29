"""What anyone holding a component's label may read (the public scan page).

The label is physical and public, so its page is too, but only what the label itself
implies: the code, its type, the project, building and storey, the factory making it, its
state and the dated steps of its history. Not who recorded them, nor measurements, photos,
places or notes — those belong to the organisations of the project (the full page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zhijian.apps.prefab.choices import ComponentState, EventType
from zhijian.apps.prefab.models import Component
from zhijian.apps.prefab.selectors import (
    compact_code,
    component_history,
    list_components_for,
    type_name,
)
from zhijian.domain.prefab.lifecycle import Outcome


class UnknownCode(Exception):
    """A well-formed code that no component has."""


@dataclass(frozen=True)
class PublicStep:
    event_type: str
    label: str
    event_time: datetime


@dataclass(frozen=True)
class PublicComponent:
    code: str
    printed_code: str
    type_code: str
    type_name: str
    project_name: str
    building_name: str
    storey_label: str
    factory_name: str | None
    state: str
    state_label: str
    state_at: datetime | None
    retired: bool
    steps: list[PublicStep]  # applied steps, newest first


def find_component(code: str) -> Component:
    """The component with this code, whoever asks; :class:`InvalidInput` for a malformed code
    or wrong check digits, :class:`UnknownCode` for a valid code nobody issued."""
    compact = compact_code(code)
    component = (
        Component.objects.select_related("project", "registry__building", "order_line__order__factory")
        .filter(code=compact).first()
    )
    if component is None:
        raise UnknownCode(compact)
    return component


def is_participant(user: Any, component: Component) -> bool:
    """Whether the user sees the full page (the project's team, the ordering factory, the authority)."""
    return bool(getattr(user, "is_authenticated", False)) and \
        list_components_for(user).filter(id=component.id).exists()


def public_view(component: Component) -> PublicComponent:
    line = getattr(component, "order_line", None)
    history = component_history(component)
    steps = [
        PublicStep(r.event.type.value, str(EventType(r.event.type.value).label), r.event.event_time)
        for r in history.results if r.outcome is Outcome.APPLIED
    ]
    return PublicComponent(
        code=component.code, printed_code=component.printed_code, type_code=component.type_code,
        type_name=type_name(component.type_code), project_name=component.project.name,
        building_name=component.registry.building.name,
        storey_label=component.storey_name or component.storey_label,
        factory_name=line.order.factory.name if line else None, state=component.state,
        state_label=str(ComponentState(component.state).label), state_at=component.state_at,
        retired=component.retired_at is not None, steps=list(reversed(steps)),
    )

