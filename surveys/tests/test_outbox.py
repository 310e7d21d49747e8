"""A lead submits while the broker is down: the answers are stored, the page answers, and the receipt and the
figures' refresh wait in the outbox until the sweep sends them."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxTask
from core.outbox import outbox_sweep
from core.tests.broker_down import broker_down
from surveys.models import Answer, Response, ResponseStatus

pytestmark = pytest.mark.django_db
FIRST = "/appraisal/2014/section/COMMON-PURPOSE/"
CHECK = "/appraisal/2014/check/"
SUBMITTED = "/appraisal/2014/submitted/"
RECEIPT = "surveys.tasks.response_receipt_send_task"


def test_a_submission_with_the_broker_down_is_stored_and_its_tasks_sent_once_it_is_back(
    client, invitation, lead, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    client.post(FIRST, {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "1"})

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(CHECK)

    assert (submitted.status_code, submitted["Location"]) == (302, SUBMITTED)
    assert client.get(SUBMITTED).status_code == 200
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert Answer.objects.filter(response=response).count() == 2
    waiting = set(OutboxTask.objects.values_list("task", flat=True))
    assert RECEIPT in waiting and len(waiting) >= 2  # the receipt, and the figures' listeners' tasks
    assert mail.outbox == []

    sent = outbox_sweep(now=timezone.now() + dt.timedelta(minutes=1))

    assert sent == len(waiting)
    assert OutboxTask.objects.count() == 0
    assert [m.to for m in mail.outbox] == [[lead.email]]
