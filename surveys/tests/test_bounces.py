"""Bounces recorded (issue 17): a permanent SMTP refusal marks the invitation bounced with the reason and is
not retried (a temporary one is); a bounce report CSV is checked whole; the workspace shows and filters them;
sending again clears a bounce."""

from smtplib import SMTPException, SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from surveys.fieldwork import selectors
from surveys.models import CycleState, Invitation
from surveys.services import cycle_create, cycle_set_state
from surveys.services import emails as email_services
from surveys.services.bounces import DEFAULT_REASON, invitations_bounces_import
from surveys.services.emails import invitation_email_deliver
from surveys.services.files import ImportFileError
from surveys.services.invitations import PENDING_INVITATION, invitations_send_unsent
from surveys.tasks import EMAIL_RETRY
from surveys.tests.factories import InvitationFactory, LeadFactory

pytestmark = pytest.mark.django_db

URL = "/results/2014/fieldwork/"


@pytest.fixture
def cycle(organisations):
    return cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)


def _invite(cycle, name: str, ccg: str = "01C", **fields) -> Invitation:
    user = LeadFactory(ccg_code=ccg, lead_role="clinical", full_name=name, email=f"{name}@example.nhs.uk")
    return InvitationFactory(cycle=cycle, user=user, **fields)


def _report(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bounces.csv", raw, content_type="text/csv")


def _refusing(code: int, text: bytes):
    def send_mail(subject, body, sender, recipients, **kwargs):
        raise SMTPRecipientsRefused({recipients[0]: (code, text)})

    return send_mail


def test_a_permanent_refusal_marks_the_invitation_bounced_with_the_reason_and_is_not_retried(cycle, monkeypatch):
    # Given an invitation waiting to be sent
    invitation = _invite(cycle, "gone", pending_email=PENDING_INVITATION)
    monkeypatch.setattr(email_services, "send_mail", _refusing(550, b"5.1.1 <gone@example.nhs.uk>: user unknown"))

    # When the mail server refuses the address for good
    sent = invitation_email_deliver(invitation_id=invitation.pk)

    # Then nothing is raised (no retry), and the invitation is bounced with the server's answer
    assert sent is False
    invitation.refresh_from_db()
    assert invitation.bounced_at is not None
    assert invitation.bounce_reason == "550 5.1.1 <gone@example.nhs.uk>: user unknown"
    assert invitation.pending_email == ""
    assert invitation.sent_at is None  # it never arrived
    assert invitation.token_hash == ""  # no link was made for it
    statuses = {i.pk: i.status for i in selectors.invitations_with_status(cycle=cycle)}
    assert statuses[invitation.pk] == selectors.BOUNCED


def test_a_temporary_refusal_is_raised_for_the_task_to_retry_and_records_nothing(cycle, monkeypatch):
    invitation = _invite(cycle, "busy", pending_email=PENDING_INVITATION)
    monkeypatch.setattr(email_services, "send_mail", _refusing(451, b"4.7.1 try again later"))

    with pytest.raises(SMTPRecipientsRefused):
        invitation_email_deliver(invitation_id=invitation.pk)

    invitation.refresh_from_db()
    assert invitation.bounced_at is None
    assert invitation.pending_email == PENDING_INVITATION  # still to send: the retry sends it
    # And the email tasks retry on it, with backoff
    assert issubclass(SMTPRecipientsRefused, EMAIL_RETRY["autoretry_for"][1])
    assert EMAIL_RETRY["autoretry_for"][1] is SMTPException
    assert EMAIL_RETRY["retry_backoff"]


def test_sending_again_clears_a_bounce_once_the_email_goes_through(
    cycle, monkeypatch, django_capture_on_commit_callbacks
):
    # Given an invitation that bounced
    invitation = _invite(cycle, "fixed", pending_email=PENDING_INVITATION)
    with monkeypatch.context() as patch:
        patch.setattr(email_services, "send_mail", _refusing(550, b"mailbox unavailable"))
        invitation_email_deliver(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.bounced_at is not None

    # When the admin sends the invitations not yet sent (it is one of them), and it goes through
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send_unsent(cycle=cycle) == 1

    # Then it is sent and no longer bounced
    invitation.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["fixed@example.nhs.uk"]]
    assert invitation.bounced_at is None
    assert invitation.bounce_reason == ""
    assert invitation.sent_at is not None


def test_a_bounce_report_marks_the_invitations_it_names(cycle, admin_user):
    a, b = _invite(cycle, "alpha", sent_at="2014-10-01T09:00Z"), _invite(cycle, "beta", sent_at="2014-10-01T09:00Z")
    other = _invite(cycle, "gamma", sent_at="2014-10-01T09:00Z")
    raw = b"email,reason\r\nALPHA@example.nhs.uk,550 mailbox full for good\r\nbeta@example.nhs.uk,\r\n"

    assert invitations_bounces_import(cycle=cycle, raw=raw, actor=admin_user) == 2

    a.refresh_from_db(), b.refresh_from_db(), other.refresh_from_db()
    assert a.bounce_reason == "550 mailbox full for good"
    assert b.bounce_reason == DEFAULT_REASON
    assert other.bounced_at is None
    assert AuditEvent.objects.get(action="bounces_imported").detail == {"rows": 2}


def test_a_bounce_report_with_unknown_or_repeated_addresses_is_refused_whole_naming_the_lines(cycle, admin_user):
    _invite(cycle, "alpha")
    raw = (
        b"email,reason\r\n"
        b"alpha@example.nhs.uk,550 gone\r\n"
        b"nobody@example.nhs.uk,550 gone\r\n"
        b",550 gone\r\n"
        b"alpha@example.nhs.uk,again\r\n"
    )

    with pytest.raises(ImportFileError) as error:
        invitations_bounces_import(cycle=cycle, raw=raw, actor=admin_user)

    assert error.value.problems == [
        "Line 3: nobody@example.nhs.uk has no invitation to the 2014 cycle.",
        "Line 4: the email address is empty.",
        "Line 5: alpha@example.nhs.uk is already on line 2.",
    ]
    assert not Invitation.objects.filter(bounced_at__isnull=False).exists()


def test_a_bounce_report_with_semicolons_is_told_what_was_found(cycle, admin_user):
    with pytest.raises(ImportFileError, match="semicolons"):
        invitations_bounces_import(cycle=cycle, raw=b"email;reason\r\nalpha@example.nhs.uk;gone\r\n", actor=admin_user)


@pytest.mark.parametrize("role", ["analyst", "admin_user"])
def test_the_workspace_takes_a_bounce_report_and_shows_and_filters_the_bounced(client, cycle, request, role):
    bounced = _invite(cycle, "alpha", sent_at="2014-10-01T09:00Z")
    fine = _invite(cycle, "beta", sent_at="2014-10-01T09:00Z")
    client.force_login(request.getfixturevalue(role))
    page = client.get(URL).content.decode()
    assert 'href="/results/2014/fieldwork/bounces-template.csv"' in page
    template = client.get("/results/2014/fieldwork/bounces-template.csv")
    assert template.content.decode().splitlines()[0] == "email,reason"

    report = _report(b"email,reason\r\nalpha@example.nhs.uk,550 5.1.1 no such user\r\n")
    response = client.post("/results/2014/fieldwork/bounces/", {"file": report}, follow=True)

    assert response.redirect_chain[-1][0] == f"{URL}?status=bounced#invitations"
    page = response.content.decode()
    assert "1 bounced invitation has been recorded." in page
    assert f'data-testid="invitation-{bounced.pk}" data-status="bounced"' in page
    assert f'data-testid="bounce-reason-{bounced.pk}">550 5.1.1 no such user<' in page
    assert f'data-testid="invitation-{fine.pk}"' not in page  # filtered to the bounced
    assert "Bounced: 1" in page


def test_the_workspace_lists_a_refused_reports_problems_and_records_nothing(client, cycle, analyst):
    _invite(cycle, "alpha")
    client.force_login(analyst)

    response = client.post(
        "/results/2014/fieldwork/bounces/", {"file": _report(b"email,reason\r\nnobody@example.nhs.uk,gone\r\n")}
    )

    assert response.status_code == 400
    assert "Line 2: nobody@example.nhs.uk has no invitation to the 2014 cycle." in response.content.decode()
    assert "Nothing was recorded." in response.content.decode()
    assert not Invitation.objects.filter(bounced_at__isnull=False).exists()
