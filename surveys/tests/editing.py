"""Checks of questionnaire edits: all that an edit could change, and a refusal proved to write nothing."""

import pytest

from core.errors import DomainError
from core.models import AuditEvent
from surveys.models import Question, Questionnaire, Section


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
