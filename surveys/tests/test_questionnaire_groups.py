"""The questionnaire's group limit: its agreement statements count in at most ``QUESTIONNAIRE_MAX_GROUPS``
behaviour, role and overall groups (a response's scores keep one column per group). Checked while the
questionnaire is built and when its cycle opens, never first at a respondent's submission.
"""

import pytest

from surveys.models import QUESTIONNAIRE_MAX_GROUPS, CycleState, Question, QuestionType
from surveys.services import cycle_set_state, question_add
from surveys.services import cycles as cycle_services
from surveys.services import questionnaire_editor as editor
from surveys.services.questionnaires import MSG_TOO_MANY_GROUPS, questionnaire_groups_count
from surveys.tests.editing import refused
from surveys.tests.pages import text, title
from ways_of_working.models import Behaviour, Role, Statement

pytestmark = pytest.mark.django_db

DEFAULT_GROUPS = 3 + 7 + 1  # the framework's behaviours and roles, and overall
TOO_MANY = MSG_TOO_MANY_GROUPS.format(count=QUESTIONNAIRE_MAX_GROUPS + 1, limit=QUESTIONNAIRE_MAX_GROUPS)


def new_role(n: int) -> Role:
    return Role.objects.create(code=f"EXTRA-{n}", name=f"Extra role {n}", order=100 + n)


def fill_to_the_limit(cycle, admin_user) -> None:
    """Add statements tagged with new roles until the questionnaire has exactly the most groups it may."""
    section = cycle.questionnaire.sections.get(code="HONESTY")
    for n in range(QUESTIONNAIRE_MAX_GROUPS - DEFAULT_GROUPS):
        editor.editor_question_create(
            actor=admin_user, section=section, code=f"EXTRA-{n}", text=f"Extra {n}.", behaviour=None, role=new_role(n)
        )
    assert questionnaire_groups_count(questionnaire_id=cycle.questionnaire.pk) == QUESTIONNAIRE_MAX_GROUPS


def test_the_default_questionnaire_counts_its_behaviours_roles_and_overall(draft_cycle):
    assert questionnaire_groups_count(questionnaire_id=draft_cycle.questionnaire.pk) == DEFAULT_GROUPS


def test_a_new_statement_past_the_limit_is_refused_and_writes_nothing(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    one_more = new_role(99)

    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_question_create(
            actor=admin_user, section=section, code="ONE-MORE", text="One more.", behaviour=None, role=one_more
        ),
        TOO_MANY,
    )


def test_at_the_limit_a_statement_about_a_group_already_asked_is_still_added(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")

    editor.editor_question_create(
        actor=admin_user,
        section=section,
        code="HT-MORE",
        text="More honesty.",
        behaviour=Behaviour.objects.get(code="HONESTY"),
        role=Role.objects.get(code="EXTRA-0"),
    )

    assert questionnaire_groups_count(questionnaire_id=draft_cycle.questionnaire.pk) == QUESTIONNAIRE_MAX_GROUPS


def test_a_library_statement_past_the_limit_is_refused(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    statement = Statement.objects.create(code="LIB-EXTRA", text="A library statement.", role=new_role(99))

    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_statement_add(actor=admin_user, section=section, statement=statement),
        TOO_MANY,
    )


def test_retagging_past_the_limit_is_refused_but_swapping_a_groups_only_tag_is_not(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    questionnaire = draft_cycle.questionnaire
    honest = questionnaire.questions.get(code="HT-OPEN")
    one_more = new_role(99)

    refused(
        questionnaire,
        lambda: editor.editor_question_update(
            actor=admin_user, question=honest, text=honest.text, behaviour=honest.behaviour, role=one_more
        ),
        TOO_MANY,
    )
    # EXTRA-0 is the only statement tagged with its role: moving it to another new role keeps the count.
    extra = questionnaire.questions.get(code="EXTRA-0")
    editor.editor_question_update(actor=admin_user, question=extra, text=extra.text, behaviour=None, role=one_more)
    assert questionnaire_groups_count(questionnaire_id=questionnaire.pk) == QUESTIONNAIRE_MAX_GROUPS


def test_the_older_question_add_service_checks_the_limit_too(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    one_more = new_role(99)

    refused(
        draft_cycle.questionnaire,
        lambda: question_add(section=section, code="ONE-MORE", text="One more.", role=one_more),
        TOO_MANY,
    )
    # A comment box is in no group.
    question_add(section=section, code="NOTE", text="Anything else?", type=QuestionType.FREE_TEXT, role=one_more)


def test_opening_a_cycle_whose_questionnaire_has_too_many_groups_is_refused(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    questionnaire = draft_cycle.questionnaire
    # Built past the editor's check (say, copied from a questionnaire made before the limit was checked).
    Question.objects.create(
        questionnaire=questionnaire,
        section=questionnaire.sections.get(code="HONESTY"),
        order=99,
        code="ONE-MORE",
        text="One more.",
        role=new_role(99),
    )

    with pytest.raises(cycle_services.DomainError) as caught:
        cycle_set_state(cycle=draft_cycle, state=CycleState.OPEN)

    assert caught.value.message == cycle_services.MSG_TOO_MANY_GROUPS.format(
        count=QUESTIONNAIRE_MAX_GROUPS + 1, limit=QUESTIONNAIRE_MAX_GROUPS
    )
    draft_cycle.refresh_from_db()
    questionnaire.refresh_from_db()
    assert (draft_cycle.state, questionnaire.frozen_at) == (CycleState.DRAFT, None)


def test_opening_at_the_limit_works(draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)

    assert cycle_set_state(cycle=draft_cycle, state=CycleState.OPEN).state == CycleState.OPEN


# The pages --------------------------------------------------------------------------------------------

BASE = "/manage/cycles/2014/questionnaire/"


def test_the_editor_page_shows_the_limit_as_an_error_on_the_form(client, draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    client.force_login(admin_user)
    form = {"source": "new", "new-code": "ONE-MORE", "new-text": "One more.", "new-role": new_role(99).pk}

    response = client.post(f"{BASE}sections/HONESTY/add-statement/", form)

    assert response.status_code == 400
    assert title(response).startswith("Error:")
    assert TOO_MANY in text(response)
    assert not draft_cycle.questionnaire.questions.filter(code="ONE-MORE").exists()


def test_the_edit_page_shows_the_limit_as_an_error_on_the_form(client, draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    client.force_login(admin_user)
    honest = draft_cycle.questionnaire.questions.get(code="HT-OPEN")
    form = {"text": honest.text, "behaviour": honest.behaviour_id, "role": new_role(99).pk}

    response = client.post(f"{BASE}questions/HT-OPEN/", form)

    assert response.status_code == 400
    assert TOO_MANY in text(response)
    honest.refresh_from_db()
    assert honest.role_id is None


def test_the_cycle_page_shows_why_it_cannot_open(client, draft_cycle, admin_user):
    fill_to_the_limit(draft_cycle, admin_user)
    Question.objects.create(
        questionnaire=draft_cycle.questionnaire,
        section=draft_cycle.questionnaire.sections.get(code="HONESTY"),
        order=99,
        code="ONE-MORE",
        text="One more.",
        role=new_role(99),
    )
    client.force_login(admin_user)

    response = client.post("/manage/cycles/2014/state/", {"state": "open", "confirmed_from": "draft"})

    assert response.status_code == 400
    assert "a cycle can open with at most 24" in text(response)
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == CycleState.DRAFT
