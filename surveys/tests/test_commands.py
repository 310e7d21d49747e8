import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import User
from surveys.models import Answer, Cycle, Invitation, Question, Response
from surveys.services import cycle_set_state
from surveys.services.demo import demo_cycle_ensure
from surveys.tests.conftest import tokens_in_outbox


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, raw: bytes | None = None):
        path = tmp_path / "file.csv"
        path.write_bytes(raw if raw is not None else text.encode())
        return str(path)

    return write


@pytest.mark.django_db
def test_create_and_move_a_cycle(organisations):
    assert "Created the 2014 cycle (draft) with 46 questions." in _run(
        "create_cycle", "2014", "--opens", "2014-05-01", "--closes", "2014-06-30"
    )
    cycle = Cycle.objects.get(year=2014)
    assert (cycle.opens_on, cycle.closes_on) == (dt.date(2014, 5, 1), dt.date(2014, 6, 30))

    assert "now open (was draft)" in _run("set_cycle_state", "2014", "open")
    assert "already open" in _run("set_cycle_state", "2014", "open")
    with pytest.raises(CommandError, match="cannot move from open to published"):
        _run("set_cycle_state", "2014", "published")
    with pytest.raises(CommandError, match="There is no cycle for 2020"):
        _run("set_cycle_state", "2020", "open")
    with pytest.raises(CommandError, match="already a cycle for 2014"):
        _run("create_cycle", "2014")
    with pytest.raises(CommandError, match="not a date"):
        _run("create_cycle", "2015", "--opens", "1 May")

    assert "46 questions" in _run("create_cycle", "2015")
    assert Question.objects.filter(questionnaire__cycle__year=2015).count() == 46


@pytest.mark.django_db
def test_import_invitations_lists_every_problem_and_writes_nothing(draft_cycle, csv_file):
    path = csv_file("email,name,ccg_code,lead_role\nbad,A,ZZZ,clinical\nb@x.nhs.uk,B,01C,boss\n")
    users = User.objects.count()

    with pytest.raises(CommandError) as excinfo:
        _run("import_invitations", "--cycle", "2014", path)

    message = str(excinfo.value)
    assert "3 problems in the file." in message
    assert "Line 2: 'bad' is not a valid email address." in message
    assert "Line 2: unknown CCG code 'ZZZ'." in message
    assert "Line 3: unknown lead role 'boss'" in message
    assert "Nothing was written." in message
    assert (User.objects.count(), Invitation.objects.count()) == (users, 0)


@pytest.mark.django_db
def test_import_invitations_with_send_emails_links_and_is_idempotent(
    open_cycle, csv_file, django_capture_on_commit_callbacks
):
    path = csv_file("email,name,ccg_code,lead_role\na@x.nhs.uk,A,01C,clinical\nb@x.nhs.uk,B,02N,financial\n")

    with django_capture_on_commit_callbacks(execute=True):
        out = _run("import_invitations", "--cycle", "2014", path, "--send")
    with django_capture_on_commit_callbacks(execute=True):
        again = _run("import_invitations", "--cycle", "2014", path, "--send")

    assert "2 invitations created" in out and "2 emails queued" in out
    assert "0 invitations created, 2 already there, 0 accounts created, 0 emails queued" in again
    assert len(mail.outbox) == 2
    assert len(tokens_in_outbox()) == 2
    for token in tokens_in_outbox():
        assert token not in out


@pytest.mark.django_db
def test_import_invitations_reports_an_unreadable_file(draft_cycle, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import_invitations", "--cycle", "2014", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_import_responses(invitation, csv_file):
    bad = csv_file(f"email,SUPPORT,NOPE\n{invitation.user.email},7,1\n")
    with pytest.raises(CommandError) as excinfo:
        _run("import_responses", "--cycle", "2014", bad)
    assert 'Line 1, column 3 ("NOPE")' in str(excinfo.value)
    assert 'Line 2, column 2 ("SUPPORT")' in str(excinfo.value)
    assert Response.objects.count() == 0

    good = csv_file(f"email,SUPPORT,COMMENT-HONESTY\n{invitation.user.email},4,Fine\n")
    assert "Imported 1 submitted responses with 2 answers." in _run("import_responses", "--cycle", "2014", good)
    assert Answer.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_cycle_is_this_years_open_cycle_for_the_demo_lead_and_is_idempotent(organisations):
    _run("create_demo_users")
    first = demo_cycle_ensure()
    state = (
        list(Cycle.objects.values_list("year", "state")),
        Invitation.objects.count(),
        Question.objects.count(),
    )
    second = demo_cycle_ensure()

    year = timezone.localdate().year
    assert state == ([(year, "open")], 1, 46)
    assert (
        list(Cycle.objects.values_list("year", "state")),
        Invitation.objects.count(),
        Question.objects.count(),
    ) == state
    invitation = Invitation.objects.get()
    assert (invitation.user.email, invitation.ccg.ods_code, invitation.rater_group) == (
        "lead@example.nhs.uk",
        "01C",
        "clinical",
    )
    assert first == (Cycle.objects.get(year=year), True)
    assert second == (Cycle.objects.get(year=year), False)


@pytest.mark.django_db
def test_the_demo_cycle_is_left_closed_once_closed(organisations):
    _run("create_demo_users")
    demo_cycle_ensure()
    cycle_set_state(cycle=Cycle.objects.get(), state="closed")

    demo_cycle_ensure()

    assert Cycle.objects.get().state == "closed"
