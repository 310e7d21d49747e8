"""Redis (a server of this test's own) stopped under a signed-in user: pages, sign-in and /healthz still answer."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from accounts.tests.factories import TEST_PASSWORD
from core.tests.redis_own import own_redis

pytestmark = pytest.mark.django_db
PORT = 6391


def _caches(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


def test_stopping_redis_under_a_signed_in_user_leaves_the_pages_answering(client, make_user):
    user = make_user(role="analyst")
    other = make_user(role="analyst")
    with own_redis(PORT) as stop, override_settings(CACHES=_caches(PORT)):
        caches["default"].set("probe", "up", 30)
        assert caches["default"].get("probe") == "up"
        assert client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD}).status_code == 302

        stop()

        assert client.get("/account/").status_code == 200
        health = client.get("/healthz").json()
        client.post("/sign-out/")
        signed_in_again = client.post("/sign-in/", {"username": other.email, "password": TEST_PASSWORD})
        assert client.get("/").wsgi_request.user == other
    assert health["cache"]["ok"] is False and "cache" in health["degraded"]
    assert signed_in_again.status_code == 302
