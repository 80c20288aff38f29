"""Template helpers: state badges, finding messages in the active language, number formatting, the nav."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from zhijian.apps.common.tenancy import membership_rows

register = template.Library()


@register.filter
def message_in_language(finding: Any) -> str:
    return finding.message(get_language() or "zh-hans")


@register.filter
def num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    try:
        return f"{float(value):.{int(digits)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def administered_agencies(user: Any) -> list[Any]:
    """Ids of the review agencies ``user`` administers: the nav links to their reviewers' page.

    Reads the memberships every restricted read loads anyway (cached on the user object).
    """
    if user is None or not user.is_authenticated:
        return []
    return [org for org, role, org_type in membership_rows(user) if role == "org_admin" and org_type == "review_agency"]
