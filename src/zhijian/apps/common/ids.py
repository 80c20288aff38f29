"""Ids that arrive as text (form fields, JSON, multipart fields): read once, the same way everywhere."""

from __future__ import annotations

from typing import Any
from uuid import UUID


def as_uuid(value: Any) -> UUID | None:
    """``value`` as a UUID, or None when it is absent or not one (each caller says what that means).

    A malformed id must be refused as bad input before it reaches a query: the database layer
    would raise a validation error there, a 500."""
    if value is None or value == "":
        return None
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None
