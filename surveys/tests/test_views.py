"""The lead's journey and the cycle pages, through Django's test client."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import TEST_PASSWORD
from surveys.models import Answer, Cycle, CycleState, Invitation, Question, Response, ResponseStatus
from surveys.services import cycle_set_state, invitation_send, response_get_or_create_draft, response_save_draft
from surveys.tests.conftest import tokens_in_outbox

pytestmark = pytest.mark.django_db

YEAR = 2014
START = f"/appraisal/{YEAR}/"
FIRST = f"/appraisal/{YEAR}/section/COMMON-PURPOSE/"
SECOND = f"/appraisal/{YEAR}/section/LEADERSHIP/"
CHECK = f"/appraisal/{YEAR}/check/"
SUBMITTED = f"/appraisal/{YEAR}/submitted/"
NEW_PASSWORD = "a-long-and-unusual-passphrase-77"


def text(response) -> str:
    """Return the page's text with tags removed and whitespace squeezed, for readable assertions."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def title(response) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def submit(client):
    """Submit from the check page as its button does: confirming the blank statements it warns about."""
    page = client.get(CHECK).content.decode()
    blank = re.search(r'name="blank_ok" value="(\d+)"', page)
    return client.post(CHECK, {"blank_ok": blank.group(1)} if blank else {})


def checked(response, code: str) -> str | None:
    """Return the value of the checked radio for question ``code``, if any."""
    match = re.search(
        rf'<input[^>]*name="{re.escape(code)}"[^>]*value="([^"]*)"[^>]*checked', response.content.decode()
    )
    return match.group(1) if match else None


def draft_of(invitation) -> dict:
    response = Response.objects.filter(invitation=invitation).first()
    return response.draft if response else {}


@pytest.fixture
def signed_in_lead(client, invitation, lead):
    client.force_login(lead)
    return client


# Who reaches the lead's pages ---------------------------------------------------------------------

LEAD_PAGES = [START, FIRST, CHECK]


@pytest.mark.parametrize("path", LEAD_PAGES)
def test_the_invited_lead_reaches_each_page(signed_in_lead, path):
    assert signed_in_lead.get(path).status_code == 200


@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_a_lead_not_invited_gets_404(client, invitation, make_lead, path):
    client.force_login(make_lead(ccg_code="02N"))

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "admin_user", "area_team_member"])
@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_other_roles_get_403(client, invitation, request, role, path):
    client.force_login(request.getfixturevalue(role))

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_anonymous_is_sent_to_sign_in(client, invitation, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={path}"


def test_a_draft_cycle_is_hidden_from_an_invited_lead(client, draft_cycle, lead):
    from surveys.tests.factories import InvitationFactory

    InvitationFactory(cycle=draft_cycle, user=lead)
    client.force_login(lead)

    assert client.get(START).status_code == 404


def test_another_invited_lead_never_sees_the_first_leads_answers(client, invitation, make_invitation):
    # Given the first lead has saved an answer
    response = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 5, "COMMENT-COMMON-PURPOSE": "Secret words"})
    other = make_invitation()
    client.force_login(other.user)

    # When the other lead opens their own pages
    start, section, check = client.get(START), client.get(FIRST), client.get(CHECK)

    # Then they see their own empty appraisal
    assert "Not started" in text(start)
    assert checked(section, "CP-SHARED-GOALS") is None
    assert "Secret words" not in check.content.decode()


def test_an_unknown_section_is_404(signed_in_lead):
    assert signed_in_lead.get(f"/appraisal/{YEAR}/section/NO-SUCH-SECTION/").status_code == 404


# The start page -----------------------------------------------------------------------------------


def test_start_page_says_what_how_long_and_who_sees_what(signed_in_lead):
    response = signed_in_lead.get(START)

    page = text(response)
    assert title(response).startswith(f"Your {YEAR} appraisal of NHS England")
    assert "10 to 15 minutes" in page
    assert f"groups of at least {settings.SUPPRESSION_MIN_BASE} responses" in page
    assert "No one is shown which lead gave which answer" in page
    assert "published without your name" in page
    assert "Status: Not started" in page
    assert f'href="{FIRST}" data-testid="start">Start now<' in response.content.decode()


def test_start_page_shows_progress_and_continues_at_the_first_unanswered_section(signed_in_lead, invitation):
    response = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 4})

    page = signed_in_lead.get(START)

    assert "Status: In progress" in text(page)
    assert "You have answered questions in 1 of 6 sections." in text(page)
    assert f'href="{SECOND}" data-testid="start">Continue<' in page.content.decode()


# Section pages ------------------------------------------------------------------------------------


def test_section_page_has_progress_a_fieldset_per_statement_and_a_comment_box(signed_in_lead):
    response = signed_in_lead.get(FIRST)

    html = response.content.decode()
    assert "Section 1 of 6" in text(response)
    assert title(response).startswith("Common purpose – Section 1 of 6")
    # Five agreement statements, each a fieldset whose legend is the statement; 5 points, "or", Don't know.
    assert html.count('<fieldset class="nhsuk-fieldset"') == 5
    statement = Question.objects.get(questionnaire__cycle__year=YEAR, code="CP-SHARED-GOALS").text
    assert re.search(r"<legend[^>]*>\s*<span[^>]*>Statement 1: </span>" + re.escape(statement), html)
    assert html.count('name="CP-SHARED-GOALS"') == 6
    assert html.count('<div class="nhsuk-radios__divider">or</div>') == 5
    assert 'id="id_COMMENT-COMMON-PURPOSE" name="COMMENT-COMMON-PURPOSE"' in html
    assert " maxlength=" not in html


def test_continue_saves_the_section_and_goes_to_the_next(signed_in_lead, invitation):
    # When the lead answers two statements, says "don't know" to one and writes a comment
    response = signed_in_lead.post(
        FIRST,
        {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "2", "CP-PATIENTS": "0", "COMMENT-COMMON-PURPOSE": " Good. "},
    )

    # Then the draft holds them and the next section follows
    assert response.status_code == 302
    assert response["Location"] == SECOND
    assert draft_of(invitation) == {
        "CP-SHARED-GOALS": 5,
        "CP-PRIORITIES": 2,
        "CP-PATIENTS": 0,
        "COMMENT-COMMON-PURPOSE": "Good.",
    }
    # And the page shows them again (another device would too: it is read from the database)
    again = signed_in_lead.get(FIRST)
    assert (checked(again, "CP-SHARED-GOALS"), checked(again, "CP-PRIORITIES"), checked(again, "CP-PATIENTS")) == (
        "5",
        "2",
        "0",
    )
    assert checked(again, "CP-INTEGRATION") is None
    assert ">\nGood.</textarea>" in again.content.decode()


def test_clearing_an_answer_removes_it_from_the_draft(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "Words"})

    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": ""})

    assert draft_of(invitation) == {"CP-SHARED-GOALS": 5}


def test_the_last_section_continues_to_check_your_answers(signed_in_lead):
    response = signed_in_lead.post(f"/appraisal/{YEAR}/section/SUPPORT-NATIONAL/", {"SUPPORT": "3"})

    assert response["Location"] == CHECK


def test_save_and_come_back_later_saves_and_returns_to_the_start_page(signed_in_lead, invitation):
    response = signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4", "action": "later"}, follow=True)

    assert response.redirect_chain == [(START, 302)]
    assert "Your answers have been saved." in text(response)
    assert draft_of(invitation) == {"CP-SHARED-GOALS": 4}


def test_a_change_from_check_your_answers_returns_there(signed_in_lead):
    page = signed_in_lead.get(f"{SECOND}?return=check")
    assert '<input type="hidden" name="return" value="check">' in page.content.decode()
    assert f'<a class="nhsuk-back-link" href="{CHECK}">' in page.content.decode()

    response = signed_in_lead.post(SECOND, {"LL-RESPECT": "1", "return": "check"})

    assert response["Location"] == CHECK


def test_tampered_values_show_the_error_summary_and_keep_the_other_answers(signed_in_lead, invitation):
    # Given a saved answer
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4"})

    # When a tampered form arrives: a value off the scale, among good answers and a comment
    response = signed_in_lead.post(
        FIRST,
        {"CP-SHARED-GOALS": "9", "CP-PRIORITIES": "2", "CP-PATIENTS": "0", "COMMENT-COMMON-PURPOSE": "Keep me"},
    )

    # Then the page comes back with the NHS.UK error summary linking to the question, and an inline message
    assert response.status_code == 200
    html = response.content.decode()
    assert title(response).startswith("Error: Common purpose")
    statement = Question.objects.get(questionnaire__cycle__year=YEAR, code="CP-SHARED-GOALS").text
    message = f'Choose one of the answers to "{statement.rstrip(".")}", or leave it blank'
    assert re.search(
        r'<div class="nhsuk-error-summary".*<a href="#id_CP-SHARED-GOALS_0">' + re.escape(message), unescape(html), re.S
    )
    assert 'id="id_CP-SHARED-GOALS-error"' in html
    # And nothing else the lead typed is lost
    assert (checked(response, "CP-PRIORITIES"), checked(response, "CP-PATIENTS")) == ("2", "0")
    assert ">\nKeep me</textarea>" in html
    # And nothing was written: the saved answer is as it was
    assert draft_of(invitation) == {"CP-SHARED-GOALS": 4}


def test_a_comment_over_the_limit_is_refused_with_its_message(signed_in_lead, invitation):
    response = signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "3", "COMMENT-COMMON-PURPOSE": "x" * 5001})

    assert "Your comment must be 5000 characters or fewer" in text(response)
    assert draft_of(invitation) == {}


def test_unknown_fields_in_a_post_are_ignored(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "3", "LL-RESPECT": "5", "NOT-A-QUESTION": "5"})

    assert draft_of(invitation) == {"CP-SHARED-GOALS": 3}


# Check your answers and submitting ----------------------------------------------------------------


def test_check_your_answers_lists_each_section_with_a_change_link(signed_in_lead):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "Line one"})

    response = signed_in_lead.get(CHECK)

    html = response.content.decode()
    assert html.count('class="nhsuk-summary-list nhsuk-summary-list--no-last-row-border app-answers"') == 6
    assert html.count("?return=check") == 6
    assert f'href="{FIRST}?return=check"' in html
    assert re.search(r'data-code="CP-SHARED-GOALS">Strongly agree<', html)
    assert re.search(r'data-code="CP-PRIORITIES"><span[^>]*>Not answered<', html)
    assert "Line one" in html
    assert 'data-testid="submit"' in html


def test_submitting_nothing_shows_the_services_message_on_check_your_answers(signed_in_lead, invitation):
    response = signed_in_lead.post(CHECK)

    assert response.status_code == 400
    assert title(response).startswith("Error: Check your answers")
    assert f'<a href="{FIRST}">Answer at least one question before you submit.</a>' in response.content.decode()
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()


def test_submitting_twice_gives_one_response_and_the_confirmation_both_times(
    signed_in_lead, invitation, lead, django_capture_on_commit_callbacks
):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "1"})

    # When the submit button is pressed twice (a double click, or a replayed POST from another tab)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(signed_in_lead)
        second = submit(signed_in_lead)

    # Then both answer with the confirmation, and there is one submitted response with its answers once
    assert (first["Location"], second["Location"]) == (SUBMITTED, SUBMITTED)
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert Answer.objects.filter(response=response).count() == 2
    # And one receipt email
    assert [message.subject for message in mail.outbox] == [f"We have received your appraisal of NHS England ({YEAR})"]
    confirmation = signed_in_lead.get(SUBMITTED)
    page = text(confirmation)
    reference = response.reference
    assert re.fullmatch(rf"{YEAR}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", reference)
    assert reference != f"{YEAR}-{response.pk:06d}"  # not the row id
    assert "Appraisal submitted" in page
    assert f"Your reference number {reference}" in page
    assert reference in mail.outbox[0].body
    assert "What happens next" in page
    assert re.search(r'data-code="CP-PRIORITIES">Strongly disagree<', confirmation.content.decode())
    assert "?return=check" not in confirmation.content.decode()


@pytest.mark.parametrize("path", [START, FIRST, CHECK])
def test_after_submission_every_page_goes_to_the_confirmation(signed_in_lead, invitation, path):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5"})
    submit(signed_in_lead)

    assert signed_in_lead.get(path)["Location"] == SUBMITTED
    # A replayed section POST writes nothing either
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "1"})
    assert Response.objects.get(invitation=invitation).draft == {"CP-SHARED-GOALS": 5}


def test_the_confirmation_before_submission_goes_to_the_start_page(signed_in_lead):
    assert signed_in_lead.get(SUBMITTED)["Location"] == START


# A closed cycle -----------------------------------------------------------------------------------


CLOSED_MESSAGE = (
    "This appraisal closed on 30 June 2014. You had not submitted your answers: they are kept, but they were not "
    "counted and can no longer be changed."
)


@pytest.fixture
def closed_with_draft(signed_in_lead, invitation, open_cycle):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4", "COMMENT-COMMON-PURPOSE": "Draft words"})
    with time_machine.travel(dt.datetime(2014, 6, 30, 17, tzinfo=dt.UTC)):
        cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    return signed_in_lead


def test_a_cycle_closed_early_gives_the_day_it_really_closed_and_never_says_in_progress(
    signed_in_lead, invitation, open_cycle
):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "4"})
    with time_machine.travel(dt.datetime(2014, 6, 2, 9, tzinfo=dt.UTC)):
        cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    start, home = text(signed_in_lead.get(START)), text(signed_in_lead.get("/"))

    assert "This appraisal closed on 2 June 2014. You had not submitted your answers" in start
    assert "In progress" not in start and "In progress" not in home
    assert "Status: Closed before you submitted" in start
    assert "closes on 30 June 2014" not in start
    assert "Closed This appraisal closed on 2 June 2014." in home


def test_published_results_are_announced_to_every_invited_lead(signed_in_lead, invitation, open_cycle):
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    cycle_set_state(cycle=open_cycle, state=CycleState.PUBLISHED)

    start, home = signed_in_lead.get(START), signed_in_lead.get("/")

    assert "The results are out. Read the 2014 results" in text(start)
    assert "You did not send any answers." in text(start)
    assert "The results are out: read the 2014 results" in text(home)
    assert 'href="/results/"' in home.content.decode()


@pytest.mark.parametrize("path", [START, FIRST, CHECK])
def test_a_closed_cycle_says_so_on_every_page(closed_with_draft, path):
    response = closed_with_draft.get(path)

    assert response.status_code == 200
    assert CLOSED_MESSAGE in text(response)
    assert 'data-testid="section-form"' not in response.content.decode()
    assert 'data-testid="submit"' not in response.content.decode()


def test_a_closed_cycle_refuses_new_answers_and_keeps_the_draft(closed_with_draft, invitation):
    saving = closed_with_draft.post(FIRST, {"CP-SHARED-GOALS": "1", "COMMENT-COMMON-PURPOSE": ""})
    submitting = closed_with_draft.post(CHECK)

    assert (saving.status_code, submitting.status_code) == (409, 409)
    assert CLOSED_MESSAGE in text(saving)
    assert CLOSED_MESSAGE in text(submitting)
    response = Response.objects.get(invitation=invitation)
    assert (response.status, response.draft) == (
        ResponseStatus.DRAFT,
        {"CP-SHARED-GOALS": 4, "COMMENT-COMMON-PURPOSE": "Draft words"},
    )
    # The saved answers can still be read
    assert "Draft words" in closed_with_draft.get(CHECK).content.decode()


# The invitation link ------------------------------------------------------------------------------


@pytest.fixture
def new_lead_link(make_invitation, make_lead, django_capture_on_commit_callbacks):
    """An invitation for a lead whose account came from an import (no password yet), emailed."""
    user = make_lead(ccg_code="02N")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitation = make_invitation(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    (token,) = tokens_in_outbox()
    return invitation, f"/invitations/{token}/"


def test_a_new_lead_sets_a_password_and_lands_signed_in_on_the_start_page(client, new_lead_link):
    invitation, link = new_lead_link

    # When the lead follows the link: the password page, and the link is not used up by looking
    page = client.get(link)
    assert page.status_code == 200
    assert title(page).startswith("Create a password")
    assert invitation.user.email in text(page)
    invitation.refresh_from_db()
    assert invitation.token_used_at is None

    # And chooses a password
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)

    # Then they are signed in on the start page, the link is used up and the password works
    assert response.redirect_chain == [(START, 302)]
    assert client.session[SESSION_KEY] == str(invitation.user.pk)
    assert "Your password has been set and you are signed in." in text(response)
    invitation.refresh_from_db()
    assert invitation.token_used_at is not None and invitation.opened_at is not None
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(NEW_PASSWORD)
    # And the link cannot be used again
    assert client.get(link).status_code == 410


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(client, new_lead_link):
    invitation, link = new_lead_link

    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    mismatched = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert title(weak).startswith("Error: Create a password")
    assert "This password is too short" in text(weak)
    assert "The passwords do not match" in text(mismatched)
    assert SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.token_used_at is None
    assert not invitation.user.has_usable_password()


def test_a_lead_with_a_password_is_sent_to_sign_in_and_then_to_the_start_page(
    client, invitation, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    (token,) = tokens_in_outbox()

    response = client.get(f"/invitations/{token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=%2Fappraisal%2F{YEAR}%2F"
    invitation.refresh_from_db()
    assert invitation.token_used_at is not None
    signed_in = client.post(response["Location"], {"username": lead.email, "password": TEST_PASSWORD})
    assert signed_in["Location"] == START


def test_an_unknown_link_says_what_to_do(client, db):
    response = client.get("/invitations/made-up-token-that-is-long-enough/")

    assert response.status_code == 404
    page = text(response)
    assert "This link is not valid" in page
    assert "sign in to carry on with your appraisal" in page
    assert "ask NHS Clinical Commissioners to send you a new invitation link" in page


def test_a_used_link_is_gone(client, new_lead_link):
    _, link = new_lead_link
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "This link has already been used" in text(response)


def test_an_expired_link_is_gone_and_sets_no_password(client, new_lead_link):
    invitation, link = new_lead_link
    later = invitation.__class__.objects.get(pk=invitation.pk).token_expires_at + dt.timedelta(minutes=1)

    with time_machine.travel(later, tick=False):
        page = client.get(link)
        posted = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert (page.status_code, posted.status_code) == (410, 410)
    assert "This link has expired" in text(page)
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()


# The lead's home page -----------------------------------------------------------------------------


def test_the_leads_home_page_links_to_the_open_cycle_with_its_status(signed_in_lead, invitation):
    before = signed_in_lead.get("/")
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5"})
    during = signed_in_lead.get("/")
    submit(signed_in_lead)
    after = signed_in_lead.get("/")

    assert f'href="{START}">Your {YEAR} appraisal of NHS England</a>' in before.content.decode()
    assert "Not started" in text(before)
    assert "In progress 1 of 6 sections answered." in text(during)
    assert f'href="{SUBMITTED}"' in after.content.decode()
    assert "Submitted" in text(after)


def test_a_lead_not_invited_sees_no_appraisal_on_the_home_page(client, open_cycle, lead):
    client.force_login(lead)

    assert 'data-testid="current-appraisal"' not in client.get("/").content.decode()


# NHSCC's cycle pages ------------------------------------------------------------------------------

GOOD_CSV = (
    "email,name,ccg_code,lead_role\n"
    "chair@ccg01c.nhs.uk,Dr Ann Chair,01C,clinical\n"
    "officer@ccg01c.nhs.uk,Bob Officer,01C,managerial\n"
)


def upload(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("leads.csv", content.encode(), content_type="text/csv")


def test_the_cycle_list_shows_state_and_counts(client, admin_user, invitation, make_invitation, open_cycle):
    make_invitation(submitted_at=open_cycle.created_at)
    client.force_login(admin_user)

    response = client.get("/manage/cycles/")

    html = response.content.decode()
    row = re.search(rf'<tr class="nhsuk-table__row" data-year="{YEAR}">(.*?)</tr>', html, re.S).group(1)
    assert ">Open<" in row
    assert re.search(r'data-testid="invited">2<', row)
    assert re.search(r'data-testid="submitted">1<', row)
    assert 'data-testid="create-form"' in html


def test_an_analyst_reads_the_cycle_pages_but_changes_nothing(client, analyst, open_cycle):
    client.force_login(analyst)

    listing, page = client.get("/manage/cycles/"), client.get(f"/manage/cycles/{YEAR}/")
    closing = client.post(f"/manage/cycles/{YEAR}/state/", {"state": "closed"})
    creating = client.post("/manage/cycles/", {"year": "2015"})

    assert (listing.status_code, page.status_code) == (200, 200)
    assert 'data-testid="create-form"' not in listing.content.decode()
    assert "Close the cycle" not in page.content.decode()
    assert (closing.status_code, creating.status_code) == (403, 403)
    assert Cycle.objects.get(year=YEAR).state == CycleState.OPEN
    assert not Cycle.objects.filter(year=2015).exists()


def test_the_list_page_queries_do_not_grow_with_cycles(client, admin_user, draft_cycle, django_assert_max_num_queries):
    from surveys.services import cycle_create

    for year in (2015, 2016, 2017):
        cycle_create(year=year)
    client.force_login(admin_user)

    with django_assert_max_num_queries(8):
        client.get("/manage/cycles/")


def test_an_admin_creates_the_next_years_cycle(client, admin_user, open_cycle):
    client.force_login(admin_user)

    form = client.get("/manage/cycles/")
    response = client.post(
        "/manage/cycles/",
        {
            "year": "2015",
            **{"opens_on_0": "1", "opens_on_1": "5", "opens_on_2": "2015"},
            **{"closes_on_0": "30", "closes_on_1": "6", "closes_on_2": "2015"},
        },
    )

    assert 'value="2015"' in form.content.decode()
    assert response["Location"] == "/manage/cycles/2015/"
    cycle = Cycle.objects.get(year=2015)
    assert (cycle.state, cycle.opens_on, cycle.closes_on) == (
        CycleState.DRAFT,
        dt.date(2015, 5, 1),
        dt.date(2015, 6, 30),
    )
    assert set(Question.objects.filter(questionnaire__cycle=cycle).values_list("code", flat=True)) == set(
        Question.objects.filter(questionnaire__cycle=open_cycle).values_list("code", flat=True)
    )


def test_creating_a_cycle_that_exists_shows_the_services_message(client, admin_user, open_cycle):
    client.force_login(admin_user)

    response = client.post("/manage/cycles/", {"year": str(YEAR)})

    assert title(response).startswith("Error: Appraisal cycles")
    assert f"There is already a cycle for {YEAR}." in text(response)


def test_the_state_buttons_move_the_cycle_along(client, admin_user, draft_cycle):
    client.force_login(admin_user)

    draft_page = client.get(f"/manage/cycles/{YEAR}/")
    assert "Open the cycle" in text(draft_page)

    for state, button in [("open", "Close the cycle"), ("closed", "Publish the results"), ("published", None)]:
        current = Cycle.objects.get(year=YEAR).state
        response = client.post(
            f"/manage/cycles/{YEAR}/state/", {"state": state, "confirmed_from": current}, follow=True
        )

        assert response.redirect_chain == [(f"/manage/cycles/{YEAR}/", 302)]
        assert Cycle.objects.get(year=YEAR).state == state
        assert f"The {YEAR} cycle is now {state}." in text(response)
        if button:
            assert button in text(response)
    assert 'data-testid="state-' not in response.content.decode()


def test_a_refused_state_change_shows_the_services_message(client, admin_user, open_cycle):
    from surveys.services import cycle_create

    cycle_create(year=2015)
    client.force_login(admin_user)

    response = client.post("/manage/cycles/2015/state/", {"state": "open", "confirmed_from": "draft"})

    assert response.status_code == 409
    assert title(response).startswith("Error: The 2015 cycle")
    assert f"The {YEAR} cycle is open: close it before opening another." in text(response)
    assert Cycle.objects.get(year=2015).state == CycleState.DRAFT


def test_no_file_is_an_error_on_the_field(client, admin_user, open_cycle):
    client.force_login(admin_user)

    response = client.post(f"/manage/cycles/{YEAR}/invitations/", {})

    assert '<a href="#id_file">Choose a CSV file of invitations to upload</a>' in response.content.decode()


def test_sending_from_a_draft_cycle_shows_the_services_message(client, admin_user, draft_cycle):
    client.force_login(admin_user)

    response = client.post(f"/manage/cycles/{YEAR}/invitations/", {"file": upload(GOOD_CSV), "send": "on"})

    assert response.status_code == 409
    assert "Invitations can only be sent once the cycle is open; the 2014 cycle is draft." in text(response)
    assert not Invitation.objects.exists()


# The questionnaire in the Django admin: read-only; the questionnaire editor makes the changes -----------


def test_a_questionnaires_question_is_read_only_in_the_admin(client, admin_user, draft_cycle):
    question = Question.objects.get(questionnaire__cycle=draft_cycle, code="CP-SHARED-GOALS")
    client.force_login(admin_user)

    page = client.get(f"/admin/surveys/question/{question.pk}/change/")
    response = client.post(
        f"/admin/surveys/question/{question.pk}/change/",
        {"section": question.section_id, "order": question.order, "text": "Sneaky edit.", "positively_worded": "on"},
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text != "Sneaky edit."


# Survey polish: the area team named, statements counted, a soft warning before submitting blanks ----------


def test_each_section_and_the_start_page_name_the_area_team_being_rated(signed_in_lead):
    for path in (START, FIRST, SECOND):
        assert (
            "You are appraising NHS England and its Cheshire, Warrington and Wirral area team, which works with "
            "NHS Eastern Cheshire CCG." in text(signed_in_lead.get(path))
        )


def test_the_start_page_counts_statements_not_comment_boxes(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "Words"})

    page = text(signed_in_lead.get(START))

    statements = Question.objects.filter(section__code="COMMON-PURPOSE", type="agreement").count()
    assert f"Common purpose (1 of {statements} statements answered)" in page


def test_submitting_with_blank_statements_asks_first_and_submits_nothing_until_confirmed(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5"})
    blank = Question.objects.filter(questionnaire__cycle__year=YEAR, type="agreement").count() - 1

    check = text(signed_in_lead.get(CHECK))
    unconfirmed = signed_in_lead.post(CHECK)
    stale = signed_in_lead.post(CHECK, {"blank_ok": str(blank + 1)})

    assert f"You have not answered {blank} statements. Submit anyway?" in check
    assert "Submit anyway" in check
    assert (unconfirmed.status_code, stale.status_code) == (200, 200)
    assert f"You have not answered {blank} statements." in text(unconfirmed)
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()
    assert signed_in_lead.post(CHECK, {"blank_ok": str(blank)})["Location"] == SUBMITTED


def test_comment_boxes_are_nhsuk_character_counts(signed_in_lead, invitation):
    signed_in_lead.post(FIRST, {"COMMENT-COMMON-PURPOSE": "Kept <words>"})

    html = signed_in_lead.get(FIRST).content.decode()

    assert 'data-module="nhsuk-character-count" data-maxlength="5000"' in html
    assert 'class="nhsuk-textarea nhsuk-js-character-count"' in html
    assert 'aria-describedby="id_COMMENT-COMMON-PURPOSE-hint id_COMMENT-COMMON-PURPOSE-info"' in html
    assert "You can enter up to 5000 characters" in html
    assert ">\nKept &lt;words&gt;</textarea>" in html
