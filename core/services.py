"""Writes of the core app."""

from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, WorkerHeartbeat


@transaction.atomic
def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record that ``worker`` is alive now (an upsert: safe to run any number of times)."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})
    return heartbeat


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    detail: dict | None = None,
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one audit event: ``actor`` (None: the system) did ``action`` to ``obj`` (a model instance) now.

    Without an instance (an act on many rows, such as an organisations import) name ``object_type``.
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        detail=detail or {},
        ip=ip or None,
        at=timezone.now(),
    )


class CommandActor:
    """Who did an act run from the command line (``manage.py``): recorded as "command", with no user."""

    is_authenticated = False
    email = ""

    def __str__(self):
        return "command"


COMMAND = CommandActor()


def audit_act(*, actor, action: str, obj=None, detail: dict | None = None, **kwargs) -> AuditEvent | None:
    """Audit an act that someone did: a user (``actor``) or a command (``COMMAND``).

    With ``actor=None`` (code acting on its own: the demo seeding, tests' set-up) nothing is recorded.
    """
    if actor is None:
        return None
    if actor is COMMAND:
        detail = {**(detail or {}), "by": "command"}
    return audit_record(actor=actor, action=action, obj=obj, detail=detail, **kwargs)
