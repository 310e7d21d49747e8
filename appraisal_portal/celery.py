"""The Celery application: configured from Django settings (the ``CELERY_`` namespace)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal_portal.settings")

app = Celery("appraisal_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_connections(task=None, **kwargs) -> None:
    """Treat each task as Django treats a request: keep a working connection for CONN_MAX_AGE.

    Celery's Django fix-up closes every connection around every task unless CELERY_DB_REUSE_MAX is
    set (settings/tasks.py sets it so high it never acts); this drops only broken or expired ones. A
    new connection per task cost more than the scorecard refresh itself. Tasks run eagerly inside
    the caller's transaction are left alone.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
