"""List pagination for API v1: Ninja's limit/offset with the offset bounded.

An unbounded ``offset`` (``?offset=10**30``) reaches the database as an integer wider than 64 bits
and fails there (a 500); bounded, it is refused as invalid input (422) like any other bad parameter.
"""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

MAX_OFFSET = 2**31 - 1  # far beyond any list; fits every database's integer


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
