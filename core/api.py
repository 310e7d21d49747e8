"""The API's shared pieces: the error mapping and the secure-by-default base views."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, generics, permissions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DETAILS_SHOWN, DomainError

# The challenge sent with every 401: scripts authenticate with "Authorization: Token <key>".
AUTHENTICATE_HEADER = 'Token realm="api"'


def exception_handler(exc, context):
    """Answer every error with ``{"error": {"code", "message", "details"}}`` and the right status."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message, "details": exc.details}
        if exc.details_total > len(exc.details):
            body["details_total"] = exc.details_total
        return Response({"error": body}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF answers 403 when the first authenticator (session) sends no challenge; callers
        # without valid credentials should get 401 and be told how to authenticate.
        response.status_code = 401
        response["WWW-Authenticate"] = AUTHENTICATE_HEADER
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": "The request is not valid.", "details": _first(response.data)}
        total = len(response.data) if isinstance(response.data, dict | list) else 1
        if total > DETAILS_SHOWN:
            body["details_total"] = total
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        body = {"code": getattr(detail, "code", None) or exc.default_code, "message": str(detail), "details": []}
    response.data = {"error": body}
    return response


def _first(data):
    """Return at most the first ``DETAILS_SHOWN`` entries of a validation error's list or mapping."""
    if isinstance(data, list):
        return data[:DETAILS_SHOWN]
    if isinstance(data, dict):
        return dict(list(data.items())[:DETAILS_SHOWN])
    return data


class ApiView(APIView):
    """The base of every API view: the caller must be signed in, and is throttled, whatever a subclass adds.

    A subclass's ``permission_classes`` (roles) are checked after ``IsAuthenticated``, never instead of
    it, and its throttles after the defaults (``DEFAULT_THROTTLE_CLASSES``), so that forgetting either
    cannot open a view. A view meant for callers who are not signed in must say so loudly:
    ``dangerously_public = True``. Queries are scoped to the caller in the selectors the view calls
    (``*_for_user``); the list and detail bases below make that the only way to get a queryset.
    """

    dangerously_public = False

    def get_permissions(self):
        permissions_ = super().get_permissions()
        if self.dangerously_public or any(isinstance(p, permissions.IsAuthenticated) for p in permissions_):
            return permissions_
        return [permissions.IsAuthenticated(), *permissions_]

    def get_throttles(self):
        throttles = super().get_throttles()
        kinds = {type(t) for t in throttles}
        defaults = [t() for t in api_settings.DEFAULT_THROTTLE_CLASSES if t not in kinds]
        return [*defaults, *throttles]


class ScopedListAPIView(ApiView, generics.ListAPIView):
    """A read-only list whose queryset is always scoped to what the caller may see.

    Subclasses implement ``scoped_queryset(user)``; there is deliberately no ``queryset`` attribute
    so nothing can be listed unscoped by accident.
    """

    permission_classes = [permissions.IsAuthenticated]

    def scoped_queryset(self, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)


class ScopedRetrieveAPIView(ApiView, generics.RetrieveAPIView):
    """A read-only detail view over ``scoped_queryset(user)``: anything outside it is a 404."""

    permission_classes = [permissions.IsAuthenticated]

    def scoped_queryset(self, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)


# The body of every error answer (``exception_handler`` above), as the schema documents it.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                # A validation error's fields and their messages, or a list of problems.
                "details": {"oneOf": [{"type": "array"}, {"type": "object"}]},
                "details_total": {"type": "integer"},
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: "The request is not valid (its parameters or body); the details name what.",
    401: "Not signed in: send 'Authorization: Token <key>'.",
    403: "Signed in, but this role may not do this.",
    404: "Nothing here that you may see (or no such page of a list).",
    409: "Not in this state (the message says why).",
    429: "Too many requests: wait and try again.",
}


def error_responses(*codes: int) -> dict:
    """Return ``responses=`` entries for these error status codes, each with the error body."""
    from drf_spectacular.utils import OpenApiResponse

    return {code: OpenApiResponse(response=ERROR_SCHEMA, description=ERROR_DESCRIPTIONS[code]) for code in codes}


def document_errors(result, generator, request, public):
    """Add to every operation the errors every ``ApiView`` can answer (drf-spectacular postprocessing hook).

    Every view requires sign-in (401), checks a role (403) and is throttled (429); one with parameters
    or a body can refuse them (400); one with a path parameter or pages can find nothing (404). Errors
    particular to a view (409) are in its own ``responses=``.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", [])
            codes = [401, 403, 429]
            if parameters or "requestBody" in operation:
                codes.append(400)
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                codes.append(404)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    str(code),
                    {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result
