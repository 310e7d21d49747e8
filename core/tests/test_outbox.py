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


def test_a_send_that_fails_otherwise_after_commit_leaves_the_change_and_the_task_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Not only a broker error: whatever the send raises once the change is stored reaches no user as a 500."""
    from appraisal_portal.celery import app

    def broken(row):
        raise KeyError(row.task)

    monkeypatch.setattr("core.outbox._send", broken)
    app.conf.task_always_eager = False  # as in production: a worker runs it (the fixture restores it)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(HEARTBEAT, {})  # no error reaches the caller

    assert OutboxTask.objects.get().task == HEARTBEAT  # kept, so the sweep sends it
    assert "KeyError" in caplog.text


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


FIRST_LOOKUPS = """
import threading
import django

django.setup()
from core.outbox import _task

names = {names!r}
failures = []
start = threading.Barrier(16)


def look_up(name):
    start.wait()
    try:
        assert _task(name).name == name
    except Exception as error:  # noqa: BLE001 - every failure is reported
        failures.append(repr(error))


threads = [threading.Thread(target=look_up, args=(names[n % len(names)],)) for n in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failures)
"""


def test_threads_of_a_new_process_that_send_their_first_tasks_at_once_all_find_them():
    """The first submissions after a web process starts: no thread sees a half-imported task registry.

    Each thread looking a task up for the first time used to import the apps' task modules itself, and
    some found the name "never registered" (a 500 after the submission was stored). Run in a fresh
    interpreter, where no task module is imported yet, twice, since a race shows only sometimes.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = ["surveys.tasks.response_receipt_send_task", "reports.tasks.comments_register_task"]
    code = FIRST_LOOKUPS.format(names=names)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "appraisal_portal.settings", "PYTHONPATH": str(root)}
    env.setdefault("SECRET_KEY", "outbox-test-not-secret")
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip().splitlines()[-1] == "[]"
