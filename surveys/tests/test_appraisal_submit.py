"""Check your answers, submitting once, and a cycle that closes with a draft in it."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from surveys.models import Answer, CycleState, Response, ResponseStatus
from surveys.services import cycle_set_state
from surveys.tests.pages import CHECK, FIRST, START, SUBMITTED, YEAR, submit, text, title

pytestmark = pytest.mark.django_db


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
