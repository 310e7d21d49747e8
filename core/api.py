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
