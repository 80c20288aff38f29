"""Two uploads about the same components at the same time (two scanners, two threads, two
database connections): the row locks make one wait for the other, so every component ends
as a replay of its stored events says, and each step is applied once."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import committed_city, event, make_prefab

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_uploads_about_the_same_components_apply_each_step_once(world: dict[str, Any], tmp_path: Path) -> None:
    from django.db import connection

    from zhijian.apps.prefab import services
    from zhijian.apps.prefab.models import Component, LifecycleEvent
    from zhijian.apps.prefab.selectors import component_history

    prefab = make_prefab(committed_city(world), tmp_path)
    codes = [c.code for c in prefab.components(storey__in=[1, 2])]
    factory = prefab.user("factory_a")
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def upload(name: str) -> None:
        try:
            batch = [event(code, step, minute, key=f"{name}/{code}/{step}")
                     for code in codes for minute, step in ((0, "start_production"), (10, "finish_production"))]
            start.wait()
            results[name] = services.record_events(factory, batch, source="test")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(name,)) for name in ("scanner-1", "scanner-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    applied = Counter(
        (r.code, r.state_after) for result in results.values() for r in result.results if r.outcome == "applied"
    )
    # Each step of each component was applied by exactly one of the two uploads.
    assert set(applied.values()) == {1} and len(applied) == 2 * len(codes)
    assert LifecycleEvent.objects.filter(component__code__in=codes).exclude(event_type="order").count() == 4 * len(codes)
    for component in Component.objects.filter(code__in=codes):
        assert component.state == component_history(component).state.value == "produced"
