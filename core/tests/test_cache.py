"""The Redis cache (core.cache): Django's, reusing one Redis client per connection pool."""

import os

import pytest

from core.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (see README)")


@needs_redis
def test_the_redis_cache_reuses_its_client_and_still_works():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "appraise-test-core-cache"})

    cache.set("greeting", "hello", 30)

    assert cache.get("greeting") == "hello"
    assert cache._cache.get_client(write=True) is cache._cache.get_client()  # noqa: SLF001
    cache.delete("greeting")
    assert cache.get("greeting") is None


@needs_redis
def test_with_redis_sessions_are_read_from_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
