"""core.cache: the Redis cache reusing one Redis client per connection pool; process-local copies."""

import os

import pytest

from core.cache import LocalCopies, RedisCache

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


def test_local_copies_keep_the_most_recently_read_entries_within_their_bound():
    copies = LocalCopies(max_chars=10)
    copies.set("a", "aaaa")
    copies.set("b", "bbbb")
    assert copies.get("a") == "aaaa"  # "a" is now the most recently read

    copies.set("c", "cccc")  # 12 characters: the least recently read ("b") goes

    assert (copies.get("a"), copies.get("b"), copies.get("c")) == ("aaaa", None, "cccc")
    copies.set("a", "aa")  # replacing an entry counts its new size only
    copies.set("d", "dddd")
    assert len(copies) == 3
    copies.set("huge", "x" * 11)  # larger than the bound: never kept, nothing else dropped for it
    assert copies.get("huge") is None and len(copies) == 3


def test_local_copies_are_forgotten_when_settings_change(settings):
    copies = LocalCopies(max_chars=100)
    copies.set("page", "<p>old</p>")

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}}

    assert copies.get("page") is None
