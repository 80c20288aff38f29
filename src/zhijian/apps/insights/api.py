"""API: the city statistics the dashboard's charts read (``GET /api/v1/insights/city``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhijian.apps.insights import selectors
from zhijian.apps.insights.labels import chart_labels

router = Router(tags=["city statistics"])


class CityFilters(Schema):
    district: str = Field("", description="a district code (furong, yuelu, …); empty: every district")
    start: str = Field("", alias="from", description="first day, YYYY-MM-DD or YYYY-MM; empty: open")
    end: str = Field("", alias="to", description="last day, YYYY-MM-DD or YYYY-MM (its last day); empty: open")


@router.get("/city", summary="Review and precast indicators of the city (or of your organisations' projects)")
def city(request: HttpRequest, filters: Query[CityFilters]) -> dict[str, Any]:
    """The housing authority counts the whole city; anyone else what their organisations take part
    in. A bad filter is a 422 problem with ``code`` ``invalid_filter``. ``labels`` are in the
    request's language."""
    parsed = selectors.parse_filters(filters.district, filters.start, filters.end)
    return {**selectors.cached_city_insights_for(request.user, parsed), "labels": chart_labels()}
