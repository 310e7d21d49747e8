"""core.outbox: a task is recorded with its change, sent after commit, kept while the broker is down, swept later."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import OutboxTask, WorkerHeartbeat
from core.outbox import enqueue_on_commit, outbox_sweep
from core.tests.broker_down import broker_down

pytestmark = pytest.mark.django_db
HEARTBEAT = "core.tasks.worker_heartbeat_task"


@pytest.fixture(autouse=True)
def eager():
    from appraisal_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_the_task_is_sent_after_commit_and_its_row_removed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(HEARTBEAT, {})
        assert OutboxTask.objects.count() == 1
        assert not WorkerHeartbeat.objects.exists()  # not before commit

    assert WorkerHeartbeat.objects.count() == 1
    assert OutboxTask.objects.count() == 0


def test_a_rolled_back_change_leaves_no_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(HEARTBEAT, {})
            raise RuntimeError("the change failed")

    assert callbacks == [] and OutboxTask.objects.count() == 0


def test_with_the_broker_down_the_task_waits_and_the_sweep_sends_it_once_the_broker_is_back(
    django_capture_on_commit_callbacks,
):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(HEARTBEAT, {})  # the on-commit send fails: no error reaches the caller

    row = OutboxTask.objects.get()
    assert (row.attempts, row.task) == (1, HEARTBEAT)
    assert "OperationalError" in row.last_error or "Connection" in row.last_error

    later = timezone.now() + dt.timedelta(minutes=1)
    with broker_down():
        assert outbox_sweep(now=later) == 0  # still down: kept, one more attempt
    assert OutboxTask.objects.get().attempts == 2

    with django_capture_on_commit_callbacks(execute=True):  # eager here: the task runs once the sweep commits
        assert outbox_sweep(now=later) == 1  # back
    assert OutboxTask.objects.count() == 0
    assert WorkerHeartbeat.objects.count() == 1


def test_the_sweep_leaves_young_rows_to_their_own_send(settings):
    OutboxTask.objects.create(task=HEARTBEAT, kwargs={}, created_at=timezone.now())

    assert outbox_sweep() == 0
    assert OutboxTask.objects.count() == 1
    assert outbox_sweep(now=timezone.now() + dt.timedelta(seconds=settings.OUTBOX_SWEEP_MIN_AGE_SECONDS)) == 1


def test_healthz_counts_the_tasks_waiting(client):
    OutboxTask.objects.create(task=HEARTBEAT, kwargs={}, created_at=timezone.now() - dt.timedelta(seconds=90))

    outbox = client.get("/healthz").json()["outbox"]

    assert outbox["waiting"] == 1 and outbox["oldest_seconds"] >= 90


def test_the_sweep_runs_every_minute_with_an_expiry(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-outbox-sweep"]

    assert entry["task"] == "core.tasks.outbox_sweep_task"
    assert entry["schedule"] == 60.0 and entry["options"]["expires"] < 60
