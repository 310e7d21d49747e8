from celery import shared_task

from core.services import worker_heartbeat_record


@shared_task(bind=True)
def worker_heartbeat_task(self) -> str:
    """Record this worker's heartbeat; /healthz reports how long ago the last one was."""
    worker = self.request.hostname or "in-process"
    worker_heartbeat_record(worker=worker)
    return worker
