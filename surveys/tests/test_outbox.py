"""A lead submits while the broker is down: the answers are stored, the page answers, and the receipt and the
figures' refresh wait in the outbox until the sweep sends them."""

import datetime as dt
import re

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


def submit(client):
    """Submit from the check page, saying yes to its warning about blank statements if it gives one."""
    blank = re.search(r'name="blank_ok" value="(\d+)"', client.get(CHECK).text)
    return client.post(CHECK, {"blank_ok": blank.group(1)} if blank else {})


def test_a_submission_with_the_broker_down_is_stored_and_its_tasks_sent_once_it_is_back(
    client, invitation, lead, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    client.post(FIRST, {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "1"})

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        submitted = submit(client)

    assert (submitted.status_code, submitted["Location"]) == (302, SUBMITTED)
    assert client.get(SUBMITTED).status_code == 200
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert Answer.objects.filter(response=response).count() == 2
    waiting = set(OutboxTask.objects.values_list("task", flat=True))
    assert RECEIPT in waiting and len(waiting) >= 2  # the receipt, and the figures' listeners' tasks
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):  # eager here: the tasks run once the sweep commits
        sent = outbox_sweep(now=timezone.now() + dt.timedelta(minutes=1))

    assert sent == len(waiting)
    assert OutboxTask.objects.count() == 0
    assert [m.to for m in mail.outbox] == [[lead.email]]


class _FlakyMailServer:
    """An email backend whose first send fails as a mail server restarting would."""

    failures = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, messages):
        if _FlakyMailServer.failures == 0:
            _FlakyMailServer.failures += 1
            import smtplib

            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return self.inner.send_messages(messages)


def test_a_receipt_that_meets_a_mail_server_error_is_retried_and_sent_once(client, invitation, lead, settings):
    from surveys.tasks import response_receipt_send_task

    settings.EMAIL_BACKEND = f"{__name__}._FlakyMailServer"
    _FlakyMailServer.failures = 0
    client.force_login(lead)
    client.post(FIRST, {"CP-SHARED-GOALS": "5"})
    assert submit(client).status_code == 302  # on-commit hooks do not run in this test's transaction
    response = Response.objects.get()

    first = response_receipt_send_task.apply(kwargs={"response_id": response.pk}, throw=False)

    # The first send failed and was rolled back; the retry (run at once here, with backoff on a worker) sent it.
    assert _FlakyMailServer.failures == 1
    assert (first.state, first.result) == ("SUCCESS", True)
    again = response_receipt_send_task.apply(kwargs={"response_id": response.pk}, throw=False)
    assert again.result is False  # already sent: no second receipt
    assert [m.to for m in mail.outbox] == [[lead.email]]
    response.refresh_from_db()
    assert response.receipt_sent_at is not None
