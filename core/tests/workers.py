"""Start a real Celery worker process against the test database and the test Redis."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


def _test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def purge_queues():
    """Drop messages left in the test broker by earlier runs, so each test starts clean."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@contextmanager
def celery_worker(*, visibility_timeout: int = 10, extra_env: dict | None = None):
    """Run ``celery worker`` in a subprocess on the test database; yield the Popen object.

    The worker reads the same database pytest-django created (committed data only, so use
    ``django_db(transaction=True)``) and the broker at ``REDIS_URL``.
    """
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "appraisal_portal.test_settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "appraisal_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            # Every queue: one test worker stands in for the per-queue workers of the Procfile.
            "-Q",
            ",".join(settings.TASK_QUEUE_NAMES),
            "-n",
            name,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.worker_name = name
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value or ``timeout`` seconds pass; return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
