"""The questionnaire editor's pages, through Django's test client."""

import pytest

from core.models import AuditEvent
from surveys.models import CycleState, Question
from surveys.services import cycle_set_state
from surveys.tests.pages import text, title

pytestmark = pytest.mark.django_db

BASE = "/manage/cycles/2014/questionnaire/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_cycle_page_links_to_the_questionnaire_editor(admin_client, draft_cycle):
    page = admin_client.get("/manage/cycles/2014/").content.decode()

    assert f'href="{BASE}"' in page
    assert admin_client.get(BASE).status_code == 200


def test_the_editor_lists_sections_and_questions_with_their_tags(admin_client, draft_cycle):
    response = admin_client.get(BASE)

    body = text(response)
    assert title(response).startswith("The 2014 questions")
    assert "1. Common purpose" in body
    assert "PC-VISION" in body and "Negatively worded" in body
    assert "Add a statement to Honesty" in body


def test_adding_a_new_statement_and_the_error_summary_for_a_duplicate_code(admin_client, draft_cycle):
    url = f"{BASE}sections/HONESTY/add-statement/"
    form = {"source": "new", "new-code": "HT-OPEN", "new-text": "New words.", "new-behaviour": ""}

    refused = admin_client.post(url, form)

    assert refused.status_code == 400
    assert title(refused).startswith("Error:")
    assert "Choose the behaviour or the role" in text(refused)
    behaviour = draft_cycle.questionnaire.questions.get(code="HT-OPEN").behaviour_id
    refused = admin_client.post(url, {**form, "new-behaviour": behaviour})
    assert "There is already a question with the code HT-OPEN" in text(refused)
    assert not AuditEvent.objects.exists()

    added = admin_client.post(url, {**form, "new-code": "HT-PROMISES", "new-behaviour": behaviour}, follow=True)

    assert "HT-PROMISES has been added to Honesty" in text(added)
    assert Question.objects.filter(questionnaire=draft_cycle.questionnaire, code="HT-PROMISES").exists()


def test_a_rewording_page_says_a_new_code_is_given_when_asked_before(admin_client, draft_cycle):
    cycle_set_state(cycle=draft_cycle, state=CycleState.OPEN)
    cycle_set_state(cycle=draft_cycle, state=CycleState.CLOSED)
    from surveys.services import cycle_create

    cycle_create(year=2015)
    url = "/manage/cycles/2015/questionnaire/questions/PC-VISION/"
    question = Question.objects.get(questionnaire__cycle__year=2015, code="PC-VISION")

    page = text(admin_client.get(url))
    assert "This statement was asked in 2014" in page
    assert "it will get a new code" in page

    done = admin_client.post(
        url, {"text": "Reworded vision.", "behaviour": question.behaviour_id, "role": question.role_id}, follow=True
    )

    assert "The new wording has the new code PC-VISION-2015" in text(done)


def test_the_preview_uses_the_respondents_page_and_saves_nothing(admin_client, draft_cycle):
    response = admin_client.get(f"{BASE}sections/HONESTY/preview/")

    assert [t.name for t in response.templates][0] == "surveys/section.html"
    body = text(response)
    assert "This is a preview" in body
    assert "Section 3 of 6" in body
    assert 'method="get"' in response.content.decode()


def test_the_frozen_editor_says_why_and_refuses_every_change(admin_client, open_cycle):
    page = text(admin_client.get(BASE))
    assert "The questionnaire is frozen: the 2014 cycle opened on 1 May 2014" in page
    assert "Add a statement" not in page

    refused = admin_client.post(f"{BASE}questions/HT-OPEN/remove/")

    assert refused.status_code == 409
    assert Question.objects.filter(questionnaire=open_cycle.questionnaire, code="HT-OPEN").exists()
    assert admin_client.get(f"{BASE}sections/HONESTY/add-statement/").status_code == 409


def test_an_analyst_reads_the_questionnaire_but_cannot_change_it(client, analyst, draft_cycle):
    client.force_login(analyst)

    assert client.get(BASE).status_code == 200
    assert "Add a statement" not in text(client.get(BASE))
    assert client.get(f"{BASE}sections/HONESTY/preview/").status_code == 200
    assert client.post(f"{BASE}questions/HT-OPEN/remove/").status_code == 403
    assert Question.objects.filter(code="HT-OPEN").exists()


def test_moving_and_removing_a_statement_from_the_page(admin_client, draft_cycle):
    questionnaire = draft_cycle.questionnaire
    first, second = questionnaire.sections.get(code="HONESTY").questions.values_list("code", flat=True)[:2]

    admin_client.post(f"{BASE}questions/{second}/move/", {"direction": "up"})
    assert list(questionnaire.sections.get(code="HONESTY").questions.values_list("code", flat=True)[:2]) == [
        second,
        first,
    ]
    admin_client.post(f"{BASE}questions/{second}/remove/")
    assert not questionnaire.questions.filter(code=second).exists()


def test_an_empty_section_can_be_added_and_removed_from_the_page(admin_client, draft_cycle):
    added = admin_client.post(f"{BASE}sections/add/", {"title": "Integrated care", "intro": ""}, follow=True)
    assert "The section Integrated care has been added." in text(added)
    assert "Remove the section Integrated care" in text(added)
    assert "Remove the section Honesty" not in text(added)

    removed = admin_client.post(f"{BASE}sections/INTEGRATED-CARE/remove/", follow=True)

    assert "The section Integrated care has been removed." in text(removed)
    assert not draft_cycle.questionnaire.sections.filter(code="INTEGRATED-CARE").exists()
