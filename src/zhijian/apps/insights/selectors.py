"""The city statistics, read with aggregate queries through the tenant restriction.

Every number comes from ``GROUP BY`` / conditional ``COUNT`` queries (about a dozen per
request whatever the size of the city): rows never travel to Python one by one. Each query
starts from ``Model.objects.restrict(user, "view")``: the housing authority (主管部门) counts
the whole city, anyone else only what their organisations take part in. The domain
(``zhijian.domain.insights``) turns the counts into rates, quantiles and series.

What the period selects (shown on the page too): submissions by the day they were created;
first-round figures and findings by the day round 1 was submitted; approvals and review times
by the day of the decision; precast figures by the event time; assembly-rate grades are the
buildings' current ratings, whatever the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhijian.apps.accounts.choices import District
from zhijian.apps.assembly.selectors import list_city_ratings_for
from zhijian.apps.common.errors import InvalidInput
from zhijian.apps.common.tenancy import VIEW, sees_whole_city
from zhijian.apps.prefab.models import LifecycleEvent
from zhijian.apps.review.models import Finding, Round, Submission
from zhijian.domain.insights.period import (
    InvalidFilterError,
    Period,
    month_key,
    month_range,
    parse_district,
    parse_period,
)
from zhijian.domain.insights.prefab import (
    GradeCount,
    PrefabDistrict,
    PrefabMonth,
    QualityCount,
    grade_distribution,
    prefab_indicators,
)
from zhijian.domain.insights.review import (
    DistrictReviewCount,
    MonthCount,
    ReviewCounts,
    RuleCount,
    StandardCount,
    review_indicators,
)
from zhijian.domain.prefab.lifecycle import EventType

APPROVED, RETURNED = "approved", "returned"
FAIL, MISSING = "fail", "missing_data"
DONE = "done"
PRODUCED, SHIPPED, INSTALLED = EventType.FINISH_PRODUCTION, EventType.SHIP, EventType.INSTALL
QC = (EventType.PASS_QC, EventType.FAIL_QC)
SITE = (EventType.ACCEPT, EventType.REJECT)


@dataclass(frozen=True)
class Filters:
    district: str = ""
    period: Period = field(default_factory=Period)


def parse_filters(district: str = "", start: str = "", end: str = "") -> Filters:
    """The query string's filters, or a 422 with the reason (``code`` ``invalid_filter``)."""
    try:
        return Filters(parse_district(district, tuple(District.values)), parse_period(start, end))
    except InvalidFilterError as err:
        raise InvalidInput(str(err), code=err.code) from err


class HoursBetween(Func):
    """Whole hours from the first expression to the second (floor), on PostgreSQL and SQLite."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # PostgreSQL
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return (f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 3600) AS integer)",
                [*end_params, *start_params])

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return (f"CAST((julianday({end_sql}) - julianday({start_sql})) * 24 AS INTEGER)", [*end_params, *start_params])


def _bounds(period: Period) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The period as aware datetimes in the site's time zone: [start, day after end)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz) if period.start else None
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if period.end else None
    return start, end


def _within(field: str, period: Period) -> Q:
    start, end = _bounds(period)
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


def _in_district(path: str, district: str) -> Q:
    return Q(**{path: district}) if district else Q()


def _months(filters: Filters, seen: list[dt.datetime]) -> list[str]:
    """The months of the series: the period's, its open sides closed by the months with data."""
    period = filters.period
    dates = [timezone.localtime(d).date() if timezone.is_aware(d) else d.date() for d in seen]
    if not dates and not (period.start and period.end):
        return []
    return month_range(period.start or min(dates), period.end or max(dates))


def _local_month(value: dt.datetime) -> str:
    return month_key(timezone.localtime(value) if timezone.is_aware(value) else value)


# -- review ------------------------------------------------------------------------------
def review_counts(user: Any, filters: Filters) -> tuple[ReviewCounts, list[dt.datetime]]:
    district, period = filters.district, filters.period
    submissions = Submission.objects.restrict(user, VIEW).filter(
        _in_district("project__district", district), _within("created_at", period))
    rounds = Round.objects.restrict(user, VIEW).filter(_in_district("submission__project__district", district))
    first = rounds.filter(_within("submitted_at", period), number=1)
    decided = rounds.filter(_within("decided_at", period), decided_at__isnull=False).exclude(decision="")
    findings = Finding.objects.restrict(user, VIEW).filter(
        _in_district("check_run__round__submission__project__district", district),
        _within("check_run__round__submitted_at", period), check_run__round__number=1,
    )

    by_state = dict(submissions.order_by().values_list("state").annotate(n=Count("id")))
    first_totals = first.order_by().aggregate(
        decided=Count("id", filter=~Q(decision="")), approved=Count("id", filter=Q(decision=APPROVED)),
        checked=Count("id", filter=Q(check_run__status=DONE)),
    )
    approval_rounds = dict(decided.filter(decision=APPROVED).order_by().values_list("number").annotate(n=Count("id")))
    review_hours = dict(
        decided.order_by().annotate(hours=HoursBetween(F("submitted_at"), F("decided_at")))
        .values_list("hours").annotate(n=Count("id"))
    )
    mandatory = Q(status=FAIL, mandatory=True)
    by_standard = [
        StandardCount(row["standard"] or "—", row["failed"], row["mandatory_failed"], row["missing"])
        for row in findings.order_by().values("standard").annotate(
            failed=Count("id", filter=Q(status=FAIL)), mandatory_failed=Count("id", filter=mandatory),
            missing=Count("id", filter=Q(status=MISSING)),
        )
    ]
    rules = [
        RuleCount(row["rule_id"], row["standard"], row["clause"], row["mandatory"], row["failed"], row["submissions"])
        for row in findings.filter(status=FAIL).order_by()
        .values("rule_id", "standard", "clause", "mandatory")
        .annotate(failed=Count("id"), submissions=Count("check_run__round__submission_id", distinct=True))
        .order_by("-failed", "-submissions", "rule_id")[:20]
    ]
    monthly: dict[str, list[int]] = {}
    seen: list[dt.datetime] = []
    for month, n in first.order_by().annotate(month=TruncMonth("submitted_at")).values_list("month").annotate(
            n=Count("id")):
        monthly.setdefault(_local_month(month), [0, 0])[0] += n
        seen.append(month)
    for month, n in decided.filter(decision=APPROVED).order_by().annotate(month=TruncMonth("decided_at")).values_list(
            "month").annotate(n=Count("id")):
        monthly.setdefault(_local_month(month), [0, 0])[1] += n
        seen.append(month)

    per_district: dict[str, dict[str, int]] = {}

    def add(rows: Any, *keys: str) -> None:
        for row in rows:
            counts = per_district.setdefault(row[0] or "", {})
            for key, value in zip(keys, row[1:], strict=True):
                counts[key] = value

    add(submissions.order_by().values_list("project__district").annotate(n=Count("id")), "submissions")
    add(first.order_by().values_list("submission__project__district").annotate(
        d=Count("id", filter=~Q(decision="")), a=Count("id", filter=Q(decision=APPROVED)),
        c=Count("id", filter=Q(check_run__status=DONE))), "first_decided", "first_approved", "first_checked")
    add(findings.filter(mandatory).order_by().values_list("check_run__round__submission__project__district")
        .annotate(n=Count("id")), "mandatory_failed")
    districts = [
        DistrictReviewCount(name, c.get("submissions", 0), c.get("first_decided", 0), c.get("first_approved", 0),
                            c.get("first_checked", 0), c.get("mandatory_failed", 0))
        for name, c in per_district.items()
    ]
    counts = ReviewCounts(
        by_state=by_state, first_decided=first_totals["decided"], first_approved=first_totals["approved"],
        approval_rounds=approval_rounds, review_hours=review_hours, first_checked=first_totals["checked"],
        first_mandatory_failed=sum(s.mandatory_failed for s in by_standard), by_standard=by_standard, rules=rules,
        months=[MonthCount(m, s, a) for m, (s, a) in monthly.items()], districts=districts,
    )
    return counts, seen


# -- precast -----------------------------------------------------------------------------
def _quality(prefix: str = "") -> dict[str, Count]:
    component = f"{prefix}component_id"
    return {
        "qc_checked": Count(component, distinct=True, filter=Q(event_type__in=QC)),
        "qc_failed": Count(component, distinct=True, filter=Q(event_type=EventType.FAIL_QC)),
        "inspected": Count(component, distinct=True, filter=Q(event_type__in=SITE)),
        "rejected": Count(component, distinct=True, filter=Q(event_type=EventType.REJECT)),
    }


def _quality_of(row: dict[str, int]) -> QualityCount:
    return QualityCount(row["qc_checked"], row["qc_failed"], row["inspected"], row["rejected"])


def prefab_counts(user: Any, filters: Filters) -> tuple[list[PrefabMonth], QualityCount, list[PrefabDistrict],
                                                        list[dt.datetime]]:
    """Two passes over the events, each reading only the event types it counts: output by
    district × month × type, and the quality counts by district. A component belongs to one
    project, so one district: the city's distinct-component counts are the districts' sums."""
    events = LifecycleEvent.objects.restrict(user, VIEW).filter(
        _in_district("component__project__district", filters.district), _within("event_time", filters.period))
    district = F("component__project__district")
    monthly: dict[str, dict[str, int]] = {}
    output: dict[str, dict[str, int]] = {}
    seen = []
    for place, month, kind, n in (
        events.filter(event_type__in=(PRODUCED, SHIPPED, INSTALLED)).order_by()
        .annotate(where=district, month=TruncMonth("event_time")).values_list("where", "month", "event_type")
        .annotate(n=Count("id"))
    ):
        counts = monthly.setdefault(_local_month(month), {})
        counts[kind] = counts.get(kind, 0) + n
        counts = output.setdefault(place or "", {})
        counts[kind] = counts.get(kind, 0) + n
        seen.append(month)
    quality = {
        row["where"] or "": _quality_of(row)
        for row in events.filter(event_type__in=(*QC, *SITE)).order_by().values(where=district).annotate(**_quality())
    }
    months = [PrefabMonth(m, c.get(PRODUCED, 0), c.get(SHIPPED, 0), c.get(INSTALLED, 0)) for m, c in monthly.items()]
    nothing = QualityCount(0, 0, 0, 0)
    districts = [
        PrefabDistrict(place, output.get(place, {}).get(PRODUCED, 0), output.get(place, {}).get(SHIPPED, 0),
                       output.get(place, {}).get(INSTALLED, 0), quality.get(place, nothing))
        for place in {*output, *quality}
    ]
    total = QualityCount(*(sum(getattr(q, f) for q in quality.values())
                           for f in ("qc_checked", "qc_failed", "inspected", "rejected")))
    return months, total, districts, seen


def grade_counts(user: Any, filters: Filters) -> list[GradeCount]:
    buildings: QuerySet = list_city_ratings_for(user, district=filters.district)
    return [
        GradeCount(row["project__district"] or "", row["current_recognised"], row["current_grade"] or "", row["n"])
        for row in buildings.order_by().values("project__district", "current_recognised", "current_grade")
        .annotate(n=Count("id"))
    ]


# -- everything ---------------------------------------------------------------------------
def city_insights_for(user: Any, filters: Filters) -> dict[str, Any]:
    """The dashboard's numbers for this user (the API's body, before labels)."""
    counts, review_seen = review_counts(user, filters)
    months, quality, districts, prefab_seen = prefab_counts(user, filters)
    series = _months(filters, [*review_seen, *prefab_seen])
    review = review_indicators(counts, months=series)
    return {
        "scope": "city" if user.is_superuser or sees_whole_city(user) else "organisations",
        "filters": {"district": filters.district or None, **filters.period.to_dict()},
        "review": review.to_dict(),
        "prefab": prefab_indicators(months, quality, districts, period_months=series),
        "grades": grade_distribution(grade_counts(user, filters)),
    }


def cache_seconds() -> int:
    return int(getattr(settings, "INSIGHTS_CACHE_SECONDS", 120))


def cached_city_insights_for(user: Any, filters: Filters) -> dict[str, Any]:
    """:func:`city_insights_for`, kept ``INSIGHTS_CACHE_SECONDS`` (default 120 s) per user and
    filters: the events' two passes grow with the city (≈0.5 s at ×100 on the benchmark
    machine), and a dashboard is read far more often than a minute's figures change. Per user,
    so a cached answer never crosses organisations."""
    seconds = cache_seconds()
    if not seconds:
        return city_insights_for(user, filters)
    period = filters.period.to_dict()
    key = f"insights:v1:{user.pk}:{filters.district}:{period['from']}:{period['to']}"
    found = cache.get(key)
    if found is None:
        found = city_insights_for(user, filters)
        cache.set(key, found, seconds)
    return found
