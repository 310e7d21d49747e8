"""Settings read from the environment: the single-machine defaults."""

import os
import subprocess
import sys

import pytest

PRINT_EAGER = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'appraisal_portal.settings'; django.setup(); "
    "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)"
)

single_machine = pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL") or os.environ.get("DATABASE_URL")),
    reason="checks the defaults used when DATABASE_URL and REDIS_URL are unset",
)


@single_machine
def test_with_nothing_set_the_portal_runs_on_sqlite_with_a_broker_on_local_disk(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CELERY_BROKER_URL == "filesystem://"
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["data_folder_in"] == options["data_folder_out"]
    assert os.path.isdir(options["data_folder_in"]) and os.path.isdir(options["control_folder"])
    # The test settings ask for in-process tasks; the portal's own settings never do unless told.
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    defaults = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_EAGER],
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert defaults.stdout.split() == ["False", "filesystem://"]


@single_machine
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_task_sent_on_the_local_disk_broker_is_a_file_that_a_consumer_takes(settings):
    from kombu import Connection

    from appraisal_portal.celery import app

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with Connection("filesystem://", transport_options=options) as connection:
        app.send_task("core.tasks.worker_heartbeat_task", queue="h17-probe", connection=connection)
        assert any(name.endswith(".h17-probe.msg") for name in os.listdir(options["data_folder_in"]))
        with connection.SimpleQueue("h17-probe") as queue:
            message = queue.get(timeout=5)
            assert message.headers["task"] == "core.tasks.worker_heartbeat_task"
            message.ack()
    assert not any(name.endswith(".h17-probe.msg") for name in os.listdir(options["data_folder_in"]))


@single_machine
@pytest.mark.django_db
def test_with_nothing_set_a_task_runs_in_process():
    from core.models import WorkerHeartbeat
    from core.tasks import worker_heartbeat_task

    worker_heartbeat_task.delay()

    assert WorkerHeartbeat.objects.count() == 1


@single_machine
def test_with_nothing_set_sessions_are_in_the_database(settings):
    # A local-memory cache is one per process: a session signed out in one would live on in the others.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
