"""A real task through Redis to a real Celery worker process (PostgreSQL + Redis only)."""

import pytest

from core.models import WorkerHeartbeat
from core.tasks import worker_heartbeat_task
from core.tests.workers import celery_worker, purge_queues, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_task_sent_through_redis_runs_in_a_worker_process_and_writes_to_the_database():
    purge_queues()
    with celery_worker() as worker:
        # When the task is sent through the broker (not run in this process)
        result = worker_heartbeat_task.delay()

        # Then the worker process records its heartbeat in the shared database
        heartbeat = wait_for(lambda: WorkerHeartbeat.objects.filter(worker=worker.worker_name).first(), timeout=60)
        assert heartbeat is not None, "the worker did not run the task within 60 s"
        assert result.id
        assert worker.poll() is None, "the worker process died"


def test_the_broker_is_redis_and_tasks_are_not_run_in_process(settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
