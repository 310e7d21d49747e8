"""core.broker: kombu's Redis transport with one Redis client per channel, delivering and acknowledging as before."""

import os

import pytest
from kombu import Connection, Exchange, Queue

from core.broker import Channel

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (see README)")


@pytest.fixture
def connection():
    with Connection(REDIS_URL, transport="core.broker:Transport") as connection:
        yield connection


def test_the_project_uses_it_for_redis(settings):
    assert settings.CELERY_BROKER_TRANSPORT == "core.broker:Transport"


def test_a_channel_reuses_one_client_until_its_pool_changes(connection):
    channel = connection.channel()
    assert isinstance(channel, Channel)
    with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
        assert first is second
    channel._pool = None  # noqa: SLF001 - as kombu does when the channel reconnects
    with channel.conn_or_acquire() as third:
        assert third is not first and third.connection_pool is channel.pool


def test_a_message_taken_late_is_kept_unacknowledged_until_acked(connection):
    queue = Queue("appraise-test-broker", Exchange("appraise-test-broker"), "appraise-test-broker")
    channel = connection.channel()
    bound = queue(channel)
    bound.declare()
    bound.purge()
    connection.Producer(channel).publish({"response_id": 7}, exchange=queue.exchange, routing_key=queue.routing_key)

    message = bound.get(no_ack=False)
    with channel.conn_or_acquire() as client:
        assert message.payload == {"response_id": 7}
        # A worker killed now leaves it there, to be delivered again.
        assert client.hexists(channel.unacked_key, message.delivery_tag)
        message.ack()
        assert not client.hexists(channel.unacked_key, message.delivery_tag)
    assert bound.get() is None
    bound.delete()
