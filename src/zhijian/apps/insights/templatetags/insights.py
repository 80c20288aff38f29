"""Number formats of the dashboard: a rate as a percentage, an absent value as a dash."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """0.4 → "40.0%"; ``None`` (nothing counted) → "—"."""
    return "—" if value is None else f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def dash(value: Any) -> Any:
    return "—" if value is None else value
