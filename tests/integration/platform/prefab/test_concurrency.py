"""Two uploads about the same components at the same time (two scanners, two threads, two
database connections): the row locks make one wait for the other, so every component ends
as a replay of its stored events says, and each step is applied once."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import committed_city, event, make_prefab
from tests.integration.platform.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_uploads_about_the_same_components_apply_each_step_once(world: dict[str, Any], tmp_path: Path) -> None:

    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import Component, LifecycleEvent
    from zhijian.apps.prefab.selectors import component_history

    prefab = make_prefab(committed_city(world), tmp_path)
    codes = [c.code for c in prefab.components(storey__in=[1, 2])]
    factory = prefab.user("factory_a")
    results: dict[str, Any] = {}
    batches = {name: [event(code, step, minute, key=f"{name}/{code}/{step}")
                      for code in codes for minute, step in ((0, "start_production"), (10, "finish_production"))]
               for name in ("scanner-1", "scanner-2")}

    def upload(name: str) -> None:
        results[name] = services.record_events(factory, batches[name], source="test")

    run_together(*(functools.partial(upload, name) for name in batches))
    applied = Counter(
        (r.code, r.state_after) for result in results.values() for r in result.results if r.outcome == "applied"
    )
    # Each step of each component was applied by exactly one of the two uploads.
    assert set(applied.values()) == {1} and len(applied) == 2 * len(codes)
    assert LifecycleEvent.objects.filter(component__code__in=codes).exclude(event_type="order").count() == 4 * len(codes)
    for component in Component.objects.filter(code__in=codes):
        assert component.state == component_history(component).state.value == "produced"


def test_an_upload_that_waited_for_the_lock_is_placed_after_the_one_it_waited_for(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """The receipt time that breaks event-time ties is read after the lock: an upload that
    arrived first but waited is ordered after the upload that held the components, so the
    step both send is applied once, by the upload that committed first."""
    from django.db import connection, transaction

    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import Component

    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database: the waiting upload could not start")
    prefab = make_prefab(committed_city(world), tmp_path)
    code = prefab.components(storey=1)[0].code
    factory = prefab.user("factory_a")
    holding, waiting_started = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def steps(name: str) -> list[dict[str, Any]]:
        # Two steps, so that the second upload's first one is older than what is stored by
        # then: the whole history is replayed, and the tie at minute 0 is decided by receipt.
        return [event(code, "start_production", 0, key=f"{name}/start"),
                event(code, "finish_production", 10, key=f"{name}/finish")]

    def first() -> None:
        with transaction.atomic():
            list(Component.objects.select_for_update().filter(code=code))
            holding.set()
            waiting_started.wait(10)
            # The other upload is now blocked on this row, its request long received.
            threading.Event().wait(0.3)
            results["first"] = services.record_events(factory, steps("first"), source="test")

    def second() -> None:
        holding.wait(10)
        waiting_started.set()
        results["second"] = services.record_events(factory, steps("second"), source="test")

    run_together(first, second, barrier=False)
    assert [r.outcome for r in results["first"].results] == ["applied", "applied"]
    assert [r.outcome for r in results["second"].results] == ["rejected", "rejected"]
    assert Component.objects.get(code=code).state == "produced"
