"""Django's Redis cache, with one Redis client per connection pool instead of one per cache call."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Reuse a Redis client per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and redis-py fills a table of some 200
    response callbacks each time: as long as the round trip itself. A client holds no state of its own
    beyond its pool, which hands out a connection per command and reconnects after a fork.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
