"""Errors services raise; pages show them as messages, the API as RFC 9457 problem details."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refusal with a stable ``code``, an HTTP ``status`` and a translated one-line ``detail``."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, code: str = "bad_request", **extra: Any) -> None:
        super().__init__(str(detail))
        self.detail = str(detail)
        self.code = code
        self.extra = extra


class Forbidden(ServiceError):
    """The object is visible but this user's role on the project does not allow the change."""

    status = 403
    title = "Forbidden"


class Conflict(ServiceError):
    """Not possible in the object's current state (an illegal transition, say)."""

    status = 409
    title = "Conflict"


class InvalidInput(ServiceError):
    status = 422
    title = "Unprocessable content"


class PayloadTooLarge(ServiceError):
    status = 413
    title = "Content too large"
