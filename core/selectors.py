"""Reads of the core app: the health of the database, the broker and the workers."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import WorkerHeartbeat


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _broker_status() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "kind": "in-process", "detail": "tasks run in the web process (REDIS_URL unset)"}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}
    return {"ok": True, "kind": "redis"}


def _workers_status() -> dict:
    """Report the newest heartbeat; informative only, since beat may not be running in development."""
    latest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if latest is None:
        return {"last_heartbeat": None}
    age = (timezone.now() - latest.beat_at).total_seconds()
    return {
        "last_heartbeat": latest.beat_at.isoformat(),
        "seconds_ago": round(age),
        "fresh": age <= settings.WORKER_HEARTBEAT_STALE_SECONDS,
    }


def health_status() -> tuple[bool, dict]:
    """Return whether the service is healthy and the status of each dependency."""
    database = _database_status()
    broker = _broker_status()
    body = {"database": database, "broker": broker}
    if database["ok"]:
        body["workers"] = _workers_status()
    healthy = database["ok"] and broker["ok"]
    body["status"] = "ok" if healthy else "unavailable"
    return healthy, body
