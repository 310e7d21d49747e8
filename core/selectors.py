"""Reads of the core app: the health of the database, the cache, the broker and the workers; the audit log."""

import datetime as dt
import os

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from core.models import AuditEvent, WorkerHeartbeat
from core.outbox import outbox_status


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
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return {"ok": True, "kind": "in-process", "detail": "tasks run in the calling process (eager)"}
        # kombu's filesystem transport (settings/tasks.py): up while its message folder is there.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
        ok = bool(folder) and os.path.isdir(folder)
        return {"ok": ok, "kind": "filesystem", "detail": "messages on local disk (REDIS_URL unset)"}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}
    return {"ok": True, "kind": "redis"}


def _cache_status() -> dict:
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.startswith("django_redis."):
        return {"ok": True, "kind": "local-memory"}
    from django_redis import get_redis_connection

    try:
        get_redis_connection("default").ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}
    return {"ok": True, "kind": "redis"}


def _workers_status() -> dict:
    """Report the newest heartbeat; stale or missing heartbeats mean no worker is running the queue."""
    latest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if latest is None:
        return {"ok": not settings.REDIS_URL, "last_heartbeat": None}
    age = (timezone.now() - latest.beat_at).total_seconds()
    fresh = age <= settings.WORKER_HEARTBEAT_STALE_SECONDS
    return {
        "ok": fresh or not settings.REDIS_URL,
        "last_heartbeat": latest.beat_at.isoformat(),
        "seconds_ago": round(age),
        "fresh": fresh,
    }


def health_status() -> tuple[bool, dict]:
    """Return whether the service can answer, and the status of each dependency.

    Only the database is essential: with the cache, the broker or the workers down the pages still
    answer (tasks wait in the outbox), so the service is "degraded", named in ``degraded``, and /healthz
    stays 200 so that a load balancer does not take every web process out for a Redis outage.
    """
    database = _database_status()
    body = {"database": database, "cache": _cache_status(), "broker": _broker_status()}
    if database["ok"]:
        body["workers"] = _workers_status()
        body["outbox"] = outbox_status()
    degraded = [name for name in ("database", "cache", "broker", "workers") if name in body and not body[name]["ok"]]
    body["degraded"] = degraded
    healthy = database["ok"]
    body["status"] = "unavailable" if not healthy else ("degraded" if degraded else "ok")
    return healthy, body


def audit_actions() -> list[str]:
    """Return every action the audit log holds, in alphabetical order (for the filter)."""
    return sorted(AuditEvent.objects.values_list("action", flat=True).distinct())


def audit_events(
    *, action: str = "", actor: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[AuditEvent]:
    """Return the audit events matching the filters, newest first; dates are whole days, inclusive, UK time."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_email__icontains=actor.strip())
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to:
        events = events.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return events.order_by("-at", "-pk")
