"""Two admins upload an invitations file into the same cycle at the same moment, on PostgreSQL (SQLite has no
row locks): one import is started, the other is told to wait."""

import os
import threading

import pytest
from django.db import connection, connections

from appraisal_portal.celery import app as celery_app
from core.errors import Conflict
from surveys.models import ImportJob, ImportKind
from surveys.services import import_job_start
from surveys.services.import_jobs import MSG_ONE_AT_A_TIME

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)


@pytest.fixture
def tasks_queued_not_run():
    """Leave the first import queued (no worker reads the broker here), so that it is under way for the second."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_uploads_start_one_import_and_tell_the_other_to_wait(
    open_cycle, admin_user, tasks_queued_not_run
):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    started, refused, errors = [], [], []

    def upload(email: str):
        raw = f"email,name,ccg_code,lead_role\n{email},Lead,01C,clinical\n".encode()
        try:
            barrier.wait(timeout=10)
            started.append(
                import_job_start(
                    actor=admin_user, cycle=open_cycle, kind=ImportKind.INVITATIONS, raw=raw, filename="l.csv"
                )
            )
        except Conflict as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - any other exception is the failure being tested for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(f"lead{n}@ccg01c.nhs.uk",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert (len(started), len(refused)) == (1, 1)
    assert refused[0].message.startswith(MSG_ONE_AT_A_TIME.split("{kind}")[0] + "invitations into the 2014 cycle")
    assert ImportJob.objects.count() == 1
