"""Writes of the core app."""

from django.db import transaction
from django.utils import timezone

from core.models import WorkerHeartbeat


@transaction.atomic
def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record that ``worker`` is alive now (an upsert: safe to run any number of times)."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})
    return heartbeat
