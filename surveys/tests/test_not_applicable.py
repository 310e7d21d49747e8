""" "Not applicable": accepted only where a question offers it, kept when a questionnaire is copied, offered
by the section form only there.
"""

import pytest

from surveys.answers import MSG_NOT_APPLICABLE_NOT_OFFERED, answer_clean, answers_clean
from surveys.models import NOT_APPLICABLE, Question
from surveys.services import cycle_create
from surveys.services import questionnaire_editor as editor

pytestmark = pytest.mark.django_db


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
