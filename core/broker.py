"""The Redis broker transport, with one Redis client per channel instead of one per command batch.

kombu's Redis channel builds a new ``redis.Redis`` each time it writes outside its consuming
connection: twice per task (recording the delivered message as unacknowledged, then acknowledging
it). redis-py fills a table of some 200 response callbacks for each new client, which cost the
worker as much as the round trip to Redis. A client holds no state beyond its connection pool,
which hands out a connection per command; a new pool (after the channel reconnects) gets a new client.
"""

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _reused_client = None
    _reused_pool = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        if self._reused_client is None or self._reused_pool is not pool:
            self._reused_client, self._reused_pool = self._create_client(), pool
        yield self._reused_client


class Transport(redis.Transport):
    Channel = Channel
