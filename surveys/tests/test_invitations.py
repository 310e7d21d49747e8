import datetime as dt
import hashlib
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from core.errors import Conflict, DomainError
from surveys.models import CycleState, Invitation
from surveys.services import (
    ImportFileError,
    cycle_set_state,
    invitation_redeem,
    invitation_send,
    invitations_import,
    invitations_send_unsent,
    reminders_count_due,
    reminders_send_due,
    response_get_or_create_draft,
    response_save_draft,
    response_submit,
)
from surveys.services import invitations as inv
from surveys.services.files import MSG_NOT_UTF8
from surveys.tests.conftest import tokens_in_outbox

UK = ZoneInfo("Europe/London")
HEADER = "email,name,ccg_code,lead_role\n"
GOOD = (
    HEADER + "chair@ccg01c.nhs.uk,Dr Ann Chair,01C,clinical\n"
    "officer@ccg01c.nhs.uk,Bob Officer,01c,Managerial\n"
    "money@ccg02n.nhs.uk,Cat Money,02N,financial\n"
)


def _counts():
    return User.objects.count(), Invitation.objects.count()


@pytest.mark.django_db
def test_import_creates_lead_accounts_and_one_invitation_each(draft_cycle):
    result = invitations_import(cycle=draft_cycle, raw=GOOD.encode())

    assert (result.rows, result.users_created, result.invitations_created, result.emails_queued) == (3, 3, 3, 0)
    officer = User.objects.get(email="officer@ccg01c.nhs.uk")
    assert (officer.role, officer.ccg.ods_code, officer.rater_group, officer.full_name) == (
        "ccg_lead",
        "01C",
        "managerial",
        "Bob Officer",
    )
    assert not officer.has_usable_password()
    invitation = Invitation.objects.get(user=officer)
    assert (invitation.cycle, invitation.ccg.ods_code, invitation.rater_group) == (draft_cycle, "01C", "managerial")
    assert invitation.token_hash == ""


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(draft_cycle):
    invitations_import(cycle=draft_cycle, raw=GOOD.encode())
    before = list(Invitation.objects.values_list("pk", "user_id", "ccg_id", "rater_group"))

    again = invitations_import(cycle=draft_cycle, raw=GOOD.encode())

    assert (again.users_created, again.invitations_created, again.invitations_unchanged) == (0, 0, 3)
    assert list(Invitation.objects.values_list("pk", "user_id", "ccg_id", "rater_group")) == before


@pytest.mark.django_db
def test_an_existing_lead_is_invited_without_a_new_account(draft_cycle, lead):
    result = invitations_import(cycle=draft_cycle, raw=(HEADER + f"{lead.email.upper()},,01C,clinical\n").encode())

    assert (result.users_created, result.invitations_created) == (0, 1)
    assert Invitation.objects.get().user == lead


BAD_FILES = {
    "unknown CCG": (
        HEADER + "a@x.nhs.uk,A,01C,clinical\nb@x.nhs.uk,B,ZZZ,clinical\n",
        ["Line 3: unknown CCG code 'ZZZ'."],
    ),
    "bad email": (HEADER + "not-an-email,A,01C,clinical\n", ["Line 2: 'not-an-email' is not a valid email address."]),
    "unknown role": (
        HEADER + "a@x.nhs.uk,A,01C,chair\n",
        ["Line 2: unknown lead role 'chair' (use clinical, managerial or financial)."],
    ),
    "duplicate email": (
        HEADER + "a@x.nhs.uk,A,01C,clinical\nb@x.nhs.uk,B,01C,financial\nA@X.nhs.uk,A,01C,clinical\n",
        ["Line 4: a@x.nhs.uk appears again (first on line 2)."],
    ),
    "empty field": (HEADER + "a@x.nhs.uk,A,,clinical\n", ["Line 2: ccg_code is empty."]),
    "missing column": ("email,name,ccg_code\na@x.nhs.uk,A,01C\n", ["Line 1: missing column(s): rater_group."]),
    "no rows": (HEADER, ["The file has no rows after its header."]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_refused_with_line_numbers_and_nothing_written(draft_cycle, case):
    text, expected = BAD_FILES[case]
    before = _counts()

    with pytest.raises(ImportFileError) as excinfo:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    assert excinfo.value.problems == expected
    assert _counts() == before


@pytest.mark.django_db
def test_non_utf8_file_names_the_line(draft_cycle):
    raw = (HEADER + "a@x.nhs.uk,A,01C,clinical\n").encode() + "b@x.nhs.uk,Zoë,01C,clinical\n".encode("latin-1")
    before = _counts()

    with pytest.raises(ImportFileError) as excinfo:
        invitations_import(cycle=draft_cycle, raw=raw)

    assert excinfo.value.problems == [MSG_NOT_UTF8.format(line=3)]
    assert _counts() == before


@pytest.mark.django_db
def test_accounts_that_cannot_be_this_lead_are_refused(draft_cycle, analyst, make_lead):
    make_lead(email="other@x.nhs.uk", ccg_code="02N", lead_role="clinical")
    make_lead(email="role@x.nhs.uk", ccg_code="01C", lead_role="financial")
    text = (
        HEADER + f"{analyst.email},Analyst,01C,clinical\n"
        "other@x.nhs.uk,Other,01C,clinical\n"
        "role@x.nhs.uk,Role,01C,clinical\n"
    )
    before = _counts()

    with pytest.raises(ImportFileError) as excinfo:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    assert excinfo.value.problems == [
        inv.MSG_NOT_A_LEAD.format(line=2, email=analyst.email),
        inv.MSG_OTHER_CCG.format(line=3, email="other@x.nhs.uk", other="02N", code="01C"),
        inv.MSG_OTHER_LEAD_ROLE.format(line=4, email="role@x.nhs.uk", other="financial", code="01C", role="clinical"),
    ]
    assert _counts() == before


@pytest.mark.django_db
def test_every_problem_in_the_file_is_reported_at_once(draft_cycle):
    text = HEADER + "ok@x.nhs.uk,A,01C,clinical\nbad,B,ZZZ,chair\nok@x.nhs.uk,C,01C,clinical\n"

    with pytest.raises(ImportFileError) as excinfo:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    assert [p.split(":")[0] for p in excinfo.value.problems] == ["Line 3", "Line 3", "Line 3", "Line 4"]
    assert excinfo.value.details == excinfo.value.problems
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_sending_is_refused_before_the_cycle_opens(draft_cycle):
    with pytest.raises(Conflict):
        invitations_import(cycle=draft_cycle, raw=GOOD.encode(), send=True)

    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_send_emails_a_working_single_use_link_and_never_stores_or_logs_the_token(
    open_cycle, django_capture_on_commit_callbacks, caplog, settings
):
    settings.SITE_URL = "https://appraise.example"
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        result = invitations_import(cycle=open_cycle, raw=GOOD.encode(), send=True)

    assert result.emails_queued == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["chair@ccg01c.nhs.uk", "officer@ccg01c.nhs.uk", "money@ccg02n.nhs.uk"]
    )
    message = next(m for m in mail.outbox if m.to == ["officer@ccg01c.nhs.uk"])
    assert "https://appraise.example/invitations/" in message.body
    assert "Bob Officer" in message.body
    token = tokens_in_outbox()[mail.outbox.index(message)]
    assert len(token) >= 40
    invitation = Invitation.objects.get(user__email="officer@ccg01c.nhs.uk")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.sent_at is not None
    assert invitation.pending_email == ""
    for row in Invitation.objects.values():
        assert token not in str(row)
    for token_sent in tokens_in_outbox():
        assert token_sent not in caplog.text

    redeemed = invitation_redeem(token=token)

    assert redeemed == invitation
    assert redeemed.opened_at is not None
    with pytest.raises(DomainError) as excinfo:
        invitation_redeem(token=token)
    assert (excinfo.value.message, excinfo.value.code) == (inv.MSG_LINK_USED, "token_used")


@pytest.mark.django_db
def test_send_twice_sends_once(open_cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitations_import(cycle=open_cycle, raw=GOOD.encode(), send=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = invitations_import(cycle=open_cycle, raw=GOOD.encode(), send=True)

    assert again.emails_queued == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_redelivered_email_task_sends_nothing_more(invitation, django_capture_on_commit_callbacks):
    from surveys.tasks import invitation_email_send_task

    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)

    assert invitation_email_send_task(invitation.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unknown_token_is_refused(invitation):
    for token in ["", "x" * 43, "x" * 1000]:
        with pytest.raises(DomainError) as excinfo:
            invitation_redeem(token=token)
        assert (excinfo.value.message, excinfo.value.status) == (inv.MSG_LINK_UNKNOWN, 404)


@pytest.mark.django_db
def test_token_expires_after_the_configured_days(invitation, django_capture_on_commit_callbacks, settings):
    settings.INVITATION_TOKEN_DAYS = 10
    sent = dt.datetime(2014, 5, 1, 9, 0, tzinfo=UK)
    with time_machine.travel(sent, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    token = tokens_in_outbox()[0]

    with time_machine.travel(sent + dt.timedelta(days=10), tick=False), pytest.raises(DomainError) as excinfo:
        invitation_redeem(token=token)

    assert (excinfo.value.message, excinfo.value.code) == (inv.MSG_LINK_EXPIRED, "token_expired")
    with time_machine.travel(sent + dt.timedelta(days=9, hours=23), tick=False):
        assert invitation_redeem(token=token) == invitation


@pytest.mark.django_db
def test_a_new_link_replaces_the_old_one(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    first, second = tokens_in_outbox()

    with pytest.raises(DomainError) as excinfo:
        invitation_redeem(token=first)

    assert excinfo.value.message == inv.MSG_LINK_UNKNOWN
    assert invitation_redeem(token=second) == invitation


# Reminders -------------------------------------------------------------------------------------

SENT = dt.datetime(2014, 5, 1, 9, 0, tzinfo=UK)


def _at(days: float) -> dt.datetime:
    return SENT + dt.timedelta(days=days)


@pytest.fixture
def sent_invitations(open_cycle, make_invitation, django_capture_on_commit_callbacks, settings):
    settings.REMINDER_MAX_COUNT = 2
    settings.REMINDER_MIN_DAYS = 7
    invitations = [make_invitation() for _ in range(3)]
    with time_machine.travel(SENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitations_send_unsent(cycle=open_cycle)
    mail.outbox.clear()
    return invitations


def _remind(days: float, capture) -> int:
    with time_machine.travel(_at(days), tick=False), capture(execute=True):
        preview = reminders_count_due()
        sent = reminders_send_due()
    assert preview == sent
    return sent


@pytest.mark.django_db
def test_reminders_go_to_non_responders_no_closer_than_min_days_and_at_most_max_count(
    sent_invitations, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    submitter = sent_invitations[0]
    with time_machine.travel(_at(2), tick=False), capture(execute=True):
        response = response_get_or_create_draft(invitation=submitter)
        response_save_draft(response=response, answers={"SUPPORT": 4})
        response_submit(response=response)
    mail.outbox.clear()

    assert _remind(6.9, capture) == 0
    assert _remind(7, capture) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.user.email for i in sent_invitations[1:])
    assert all(m.subject.startswith("Reminder:") for m in mail.outbox)
    assert len(tokens_in_outbox()) == 2
    assert _remind(7.5, capture) == 0  # the same day again: not twice
    assert _remind(13.9, capture) == 0  # fewer than 7 days since the last reminder
    assert _remind(14, capture) == 2
    assert _remind(30, capture) == 0  # REMINDER_MAX_COUNT reached
    assert list(Invitation.objects.order_by("pk").values_list("reminder_count", flat=True)) == [0, 2, 2]
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_no_reminders_once_the_cycle_closes(sent_invitations, open_cycle, django_capture_on_commit_callbacks):
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    assert _remind(8, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_reminders_after_the_closing_date(sent_invitations, open_cycle, django_capture_on_commit_callbacks):
    days_to_after_close = (dt.datetime(2014, 7, 1, 9, 0, tzinfo=UK) - SENT).days

    assert _remind(days_to_after_close, django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db
def test_invitations_never_sent_get_no_reminder(open_cycle, make_invitation, django_capture_on_commit_callbacks):
    make_invitation()

    assert _remind(30, django_capture_on_commit_callbacks) == 0


@pytest.mark.django_db
def test_a_reminder_queued_after_submission_is_not_sent(sent_invitations, django_capture_on_commit_callbacks):
    with time_machine.travel(_at(7), tick=False), django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reminders_send_due() == 3
    for invitation in sent_invitations:
        Invitation.objects.filter(pk=invitation.pk).update(submitted_at=_at(7))

    for callback in callbacks:
        callback()

    assert mail.outbox == []


@pytest.mark.django_db
def test_reminder_task_and_schedule(sent_invitations, django_capture_on_commit_callbacks):
    from appraisal_portal.schedule import CELERY_BEAT_SCHEDULE
    from surveys.tasks import reminders_send_due_task

    with time_machine.travel(_at(7), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due_task.delay().get() == 3

    entry = CELERY_BEAT_SCHEDULE["surveys-reminders-send-due"]
    assert entry["task"] == "surveys.tasks.reminders_send_due_task"
    assert entry["options"]["expires"] > 0
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({9}, {0})
    assert str(entry["schedule"].tz) == "Europe/London"
