"""The lifecycle state machine, role checks and replay of events in any order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.lifecycle import (
    FINAL_STATES,
    ROLE_POLICY,
    TRANSITIONS,
    EventType,
    LifecycleEvent,
    Location,
    Measurement,
    OrgRole,
    Outcome,
    ReasonCode,
    State,
    check_role,
    decide,
    replay,
    replay_all,
)

CODE = "10002301F05DHB00004293"
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))

# The legal table, written out by hand so that the code's table is checked against it.
LEGAL = {
    ("designed", "order"): "ordered",
    ("ordered", "cancel_order"): "designed",
    ("ordered", "start_production"): "in_production",
    ("in_production", "finish_production"): "produced",
    ("produced", "pass_qc"): "qc_passed",
    ("produced", "fail_qc"): "qc_failed",
    ("qc_failed", "start_rework"): "reworked",
    ("returned", "start_rework"): "reworked",
    ("reworked", "finish_rework"): "produced",
    ("qc_passed", "stock_in"): "in_stock",
    ("in_stock", "ship"): "shipped",
    ("shipped", "deliver"): "delivered",
    ("delivered", "accept"): "accepted",
    ("delivered", "reject"): "rejected",
    ("rejected", "return_to_factory"): "returned",
    ("accepted", "install"): "installed",
}

HAPPY_PATH = [
    (EventType.ORDER, OrgRole.CONTRACTOR),
    (EventType.START_PRODUCTION, OrgRole.FACTORY),
    (EventType.FINISH_PRODUCTION, OrgRole.FACTORY),
    (EventType.PASS_QC, OrgRole.FACTORY),
    (EventType.STOCK_IN, OrgRole.FACTORY),
    (EventType.SHIP, OrgRole.LOGISTICS),
    (EventType.DELIVER, OrgRole.CONTRACTOR),
    (EventType.ACCEPT, OrgRole.SUPERVISOR),
    (EventType.INSTALL, OrgRole.CONTRACTOR),
]


def event(
    key: str,
    type_: EventType | str,
    minutes: float,
    role: OrgRole | str = OrgRole.FACTORY,
    *,
    received: float | None = None,
    component: str = CODE,
    **kw,
) -> LifecycleEvent:
    return LifecycleEvent(
        idempotency_key=key,
        component=component,
        type=type_,
        event_time=T0 + timedelta(minutes=minutes),
        received_at=T0 + timedelta(minutes=minutes if received is None else received),
        actor="person-1",
        organisation=f"org-{role}",
        role=role,
        **kw,
    )


def path_events(path=HAPPY_PATH, step: float = 60) -> list[LifecycleEvent]:
    return [event(f"k{i}", t, i * step, r) for i, (t, r) in enumerate(path)]


# -- decide: exhaustive ------------------------------------------------------------------
def test_the_transition_table_is_exactly_the_documented_one():
    assert {(s.value, e.value): to.value for (s, e), to in TRANSITIONS.items()} == LEGAL


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("event_type", list(EventType))
def test_every_state_and_event(state, event_type):
    decision = decide(state, event_type)
    expected = LEGAL.get((state.value, event_type.value))
    if expected is not None:
        assert decision.accepted
        assert decision.state.value == expected
        assert decision.reason is None
    else:
        assert not decision.accepted
        assert decision.state is state  # a refusal changes nothing
        assert decision.reason.code in {
            ReasonCode.ILLEGAL_TRANSITION,
            ReasonCode.ALREADY_IN_STATE,
            ReasonCode.FINAL_STATE,
        }
        assert decision.reason.message_zh and decision.reason.message_en
        if state in FINAL_STATES and decision.reason.code is not ReasonCode.ALREADY_IN_STATE:
            assert decision.reason.code is ReasonCode.FINAL_STATE


def test_shipping_before_qc_is_refused_naming_what_it_needs():
    decision = decide(State.PRODUCED, EventType.SHIP)
    assert decision.reason.code is ReasonCode.ILLEGAL_TRANSITION
    assert "needs it to be in stock" in decision.reason.message_en
    assert "「已入库」" in decision.reason.message_zh


def test_shipping_twice_is_refused_as_already_shipped():
    decision = decide(State.SHIPPED, EventType.SHIP)
    assert decision.reason.code is ReasonCode.ALREADY_IN_STATE
    assert "already shipped" in decision.reason.message_en


def test_an_order_is_cancelled_only_before_production_starts():
    assert decide(State.ORDERED, EventType.CANCEL_ORDER).state is State.DESIGNED
    refused = decide(State.IN_PRODUCTION, EventType.CANCEL_ORDER)
    assert refused.reason.code is ReasonCode.ILLEGAL_TRANSITION
    assert "needs it to be ordered" in refused.reason.message_en
    assert decide(State.DESIGNED, EventType.ORDER).state is State.ORDERED  # ordered again after cancelling


def test_installed_components_take_no_further_events():
    decision = decide(State.INSTALLED, EventType.REJECT)
    assert decision.reason.code is ReasonCode.FINAL_STATE


def test_decide_accepts_a_whole_event():
    assert decide(State.DESIGNED, event("a", EventType.ORDER, 0, OrgRole.OWNER)).state is State.ORDERED


def test_every_state_is_reachable_and_every_non_final_state_can_move_on():
    reachable, frontier = {State.DESIGNED}, [State.DESIGNED]
    while frontier:
        current = frontier.pop()
        for (s, _), to in TRANSITIONS.items():
            if s is current and to not in reachable:
                reachable.add(to)
                frontier.append(to)
    assert reachable == set(State)
    assert {s for (s, _) in TRANSITIONS} == set(State) - FINAL_STATES


# -- roles ----------------------------------------------------------------------------------
ROLE_TABLE = {
    "order": {"owner", "contractor"},
    "cancel_order": {"owner", "contractor"},
    "start_production": {"factory"},
    "finish_production": {"factory"},
    "pass_qc": {"factory", "supervisor"},
    "fail_qc": {"factory", "supervisor"},
    "start_rework": {"factory"},
    "finish_rework": {"factory"},
    "stock_in": {"factory"},
    "ship": {"factory", "logistics"},
    "deliver": {"contractor"},
    "accept": {"contractor", "supervisor"},
    "reject": {"contractor", "supervisor"},
    "return_to_factory": {"contractor", "logistics", "factory"},
    "install": {"contractor"},
}


def test_the_role_policy_is_exactly_the_documented_one():
    assert {e.value: {r.value for r in roles} for e, roles in ROLE_POLICY.items()} == ROLE_TABLE


@pytest.mark.parametrize("role", list(OrgRole))
@pytest.mark.parametrize("event_type", list(EventType))
def test_every_role_and_event(role, event_type):
    reason = check_role(role, event_type)
    if role.value in ROLE_TABLE[event_type.value]:
        assert reason is None
    else:
        assert reason.code is ReasonCode.ROLE_NOT_PERMITTED
        assert reason.message_zh and reason.message_en


def test_a_factory_cannot_accept_its_own_component_on_site():
    reason = check_role(OrgRole.FACTORY, EventType.ACCEPT)
    assert reason.message_en == "a factory may not record 'accept on site'; only: contractor, supervisor"
    assert reason.message_zh == "生产单位不能记录「进场验收通过」，只有施工单位、监理单位可以记录"


def test_the_designer_records_no_lifecycle_event():
    assert all(check_role(OrgRole.DESIGNER, e) for e in EventType)


# -- replay ---------------------------------------------------------------------------------
def test_the_happy_path_ends_installed():
    history = replay(path_events())
    assert history.state is State.INSTALLED
    assert [r.outcome for r in history.results] == [Outcome.APPLIED] * len(HAPPY_PATH)
    assert history.component == CODE
    assert len(history.applied) == len(HAPPY_PATH)


def test_qc_failure_then_rework_then_pass():
    path = [
        (EventType.ORDER, OrgRole.OWNER),
        (EventType.START_PRODUCTION, OrgRole.FACTORY),
        (EventType.FINISH_PRODUCTION, OrgRole.FACTORY),
        (EventType.FAIL_QC, OrgRole.SUPERVISOR),
        (EventType.START_REWORK, OrgRole.FACTORY),
        (EventType.FINISH_REWORK, OrgRole.FACTORY),
        (EventType.PASS_QC, OrgRole.FACTORY),
    ]
    assert replay(path_events(path)).state is State.QC_PASSED


def test_site_rejection_return_and_second_delivery():
    path = [
        *HAPPY_PATH[:7],
        (EventType.REJECT, OrgRole.SUPERVISOR),
        (EventType.RETURN_TO_FACTORY, OrgRole.LOGISTICS),
        (EventType.START_REWORK, OrgRole.FACTORY),
        (EventType.FINISH_REWORK, OrgRole.FACTORY),
        *HAPPY_PATH[3:],
    ]
    history = replay(path_events(path))
    assert history.state is State.INSTALLED
    assert all(r.outcome is Outcome.APPLIED for r in history.results)


def test_a_late_event_is_placed_by_its_event_time():
    events = path_events()
    ship = events[5]
    late_ship = event(ship.idempotency_key, ship.type, 5 * 60, OrgRole.LOGISTICS, received=24 * 60)
    events[5] = late_ship
    # Received a day late, after the delivery that depends on it: still placed before it.
    history = replay(sorted(events, key=lambda e: e.received_at))
    assert history.state is State.INSTALLED
    assert [r.event.type for r in history.results] == [t for t, _ in HAPPY_PATH]


def test_without_the_late_event_the_delivery_is_refused_and_the_state_stops_in_stock():
    events = [e for e in path_events() if e.type is not EventType.SHIP]
    history = replay(events)
    assert history.state is State.IN_STOCK
    deliver = next(r for r in history.results if r.event.type is EventType.DELIVER)
    assert deliver.outcome is Outcome.REJECTED
    assert deliver.reason.code is ReasonCode.ILLEGAL_TRANSITION


def test_a_duplicate_changes_nothing_and_says_so():
    events = path_events()
    retry = event("k3", EventType.PASS_QC, 3 * 60, OrgRole.FACTORY, received=3 * 60 + 5)
    history = replay([*events, retry])
    assert history.state is State.INSTALLED
    duplicates = history.outcomes(Outcome.DUPLICATE)
    assert [d.event for d in duplicates] == [retry]
    assert duplicates[0].reason.code is ReasonCode.DUPLICATE
    assert duplicates[0].state_before is duplicates[0].state_after
    assert "k3" in duplicates[0].reason.message_en


def test_the_earliest_received_copy_is_the_original():
    first = event("q", EventType.ORDER, 0, OrgRole.OWNER, received=1)
    retry = event("q", EventType.ORDER, 0, OrgRole.OWNER, received=2)
    for events in ([first, retry], [retry, first]):
        results = replay(events).results
        assert results[0].event is first and results[0].outcome is Outcome.APPLIED
        assert results[1].event is retry and results[1].outcome is Outcome.DUPLICATE


def test_a_reused_key_with_different_content_is_refused():
    events = path_events()
    clash = event("k0", EventType.PASS_QC, 3 * 60 + 1, OrgRole.FACTORY)
    history = replay([*events, clash])
    result = next(r for r in history.results if r.event is clash)
    assert result.outcome is Outcome.REJECTED
    assert result.reason.code is ReasonCode.KEY_REUSED
    assert history.state is State.INSTALLED


def test_an_event_dated_in_the_future_is_refused():
    future = event("f", EventType.ORDER, 30, OrgRole.OWNER, received=0)
    history = replay([future])
    assert history.state is State.DESIGNED
    assert history.results[0].outcome is Outcome.REJECTED
    assert history.results[0].reason.code is ReasonCode.EVENT_IN_FUTURE
    assert "30 min" in history.results[0].reason.message_en


def test_a_device_clock_a_little_ahead_is_tolerated_and_the_tolerance_is_a_parameter():
    ahead = event("f", EventType.ORDER, 9, OrgRole.OWNER, received=0)
    assert replay([ahead]).state is State.ORDERED
    assert replay([ahead], future_tolerance=timedelta(minutes=5)).state is State.DESIGNED


def test_a_wrong_role_is_refused_in_replay():
    history = replay([event("o", EventType.ORDER, 0, OrgRole.FACTORY)])
    assert history.results[0].reason.code is ReasonCode.ROLE_NOT_PERMITTED
    assert history.state is State.DESIGNED


def test_replay_takes_one_component_and_replay_all_splits_them():
    other = "10002301F05DHB00004391"
    events = [*path_events(), event("x", EventType.ORDER, 0, OrgRole.OWNER, component=other)]
    with pytest.raises(InputError, match="one component"):
        replay(events)
    histories = replay_all(events)
    assert histories[CODE].state is State.INSTALLED
    assert histories[other].state is State.ORDERED


def test_no_events_leave_the_component_designed():
    history = replay([])
    assert history.state is State.DESIGNED and history.results == () and history.component is None


def test_replay_can_start_from_a_snapshot_state():
    assert replay(path_events()[6:], initial=State.SHIPPED).state is State.INSTALLED


# -- event validation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"idempotency_key": " "}, "idempotency key"),
        ({"component": ""}, "component code"),
        ({"type": "teleport"}, "unknown event type 'teleport'"),
        ({"role": "mayor"}, "unknown event role 'mayor'"),
        ({"event_time": datetime(2025, 3, 1, 8, 0)}, "event_time 2025-03-01T08:00:00 has no time zone"),
        ({"received_at": datetime(2025, 3, 1, 8, 0)}, "received_at .* has no time zone"),
        ({"event_time": "2025-03-01"}, "event_time must be a datetime"),
        ({"actor": ""}, "actor and an organisation"),
    ],
)
def test_malformed_events_are_refused_with_their_reason(changes, reason):
    fields = {
        "idempotency_key": "k",
        "component": CODE,
        "type": "order",
        "event_time": T0,
        "received_at": T0,
        "actor": "p",
        "organisation": "o",
        "role": "owner",
    } | changes
    with pytest.raises(InputError, match=reason):
        LifecycleEvent(**fields)


def test_events_accept_plain_strings_for_enums():
    e = event("k", "ship", 0, "logistics")
    assert e.type is EventType.SHIP and e.role is OrgRole.LOGISTICS


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"item_code": "", "value": 1.0}, "item code"),
        ({"item_code": "LEN", "value": float("nan")}, "finite number"),
        ({"item_code": "LEN", "value": True}, "finite number"),
        ({"item_code": "LEN", "value": 1.0, "n_points": 0}, "n_points"),
    ],
)
def test_malformed_measurements_are_refused(kwargs, reason):
    with pytest.raises(InputError, match=reason):
        Measurement(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"latitude": 28.2}, "both latitude and longitude"),
        ({"latitude": 95.0, "longitude": 112.9}, "latitude 95.0"),
        ({"latitude": 28.2, "longitude": 200.0}, "longitude 200.0"),
    ],
)
def test_malformed_locations_are_refused(kwargs, reason):
    with pytest.raises(InputError, match=reason):
        Location(**kwargs)


def test_an_event_carries_measurements_photos_and_location():
    e = event(
        "m", EventType.PASS_QC, 0,
        measurements=[Measurement("LEN", 3.0), Measurement("FLAT", 2.0, qualifier="outer")],
        photos=["photos/a.jpg"],
        location=Location("plant-7", 28.19, 112.97),
    )
    assert e.measurements[1].qualifier == "outer" and e.photos == ("photos/a.jpg",)


# -- properties: delivery order, duplicates ----------------------------------------------------
ROLE_FOR = {e: sorted(roles)[0] for e, roles in ROLE_POLICY.items()}


@st.composite
def event_sets(draw):
    """A plausible walk through the lifecycle plus noise: strays, wrong roles, future clocks,
    retries and key clashes; event and receipt times drawn from few values so ties happen."""
    events: list[LifecycleEvent] = []
    state = State.DESIGNED
    for i in range(draw(st.integers(0, 12))):
        legal = [e for (s, e) in TRANSITIONS if s is state]
        if not legal:
            break
        type_ = draw(st.sampled_from(legal))
        state = TRANSITIONS[(state, type_)]
        minutes = draw(st.integers(0, 6)) * 10
        events.append(event(f"w{i}", type_, minutes, ROLE_FOR[type_], received=minutes + draw(st.sampled_from([0, 0, 5, 600]))))
    for j in range(draw(st.integers(0, 6))):
        type_ = draw(st.sampled_from(list(EventType)))
        role = draw(st.sampled_from(list(OrgRole)))
        minutes = draw(st.integers(0, 6)) * 10
        received = minutes - draw(st.sampled_from([0, 0, 60]))  # 60 min early: a fast device clock
        events.append(event(draw(st.sampled_from([f"n{j}", "w0", "w1"])), type_, minutes, role, received=received))
    for original in draw(st.lists(st.sampled_from(events), max_size=3)) if events else []:
        shift = draw(st.sampled_from([0, 1, 30]))
        events.append(event(
            original.idempotency_key, original.type, (original.event_time - T0).total_seconds() / 60,
            original.role, received=(original.received_at - T0).total_seconds() / 60 + shift,
        ))
    return events


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_delivery_order_gives_the_same_state_and_results(data):
    events = data.draw(event_sets())
    shuffled = data.draw(st.permutations(events))
    assert replay(shuffled) == replay(events)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_duplicates_change_nothing(data):
    events = data.draw(event_sets())
    if not events:
        return
    copies = data.draw(st.lists(st.sampled_from(events), min_size=1, max_size=5))
    # A retry: the same event, received later (much later, so no retry equals a drawn event).
    retries = [
        LifecycleEvent(**{**c.__dict__, "received_at": c.received_at + timedelta(days=100, minutes=i)})
        for i, c in enumerate(copies)
    ]
    before, after = replay(events), replay(data.draw(st.permutations(events + retries)))
    assert after.state is before.state
    non_duplicates = [r for r in after.results if r.event not in retries]
    assert non_duplicates == list(before.results)
    for copy, retry in zip(copies, retries, strict=True):
        result = next(r for r in after.results if r.event == retry)
        assert result.state_before is result.state_after
        first = next(r for r in before.results if r.event.same_content(copy))
        if first.reason is not None and first.reason.code is ReasonCode.KEY_REUSED:
            # A retry of an event whose key another event had claimed is refused like it.
            assert result.reason.code is ReasonCode.KEY_REUSED
        else:
            assert result.outcome is Outcome.DUPLICATE


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_future_dated_events_are_always_refused_and_never_move_the_state(data):
    events = data.draw(event_sets())
    for result in replay(events).results:
        if result.event.event_time - result.event.received_at > timedelta(minutes=10) and result.outcome is not Outcome.DUPLICATE:
            assert result.outcome is Outcome.REJECTED
            assert result.state_before is result.state_after


def test_times_in_other_zones_order_by_instant():
    beijing = event("a", EventType.ORDER, 0, OrgRole.OWNER)
    utc = LifecycleEvent(**{
        **event("b", EventType.START_PRODUCTION, 0).__dict__,
        "event_time": (T0 + timedelta(minutes=1)).astimezone(UTC),
        "received_at": (T0 + timedelta(minutes=1)).astimezone(UTC),
    })
    assert replay([utc, beijing]).state is State.IN_PRODUCTION
