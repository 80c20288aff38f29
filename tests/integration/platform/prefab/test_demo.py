"""The demo city's precast story: a project whose components are ordered, produced, shipped and
partly installed, with its progress view; seeding again adds nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_project_is_ordered_produced_shipped_and_partly_installed(
    world: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from zhijian.apps.accounts.models import User
    from zhijian.apps.prefab.models import Component, LifecycleEvent, Shipment
    from zhijian.apps.prefab.selectors import component_history
    from zhijian.apps.review.demo import seed_demo_city

    with django_capture_on_commit_callbacks(execute=True):  # the as-built rate is recomputed on commit
        first = seed_demo_city()
    story = first.traceability
    assert story.registry is not None and story.registry.preliminary
    states = Counter(Component.objects.filter(registry=story.registry).values_list("state", flat=True))
    assert sum(states.values()) == 358  # the demo building's precast components, 3F–11F
    assert states["installed"] == 160 and states["shipped"] == 40 and states["ordered"] == 38
    assert states["accepted"] == 40 and states["in_stock"] == 40
    events, shipments = LifecycleEvent.objects.count(), Shipment.objects.count()
    assert shipments == 25 and all(s.delivered_at for s in Shipment.objects.filter(items__component__storey__lte=7))
    # Every component's stored state is what a replay of its events says.
    for component in Component.objects.filter(registry=story.registry)[::17]:
        assert component_history(component).state.value == component.state

    again = seed_demo_city()
    assert (LifecycleEvent.objects.count(), Shipment.objects.count()) == (events, shipments)
    assert not [c for c in again.created if "traceability" in c or "order" in c]

    client.force_login(User.objects.get(username="owner"))
    html = client.get(f"/prefab/projects/{story.registry.project_id}/").content.decode()
    assert "data-zhijian-viewer" in html and 'data-stage="installed">160<' in html
    client.force_login(User.objects.get(username="factory"))
    board = client.get("/prefab/factory/").content.decode()
    assert story.order.number in board and 'data-kpi="qc_first_pass"' in board
    # The as-built assembly rate was recomputed from the installation events.
    from zhijian.apps.assembly.models import Evaluation

    built = Evaluation.objects.get(building=story.registry.building, stage="as_built")
    assert built.requested_by_system == "traceability" and len(built.installed_guids) == 160
