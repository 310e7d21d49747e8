"""The questionnaire editor's rules: every edit of a draft, every refusal (a clear message, nothing written)."""

import datetime as dt

import pytest

from core.errors import DomainError
from core.models import AuditEvent
from surveys.answers import MSG_NOT_APPLICABLE_NOT_OFFERED, answer_clean, answers_clean
from surveys.models import NOT_APPLICABLE, CycleState, Question, Questionnaire, Section
from surveys.services import cycle_create, cycle_set_state
from surveys.services import questionnaire_editor as editor
from surveys.services.questionnaires import MSG_FROZEN
from ways_of_working.models import Behaviour, Role, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_and_draft(organisations):
    """The 2013 cycle asked (opened and closed), and the 2014 draft copied from it."""
    earlier = cycle_create(year=2013, opens_on=dt.date(2013, 5, 1), closes_on=dt.date(2013, 6, 30))
    cycle_set_state(cycle=earlier, state=CycleState.OPEN)
    cycle_set_state(cycle=earlier, state=CycleState.CLOSED)
    draft = cycle_create(year=2014, opens_on=dt.date(2014, 5, 1), closes_on=dt.date(2014, 6, 30))
    return earlier, draft


def snapshot(questionnaire: Questionnaire):
    """Return everything an edit could change, to prove a refusal wrote nothing."""
    questionnaire.refresh_from_db()
    return (
        questionnaire.version,
        list(Section.objects.filter(questionnaire=questionnaire).values_list("code", "order", "title", "intro")),
        list(
            Question.objects.filter(questionnaire=questionnaire).values_list(
                "code",
                "section__code",
                "order",
                "text",
                "positively_worded",
                "offers_not_applicable",
                "role",
                "behaviour",
            )
        ),
        AuditEvent.objects.count(),
    )


def codes(section: Section) -> list[str]:
    return list(Question.objects.filter(section=section).order_by("order", "pk").values_list("code", flat=True))


def refused(questionnaire, call, message: str):
    before = snapshot(questionnaire)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.message == message
    assert snapshot(questionnaire) == before


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


def test_not_applicable_is_accepted_only_where_the_question_offers_it(draft_cycle):
    question = Question.objects.get(questionnaire=draft_cycle.questionnaire, code="PC-VISION")

    with pytest.raises(ValueError, match="does not offer"):
        answer_clean(question, "NA")
    with pytest.raises(ValueError, match="strongly agree"):
        answer_clean(question, NOT_APPLICABLE)
    question.offers_not_applicable = True

    assert answer_clean(question, NOT_APPLICABLE) == NOT_APPLICABLE
    assert answer_clean(question, "na") == NOT_APPLICABLE
    assert answers_clean({"PC-VISION": question}, {"PC-VISION": "6"}) == {"PC-VISION": NOT_APPLICABLE}
    assert MSG_NOT_APPLICABLE_NOT_OFFERED


def test_copying_a_questionnaire_keeps_which_questions_offer_not_applicable(draft_cycle, admin_user):
    question = Question.objects.get(questionnaire=draft_cycle.questionnaire, code="PC-VISION")
    editor.editor_question_update(
        actor=admin_user,
        question=question,
        text=question.text,
        behaviour=question.behaviour,
        role=question.role,
        offers_not_applicable=True,
    )

    cycle_create(year=2015)

    assert Question.objects.get(questionnaire__cycle__year=2015, code="PC-VISION").offers_not_applicable


def test_the_section_form_offers_not_applicable_after_dont_know_only_where_asked(draft_cycle):
    from surveys.forms import SectionForm

    section = draft_cycle.questionnaire.sections.get(code="HONESTY")
    Question.objects.filter(section=section, code="HT-OPEN").update(offers_not_applicable=True)

    form = SectionForm({"HT-OPEN": "6"}, section=section, draft={})

    assert [label for _, label in form.fields["HT-OPEN"].choices][-2:] == ["Don't know", "Not applicable"]
    assert "Not applicable" not in [label for _, label in form.fields["HT-LISTEN"].choices]
    assert form.is_valid()
    assert form.answers()["HT-OPEN"] == "6"
