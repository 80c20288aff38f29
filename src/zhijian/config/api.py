"""HTTP API v1 (Django Ninja): auth, RFC 9457 problem details, and the app routers.

Machines send ``Authorization: Bearer zj_…`` (an :class:`~zhijian.apps.accounts.models.ApiToken`);
browsers use their session (with CSRF on unsafe methods). Every error is
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and a stable
``code``. OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from zhijian.apps.accounts.api import router as accounts_router
from zhijian.apps.accounts.services import user_for_token
from zhijian.apps.assembly.api import router as assembly_router
from zhijian.apps.common.errors import ServiceError
from zhijian.apps.insights.api import router as insights_router
from zhijian.apps.prefab.api import router as prefab_router
from zhijian.apps.projects.api import router as projects_router
from zhijian.apps.review.api import router as review_router

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    409: "Conflict", 413: "Content too large", 422: "Unprocessable content", 429: "Too many requests",
    500: "Internal server error",
}


def problem(request: HttpRequest | None, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    """An RFC 9457 problem details response."""
    body = {
        "type": f"https://zhijian.example/problems/{code.replace('_', '-')}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    if request is not None:
        body["instance"] = request.path
    response = JsonResponse(body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="zhijian"'
    return response


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zj_…``; the token's SHA-256 is looked up, never the token itself."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Zhijian API",
    version="1",
    description="Organisations, projects, model versions, submissions, rounds, findings and comments "
    "of Changsha's BIM construction-drawing review (施工图BIM审查).",
    urls_namespace="api-1",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return problem(request, exc.status, exc.detail, exc.code, **exc.extra)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, _("Not found, or not visible to your organisation."), "not_found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(request, 401, _("Log in, or send an API token as 'Authorization: Bearer …'."), "not_authenticated")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]
    summary = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0] if e['loc'] else ''}: {e['msg']}" for e in errors)
    return problem(request, 422, summary or _("The request is not valid."), "invalid", errors=errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "csrf_failed" if "CSRF" in str(exc) else "http_error"
    return problem(request, exc.status_code, str(exc), code)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s", request.path)
    return problem(request, 500, _("Something went wrong on our side; it has been logged."), "internal_error")


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown URLs under /api/v1/ answer in problem details too."""
    return problem(request, 404, _("Not found, or not visible to your organisation."), "not_found")


api.add_router("/", accounts_router)
api.add_router("/projects", projects_router)
api.add_router("/", review_router)
api.add_router("/prefab", prefab_router)
api.add_router("/", assembly_router)
api.add_router("/insights", insights_router)
