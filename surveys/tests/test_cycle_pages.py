"""NHSCC's cycle pages: the list, creating a cycle, moving its state, importing and sending invitations."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import Cycle, CycleState, Invitation, Question
from surveys.tests.pages import YEAR, text, title

pytestmark = pytest.mark.django_db


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
