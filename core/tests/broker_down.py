"""A Celery app whose broker is a Redis on a port of the test's own: with nothing listening there, what a task
sees while Redis is down; with the test's own server started there, a broker the test can stop."""

from contextlib import contextmanager

from celery import Celery

from appraisal_portal.celery import app as project_app


def broker_down(port: int = 6393):
    """Make the current Celery app one whose broker (nothing listens on ``port``) refuses connections."""
    return broker_at(port)


@contextmanager
def broker_at(port: int):
    """Make the current Celery app one whose broker is Redis on ``port``; restore the project's app after."""
    app = Celery("broker-down", set_as_current=False)
    app.config_from_object(project_app.conf)
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{port}/0",
        task_always_eager=False,
        broker_transport_options={"socket_connect_timeout": 0.5},
        broker_connection_timeout=0.5,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1},
    )
    app.set_current()
    try:
        yield app
    finally:
        project_app.set_current()
