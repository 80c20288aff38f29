"""The ingest API for scanners and site apps: batches (JSON array, JSON lines), single events, and
every kind of bad input refused with its reason while the good events of the batch are kept.

Runs on SQLite and, with ``ZHIJIAN_DB=postgres``, on PostgreSQL (where events go in by COPY).
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.integration.platform.prefab.conftest import T0, Prefab, event, produced

pytestmark = pytest.mark.django_db


def stored_events(prefab: Prefab, code: str | None = None) -> int:
    from zhijian.apps.prefab.models import LifecycleEvent

    events = LifecycleEvent.objects.filter(component__registry=prefab.registry).exclude(event_type="order")
    return events.filter(component__code=code).count() if code else events.count()


def state_of(code: str) -> str:
    from zhijian.apps.prefab.models import Component

    return Component.objects.get(code=code).state


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def mistype(code: str) -> str:
    """The code with one digit of its serial changed (the check digits then disagree)."""
    position = 15
    digit = "0" if code[position] != "0" else "1"
    return code[:position] + digit + code[position + 1:]


def test_a_factory_batch_is_applied_in_order_with_one_result_per_event(prefab: Prefab, post_events: Any) -> None:
    from zhijian.apps.audit.models import AuditEntry

    codes = [c.code for c in prefab.components(storey=1)]
    entries = AuditEntry.objects.count()
    body = post_events(prefab.user("factory_a"), produced(codes)).json()
    assert body["counts"] == {"events": 20, "applied": 20, "duplicate": 0, "rejected": 0, "stored": 20}
    assert [r["index"] for r in body["results"]] == list(range(20))
    first = body["results"][0]
    assert first["outcome"] == "applied" and first["stored"] and first["event_id"]
    assert first["state_after"] == "in_production" and first["state"] == "in_stock"
    assert {state_of(code) for code in codes} == {"in_stock"}
    assert stored_events(prefab) == 20
    assert AuditEntry.objects.count() == entries + 2  # the token issued, and one entry for the upload
    upload = AuditEntry.objects.filter(action="lifecycle.record").order_by("-at").first()
    assert upload.after["applied"] == 20 and upload.project_id == prefab.city.project_a.id


def test_json_lines_are_accepted_and_an_unreadable_line_is_refused_alone(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    lines = [event(code, "start_production", 0), "{not json", event(code, "finish_production", 10)]
    out = results(post_events(prefab.user("factory_a"), lines, lines=True))
    assert [r["outcome"] for r in out] == ["applied", "rejected", "applied"]
    assert out[1]["reason"] == "malformed_json" and "2" in out[1]["message"]
    assert state_of(code) == "produced"


def test_a_mistyped_code_is_refused_by_its_check_digits(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    out = results(post_events(prefab.user("factory_a"), [event(mistype(code), "start_production")]))
    assert out[0]["outcome"] == "rejected" and out[0]["reason"] == "wrong_check_digits"
    assert stored_events(prefab) == 0


@pytest.mark.parametrize("text, reason", [
    ("1000-01", "malformed_code"),
    ("100001-01-F01-DH1-000001-94", "malformed_code"),  # a digit where the type's letter goes
    ("", "invalid"),
])
def test_a_malformed_code_is_refused_with_what_is_wrong(prefab: Prefab, post_events: Any, text: str, reason: str) -> None:
    out = results(post_events(prefab.user("factory_a"), [event(text, "start_production")]))
    assert out[0]["reason"] == reason, out[0]
    assert out[0]["message"]


def test_codes_are_read_with_hyphens_lower_case_or_from_the_label_url(prefab: Prefab, post_events: Any) -> None:
    component = prefab.component()
    printed = component.printed_code.lower()
    batch = [event(printed, "start_production", 0),
             event(f"https://zhijian.example/c/{component.code}", "finish_production", 10)]
    out = results(post_events(prefab.user("factory_a"), batch))
    assert [r["outcome"] for r in out] == ["applied", "applied"]
    assert out[0]["code"] == component.code


def test_an_unknown_component_is_refused(prefab: Prefab, post_events: Any) -> None:
    from zhijian.domain.prefab.coding import CodeParts, issue_code

    unknown = issue_code(CodeParts(999_999, 1, 1, "DHB", 1))
    out = results(post_events(prefab.user("factory_a"), [event(unknown, "start_production")]))
    assert out[0]["reason"] == "unknown_component"


@pytest.mark.parametrize("user, reason", [
    ("contractor_a", "role_not_permitted"),  # the contractor may not record production
    ("designer_a", "role_not_permitted"),  # the designer sees the component, records nothing
    ("factory_b", "unknown_component"),  # another factory does not even see it
    ("outsider", "unknown_component"),
    ("bureau", "no_role"),  # the authority sees everything, records nothing
])
def test_only_the_responsible_organisation_may_record_a_step(
    prefab: Prefab, post_events: Any, user: str, reason: str
) -> None:
    code = prefab.component().code
    out = results(post_events(prefab.user(user), [event(code, "start_production")]))
    assert out[0]["outcome"] == "rejected" and out[0]["reason"] == reason, out[0]
    assert stored_events(prefab) == 0 and state_of(code) == "ordered"


def test_the_factory_may_not_install_and_the_contractor_may_install(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    steps = ("start_production", "finish_production", "pass_qc", "stock_in", "ship")
    assert {r["outcome"] for r in results(post_events(prefab.user("factory_a"), produced([code], steps)))} == {"applied"}
    refused = results(post_events(prefab.user("factory_a"), [event(code, "deliver", 60)]))
    assert refused[0]["reason"] == "role_not_permitted" and "施工单位" in refused[0]["message"]
    site = [event(code, "deliver", 60), event(code, "accept", 70), event(code, "install", 80)]
    assert [r["outcome"] for r in results(post_events(prefab.user("contractor_a"), site))] == ["applied"] * 3
    assert state_of(code) == "installed"


def test_naming_an_organisation_the_user_is_not_in_is_refused(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    other = str(prefab.factory_b.id)
    out = results(post_events(prefab.user("factory_a"), [event(code, "start_production", organization=other)]))
    assert out[0]["reason"] == "unknown_organization"


def test_an_illegal_transition_is_refused_with_the_reason_and_kept_on_record(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    out = results(post_events(prefab.user("factory_a"), [event(code, "pass_qc")]))
    assert out[0]["outcome"] == "rejected" and out[0]["reason"] == "illegal_transition"
    assert out[0]["stored"] is True  # a late event placed before it may still make it legal
    assert "已下单" in out[0]["message"] and state_of(code) == "ordered"


def test_a_second_finish_is_refused_as_already_in_state(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    batch = [event(code, "start_production", 0), event(code, "finish_production", 10, key="a"),
             event(code, "finish_production", 20, key="b")]
    out = results(post_events(prefab.user("factory_a"), batch))
    assert [r["reason"] for r in out] == [None, None, "already_in_state"]


def test_a_batch_sent_again_is_all_duplicates_and_changes_nothing(prefab: Prefab, post_events: Any) -> None:
    codes = [c.code for c in prefab.components(storey=1)]
    batch = [*produced(codes), event(codes[0], "install", 100)]  # one refused (illegal), stored
    first = post_events(prefab.user("factory_a"), batch).json()
    assert first["counts"]["applied"] == 20 and first["counts"]["rejected"] == 1
    before = stored_events(prefab)
    again = post_events(prefab.user("factory_a"), batch).json()
    # Every event that was stored is a duplicate now; the refused-unstored would be refused again.
    assert again["counts"] == {"events": 21, "applied": 0, "duplicate": 20, "rejected": 1, "stored": 0}
    assert stored_events(prefab) == before
    assert again["results"][0]["event_id"] == first["results"][0]["event_id"]
    assert again["results"][-1]["reason"] == "role_not_permitted"  # the factory may not install


def test_a_key_reused_with_other_content_is_refused(prefab: Prefab, post_events: Any) -> None:
    first, second = prefab.components(storey=1)[:2]
    assert results(post_events(prefab.user("factory_a"), [event(first.code, "start_production", key="k-1")]))[0][
        "outcome"] == "applied"
    out = results(post_events(prefab.user("factory_a"), [event(second.code, "start_production", key="k-1")]))
    assert out[0]["reason"] == "idempotency_key_reused"
    same_batch = [event(second.code, "start_production", key="k-2"), event(first.code, "finish_production", key="k-2"),
                  event(second.code, "start_production", key="k-2")]
    out = results(post_events(prefab.user("factory_a"), same_batch))
    assert [r["outcome"] for r in out] == ["applied", "rejected", "duplicate"]
    assert out[1]["reason"] == "idempotency_key_reused"


def test_keys_are_per_organisation(prefab: Prefab, post_events: Any) -> None:
    mine = prefab.component(storey=1).code
    theirs = prefab.component(storey=3, type_code="YWQ").code
    assert results(post_events(prefab.user("factory_a"), [event(mine, "start_production", key="1")]))[0][
        "outcome"] == "applied"
    assert results(post_events(prefab.user("factory_b"), [event(theirs, "start_production", key="1")]))[0][
        "outcome"] == "applied"


def test_an_event_dated_in_the_future_is_refused_and_not_stored(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    soon = (timezone.now() + timedelta(minutes=5)).isoformat()
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    batch = [{"idempotency_key": "f1", "code": code, "type": "start_production", "event_time": soon},
             {"idempotency_key": "f2", "code": code, "type": "finish_production", "event_time": later}]
    out = results(post_events(prefab.user("factory_a"), batch))
    assert out[0]["outcome"] == "applied"  # within the clock tolerance
    assert out[1]["reason"] == "event_in_future" and not out[1]["stored"]
    assert stored_events(prefab, code) == 1


@pytest.mark.parametrize("change, reason", [
    ({"type": "polish"}, "unknown_event_type"),
    ({"event_time": "2025-03-03T08:00:00"}, "no_time_zone"),
    ({"event_time": "yesterday"}, "invalid"),
    ({"idempotency_key": ""}, "invalid"),
    ({"idempotency_key": "x" * 101}, "invalid"),
    ({"colour": "red"}, "invalid"),
    ({"location": {"latitude": 28.2}}, "invalid"),
    ({"measurements": [{"item_code": "LEN", "value": "three"}]}, "invalid"),
])
def test_malformed_events_are_refused_with_their_reason(
    prefab: Prefab, post_events: Any, change: dict[str, Any], reason: str
) -> None:
    code = prefab.component().code
    out = results(post_events(prefab.user("factory_a"), [{**event(code, "start_production"), **change}]))
    assert out[0]["outcome"] == "rejected" and out[0]["reason"] == reason, out[0]


def test_a_batch_with_some_bad_lines_keeps_the_good_ones_and_writes_nothing_of_the_bad(
    prefab: Prefab, post_events: Any
) -> None:
    from zhijian.apps.prefab.models import LifecycleEvent

    good, other = prefab.components(storey=1)[:2]
    batch = [
        event(good.code, "start_production", 0),
        event(mistype(other.code), "start_production", 0),
        {"idempotency_key": "no-time", "code": other.code, "type": "start_production"},
        event(good.code, "finish_production", 10),
        event(other.code, "install", 0),  # stored, refused: illegal now
        42,
        event(other.code, "start_production", 5),
    ]
    out = results(post_events(prefab.user("factory_a"), batch))
    assert [r["outcome"] for r in out] == ["applied", "rejected", "rejected", "applied", "rejected", "rejected",
                                           "applied"]
    assert [r["reason"] for r in out][1:3] == ["wrong_check_digits", "invalid"]
    stored = set(LifecycleEvent.objects.filter(component__in=[good, other]).exclude(event_type="order")
                 .values_list("idempotency_key", flat=True))
    assert stored == {out[i]["key"] for i in (0, 3, 6)}  # install is refused by the role before it is stored
    assert (state_of(good.code), state_of(other.code)) == ("produced", "in_production")


def test_a_late_event_is_placed_by_its_time_and_makes_a_stored_event_apply(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    first = [event(code, "start_production", 0), event(code, "finish_production", 10), event(code, "pass_qc", 20),
             event(code, "ship", 40)]
    out = results(post_events(prefab.user("factory_a"), first))
    assert [r["outcome"] for r in out] == ["applied", "applied", "applied", "rejected"]  # not in stock yet
    assert state_of(code) == "qc_passed"
    # The yard's scanner was offline: its stock-in (at minute 30) arrives after the shipment.
    late = results(post_events(prefab.user("factory_a"), [event(code, "stock_in", 30)]))
    assert late[0]["outcome"] == "applied" and late[0]["state_after"] == "in_stock" and late[0]["state"] == "shipped"
    assert state_of(code) == "shipped"


def test_the_projection_always_equals_a_replay_of_the_stored_events(prefab: Prefab, post_events: Any) -> None:
    """Events of several components sent in shuffled batches, late ones included: each
    component's stored state is what the domain's replay of its whole history says."""
    from zhijian.apps.prefab.models import Component
    from zhijian.apps.prefab.selectors import component_history

    codes = [c.code for c in prefab.components(storey=1)] + [c.code for c in prefab.components(storey=2)]
    steps = ("start_production", "finish_production", "fail_qc", "start_rework", "finish_rework", "pass_qc",
             "stock_in", "ship")
    events = produced(codes, steps)
    rng = random.Random(5)
    rng.shuffle(events)
    for start in range(0, len(events), 13):
        post_events(prefab.user("factory_a"), events[start:start + 13])
    for component in Component.objects.filter(code__in=codes):
        history = component_history(component)
        assert component.state == history.state.value == "shipped"
        applied = [r.event.event_time for r in history.results if r.outcome.value == "applied"]
        assert component.state_at == applied[-1]


def test_too_many_events_are_refused_whole(prefab: Prefab, post_events: Any) -> None:
    code = prefab.component().code
    batch = [event(code, "start_production", i, key=f"k{i}") for i in range(10_001)]
    response = post_events(prefab.user("factory_a"), batch)
    assert response.status_code == 413 and response.json()["code"] == "too_many_events"
    assert stored_events(prefab) == 0


def test_a_body_that_is_not_json_is_a_problem(client: Any, prefab: Prefab, token_for: Any) -> None:
    response = client.post("/api/v1/prefab/events/batch", "[{", content_type="application/json",
                           **token_for(prefab.user("factory_a")))
    assert response.status_code == 422 and response.json()["code"] == "invalid_body"
    assert response["Content-Type"] == "application/problem+json"


def test_the_single_event_endpoint_answers_with_the_outcome(client: Any, prefab: Prefab, token_for: Any) -> None:
    headers = token_for(prefab.user("factory_a"))
    code = prefab.component().code

    def post(body: Any) -> Any:
        return client.post("/api/v1/prefab/events", json.dumps(body), content_type="application/json", **headers)

    applied = post(event(code, "start_production"))
    assert applied.status_code == 201 and applied.json()["outcome"] == "applied"
    duplicate = post(event(code, "start_production"))
    assert duplicate.status_code == 200 and duplicate.json()["outcome"] == "duplicate"
    illegal = post(event(code, "ship", 5))
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"
    assert illegal.json()["result"]["stored"] is True
    refused = post(event(mistype(code), "ship", 5))
    assert refused.status_code == 422 and refused.json()["code"] == "wrong_check_digits"
    assert post([event(code, "ship")]).status_code == 422  # a batch is not a single event


def test_events_are_append_only(prefab: Prefab, post_events: Any) -> None:
    from django.db import DatabaseError, connection, transaction

    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.prefab.models.events import AppendOnlyError

    code = prefab.component().code
    post_events(prefab.user("factory_a"), [event(code, "start_production")])
    stored = LifecycleEvent.objects.get(component__code=code, event_type="start_production")
    stored.note = "changed"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    with pytest.raises(AppendOnlyError):
        LifecycleEvent.objects.filter(id=stored.id).update(note="changed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE prefab_lifecycleevent SET note = 'changed' WHERE id = %s", [stored.id.hex if
                       connection.vendor == "sqlite" else str(stored.id)])


def test_event_time_is_the_devices_and_receipt_time_the_servers(prefab: Prefab, post_events: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijian.apps.prefab.models import LifecycleEvent
    from zhijian.apps.prefab.photos import upload_photo

    code = prefab.component().code
    photo = upload_photo(prefab.user("factory_a"), SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 60))
    before = timezone.now()
    post_events(prefab.user("factory_a"), [event(code, "start_production", operator="QC-01",
                                                 location={"place": "2 号线", "latitude": 28.3, "longitude": 112.8},
                                                 measurements=[{"item_code": "LEN", "value": 2.5}],
                                                 photos=[photo.key], note="首件")])
    stored = LifecycleEvent.objects.get(component__code=code, event_type="start_production")
    assert stored.event_time == T0 and stored.received_at >= before
    assert (stored.operator, stored.place, stored.latitude, stored.longitude) == ("QC-01", "2 号线", 28.3, 112.8)
    assert stored.measurements == [{"item_code": "LEN", "value": 2.5, "unit": "mm"}]
    assert stored.photos == [photo.key] and stored.note == "首件"
    assert stored.organization_id == prefab.city.orgs["producer_a"].id and stored.role == "factory"
    assert stored.recorded_by == prefab.user("factory_a")
