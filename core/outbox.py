"""The transactional outbox: a task is recorded with the change that needs it, and sent once the broker takes it.

``enqueue_on_commit(task, kwargs)`` writes an ``OutboxTask`` row in the caller's transaction and, after
commit, hands the task to Celery and deletes the row. If the broker is down, the row stays (the user's
request still succeeds) and ``outbox_sweep`` (beat, every minute) sends it once the broker is back.
A task may so be sent twice (the row's delete failed after the send): tasks are idempotent.
"""

import datetime as dt
import functools
import logging
import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import KombuError

from core.models import OutboxTask

logger = logging.getLogger("appraise.outbox")

# What a broker outage raises from apply_async: kombu's errors (OperationalError and the like) and the
# socket errors underneath (redis-py's ConnectionError is an OSError subclass only in part, so named too).
try:
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover - redis is pinned
    _RedisError = OSError
BROKER_ERRORS = (KombuError, OSError, _RedisError)


_REGISTRY_LOCK = threading.Lock()


def _task(name: str):
    """Return the task registered under ``name`` (the name a worker knows it by, not always its path).

    Tasks that moved out of ``reports`` keep their old names (``name=``), so a name is looked up in the
    app's registry, importing every app's ``tasks`` module first if it is not registered yet.
    """
    from celery import current_app

    task = current_app.tasks.get(name)
    if task is None:
        # One thread imports; the others wait for it. Threads of a web process that import at once
        # (the first submissions after it starts) otherwise see a half-filled registry: NotRegistered, a 500.
        with _REGISTRY_LOCK:
            task = current_app.tasks.get(name)
            if task is None:
                current_app.loader.import_default_modules()
                current_app.autodiscover_tasks(force=True)  # every installed app's tasks module, now
                task = current_app.tasks[name]
    return task


def _send(row: OutboxTask) -> None:
    # apply_async on the task object honours the app's settings (eager in development), send_task does not.
    _task(row.task).apply_async(kwargs=row.kwargs)


def _runs_in_process() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def _dispatch(row_id: int) -> bool:
    """Send the row's task and delete the row; on a broker error keep it for the sweep. Return whether sent."""
    row = OutboxTask.objects.filter(pk=row_id).first()
    if row is None:  # the sweep sent it already
        return True
    try:
        _send(row)
    except BROKER_ERRORS as exc:
        OutboxTask.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, last_attempt_at=timezone.now(), last_error=repr(exc)[:200]
        )
        logger.warning("outbox: broker refused %s; kept for the sweep", row.task, extra={"outbox_id": row.pk})
        return False
    OutboxTask.objects.filter(pk=row.pk).delete()
    return True


def enqueue_on_commit(task: str, kwargs: dict) -> OutboxTask:
    """Record ``task`` (a registered task name) with ``kwargs`` (ids, JSON) now; send it after commit.

    Call it inside the transaction of the change that needs the task: the row commits (or rolls back)
    with the change, so a task can be late but never lost nor sent for a change that did not happen.
    """
    row = OutboxTask.objects.create(task=task, kwargs=kwargs, created_at=timezone.now())
    # The change is stored by then: a send that fails for any reason is logged and left to the sweep,
    # never turned into an error page for a change that was saved. Eager tasks (tests) keep their errors.
    transaction.on_commit(lambda: _dispatch(row.pk), robust=not _runs_in_process())
    return row


def outbox_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send the tasks left in the outbox for a while (their on-commit send failed); return how many were sent.

    Rows newer than ``OUTBOX_SWEEP_MIN_AGE_SECONDS`` are left to their own on-commit send. Stops at the
    first broker error: the rest wait for the next sweep.
    """
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.OUTBOX_SWEEP_MIN_AGE_SECONDS)
    sent = 0
    ids = list(OutboxTask.objects.filter(created_at__lte=before).order_by("pk").values_list("pk", flat=True)[:limit])
    for row_id in ids:
        with transaction.atomic():
            # Two sweeps (a beat run late beside the next) do not send the same row twice.
            row = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=row_id).first()
            if row is None:
                continue
            try:
                if _runs_in_process():
                    # Eager (tests that ask for it): the task runs here, so after this row's transaction
                    # commits, as a worker would run it, not inside it (durable services refuse to nest).
                    transaction.on_commit(functools.partial(_send, row))
                else:
                    _send(row)
            except BROKER_ERRORS as exc:
                OutboxTask.objects.filter(pk=row.pk).update(
                    attempts=row.attempts + 1, last_attempt_at=now, last_error=repr(exc)[:200]
                )
                logger.warning("outbox sweep: broker still refusing; %s left", len(ids) - sent)
                return sent
            row.delete()
            sent += 1
    return sent


def outbox_status() -> dict:
    """Return how many tasks wait in the outbox and since when (for /healthz)."""
    oldest = OutboxTask.objects.order_by("created_at").values_list("created_at", flat=True).first()
    waiting = OutboxTask.objects.count()
    body = {"waiting": waiting}
    if oldest is not None:
        body["oldest_seconds"] = round((timezone.now() - oldest).total_seconds())
    return body
