"""Small HTTP helpers shared by pages and the API."""

from __future__ import annotations

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (behind a proxy, configure the proxy to set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
