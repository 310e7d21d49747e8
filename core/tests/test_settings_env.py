"""Settings read from the environment: the single-machine defaults."""

import os

import pytest

single_machine = pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL") or os.environ.get("DATABASE_URL")),
    reason="checks the defaults used when DATABASE_URL and REDIS_URL are unset",
)


@single_machine
def test_with_nothing_set_the_portal_runs_on_sqlite_with_tasks_in_process(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


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
