"""Sessions time out when idle (sooner for staff) and 8 hours after sign-in; signed-in pages are not cached;
API tokens expire and their owner rotates or revokes them; email tasks retry."""

import datetime as dt
import io
import time

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.authentication import MSG_TOKEN_EXPIRED
from accounts.services import api_token_issue
from accounts.tests.factories import TEST_PASSWORD
from core.middleware import MSG_EXPIRED, MSG_IDLE
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    assert client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD}).status_code == 302


def _later(seconds):
    return time_machine.travel(time.time() + seconds, tick=False)


@pytest.mark.parametrize(
    ("role", "idle"), [("ccg_lead", "SESSION_IDLE_SECONDS"), ("analyst", "SESSION_IDLE_SECONDS_STAFF")]
)
def test_an_idle_session_is_signed_out_with_a_message_and_staff_sooner(client, make_user, organisations, role, idle):
    kwargs = {"ccg_code": "00C", "lead_role": "clinical"} if role == "ccg_lead" else {}
    user = make_user(role=role, **kwargs)
    _sign_in(client, user)
    timeout = getattr(settings, idle)
    assert settings.SESSION_IDLE_SECONDS_STAFF < settings.SESSION_IDLE_SECONDS

    with _later(timeout - 30):
        assert client.get("/account/").status_code == 200  # still active: this request counts as activity
    with _later(2 * timeout - 60):
        assert client.get("/account/").status_code == 200
    with _later(3 * timeout):
        response = client.get("/account/", follow=True)

    assert response.redirect_chain[0][0].startswith("/sign-in/?next=/account/")
    assert MSG_IDLE.format(minutes=round(timeout / 60)) in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_busy_session_still_ends_8_hours_after_sign_in(client, lead):
    _sign_in(client, lead)
    step = settings.SESSION_IDLE_SECONDS - 60
    elapsed = 0
    while elapsed + step < settings.SESSION_COOKIE_AGE:
        elapsed += step
        with _later(elapsed):
            assert client.get("/account/").status_code == 200

    with _later(settings.SESSION_COOKIE_AGE + 30):
        response = client.get("/account/", follow=True)

    assert MSG_EXPIRED.format(hours=8) in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_signed_in_pages_are_private_no_store_and_every_page_has_a_permissions_policy(client, analyst):
    anonymous = client.get("/")
    client.force_login(analyst)
    signed_in = client.get("/account/")
    api = client.get("/api/v1/cycles/")

    assert "no-store" not in anonymous.get("Cache-Control", "")
    for response in (signed_in, api):
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    for response in (anonymous, signed_in, api):
        assert "camera=()" in response["Permissions-Policy"]


def test_an_api_token_expires(client, analyst):
    key = api_token_issue(email=analyst.email)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/cycles/", **auth).status_code == 200

    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS))
    expired = client.get("/api/v1/cycles/", **auth)

    assert expired.status_code == 401
    assert expired.json()["error"]["message"] == MSG_TOKEN_EXPIRED


def test_the_owner_rotates_and_revokes_their_token_and_each_is_audited(client, analyst):
    old = api_token_issue(email=analyst.email)
    client.force_login(analyst)

    rotated = client.post("/api/v1/me/token/")
    new = rotated.json()["token"]
    client.logout()

    assert rotated.status_code == 201 and new != old
    assert client.get("/api/v1/cycles/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert client.get("/api/v1/cycles/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200
    shown = client.get("/api/v1/me/token/", HTTP_AUTHORIZATION=f"Token {new}").json()
    assert shown["exists"] is True and "token" not in shown

    assert client.delete("/api/v1/me/token/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 204
    assert client.get("/api/v1/cycles/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 401
    assert Token.objects.filter(user=analyst).count() == 0
    actions = list(AuditEvent.objects.filter(object_id=str(analyst.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["api_token_revoked", "api_token_rotated"]


def test_a_token_issued_or_rotated_from_the_command_line_is_audited_as_the_command(analyst):
    from django.core.management import call_command

    call_command("api_token", analyst.email, stdout=io.StringIO())
    call_command("api_token", analyst.email, "--rotate", stdout=io.StringIO())

    events = AuditEvent.objects.filter(object_id=str(analyst.pk)).order_by("pk")
    assert [(e.action, e.actor_email, e.detail) for e in events] == [
        ("api_token_issued", "", {"by": "command"}),
        ("api_token_rotated", "", {"by": "command"}),
    ]


def test_email_tasks_retry_with_backoff_on_database_and_mail_server_errors():
    from smtplib import SMTPException

    from django.db import DatabaseError

    from surveys.tasks import invitation_email_send_task, response_receipt_send_task

    for task in (invitation_email_send_task, response_receipt_send_task):
        assert DatabaseError in task.autoretry_for and SMTPException in task.autoretry_for
        assert task.retry_backoff and task.retry_jitter and task.max_retries >= 5
