"""Writes of the core app."""

from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, WorkerHeartbeat


@transaction.atomic
def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record that ``worker`` is alive now (an upsert: safe to run any number of times)."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})
    return heartbeat


def audit_record(*, actor, action: str, obj, detail: dict | None = None, ip: str | None = None) -> AuditEvent:
    """Append one audit event: ``actor`` did ``action`` to ``obj`` (a model instance) now."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail or {},
        ip=ip or None,
        at=timezone.now(),
    )
