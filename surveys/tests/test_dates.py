"""The NHS.UK date input on the cycle form: day, month and year boxes, hints in the cycle's own year."""

import datetime as dt

import pytest

from surveys.forms import CycleCreateForm
from surveys.models import Cycle
from surveys.tests.pages import text

pytestmark = pytest.mark.django_db


def dates(prefix: str, day: str, month: str, year: str) -> dict:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def test_the_form_takes_day_month_and_year():
    form = CycleCreateForm({"year": "2027", **dates("opens_on", "1", "5", "2027"), **dates("closes_on", "", "", "")})

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["opens_on"], form.cleaned_data["closes_on"]) == (dt.date(2027, 5, 1), None)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "", "2027", "Opening date must include a month"),
        ("", "", "2027", "Opening date must include a day and a month"),
        ("31", "2", "2027", "Opening date must be a real date, like 1/5/2027"),
        ("x", "5", "2027", "Opening date must be a real date, like 1/5/2027"),
    ],
)
def test_each_problem_gets_its_nhs_message(day, month, year, message):
    form = CycleCreateForm({"year": "2027", **dates("opens_on", day, month, year)})

    assert not form.is_valid()
    assert form.errors["opens_on"] == [message]


def test_the_hints_use_dates_of_the_cycles_own_year():
    form = CycleCreateForm(initial={"year": 2031})

    assert form.fields["opens_on"].help_text.startswith("For example, 1 5 2031.")
    assert form.fields["closes_on"].help_text.startswith("For example, 30 6 2031.")


def test_the_cycles_page_draws_three_boxes_in_a_fieldset(client, admin_user, draft_cycle):
    client.force_login(admin_user)

    page = client.get("/manage/cycles/")
    html = page.content.decode()

    assert "For example, 1 5 2015." in text(page)
    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Opening date (optional)</legend>' in html
    for box in ('id="id_opens_on"', 'id="id_opens_on-month"', 'id="id_opens_on-year"'):
        assert box in html
    refused = client.post("/manage/cycles/", {"year": "2015", **dates("opens_on", "31", "2", "2015")})
    assert "Opening date must be a real date" in text(refused)
    assert 'href="#id_opens_on"' in refused.content.decode()
    assert not Cycle.objects.filter(year=2015).exists()


def test_an_admin_changes_a_drafts_dates_with_the_date_input_and_it_is_audited(client, admin_user, draft_cycle):
    from core.models import AuditEvent

    client.force_login(admin_user)
    assert 'href="/manage/cycles/2014/dates/"' in client.get("/manage/cycles/2014/").content.decode()
    page = client.get("/manage/cycles/2014/dates/")
    assert "For example, 1 5 2014." in text(page)
    assert 'value="1"' in page.content.decode() and 'value="2014"' in page.content.decode()

    done = client.post(
        "/manage/cycles/2014/dates/", {**dates("opens_on", "8", "5", "2014"), **dates("closes_on", "31", "7", "2014")}
    )

    assert done["Location"] == "/manage/cycles/2014/"
    cycle = Cycle.objects.get(year=2014)
    assert (cycle.opens_on, cycle.closes_on) == (dt.date(2014, 5, 8), dt.date(2014, 7, 31))
    event = AuditEvent.objects.get(action="cycle_dates_changed")
    assert event.detail["before"] == {"opens_on": "2014-05-01", "closes_on": "2014-06-30"}


def test_once_open_only_the_closing_date_changes_and_never_after_publishing(client, admin_user, open_cycle):
    from surveys.models import CycleState
    from surveys.services import cycle_set_state

    client.force_login(admin_user)
    moved = client.post(
        "/manage/cycles/2014/dates/", {**dates("opens_on", "2", "5", "2014"), **dates("closes_on", "31", "7", "2014")}
    )
    assert moved.status_code == 400
    assert "The 2014 cycle has opened: its opening date can no longer change." in text(moved)
    backwards = client.post(
        "/manage/cycles/2014/dates/", {**dates("opens_on", "1", "5", "2014"), **dates("closes_on", "1", "4", "2014")}
    )
    assert "The closing date must be on or after the opening date." in text(backwards)
    extended = client.post(
        "/manage/cycles/2014/dates/", {**dates("opens_on", "1", "5", "2014"), **dates("closes_on", "31", "7", "2014")}
    )
    assert extended.status_code == 302
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    cycle_set_state(cycle=open_cycle, state=CycleState.PUBLISHED)
    refused = client.post(
        "/manage/cycles/2014/dates/", {**dates("opens_on", "1", "5", "2014"), **dates("closes_on", "1", "8", "2014")}
    )
    assert "its dates can no longer change" in text(refused)
    assert Cycle.objects.get(year=2014).closes_on == dt.date(2014, 7, 31)
