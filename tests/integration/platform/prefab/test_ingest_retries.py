"""Retries and content digests, as the fast path of the recording service handles them.

A fresh upload is inserted without looking its keys up; a retry hits the unique index, is
rolled back whole and recorded again with the keys looked up (recording.record_events). The
digest a retry is compared by may never change: two are pinned here.

Runs on SQLite and, with ``ZHIJIAN_DB=postgres``, on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.platform.prefab.conftest import Prefab, event, produced

pytestmark = pytest.mark.django_db


def test_content_digests_stay_those_already_stored() -> None:
    from zhijian.apps.prefab.ingest import parse_event
    from zhijian.apps.prefab.recording import _content_hash, _party, _utc_text
    from zhijian.domain.prefab.lifecycle import OrgRole

    bare = parse_event({"idempotency_key": "s/1", "code": "100023-01-F05-DHB-000042-93", "type": "finish_production",
                        "event_time": "2025-03-01T08:00:00+08:00"})
    full = parse_event({
        "idempotency_key": "s/2", "code": "10002301F05DHB00004293", "type": "pass_qc",
        "event_time": "2025-03-01T09:30:00.250+08:00", "operator": "QC-0117",
        "location": {"place": "望城基地 2 号线", "latitude": 28.34, "longitude": 112.82},
        "measurements": [{"item_code": "LEN", "value": 3.0, "unit": "mm"},
                         {"item_code": "W", "value": -1.5, "n_points": 3, "qualifier": "max"}],
        "photos": ["photos/2025/03/01/abc.jpg"], "note": "首件\t检验",
    })
    party = _party("0191e1a2-0000-7000-8000-000000000001", "0191e1a2-0000-7000-8000-000000000002", OrgRole.FACTORY)
    # Digests computed by the service before it was made faster (joined parts, Enum.value).
    assert _content_hash(bare, _utc_text(bare.event_time), party) == "39d117e23e50503251412264e19b9776"
    assert _content_hash(full, _utc_text(full.event_time), party) == "25e7729e7dee4b593e2d80fb800ff184"


def test_an_upload_partly_sent_before_stores_only_the_new_events_once(prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.prefab.models import IngestBatch, LifecycleEvent

    codes = [c.code for c in prefab.components(storey=2)]
    first, rest = produced(codes, ("start_production", "finish_production")), produced(
        codes, ("pass_qc", "stock_in"), start=20)
    user = prefab.user("factory_a")
    assert post_events(user, first).json()["counts"]["applied"] == len(first)
    uploads, audits = IngestBatch.objects.count(), AuditEntry.objects.filter(action="lifecycle.record").count()

    body = post_events(user, [*first, *rest]).json()  # the device resends its whole backlog

    assert body["counts"] == {"events": len(first) + len(rest), "applied": len(rest), "duplicate": len(first),
                              "rejected": 0, "stored": len(rest)}
    assert [r["outcome"] for r in body["results"]] == ["duplicate"] * len(first) + ["applied"] * len(rest)
    assert all(r["state"] == "in_stock" for r in body["results"])
    # The attempt that hit a stored key left nothing behind: one upload row, one audit entry.
    assert IngestBatch.objects.count() == uploads + 1
    assert AuditEntry.objects.filter(action="lifecycle.record").count() == audits + 1
    assert LifecycleEvent.objects.filter(component__code__in=codes).exclude(event_type="order").count() == (
        len(first) + len(rest))


def test_a_stored_key_sent_with_other_content_is_refused_and_the_rest_kept(prefab: Prefab,
                                                                          post_events: Any) -> None:
    code = prefab.component().code
    user = prefab.user("factory_a")
    post_events(user, [event(code, "start_production", key="k-1")])
    out = post_events(user, [event(code, "start_production", 5, key="k-1"),
                             event(code, "finish_production", 10, key="k-2")]).json()["results"]
    assert [(r["outcome"], r["reason"]) for r in out] == [("rejected", "idempotency_key_reused"), ("applied", None)]
