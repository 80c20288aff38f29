"""The precast component lifecycle: states, events, and the pure decisions over them.

::

    designed ─order→ ordered ─start_production→ in_production ─finish_production→ produced
    ordered ─cancel_order→ designed      (the buyer cancels before production starts)
    produced ─pass_qc→ qc_passed ─stock_in→ in_stock ─ship→ shipped ─deliver→ delivered
    produced ─fail_qc→ qc_failed ─start_rework→ reworked ─finish_rework→ produced
    delivered ─accept→ accepted ─install→ installed              (installed is final)
    delivered ─reject→ rejected ─return_to_factory→ returned ─start_rework→ reworked

Decisions beyond DESIGN.md, and why:

- ``reworked`` is the state *under rework*; ``finish_rework`` puts the component back in the
  inspection queue as ``produced``, so a repaired component is always inspected again.
- ``cancel_order`` takes an ordered component back to ``designed`` (free to order again,
  from the same factory or another); once production has started it is refused, since the
  concrete is poured for this order. Only the buyer (owner or contractor) cancels.
- A component returned from site is repaired like a QC failure (``returned → reworked``) and
  goes through QC, stock and shipping again; otherwise it would be stuck for ever.
- No short cuts: shipping needs ``in_stock`` (hence a passed QC); installing needs a site
  acceptance. Scrapping a component is not modelled (its code would simply be retired).

Who may record what (:data:`ROLE_POLICY`), from precast-qc.md §7's recorder column and the
rule that an event is recorded by the party doing the work, while inspection verdicts may
also be recorded by the supervisor (驻厂监理 at the factory, 监理 on site):

- order, cancel_order: owner (建设单位) or contractor (施工单位) — whoever buys the components.
- production, rework and stock: factory (生产单位).
- pass_qc / fail_qc: factory QC (工厂质检员, §7 #7) or the resident supervisor (§7 #3, #10).
- ship: factory or carrier (堆场管理员 / 物流, §7 #11).
- deliver (到场签收): contractor — receipt is confirmed by the receiver, not the carrier.
- accept / reject (进场验收): contractor QC with the supervisor witnessing (§7 #12).
- return_to_factory: contractor, carrier or factory (whoever moves it back).
- install: contractor (安装班组, §7 #13).

The platform stores every well-formed event (append-only) and derives state with
:func:`replay`; it must not refuse to *store* an event that is illegal now, because a late
event placed before it by event time can make it legal.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum

from zhijian.domain.errors import InputError


class State(StrEnum):
    DESIGNED = "designed"
    ORDERED = "ordered"
    IN_PRODUCTION = "in_production"
    PRODUCED = "produced"
    QC_PASSED = "qc_passed"
    QC_FAILED = "qc_failed"
    REWORKED = "reworked"
    IN_STOCK = "in_stock"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RETURNED = "returned"
    INSTALLED = "installed"


class EventType(StrEnum):
    ORDER = "order"
    CANCEL_ORDER = "cancel_order"
    START_PRODUCTION = "start_production"
    FINISH_PRODUCTION = "finish_production"
    PASS_QC = "pass_qc"
    FAIL_QC = "fail_qc"
    START_REWORK = "start_rework"
    FINISH_REWORK = "finish_rework"
    STOCK_IN = "stock_in"
    SHIP = "ship"
    DELIVER = "deliver"
    ACCEPT = "accept"
    REJECT = "reject"
    RETURN_TO_FACTORY = "return_to_factory"
    INSTALL = "install"


class OrgRole(StrEnum):
    OWNER = "owner"  # 建设单位
    DESIGNER = "designer"  # 设计单位 / 深化设计
    FACTORY = "factory"  # 构件生产企业
    LOGISTICS = "logistics"  # 运输单位
    CONTRACTOR = "contractor"  # 施工单位
    SUPERVISOR = "supervisor"  # 监理单位 (驻厂监理 and site supervision)


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class ReasonCode(StrEnum):
    ILLEGAL_TRANSITION = "illegal_transition"
    ALREADY_IN_STATE = "already_in_state"
    FINAL_STATE = "final_state"
    ROLE_NOT_PERMITTED = "role_not_permitted"
    EVENT_IN_FUTURE = "event_in_future"
    KEY_REUSED = "idempotency_key_reused"
    DUPLICATE = "duplicate"


# (state, event) → new state. Everything not listed is refused.
TRANSITIONS: Mapping[tuple[State, EventType], State] = {
    (State.DESIGNED, EventType.ORDER): State.ORDERED,
    (State.ORDERED, EventType.CANCEL_ORDER): State.DESIGNED,
    (State.ORDERED, EventType.START_PRODUCTION): State.IN_PRODUCTION,
    (State.IN_PRODUCTION, EventType.FINISH_PRODUCTION): State.PRODUCED,
    (State.PRODUCED, EventType.PASS_QC): State.QC_PASSED,
    (State.PRODUCED, EventType.FAIL_QC): State.QC_FAILED,
    (State.QC_FAILED, EventType.START_REWORK): State.REWORKED,
    (State.RETURNED, EventType.START_REWORK): State.REWORKED,
    (State.REWORKED, EventType.FINISH_REWORK): State.PRODUCED,
    (State.QC_PASSED, EventType.STOCK_IN): State.IN_STOCK,
    (State.IN_STOCK, EventType.SHIP): State.SHIPPED,
    (State.SHIPPED, EventType.DELIVER): State.DELIVERED,
    (State.DELIVERED, EventType.ACCEPT): State.ACCEPTED,
    (State.DELIVERED, EventType.REJECT): State.REJECTED,
    (State.REJECTED, EventType.RETURN_TO_FACTORY): State.RETURNED,
    (State.ACCEPTED, EventType.INSTALL): State.INSTALLED,
}

FINAL_STATES = frozenset({State.INSTALLED})

_F, _L, _C, _O, _S = OrgRole.FACTORY, OrgRole.LOGISTICS, OrgRole.CONTRACTOR, OrgRole.OWNER, OrgRole.SUPERVISOR
ROLE_POLICY: Mapping[EventType, frozenset[OrgRole]] = {
    EventType.ORDER: frozenset({_O, _C}),
    EventType.CANCEL_ORDER: frozenset({_O, _C}),
    EventType.START_PRODUCTION: frozenset({_F}),
    EventType.FINISH_PRODUCTION: frozenset({_F}),
    EventType.PASS_QC: frozenset({_F, _S}),
    EventType.FAIL_QC: frozenset({_F, _S}),
    EventType.START_REWORK: frozenset({_F}),
    EventType.FINISH_REWORK: frozenset({_F}),
    EventType.STOCK_IN: frozenset({_F}),
    EventType.SHIP: frozenset({_F, _L}),
    EventType.DELIVER: frozenset({_C}),
    EventType.ACCEPT: frozenset({_C, _S}),
    EventType.REJECT: frozenset({_C, _S}),
    EventType.RETURN_TO_FACTORY: frozenset({_C, _L, _F}),
    EventType.INSTALL: frozenset({_C}),
}

DEFAULT_FUTURE_TOLERANCE = timedelta(minutes=10)

STATE_NAMES: Mapping[State, tuple[str, str]] = {
    State.DESIGNED: ("已设计", "designed"),
    State.ORDERED: ("已下单", "ordered"),
    State.IN_PRODUCTION: ("生产中", "in production"),
    State.PRODUCED: ("已生产待检", "produced, awaiting QC"),
    State.QC_PASSED: ("出厂检验合格", "QC passed"),
    State.QC_FAILED: ("出厂检验不合格", "QC failed"),
    State.REWORKED: ("返修中", "under rework"),
    State.IN_STOCK: ("已入库", "in stock"),
    State.SHIPPED: ("已发运", "shipped"),
    State.DELIVERED: ("已到场", "delivered"),
    State.ACCEPTED: ("进场验收合格", "accepted on site"),
    State.REJECTED: ("进场验收不合格", "rejected on site"),
    State.RETURNED: ("已退场返厂", "returned to factory"),
    State.INSTALLED: ("已安装", "installed"),
}

EVENT_NAMES: Mapping[EventType, tuple[str, str]] = {
    EventType.ORDER: ("下单", "order"),
    EventType.CANCEL_ORDER: ("取消订单", "cancel order"),
    EventType.START_PRODUCTION: ("开始生产", "start production"),
    EventType.FINISH_PRODUCTION: ("完成生产", "finish production"),
    EventType.PASS_QC: ("出厂检验合格", "pass QC"),
    EventType.FAIL_QC: ("出厂检验不合格", "fail QC"),
    EventType.START_REWORK: ("开始返修", "start rework"),
    EventType.FINISH_REWORK: ("完成返修", "finish rework"),
    EventType.STOCK_IN: ("入库", "stock in"),
    EventType.SHIP: ("发运", "ship"),
    EventType.DELIVER: ("到场签收", "deliver"),
    EventType.ACCEPT: ("进场验收通过", "accept on site"),
    EventType.REJECT: ("进场验收不通过", "reject on site"),
    EventType.RETURN_TO_FACTORY: ("退场返厂", "return to factory"),
    EventType.INSTALL: ("安装", "install"),
}

ROLE_NAMES: Mapping[OrgRole, tuple[str, str]] = {
    OrgRole.OWNER: ("建设单位", "owner"),
    OrgRole.DESIGNER: ("设计单位", "designer"),
    OrgRole.FACTORY: ("生产单位", "factory"),
    OrgRole.LOGISTICS: ("运输单位", "carrier"),
    OrgRole.CONTRACTOR: ("施工单位", "contractor"),
    OrgRole.SUPERVISOR: ("监理单位", "supervisor"),
}


# -- values -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Decision:
    """The new state if the event is accepted, else the unchanged state and the reason."""

    state: State
    reason: Reason | None = None

    @property
    def accepted(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Measurement:
    """One measured item (precast-qc.md §7): a deviation in mm, a strength in MPa, …"""

    item_code: str  # LEN, WH, FLAT, … (qc_tolerances.json) or STRENGTH_RELEASE, …
    value: float
    unit: str = "mm"
    qualifier: str | None = None  # e.g. "outer" / "inner" surface, "exposed"
    n_points: int = 1
    instrument_id: str | None = None

    def __post_init__(self) -> None:
        if not self.item_code:
            raise InputError("a measurement needs an item code")
        if isinstance(self.value, bool) or not isinstance(self.value, int | float) or not math.isfinite(self.value):
            raise InputError(f"measurement {self.item_code}: value must be a finite number, got {self.value!r}")
        if self.n_points < 1:
            raise InputError(f"measurement {self.item_code}: n_points must be at least 1")


@dataclass(frozen=True)
class Location:
    place: str | None = None  # plant, yard or site id / name
    latitude: float | None = None
    longitude: float | None = None

    def __post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise InputError("a location needs both latitude and longitude, or neither")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise InputError(f"latitude {self.latitude} is outside −90…90")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise InputError(f"longitude {self.longitude} is outside −180…180")


@dataclass(frozen=True)
class LifecycleEvent:
    idempotency_key: str  # chosen by the device; a retry sends the same key
    component: str  # the component code
    type: EventType
    event_time: datetime  # the device's clock, timezone-aware
    received_at: datetime  # the server's clock, timezone-aware
    actor: str  # person id
    organisation: str  # organisation id
    role: OrgRole  # the organisation's role in the project
    location: Location | None = None
    measurements: tuple[Measurement, ...] = ()
    photos: tuple[str, ...] = ()  # storage keys of photos
    note: str = ""

    def __post_init__(self) -> None:
        if not self.idempotency_key or not self.idempotency_key.strip():
            raise InputError("an event needs an idempotency key")
        if not self.component:
            raise InputError("an event needs a component code")
        for name, enum in (("type", EventType), ("role", OrgRole)):
            value = getattr(self, name)
            if not isinstance(value, enum):
                try:
                    object.__setattr__(self, name, enum(value))
                except ValueError:
                    known = ", ".join(member.value for member in enum)
                    raise InputError(f"unknown event {name} {value!r}; known: {known}") from None
        for name in ("event_time", "received_at"):
            value = getattr(self, name)
            if not isinstance(value, datetime):
                raise InputError(f"{name} must be a datetime, got {type(value).__name__}")
            if value.tzinfo is None or value.utcoffset() is None:
                raise InputError(f"{name} {value.isoformat()} has no time zone; send an offset (e.g. +08:00)")
        if not self.actor or not self.organisation:
            raise InputError("an event needs an actor and an organisation")
        object.__setattr__(self, "measurements", tuple(self.measurements))
        object.__setattr__(self, "photos", tuple(self.photos))

    def same_content(self, other: LifecycleEvent) -> bool:
        """Equal in everything but the receipt time: a retry of the same event."""
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.name != "received_at"
        )


@dataclass(frozen=True)
class EventResult:
    event: LifecycleEvent
    outcome: Outcome
    state_before: State
    state_after: State
    reason: Reason | None = None  # why rejected, or of which event this is a duplicate


@dataclass(frozen=True)
class History:
    component: str | None
    state: State
    results: tuple[EventResult, ...]  # in event-time order

    @property
    def applied(self) -> tuple[LifecycleEvent, ...]:
        return tuple(r.event for r in self.results if r.outcome is Outcome.APPLIED)

    def outcomes(self, outcome: Outcome) -> tuple[EventResult, ...]:
        return tuple(r for r in self.results if r.outcome is outcome)


# -- decisions --------------------------------------------------------------------------
def decide(state: State, event: EventType | LifecycleEvent) -> Decision:
    """The transition for an event in a state, or the reason it is refused."""
    event_type = event.type if isinstance(event, LifecycleEvent) else EventType(event)
    state = State(state)
    target = TRANSITIONS.get((state, event_type))
    if target is not None:
        return Decision(target)
    s_zh, s_en = STATE_NAMES[state]
    e_zh, e_en = EVENT_NAMES[event_type]
    if any(to is state for (_, ev), to in TRANSITIONS.items() if ev is event_type):
        return Decision(state, Reason(
            ReasonCode.ALREADY_IN_STATE,
            f"构件已处于「{s_zh}」状态，重复的「{e_zh}」不予记录",
            f"the component is already {s_en}; a second '{e_en}' is refused",
        ))
    if state in FINAL_STATES:
        return Decision(state, Reason(
            ReasonCode.FINAL_STATE,
            f"构件已{s_zh}，生命周期已结束，不能再记录「{e_zh}」",
            f"the component is {s_en}, its lifecycle is over; '{e_en}' is refused",
        ))
    needs = [s for (s, ev) in TRANSITIONS if ev is event_type]
    needs_zh = "、".join(f"「{STATE_NAMES[s][0]}」" for s in needs)
    needs_en = " or ".join(STATE_NAMES[s][1] for s in needs)
    return Decision(state, Reason(
        ReasonCode.ILLEGAL_TRANSITION,
        f"构件当前为「{s_zh}」，不能记录「{e_zh}」；「{e_zh}」要求构件为{needs_zh}",
        f"cannot {e_en} a component that is {s_en}; '{e_en}' needs it to be {needs_en}",
    ))


def check_role(
    role: OrgRole, event_type: EventType, policy: Mapping[EventType, frozenset[OrgRole]] = ROLE_POLICY
) -> Reason | None:
    """None if an organisation in ``role`` may record ``event_type``, else the reason."""
    role, event_type = OrgRole(role), EventType(event_type)
    allowed = policy.get(event_type, frozenset())
    if role in allowed:
        return None
    r_zh, r_en = ROLE_NAMES[role]
    e_zh, e_en = EVENT_NAMES[event_type]
    order = list(OrgRole)
    allowed_sorted = sorted(allowed, key=order.index)
    who_zh = "、".join(ROLE_NAMES[r][0] for r in allowed_sorted) or "无"
    who_en = ", ".join(ROLE_NAMES[r][1] for r in allowed_sorted) or "nobody"
    return Reason(
        ReasonCode.ROLE_NOT_PERMITTED,
        f"{r_zh}不能记录「{e_zh}」，只有{who_zh}可以记录",
        f"a {r_en} may not record '{e_en}'; only: {who_en}",
    )


def check_event_time(event: LifecycleEvent, tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE) -> Reason | None:
    """None unless the device says the event happened after it was received (beyond tolerance)."""
    ahead = event.event_time - event.received_at
    if ahead <= tolerance:
        return None
    minutes = ahead.total_seconds() / 60
    limit = tolerance.total_seconds() / 60
    return Reason(
        ReasonCode.EVENT_IN_FUTURE,
        f"事件时间比接收时间晚 {minutes:.0f} 分钟（允许 {limit:.0f} 分钟），请校准设备时钟",
        f"the event time is {minutes:.0f} min after its receipt (tolerance {limit:.0f} min); check the device clock",
    )


def replay(
    events: Iterable[LifecycleEvent],
    *,
    initial: State = State.DESIGNED,
    future_tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE,
    policy: Mapping[EventType, frozenset[OrgRole]] = ROLE_POLICY,
) -> History:
    """Derive a component's state from its events, whatever order they arrived in.

    Events are placed by event time (ties: receipt time, then idempotency key, then content,
    so the result does not depend on delivery order). The first event with a key claims it;
    a later one with the same key and content is a duplicate and changes nothing, one with
    the same key and different content is refused. Then, per event: time sanity, role, and
    :func:`decide`.
    """
    ordered = _in_order(events)
    components = {e.component for e in ordered}
    if len(components) > 1:
        raise InputError(f"replay takes the events of one component, got {len(components)}: use replay_all")
    state = initial
    claimed: dict[str, LifecycleEvent] = {}
    results: list[EventResult] = []
    for event in ordered:
        before = state
        original = claimed.get(event.idempotency_key)
        if original is not None:
            results.append(_repeat(event, original, state))
            continue
        claimed[event.idempotency_key] = event
        reason = check_event_time(event, future_tolerance) or check_role(event.role, event.type, policy)
        if reason is None:
            decision = decide(state, event.type)
            state, reason = decision.state, decision.reason
        outcome = Outcome.APPLIED if reason is None else Outcome.REJECTED
        results.append(EventResult(event, outcome, before, state, reason))
    return History(next(iter(components), None), state, tuple(results))


def replay_all(events: Iterable[LifecycleEvent], **options: object) -> dict[str, History]:
    """:func:`replay` per component code."""
    by_component: dict[str, list[LifecycleEvent]] = defaultdict(list)
    for event in events:
        by_component[event.component].append(event)
    return {code: replay(items, **options) for code, items in sorted(by_component.items())}  # type: ignore[arg-type]


def _repeat(event: LifecycleEvent, original: LifecycleEvent, state: State) -> EventResult:
    key = event.idempotency_key
    if event.same_content(original):
        reason = Reason(
            ReasonCode.DUPLICATE,
            f"重复提交的事件（幂等键 {key}），已忽略",
            f"duplicate of event {key} (received {original.received_at.isoformat()}); nothing changed",
        )
        return EventResult(event, Outcome.DUPLICATE, state, state, reason)
    reason = Reason(
        ReasonCode.KEY_REUSED,
        f"幂等键 {key} 已被另一条内容不同的事件使用",
        f"idempotency key {key} already belongs to a different event",
    )
    return EventResult(event, Outcome.REJECTED, state, state, reason)


def _in_order(events: Iterable[LifecycleEvent]) -> list[LifecycleEvent]:
    """By event time, receipt time, key; events equal in all three (rare: a key reused in the
    same instant) by their full content, so that delivery order never matters."""
    ordered = sorted(events, key=lambda e: (e.event_time, e.received_at, e.idempotency_key))
    start = 0
    for end in range(1, len(ordered) + 1):
        if end == len(ordered) or _triple(ordered[end]) != _triple(ordered[start]):
            if end - start > 1:
                ordered[start:end] = sorted(ordered[start:end], key=repr)
            start = end
    return ordered


def _triple(event: LifecycleEvent) -> tuple[datetime, datetime, str]:
    return (event.event_time, event.received_at, event.idempotency_key)
