import datetime as dt

import pytest

from core.errors import Conflict
from surveys.defaults import DEFAULT_SECTIONS
from surveys.models import CycleState, Question, QuestionType
from surveys.selectors import questionnaire_for_cycle
from surveys.services import (
    cycle_create,
    cycle_set_state,
    question_add,
    question_remove,
    question_update,
)
from surveys.services.questionnaires import MSG_CODE_TAKEN, MSG_FROZEN
from ways_of_working.models import Behaviour, Role, Statement
from ways_of_working.tests.factories import REQUIRED


@pytest.mark.django_db
def test_default_questionnaire_asks_the_six_reported_statements(draft_cycle):
    questions = dict(Question.objects.filter(questionnaire__cycle=draft_cycle).values_list("code", "text"))

    for code, text in REQUIRED.items():
        assert questions[code] == text


@pytest.mark.django_db
def test_default_questionnaire_covers_every_behaviour_and_role(draft_cycle):
    questions = Question.objects.filter(questionnaire__cycle=draft_cycle)

    assert set(questions.exclude(behaviour=None).values_list("behaviour__code", flat=True)) == set(
        Behaviour.objects.values_list("code", flat=True)
    )
    assert set(questions.exclude(role=None).values_list("role__code", flat=True)) == set(
        Role.objects.values_list("code", flat=True)
    )
    # Every statement of the framework is asked exactly once.
    assert questions.exclude(statement=None).count() == Statement.objects.count()
    assert 30 <= questions.filter(type=QuestionType.AGREEMENT).count() <= 40


@pytest.mark.django_db
def test_each_section_ends_with_its_optional_comment_box(draft_cycle):
    questionnaire = questionnaire_for_cycle(cycle=draft_cycle)
    sections = list(questionnaire.sections.all())

    assert [s.code for s in sections] == [spec.code for spec in DEFAULT_SECTIONS]
    assert len(sections) == 6
    for section in sections:
        questions = list(section.questions.all())
        assert questions[-1].code == f"COMMENT-{section.code}"
        assert questions[-1].type == QuestionType.FREE_TEXT
        assert all(q.type == QuestionType.AGREEMENT for q in questions[:-1])
        assert len(questions) >= 3


@pytest.mark.django_db
def test_questions_copy_the_statement_tags_so_the_cycle_is_self_contained(draft_cycle):
    question = Question.objects.get(questionnaire__cycle=draft_cycle, code="PC-VISION")
    Statement.objects.filter(code="PC-VISION").update(text="Reworded later", positively_worded=False)

    question.refresh_from_db()

    assert question.text == REQUIRED["PC-VISION"]
    assert question.positively_worded is True
    assert (question.behaviour.code, question.role.code) == ("COMMON-PURPOSE", "PRIMARY-CARE")
    assert Question.objects.get(questionnaire__cycle=draft_cycle, code="NL-GUIDANCE").positively_worded is False


@pytest.mark.django_db
def test_draft_questionnaire_can_be_edited_and_each_edit_bumps_the_version(draft_cycle):
    questionnaire = draft_cycle.questionnaire
    section = questionnaire.sections.get(code="HONESTY")

    added = question_add(section=section, code="ht-new", text="NHS England keeps its promises to my CCG.")
    question_update(question=added, text="NHS England keeps its promises.")
    question_remove(question=Question.objects.get(questionnaire=questionnaire, code="HT-OPEN"))

    questionnaire.refresh_from_db()
    assert questionnaire.version == 4
    assert Question.objects.get(questionnaire=questionnaire, code="HT-NEW").text == "NHS England keeps its promises."
    assert not Question.objects.filter(questionnaire=questionnaire, code="HT-OPEN").exists()
    # A new question goes last, before the section's closing comment box.
    assert [q.code for q in section.questions.order_by("order")][-2:] == ["HT-NEW", "COMMENT-HONESTY"]


@pytest.mark.django_db
def test_question_codes_are_unique_within_a_questionnaire(draft_cycle):
    section = draft_cycle.questionnaire.sections.first()

    with pytest.raises(Conflict) as excinfo:
        question_add(section=section, code="SUPPORT", text="Again")

    assert excinfo.value.message == MSG_CODE_TAKEN.format(code="SUPPORT")


@pytest.mark.django_db
def test_open_cycle_freezes_the_questionnaire(open_cycle):
    questionnaire = open_cycle.questionnaire
    question = Question.objects.get(questionnaire=questionnaire, code="SUPPORT")
    section = question.section

    for edit in (
        lambda: question_add(section=section, code="NEW", text="New"),
        lambda: question_update(question=question, text="Changed"),
        lambda: question_remove(question=question),
    ):
        with pytest.raises(Conflict) as excinfo:
            edit()
        assert excinfo.value.message == MSG_FROZEN

    questionnaire.refresh_from_db()
    question.refresh_from_db()
    assert questionnaire.frozen_at is not None
    assert questionnaire.version == 1
    assert question.text == REQUIRED["SUPPORT"]


@pytest.mark.django_db
def test_questionnaire_stays_frozen_after_the_cycle_closes(open_cycle):
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    question = Question.objects.get(questionnaire__cycle=open_cycle, code="SUPPORT")

    with pytest.raises(Conflict):
        question_update(question=question, text="Changed")


@pytest.mark.django_db
def test_new_cycle_copies_the_latest_questionnaire_and_keeps_codes(draft_cycle):
    section = draft_cycle.questionnaire.sections.get(code="AREA-TEAM")
    question_add(section=section, code="AT-EXTRA", text="An extra question asked from 2014 on.")
    cycle_set_state(cycle=draft_cycle, state=CycleState.OPEN)

    later = cycle_create(year=2015, opens_on=dt.date(2015, 5, 1), closes_on=dt.date(2015, 6, 30))

    def shape(cycle):
        return list(
            Question.objects.filter(questionnaire__cycle=cycle)
            .order_by("section__order", "order")
            .values_list("section__code", "order", "code", "text", "type", "statement_id", "positively_worded")
        )

    assert shape(later) == shape(draft_cycle)
    assert "AT-EXTRA" in [row[2] for row in shape(later)]
    assert later.questionnaire.frozen_at is None
    assert later.questionnaire.version == 1
    # The copy is editable while the old one stays frozen.
    question_update(question=Question.objects.get(questionnaire__cycle=later, code="AT-EXTRA"), text="Reworded")
    assert Question.objects.get(questionnaire__cycle=draft_cycle, code="AT-EXTRA").text.startswith("An extra")


@pytest.mark.django_db
def test_questionnaire_selector_uses_a_fixed_number_of_queries(draft_cycle, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        questionnaire = questionnaire_for_cycle(cycle=draft_cycle)
        count = sum(len(section.questions.all()) for section in questionnaire.sections.all())
        tags = {
            (q.behaviour and q.behaviour.code, q.role and q.role.code)
            for s in questionnaire.sections.all()
            for q in s.questions.all()
        }

    assert count == 46
    assert len(tags) > 5
