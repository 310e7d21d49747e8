"""The questionnaire editor's layout: statements and sections moved, added, renamed and removed; nothing
changes once the cycle opens.
"""

import pytest

from core.models import AuditEvent
from surveys.models import Question, Section
from surveys.services import questionnaire_editor as editor
from surveys.services.questionnaires import MSG_FROZEN
from surveys.tests.editing import codes, refused
from ways_of_working.models import Behaviour, Statement

pytestmark = pytest.mark.django_db


def test_statements_move_within_their_section_and_the_comment_box_stays_last(draft_cycle, admin_user):
    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    first, second = codes(section)[:2]

    editor.editor_question_move(
        actor=admin_user, question=Question.objects.get(section=section, code=second), direction="up"
    )

    assert codes(section)[:2] == [second, first]
    last_statement = Question.objects.get(section=section, code=codes(section)[-2])
    editor.editor_question_move(actor=admin_user, question=last_statement, direction="down")
    assert codes(section)[-1] == "COMMENT-HONESTY"
    box = Question.objects.get(section=section, code="COMMENT-HONESTY")
    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_question_move(actor=admin_user, question=box, direction="up"),
        editor.MSG_COMMENT_BOX_FIXED,
    )
    refused(
        draft_cycle.questionnaire,
        lambda: editor.editor_question_move(actor=admin_user, question=last_statement, direction="sideways"),
        editor.MSG_MOVE_INVALID,
    )


def test_removing_a_statement_and_never_a_comment_box(draft_cycle, admin_user):
    questionnaire = draft_cycle.questionnaire
    editor.editor_question_remove(
        actor=admin_user, question=Question.objects.get(questionnaire=questionnaire, code="HT-OPEN")
    )

    assert not Question.objects.filter(questionnaire=questionnaire, code="HT-OPEN").exists()
    assert AuditEvent.objects.filter(action="question_removed", detail__code="HT-OPEN").exists()
    box = Question.objects.get(questionnaire=questionnaire, code="COMMENT-HONESTY")
    refused(
        questionnaire,
        lambda: editor.editor_question_remove(actor=admin_user, question=box),
        editor.MSG_COMMENT_BOX_FIXED,
    )


def test_sections_are_added_renamed_moved_and_removed_when_empty(draft_cycle, admin_user):
    questionnaire = draft_cycle.questionnaire

    section = editor.editor_section_add(actor=admin_user, questionnaire=questionnaire, title="Integrated care")
    assert (section.code, codes(section)) == ("INTEGRATED-CARE", ["COMMENT-INTEGRATED-CARE"])
    editor.editor_section_move(actor=admin_user, section=section, direction="up")
    order = list(questionnaire.sections.order_by("order").values_list("code", flat=True))
    assert order[-2] == "INTEGRATED-CARE"
    editor.editor_section_update(actor=admin_user, section=section, title="Integration", intro="Joined-up care.")
    section.refresh_from_db()
    assert (section.code, section.title, section.intro) == ("INTEGRATED-CARE", "Integration", "Joined-up care.")
    editor.editor_section_remove(actor=admin_user, section=section)

    assert not Section.objects.filter(pk=section.pk).exists()
    assert list(questionnaire.sections.order_by("order").values_list("order", flat=True)) == list(range(1, 7))
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "section_added",
        "section_moved",
        "section_changed",
        "section_removed",
    }


def test_sections_refusals(draft_cycle, admin_user):
    questionnaire = draft_cycle.questionnaire
    honesty = questionnaire.sections.get(code="HONESTY")

    refused(
        questionnaire,
        lambda: editor.editor_section_add(actor=admin_user, questionnaire=questionnaire, title="  "),
        editor.MSG_SECTION_TITLE_EMPTY,
    )
    refused(
        questionnaire,
        lambda: editor.editor_section_add(actor=admin_user, questionnaire=questionnaire, title="Honesty"),
        editor.MSG_SECTION_CODE_TAKEN.format(title="Honesty"),
    )
    refused(
        questionnaire,
        lambda: editor.editor_section_remove(actor=admin_user, section=honesty),
        editor.MSG_SECTION_NOT_EMPTY.format(title=honesty.title),
    )


def test_every_edit_is_refused_once_the_cycle_opens(open_cycle, admin_user):
    questionnaire = open_cycle.questionnaire
    section = questionnaire.sections.get(code="HONESTY")
    question = Question.objects.get(questionnaire=questionnaire, code="HT-OPEN")
    behaviour = Behaviour.objects.get(code="HONESTY")
    edits = [
        lambda: editor.editor_section_add(actor=admin_user, questionnaire=questionnaire, title="New"),
        lambda: editor.editor_section_update(actor=admin_user, section=section, title="New"),
        lambda: editor.editor_section_move(actor=admin_user, section=section, direction="up"),
        lambda: editor.editor_section_remove(actor=admin_user, section=section),
        lambda: editor.editor_statement_add(actor=admin_user, section=section, statement=Statement.objects.first()),
        lambda: editor.editor_question_create(
            actor=admin_user, section=section, code="X-1", text="Words.", behaviour=behaviour, role=None
        ),
        lambda: editor.editor_question_update(actor=admin_user, question=question, text="Words.", behaviour=behaviour),
        lambda: editor.editor_question_move(actor=admin_user, question=question, direction="up"),
        lambda: editor.editor_question_remove(actor=admin_user, question=question),
    ]
    for edit in edits:
        refused(questionnaire, edit, MSG_FROZEN)
