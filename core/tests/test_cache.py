"""The cache is only a cache: django-redis ignoring its errors, sessions in the database."""

import pytest
from django.core.cache import caches
from django.test import override_settings

# Nothing listens on port 1: every connection is refused at once, as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


def test_sessions_are_kept_in_the_database_never_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_with_redis_the_cache_is_django_redis_ignoring_its_errors(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
    import importlib

    from appraisal_portal.settings import database

    try:
        reloaded = importlib.reload(database)
        cache = reloaded.CACHES["default"]
        assert cache["BACKEND"] == "django_redis.cache.RedisCache"
        assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
        assert reloaded.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(database)


@override_settings(CACHES=REDIS_DOWN)
def test_a_cache_outage_is_a_miss_and_a_dropped_write_not_an_error():
    cache = caches["default"]

    cache.set("greeting", "hello", 30)

    assert cache.get("greeting") is None
    assert cache.get_or_set("answer", 42, 30) == 42


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_with_the_cache_down_a_lead_signs_in_and_reads_signed_in_pages(client, make_user):
    from accounts.tests.factories import TEST_PASSWORD

    user = make_user(role="analyst")

    signed_in = client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD})
    home = client.get("/")
    account = client.get("/account/")

    assert signed_in.status_code == 302
    assert home.status_code == 200 and account.status_code == 200
    assert home.wsgi_request.user == user
