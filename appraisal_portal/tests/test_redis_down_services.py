"""Redis (a server of this test's own) stopped while a lead submits, on PostgreSQL with a real worker: the
submission is stored and answered; once Redis is back the outbox sweep sends its tasks and the worker
aggregates it and sends the receipt within two minutes."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone

from core.models import OutboxTask
from core.outbox import outbox_sweep
from core.tests.broker_down import broker_at, broker_down
from core.tests.redis_own import own_redis
from core.tests.workers import celery_worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
PORT = 6392
BROKER = f"redis://127.0.0.1:{PORT}/0"


def test_a_submission_with_redis_down_is_stored_then_aggregated_and_receipted_once_redis_is_back(client):
    from organisations.services import DEFAULT_CSV, organisations_import
    from scorecards.models import ScorecardState
    from surveys.models import CycleState, Response, ResponseStatus
    from surveys.services import cycle_create, cycle_set_state
    from surveys.tests.factories import InvitationFactory, LeadFactory

    organisations_import(raw=DEFAULT_CSV.read_bytes())
    cycle = cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)
    lead = LeadFactory()
    InvitationFactory(cycle=cycle, user=lead)
    client.force_login(lead)
    client.post("/appraisal/2014/section/COMMON-PURPOSE/", {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "4"})

    # Redis is down (this test's own server, stopped) while the lead submits.
    with broker_down(port=PORT):
        submitted = client.post("/appraisal/2014/check/")
        if submitted.status_code != 302:  # blank statements: the page asks first, with their count
            blank = re.search(r'name="blank_ok" value="(\d+)"', submitted.content.decode()).group(1)
            submitted = client.post("/appraisal/2014/check/", {"blank_ok": blank})
        assert (submitted.status_code, submitted["Location"]) == (302, "/appraisal/2014/submitted/")
        assert client.get("/appraisal/2014/submitted/").status_code == 200
    response = Response.objects.get()
    assert response.status == ResponseStatus.SUBMITTED and response.answers.count() == 2
    waiting = OutboxTask.objects.count()
    assert waiting >= 2

    # Redis comes back with a worker; beat's sweep (run here, as beat would within a minute) sends the tasks.
    with own_redis(PORT), celery_worker(extra_env={"REDIS_URL": BROKER}) as worker:
        started = time.monotonic()
        with broker_at(PORT):
            assert outbox_sweep(now=timezone.now() + dt.timedelta(minutes=1)) == waiting

        receipted = wait_for(
            lambda: Response.objects.filter(pk=response.pk, receipt_sent_at__isnull=False).exists(), timeout=120
        )
        aggregated = wait_for(
            lambda: ScorecardState.objects.filter(cycle=cycle, aggregates_version__gt=0).exists(), timeout=120
        )
        elapsed = time.monotonic() - started
        assert worker.poll() is None, "the worker died"
    assert receipted, "no receipt within two minutes of Redis coming back"
    assert aggregated, "not aggregated within two minutes of Redis coming back"
    assert elapsed < 120
    assert OutboxTask.objects.count() == 0
