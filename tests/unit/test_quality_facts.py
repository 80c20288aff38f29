"""QC measurements against the tolerance table; factory quality and delivery facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.lifecycle import (
    EventType,
    LifecycleEvent,
    Measurement,
    OrgRole,
    replay,
    replay_all,
)
from zhijian.domain.prefab.quality_facts import (
    CHINA_TIME,
    Rate,
    Verdict,
    check_measurements,
    factory_facts,
    tolerance_table,
)

INSTALL = ("GB50204-2015:T9.3.9",)


def one(measurement: Measurement, **context):
    check = check_measurements([measurement], **context)
    (item,) = check.items
    return item


# -- the table ----------------------------------------------------------------------------------
def test_every_tolerance_row_is_marked_unverified_as_in_the_reference():
    rows = [row for profile in tolerance_table().values() for row in profile]
    assert len(rows) == 45
    assert {row.verification for row in rows} == {"U"}


def test_by_default_nothing_can_fail_only_warn():
    check = check_measurements([Measurement("LEN", 50.0)], tolerance_class="slab", length_m=6.0)
    assert check.verdict is Verdict.ADVISORY and check.advisory and check.failed == ()


# -- dimensional items ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("measurement", "context", "verdict", "limit"),
    [
        (Measurement("LEN", 5.0), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.PASS, "-5…+5 mm"),
        (Measurement("LEN", -5.5), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.ADVISORY, "-5…+5 mm"),
        (Measurement("LEN", 7.0), {"tolerance_class": "beam", "length_m": 15.0}, Verdict.PASS, "-10…+10 mm"),
        (Measurement("LEN", 7.0), {"tolerance_class": "beam", "length_m": 12.0}, Verdict.PASS, "-10…+10 mm"),
        (Measurement("LEN", 15.0), {"tolerance_class": "column", "length_m": 18.0}, Verdict.PASS, "-20…+20 mm"),
        (Measurement("LEN", 4.5), {"tolerance_class": "wall"}, Verdict.ADVISORY, "-4…+4 mm"),
        (Measurement("WH", -4.0), {"tolerance_class": "wall"}, Verdict.PASS, "-4…+4 mm"),
        (Measurement("FLAT", 4.0, qualifier="inner"), {"tolerance_class": "wall"}, Verdict.PASS, "≤ 5 mm"),
        (Measurement("FLAT", 4.0, qualifier="Outer"), {"tolerance_class": "wall"}, Verdict.ADVISORY, "≤ 3 mm"),
        (Measurement("FLAT", 4.0), {"tolerance_class": "slab"}, Verdict.PASS, "≤ 5 mm"),
        (Measurement("BOW", 8.0), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.PASS, "≤ 8.0 mm (L/750, ≤ 20)"),
        (Measurement("BOW", -9.0), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.ADVISORY, "≤ 8.0 mm (L/750, ≤ 20)"),
        (Measurement("BOW", 21.0), {"tolerance_class": "beam", "length_m": 30.0}, Verdict.ADVISORY, "≤ 20.0 mm (L/750, ≤ 20)"),
        (Measurement("WARP", 3.0), {"tolerance_class": "wall", "length_m": 3.0}, Verdict.PASS, "≤ 3.0 mm (L/1000)"),
        (Measurement("DIAG", 6.0), {"tolerance_class": "wall"}, Verdict.ADVISORY, "≤ 5 mm"),
        (Measurement("EMB_PLATE_LVL", -3.0), {"tolerance_class": "wall"}, Verdict.PASS, "-5…0 mm"),
        (Measurement("EMB_PLATE_LVL", 1.0), {"tolerance_class": "wall"}, Verdict.ADVISORY, "-5…0 mm"),
        (Measurement("EMB_BOLT_LEN", 10.0), {"tolerance_class": "column"}, Verdict.PASS, "-5…+10 mm"),
        (Measurement("EMB_SLV_POS", 2.5), {"tolerance_class": "wall"}, Verdict.ADVISORY, "≤ 2 mm"),
        (Measurement("LEN", 0.5, unit="cm"), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.PASS, "-5…+5 mm"),
        (Measurement("LEN", 0.006, unit="m"), {"tolerance_class": "slab", "length_m": 6.0}, Verdict.ADVISORY, "-5…+5 mm"),
    ],
)
def test_dimensional_deviations(measurement, context, verdict, limit):
    item = one(measurement, **context)
    assert item.verdict is verdict
    assert item.limit == limit
    assert item.verification == "U" and item.std == "GB 50204-2015"
    if verdict is Verdict.ADVISORY:
        assert "advisory until verified" in item.reason


@pytest.mark.parametrize(
    ("measurement", "context", "verdict", "reason"),
    [
        (Measurement("LEN", 1.0), {"tolerance_class": "slab"}, Verdict.MISSING_DATA, "length is needed"),
        (Measurement("BOW", 1.0), {"tolerance_class": "wall"}, Verdict.MISSING_DATA, "length is needed for L/1000"),
        (Measurement("FLAT", 1.0), {"tolerance_class": "wall"}, Verdict.MISSING_DATA, "qualifier 'inner' or another"),
        (Measurement("FLAT", 1.0, qualifier="side"), {"tolerance_class": "wall"}, Verdict.MISSING_DATA, "fits qualifier 'side'"),
        (Measurement("DIAG", 1.0), {"tolerance_class": "column"}, Verdict.NOT_APPLICABLE, "no tolerance for DIAG on a column"),
        (Measurement("LEN", 1.0), {"tolerance_class": None}, Verdict.NOT_APPLICABLE, "unclassified component"),
        (Measurement("XYZ", 1.0), {"tolerance_class": "slab"}, Verdict.NOT_APPLICABLE, "no tolerance for XYZ"),
    ],
)
def test_checks_that_cannot_be_decided_say_why(measurement, context, verdict, reason):
    item = one(measurement, **context)
    assert item.verdict is verdict
    assert reason in item.reason


# -- installation and strength --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("measurement", "context", "verdict"),
    [
        (Measurement("PLUMB", 5.0), {"tolerance_class": "wall", "height_m": 6.0}, Verdict.PASS),
        (Measurement("PLUMB", 6.0), {"tolerance_class": "wall", "height_m": 6.0}, Verdict.ADVISORY),
        (Measurement("PLUMB", 6.0), {"tolerance_class": "column", "height_m": 6.5}, Verdict.PASS),
        (Measurement("AXIS_V", 8.0), {"tolerance_class": "column"}, Verdict.PASS),
        (Measurement("AXIS_H", 6.0), {"tolerance_class": "slab"}, Verdict.ADVISORY),
        (Measurement("ADJ_FLAT", 4.0, qualifier="exposed"), {"tolerance_class": "slab"}, Verdict.ADVISORY),
        (Measurement("ADJ_FLAT", 4.0, qualifier="concealed"), {"tolerance_class": "slab"}, Verdict.PASS),
        (Measurement("JOINT_W", -5.0), {"tolerance_class": "wall"}, Verdict.PASS),
    ],
)
def test_installation_deviations(measurement, context, verdict):
    assert one(measurement, profiles=INSTALL, **context).verdict is verdict


def test_strength_against_the_grade_and_at_demoulding():
    check = check_measurements(
        [
            Measurement("STRENGTH_RELEASE", 22.0, unit="MPa"),
            Measurement("STRENGTH_DEMOLD", 16.0, unit="N/mm²"),
        ],
        tolerance_class="slab",
        concrete_grade="C30",
    )
    release, demold = check.items
    assert release.verdict is Verdict.ADVISORY and release.limit == "≥ 22.5 MPa (75% of C30)"
    assert demold.verdict is Verdict.PASS and demold.limit == "≥ 15 MPa"
    assert one(Measurement("STRENGTH_RELEASE", 30.0, unit="MPa"), tolerance_class=None, concrete_grade="C35").verdict is Verdict.PASS


def test_strength_against_the_grade_needs_the_grade():
    item = one(Measurement("STRENGTH_RELEASE", 30.0, unit="MPa"), tolerance_class="wall")
    assert item.verdict is Verdict.MISSING_DATA and "grade is needed" in item.reason


# -- enforcement and the overall verdict ------------------------------------------------------------
def test_enforcing_unverified_rows_turns_exceedances_into_failures():
    check = check_measurements(
        [Measurement("LEN", 6.0), Measurement("WH", 1.0)], tolerance_class="slab", length_m=6.0, enforce=frozenset({"V", "U"})
    )
    assert check.verdict is Verdict.FAIL
    assert [i.item_code for i in check.failed] == ["LEN"]
    assert not check.advisory


def test_the_overall_verdict_is_the_worst_item():
    measurements = [Measurement("WH", 1.0), Measurement("LEN", 1.0), Measurement("DIAG", 1.0)]
    assert check_measurements(measurements[:1], tolerance_class="slab").verdict is Verdict.PASS
    assert check_measurements(measurements, tolerance_class="slab").verdict is Verdict.MISSING_DATA
    assert check_measurements(measurements, tolerance_class="slab", length_m=6).verdict is Verdict.PASS
    assert check_measurements([], tolerance_class="slab").verdict is Verdict.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"measurements": [Measurement("LEN", 1.0, unit="kg")], "tolerance_class": "slab", "length_m": 6}, "in 'kg'"),
        ({"measurements": [], "tolerance_class": "slab", "profiles": ["GB 99999"]}, "unknown tolerance profile 'GB 99999'"),
        ({"measurements": [], "tolerance_class": "slab", "concrete_grade": "strong"}, "not like C30"),
        ({"measurements": [], "tolerance_class": "slab", "concrete_grade": "C20/25"}, "EN 206 notation"),
    ],
)
def test_bad_check_input_is_refused(kwargs, reason):
    with pytest.raises(InputError, match=reason):
        check_measurements(**kwargs)


# -- factory facts -------------------------------------------------------------------------------
T0 = datetime(2025, 5, 1, 8, 0, tzinfo=CHINA_TIME)
ROLE = {
    EventType.ORDER: OrgRole.CONTRACTOR,
    EventType.DELIVER: OrgRole.CONTRACTOR,
    EventType.ACCEPT: OrgRole.SUPERVISOR,
    EventType.REJECT: OrgRole.SUPERVISOR,
    EventType.RETURN_TO_FACTORY: OrgRole.LOGISTICS,
    EventType.INSTALL: OrgRole.CONTRACTOR,
}
E = EventType
PASS_TO_SITE = [E.ORDER, E.START_PRODUCTION, E.FINISH_PRODUCTION, E.PASS_QC, E.STOCK_IN, E.SHIP, E.DELIVER]


def events_for(code: str, factory: str, steps: list[EventType], start: datetime = T0, step=timedelta(hours=12)):
    return [
        LifecycleEvent(
            idempotency_key=f"{code}-{i}", component=code, type=t, event_time=start + i * step,
            received_at=start + i * step, actor="p", role=ROLE.get(t, OrgRole.FACTORY),
            organisation=factory if ROLE.get(t, OrgRole.FACTORY) is OrgRole.FACTORY else "builder",
        )
        for i, t in enumerate(steps)
    ]


def test_factory_facts_from_histories():
    events = [
        # A1: first-pass QC, delivered on day 4 (due day 5), accepted.
        *events_for("A1", "factory-a", [*PASS_TO_SITE, E.ACCEPT]),
        # A2: failed QC, reworked, delivered on day 5 after a 10:00 deadline, rejected, back, accepted.
        *events_for("A2", "factory-a", [
            E.ORDER, E.START_PRODUCTION, E.FINISH_PRODUCTION, E.FAIL_QC, E.START_REWORK, E.FINISH_REWORK,
            E.PASS_QC, E.STOCK_IN, E.SHIP, E.DELIVER, E.REJECT, E.RETURN_TO_FACTORY, E.START_REWORK,
            E.FINISH_REWORK, E.PASS_QC, E.STOCK_IN, E.SHIP, E.DELIVER, E.ACCEPT,
        ], step=timedelta(hours=10)),
        # A3: in stock, due next month: pending.
        *events_for("A3", "factory-a", PASS_TO_SITE[:5]),
        # B1: still in production and overdue: late.
        *events_for("B1", "factory-b", PASS_TO_SITE[:2]),
        # Not produced yet: no factory, not counted anywhere.
        *events_for("X1", "factory-b", [E.ORDER]),
    ]
    histories = replay_all(events)
    due = {
        "A1": date(2025, 5, 5),
        "A2": datetime(2025, 5, 4, 10, 0, tzinfo=CHINA_TIME),
        "A3": date(2025, 6, 30),
        "B1": datetime(2025, 5, 10, tzinfo=UTC),
        "X1": date(2025, 5, 2),
    }
    facts = factory_facts(histories, as_of=datetime(2025, 5, 20, tzinfo=CHINA_TIME), due=due)
    assert set(facts) == {"factory-a", "factory-b"}
    a, b = facts["factory-a"], facts["factory-b"]
    assert a.components == 3
    assert a.qc_first_pass == Rate(2, 3) and a.qc_first_pass.value == pytest.approx(2 / 3)
    assert a.on_time_delivery == Rate(1, 2)  # A1 on time, A2 late; A3 pending
    assert a.pending_delivery == 1
    assert a.site_rejection == Rate(1, 3)  # A1 accept, A2 reject then accept
    assert b.components == 1
    assert b.qc_first_pass == Rate(0, 0) and b.qc_first_pass.value is None
    assert b.on_time_delivery == Rate(0, 1)
    assert (a.qc_first_pass + b.qc_first_pass) == Rate(2, 3)


def test_a_due_date_means_the_end_of_that_day_in_beijing():
    # Delivered 23:30 Beijing time on the due date: on time, although it is 15:30 UTC.
    late_evening = datetime(2025, 5, 5, 23, 30, tzinfo=CHINA_TIME)
    history = replay(events_for("C1", "f", PASS_TO_SITE, start=late_evening - 6 * timedelta(hours=12)))
    facts = factory_facts([history], as_of=late_evening + timedelta(days=1), due={"C1": date(2025, 5, 5)})
    assert facts["f"].on_time_delivery == Rate(1, 1)
    facts = factory_facts([history], as_of=late_evening + timedelta(days=1), due={"C1": date(2025, 5, 4)})
    assert facts["f"].on_time_delivery == Rate(0, 1)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"as_of": datetime(2025, 5, 1)}, "as_of needs a time zone"),
        ({"as_of": T0, "due": {"D1": datetime(2025, 5, 1)}}, "due time .* needs a time zone"),
    ],
)
def test_bad_fact_input_is_refused(kwargs, reason):
    history = replay(events_for("D1", "f", PASS_TO_SITE[:3]))
    with pytest.raises(InputError, match=reason):
        factory_facts([history], **kwargs)
