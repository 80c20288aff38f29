"""Small HTTP helpers shared by pages and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (behind a proxy, configure the proxy to set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    """A download: ``content`` offered to be saved as ``name``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
