"""HTTP API v1 (Django Ninja): auth, RFC 9457 problem details, and the app routers.

Machines send ``Authorization: Bearer zj_…`` (an :class:`~zhijian.apps.accounts.models.ApiToken`);
browsers use their session (with CSRF on unsafe methods). Every error is
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and a stable
``code``. OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
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


# The problem details every error carries, declared once and referenced by every operation's 4xx
# responses (schemathesis's status-code, content-type and schema checks hold the API to it).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; ``code`` is stable, ``detail`` is translated. Some codes add fields.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


def problem_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The 4xx statuses an operation can answer, from what the shared machinery does: 401 without a
    valid token or session, 404 for an absent or invisible object in the path, 422 for input that
    does not validate; changes may also be refused (400 bad request, 403 role, 404 an object named
    in the body, 409 state), and uploads may be too large (413)."""
    statuses = set()
    if operation.get("security"):
        statuses.add(401)
    parameters = operation.get("parameters") or []
    if parameters or operation.get("requestBody"):
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if method in UNSAFE_METHODS:
        statuses.update((400, 403, 404, 409))
        if "multipart/form-data" in (operation.get("requestBody") or {}).get("content", {}):
            statuses.add(413)
    return sorted(statuses)


class ProblemDeclaringAPI(NinjaAPI):
    """Adds the ``Problem`` component and each operation's problem responses to the OpenAPI schema
    (a response an endpoint declares itself is kept)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                declared = {str(status) for status in responses}  # Ninja's keys are ints, openapi_extra's strings
                for status in problem_statuses(method, operation):
                    if str(status) not in declared:
                        responses[status] = {"description": TITLES[status], "content": content}
        return schema


api = ProblemDeclaringAPI(
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


@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # e.g. ``Content-Type: multipart/form-data`` without a boundary: the client's fault, not ours
    return problem(request, 400, _("The multipart body cannot be read: %(reason)s") % {"reason": exc}, "malformed_body")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django's request limits (DATA_UPLOAD_MAX_MEMORY_SIZE, …) raise these while the body is read
    if isinstance(exc, RequestDataTooBig):
        return problem(request, 413, _("The request body is too large."), "body_too_large")
    return problem(request, 400, _("The request cannot be accepted."), "bad_request")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s", request.path)
    return problem(request, 500, _("Something went wrong on our side; it has been logged."), "internal_error")


@csrf_exempt  # it changes nothing; else a POST to an unknown URL gets CSRF's HTML 403 page
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown URLs under /api/v1/ answer in problem details too."""
    return problem(request, 404, _("Not found, or not visible to your organisation."), "not_found")


api.add_router("/", accounts_router)
api.add_router("/projects", projects_router)
api.add_router("/", review_router)
api.add_router("/prefab", prefab_router)
api.add_router("/", assembly_router)
api.add_router("/insights", insights_router)
