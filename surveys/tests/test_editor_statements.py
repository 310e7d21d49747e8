"""The questionnaire editor's statements: adding from the library or new, rewording (a new code where the
old wording was asked before), tags and options; every refusal a clear message with nothing written.
"""

import pytest

from core.models import AuditEvent
from surveys.models import Question
from surveys.services import questionnaire_editor as editor
from surveys.tests.editing import codes, refused
from ways_of_working.models import Behaviour, Role, Statement

pytestmark = pytest.mark.django_db


def test_adding_a_library_statement_puts_it_before_the_comment_box_and_audits(draft_cycle, admin_user):
    questionnaire = draft_cycle.questionnaire
    section = questionnaire.sections.get(code="HONESTY")
    statement = Statement.objects.get(code="HT-OPEN")
    Question.objects.filter(questionnaire=questionnaire, code="HT-OPEN").delete()
    version = questionnaire.version

    question = editor.editor_statement_add(actor=admin_user, section=section, statement=statement)

    assert codes(section)[-2:] == ["HT-OPEN", "COMMENT-HONESTY"]
    assert (question.text, question.statement, question.behaviour) == (statement.text, statement, statement.behaviour)
    questionnaire.refresh_from_db()
    assert questionnaire.version == version + 1
    event = AuditEvent.objects.get(action="question_added")
    assert (event.actor, event.detail["code"], event.detail["year"]) == (admin_user, "HT-OPEN", 2014)


def test_a_library_statement_already_asked_is_refused(draft_cycle, admin_user):
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    statement = Statement.objects.get(code="HT-OPEN")

    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_statement_add(actor=admin_user, section=section, statement=statement),
        editor.MSG_STATEMENT_TAKEN.format(code="HT-OPEN"),
    )


def test_the_library_offers_only_statements_not_asked(draft_cycle):
    questionnaire = draft_cycle.questionnaire
    assert list(editor.library_statements_not_asked(questionnaire=questionnaire)) == []
    Question.objects.filter(questionnaire=questionnaire, code="HT-OPEN").delete()

    assert [s.code for s in editor.library_statements_not_asked(questionnaire=questionnaire)] == ["HT-OPEN"]


def test_a_new_statement_gets_its_code_tags_and_options(draft_cycle, admin_user):
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    behaviour = Behaviour.objects.get(code="HONESTY")

    question = editor.editor_question_create(
        actor=admin_user,
        section=section,
        code="ht-promises",
        text="  NHS England keeps its promises to my CCG. ",
        behaviour=behaviour,
        role=None,
        positively_worded=False,
        offers_not_applicable=True,
    )

    assert codes(section)[-2:] == ["HT-PROMISES", "COMMENT-HONESTY"]
    assert (question.text, question.positively_worded, question.offers_not_applicable, question.statement) == (
        "NHS England keeps its promises to my CCG.",
        False,
        True,
        None,
    )


@pytest.mark.parametrize(
    ("code", "text", "tagged", "message"),
    [
        ("HT-OPEN", "Some new words.", True, editor.MSG_CODE_TAKEN.format(code="HT-OPEN")),
        ("HT NEW!", "Some new words.", True, editor.MSG_CODE_INVALID),
        ("", "Some new words.", True, editor.MSG_CODE_INVALID),
        ("HT-NEW", "   ", True, editor.MSG_TEXT_EMPTY),
        ("HT-NEW", "Some new words.", False, editor.MSG_TAG_MISSING),
    ],
    ids=["duplicate code", "bad code", "no code", "empty text", "no behaviour or role"],
)
def test_a_new_statement_is_refused_with_a_clear_message(draft_cycle, admin_user, code, text, tagged, message):
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    behaviour = Behaviour.objects.get(code="HONESTY") if tagged else None

    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_question_create(
            actor=admin_user, section=section, code=code, text=text, behaviour=behaviour, role=None
        ),
        message,
    )


def test_a_new_statement_may_not_take_a_library_code(draft_cycle, admin_user):
    questionnaire = draft_cycle.questionnaire
    Question.objects.filter(questionnaire=questionnaire, code="HT-OPEN").delete()
    section = questionnaire.sections.get(code="HONESTY")

    refused(
        questionnaire,
        lambda: editor.editor_question_create(
            actor=admin_user,
            section=section,
            code="HT-OPEN",
            text="Other words.",
            behaviour=None,
            role=Role.objects.first(),
        ),
        editor.MSG_CODE_IN_LIBRARY.format(code="HT-OPEN"),
    )


def test_rewording_a_statement_asked_before_gives_it_a_new_code(earlier_and_draft, admin_user):
    _, draft = earlier_and_draft
    question = Question.objects.get(questionnaire=draft.questionnaire, code="PC-VISION")

    updated = editor.editor_question_update(
        actor=admin_user,
        question=question,
        text="NHS England shares my CCG's vision for primary care in our area.",
        behaviour=question.behaviour,
        role=question.role,
    )

    assert (updated.pk, updated.code, updated.statement) == (question.pk, "PC-VISION-2014", None)
    # The earlier year keeps its code and wording: its figures are never compared with the new wording.
    assert Question.objects.filter(questionnaire__cycle__year=2013, code="PC-VISION").exists()
    event = AuditEvent.objects.get(action="question_changed")
    assert event.detail["before"]["code"] == "PC-VISION"
    assert event.detail["code"] == "PC-VISION-2014"


def test_rewording_takes_the_admins_code_but_never_a_code_asked_before_with_other_words(earlier_and_draft, admin_user):
    _, draft = earlier_and_draft
    question = Question.objects.get(questionnaire=draft.questionnaire, code="PC-VISION")
    kwargs = {"actor": admin_user, "question": question, "behaviour": question.behaviour, "role": question.role}

    refused(
        draft.questionnaire,
        lambda: editor.editor_question_update(text="New words.", new_code="CP-SHARED-GOALS", **kwargs),
        editor.MSG_CODE_TAKEN.format(code="CP-SHARED-GOALS"),
    )
    updated = editor.editor_question_update(text="New words.", new_code="pc-vision-local", **kwargs)
    assert updated.code == "PC-VISION-LOCAL"


def test_changing_tags_or_options_of_a_statement_asked_before_keeps_its_code(earlier_and_draft, admin_user):
    _, draft = earlier_and_draft
    question = Question.objects.get(questionnaire=draft.questionnaire, code="PC-VISION")

    updated = editor.editor_question_update(
        actor=admin_user,
        question=question,
        text=question.text,
        behaviour=question.behaviour,
        role=question.role,
        positively_worded=False,
        offers_not_applicable=True,
    )

    assert (updated.code, updated.positively_worded, updated.offers_not_applicable) == ("PC-VISION", False, True)


def test_rewording_a_statement_new_this_year_keeps_its_code(draft_cycle, admin_user):
    question = Question.objects.get(questionnaire=draft_cycle.questionnaire, code="PC-VISION")

    updated = editor.editor_question_update(
        actor=admin_user, question=question, text="Reworded.", behaviour=question.behaviour, role=question.role
    )

    assert (updated.code, updated.text) == ("PC-VISION", "Reworded.")


def test_an_update_without_text_or_tags_is_refused(draft_cycle, admin_user):
    question = Question.objects.get(questionnaire=draft_cycle.questionnaire, code="PC-VISION")
    questionnaire = draft_cycle.questionnaire

    refused(
        questionnaire,
        lambda: editor.editor_question_update(
            actor=admin_user, question=question, text=" ", behaviour=question.behaviour, role=None
        ),
        editor.MSG_TEXT_EMPTY,
    )
    refused(
        questionnaire,
        lambda: editor.editor_question_update(
            actor=admin_user, question=question, text="Words.", behaviour=None, role=None
        ),
        editor.MSG_TAG_MISSING,
    )
    box = Question.objects.get(questionnaire=questionnaire, code="COMMENT-HONESTY")
    refused(
        questionnaire,
        lambda: editor.editor_question_update(
            actor=admin_user, question=box, text="Words.", offers_not_applicable=True
        ),
        editor.MSG_NOT_AGREEMENT,
    )
