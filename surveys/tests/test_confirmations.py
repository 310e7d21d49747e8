"""Confirmation pages before a cycle changes state: what will happen, to how many people; nothing without them."""

import datetime as dt

import pytest
import time_machine

from surveys.models import Cycle, CycleState
from surveys.selectors import cycle_state_change
from surveys.services import cycle_create, cycle_set_state
from surveys.tests.pages import text, title

pytestmark = pytest.mark.django_db

TODAY = dt.date(2014, 4, 1)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_opening_before_the_opens_date_is_called_early_with_what_it_does(draft_cycle, make_invitation):
    change = cycle_state_change(cycle=draft_cycle, state=CycleState.OPEN, today=TODAY)

    assert change.heading == "Are you sure you want to open the 2014 cycle early?"
    assert change.early and change.warning
    assert change.consequences[0].startswith("The 2014 cycle is due to open on 1 May 2014. Opening it now, on 1 April")
    assert "0 leads are invited. Opening the cycle sends no email" in change.consequences[2]


def test_opening_on_the_day_is_not_early(draft_cycle):
    change = cycle_state_change(cycle=draft_cycle, state=CycleState.OPEN, today=dt.date(2014, 5, 1))

    assert change.heading == "Are you sure you want to open the 2014 cycle?"
    assert not change.early


def test_closing_early_says_how_early_and_how_many_have_not_submitted(open_cycle, make_invitation):
    make_invitation()
    make_invitation(submitted_at=dt.datetime(2014, 5, 20, tzinfo=dt.UTC))

    change = cycle_state_change(cycle=open_cycle, state=CycleState.CLOSED, today=dt.date(2014, 6, 2))

    assert change.heading == "Are you sure you want to close the 2014 cycle early?"
    assert "due to close on 30 June 2014, in 28 days" in change.consequences[0]
    assert change.consequences[1].startswith("1 of the 2 invited leads has not submitted.")
    assert change.consequences[2].startswith("1 submitted response is counted.")


def test_publishing_says_to_whom_and_that_it_cannot_be_undone(open_cycle, make_invitation, area_team_member):
    make_invitation()
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    change = cycle_state_change(cycle=open_cycle, state=CycleState.PUBLISHED)

    assert change.heading == "Are you sure you want to publish the 2014 results?"
    assert "visible to the 1 invited lead and 1 area team member" in change.consequences[0]
    assert "cannot be undone" in change.consequences[2]


@time_machine.travel(dt.datetime(2014, 4, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_cycle_page_buttons_lead_to_the_confirmation_page(admin_client, draft_cycle):
    page = admin_client.get("/manage/cycles/2014/").content.decode()
    assert 'href="/manage/cycles/2014/state/open/"' in page

    confirm = admin_client.get("/manage/cycles/2014/state/open/")

    assert title(confirm).startswith("Are you sure you want to open the 2014 cycle early?")
    body = text(confirm)
    assert "due to open on 1 May 2014" in body
    assert "Open the cycle Cancel" in body
    assert 'href="/manage/cycles/2014/">Cancel</a>' in confirm.content.decode()
    assert 'name="confirmed_from" value="draft"' in confirm.content.decode()


@time_machine.travel(dt.datetime(2014, 4, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_state_change_without_the_confirmation_changes_nothing(admin_client, draft_cycle):
    for form in ({"state": "open"}, {"state": "open", "confirmed_from": "closed"}):
        response = admin_client.post("/manage/cycles/2014/state/", form)

        assert response.status_code == 302
        assert response["Location"] == "/manage/cycles/2014/state/open/"
        cycle = Cycle.objects.get(year=2014)
        assert (cycle.state, cycle.opened_at, cycle.questionnaire.frozen_at) == (CycleState.DRAFT, None, None)


@time_machine.travel(dt.datetime(2014, 4, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_confirmed_early_opening_records_when_it_really_opened(admin_client, draft_cycle):
    response = admin_client.post("/manage/cycles/2014/state/", {"state": "open", "confirmed_from": "draft"})

    assert response["Location"] == "/manage/cycles/2014/"
    cycle = Cycle.objects.get(year=2014)
    assert cycle.state == CycleState.OPEN
    assert cycle.opened_at == dt.datetime(2014, 4, 1, 9, tzinfo=dt.UTC)
    assert cycle.opens_on == dt.date(2014, 5, 1)


def test_there_is_no_confirmation_page_for_a_move_that_is_not_allowed(admin_client, draft_cycle):
    assert admin_client.get("/manage/cycles/2014/state/published/").status_code == 404
    assert admin_client.get("/manage/cycles/2014/state/nonsense/").status_code == 404


def test_closing_and_publishing_through_their_confirmation_pages(admin_client, open_cycle):
    close = admin_client.get("/manage/cycles/2014/state/closed/")
    assert "Are you sure you want to close the 2014 cycle" in text(close)
    admin_client.post("/manage/cycles/2014/state/", {"state": "closed", "confirmed_from": "open"})
    assert Cycle.objects.get(year=2014).state == CycleState.CLOSED

    publish = admin_client.get("/manage/cycles/2014/state/published/")
    assert "Publishing cannot be undone" in text(publish)
    done = admin_client.post(
        "/manage/cycles/2014/state/", {"state": "published", "confirmed_from": "closed"}, follow=True
    )
    assert "The 2014 cycle is now published." in text(done)


def test_reopening_clears_the_closing_time(open_cycle):
    closed = cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    assert closed.closed_at is not None

    reopened = cycle_set_state(cycle=closed, state=CycleState.OPEN)

    assert reopened.closed_at is None
    assert cycle_create(year=2015).opened_at is None
