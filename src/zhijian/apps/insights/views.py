"""The statistics dashboard: the same numbers as ``GET /api/v1/insights/city``, as tables here
and as ECharts charts drawn by ``static/charts/zhijian-charts.js`` from the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from zhijian.apps.accounts.choices import District
from zhijian.apps.common.errors import InvalidInput
from zhijian.apps.insights import selectors
from zhijian.apps.insights.labels import chart_labels, district_label, grade_labels


def district_rows(review: list[dict[str, Any]], prefab: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per district with its review and its precast figures (either may be absent)."""
    rows: dict[str, dict[str, Any]] = {}
    for d in review:
        rows.setdefault(d["district"], {}).update(review=d)
    for d in prefab:
        rows.setdefault(d["district"], {}).update(prefab=d)
    return [{"label": district_label(key), **parts} for key, parts in rows.items()]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    raw = {key: request.GET.get(key, "").strip() for key in ("district", "from", "to")}
    context = {"districts": District.choices, "raw": raw, "labels": chart_labels()}
    try:
        filters = selectors.parse_filters(raw["district"], raw["from"], raw["to"])
    except InvalidInput as err:
        return render(request, "insights/dashboard.html", {**context, "error": err.detail}, status=err.status)
    data = selectors.cached_city_insights_for(request.user, filters)
    query = urlencode({k: v for k, v in raw.items() if v})
    states = context["labels"]["states"]
    grades = grade_labels()
    review, prefab = data["review"], data["prefab"]
    classes = (*data["grades"]["classes"], "unevaluated")  # the columns of the grade tables
    return render(request, "insights/dashboard.html", {
        **context,
        "data": data,
        "cache_seconds": selectors.cache_seconds(),
        "api_url": reverse("api-1:city") + (f"?{query}" if query else ""),
        "states": [(states.get(row["state"], row["state"]), row["count"]) for row in review["by_state"]],
        "district_rows": district_rows(review["districts"], prefab["districts"]),
        "grade_classes": [(c, grades[c]) for c in classes],
        "grade_districts": [
            {"label": district_label(d["district"]), "counts": [d["counts"][c] for c in classes]}
            for d in data["grades"]["districts"]
        ],
        "grade_totals": [data["grades"]["totals"][c] for c in classes],
    })
