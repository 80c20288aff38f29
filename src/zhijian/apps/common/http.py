"""Small HTTP helpers shared by pages and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (behind a proxy, configure the proxy to set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    """A download: ``content`` offered to be saved as ``name``."""
    response = HttpResponse(content, content_type=content_type)
    # Django's header: the plain form for ASCII names, RFC 6266 filename* for Chinese ones.
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
