"""A factory's quality and delivery record through the API, computed from its events by the
domain's ``factory_facts``: QC first-pass rate, on-time delivery, site rejection."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import Prefab, event

pytestmark = pytest.mark.django_db

CST = timezone(timedelta(hours=8))


def at(day: str, minutes: int = 0) -> str:
    return (datetime.fromisoformat(f"{day}T08:00:00+08:00") + timedelta(minutes=minutes)).isoformat()


def e(code: str, type_: str, day: str, minutes: int = 0) -> dict[str, Any]:
    return {**event(code, type_), "idempotency_key": f"{code}/{type_}/{day}/{minutes}", "event_time": at(day, minutes)}


def test_the_factory_record_counts_first_pass_qc_on_time_delivery_and_site_rejection(
    client: Any, prefab: Prefab, post_events: Any, token_for: Any
) -> None:
    one, two, three = (c.code for c in prefab.components(storey=1)[:3])  # due 2025-04-01
    factory = [
        *(e(one, t, "2025-03-10", i) for i, t in enumerate(("start_production", "finish_production", "pass_qc",
                                                             "stock_in", "ship"))),
        # two fails QC first, is repaired and passes: not a first pass
        *(e(two, t, "2025-03-10", i) for i, t in enumerate(("start_production", "finish_production", "fail_qc",
                                                             "start_rework", "finish_rework", "pass_qc", "stock_in",
                                                             "ship"))),
        *(e(three, t, "2025-03-20", i) for i, t in enumerate(("start_production", "finish_production", "pass_qc",
                                                               "stock_in", "ship"))),
    ]
    assert post_events(prefab.user("factory_a"), factory).json()["counts"]["rejected"] == 0
    site = [
        e(one, "deliver", "2025-03-30"), e(one, "accept", "2025-03-30", 10),  # on time
        e(two, "deliver", "2025-04-02"), e(two, "reject", "2025-04-02", 10),  # late, and rejected on site
        e(three, "deliver", "2025-03-31"), e(three, "accept", "2025-03-31", 10),
    ]
    assert post_events(prefab.user("contractor_a"), site).json()["counts"]["rejected"] == 0
    url = f"/api/v1/prefab/factories/{prefab.city.orgs['producer_a'].id}/facts"
    facts = client.get(url, **token_for(prefab.user("bureau"))).json()
    assert facts["components"] == 3
    assert facts["qc_first_pass"] == {"numerator": 2, "denominator": 3, "value": pytest.approx(2 / 3)}
    # Due 2025-04-01 for 1F: one and three delivered by then, two a day late; the other 2 of the
    # order's 1F components are overdue but were never produced, so they count for nobody.
    assert facts["on_time_delivery"] == {"numerator": 2, "denominator": 3, "value": pytest.approx(2 / 3)}
    assert facts["site_rejection"] == {"numerator": 1, "denominator": 3, "value": pytest.approx(1 / 3)}
    mine = client.get(url, **token_for(prefab.user("factory_a"))).json()
    assert mine["qc_first_pass"] == facts["qc_first_pass"]


def test_a_factory_with_nothing_produced_has_empty_rates(client: Any, prefab: Prefab, token_for: Any) -> None:
    facts = client.get(f"/api/v1/prefab/factories/{prefab.factory_b.id}/facts",
                       **token_for(prefab.user("factory_b"))).json()
    assert facts["components"] == 0 and facts["qc_first_pass"]["value"] is None


def test_only_factories_have_a_record(client: Any, prefab: Prefab, token_for: Any) -> None:
    response = client.get(f"/api/v1/prefab/factories/{prefab.city.orgs['epc_a'].id}/facts",
                          **token_for(prefab.user("bureau")))
    assert response.status_code == 404
