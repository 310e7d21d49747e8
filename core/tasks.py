from celery import shared_task

from core.services import worker_heartbeat_record


@shared_task(bind=True)
def worker_heartbeat_task(self) -> str:
    """Record this worker's heartbeat; /healthz reports how long ago the last one was."""
    worker = self.request.hostname or "in-process"
    worker_heartbeat_record(worker=worker)
    return worker


@shared_task
def outbox_sweep_task() -> int:
    """Send the tasks the outbox kept while the broker was down (run every minute by beat)."""
    from core.outbox import outbox_sweep

    return outbox_sweep()


@shared_task
def rate_events_purge_task() -> int:
    """Delete the rate limits' old events (run daily by beat)."""
    from core.ratelimit import rate_events_purge

    return rate_events_purge()
