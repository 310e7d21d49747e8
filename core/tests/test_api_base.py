"""core.api.ApiView: every API view of the portal derives from it; it keeps callers signed in and throttled."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from core.api import ApiView

PORTAL_APPS = ("accounts", "comments", "core", "exports", "organisations", "scorecards", "surveys")


def api_views(patterns=None, prefix=""):
    """Yield (route, view class) for every DRF view in the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView):
                yield route, cls


def test_every_api_view_of_the_portal_derives_from_the_secure_base():
    ours = [(route, cls) for route, cls in api_views() if cls.__module__.split(".")[0] in PORTAL_APPS]

    assert len(ours) >= 15
    assert [route for route, cls in ours if not issubclass(cls, ApiView)] == []
    assert [route for route, cls in ours if cls.dangerously_public] == []


def test_a_view_that_names_only_a_role_check_still_requires_sign_in_and_keeps_the_throttles():
    class Careless(ApiView):
        permission_classes = [AllowAny]
        throttle_classes = []

    view = Careless()
    view.request = APIRequestFactory().get("/")

    assert [type(p) for p in view.get_permissions()] == [IsAuthenticated, AllowAny]
    assert {type(t) for t in view.get_throttles()} == {AnonRateThrottle, UserRateThrottle}


@pytest.mark.django_db
def test_a_caller_not_signed_in_gets_401_from_every_api_view_without_a_path_argument(client):
    for route, cls in api_views():
        if cls.__module__.split(".")[0] not in PORTAL_APPS or "<" in route:
            continue
        for method in ("get", "post"):
            if hasattr(cls, method):
                response = getattr(client, method)("/" + route)
                assert response.status_code == 401, (method, route)
