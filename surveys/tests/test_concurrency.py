"""Two real threads submit the same response at once, on PostgreSQL (SQLite has no row locks)."""

import os
import threading

import pytest
from django.db import connection, connections

from surveys.models import Answer, Response
from surveys.services import response_get_or_create_draft, response_save_draft, response_submit

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_give_one_response_and_one_set_of_answers(invitation):
    assert connection.vendor == "postgresql"
    draft = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=draft, answers={"SUPPORT": 4, "PC-VISION": 2, "COMMENT-HONESTY": "Open"})
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(response_submit(response=Response.objects.get(pk=draft.pk)))
        except Exception as exc:  # noqa: BLE001 - any exception is the failure being tested for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2
    assert {r.status for r in results} == {"submitted"}
    assert results[0].submitted_at == results[1].submitted_at
    assert Response.objects.filter(status="submitted").count() == 1
    assert Answer.objects.count() == 3
