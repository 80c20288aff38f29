from __future__ import annotations

import pytest

from tests.integration.platform.prefab.conftest import Prefab, produced

pytestmark = pytest.mark.django_db


def test_registry_and_orders(prefab: Prefab, post_events) -> None:
    comps = prefab.components()
    assert len(comps) == 13
    assert {c.state for c in comps} == {"ordered"}
    codes = [c.code for c in prefab.components(storey=1)]
    response = post_events(prefab.user("factory_a"), produced(codes))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["applied"] == len(codes) * 4, body
