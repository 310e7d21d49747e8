"""Check answers against a questionnaire and turn them into their stored forms.

Draft values (``Response.draft``) are JSON: an agreement answer is an int 0–5 (0 = don't know), a
yes/no answer a bool, a free-text answer a string. ``None`` or an empty string clears an answer.
"""

from collections.abc import Mapping

from core.errors import DomainError
from surveys.models import NOT_APPLICABLE, NOT_APPLICABLE_LABEL, Agreement, Question, QuestionType

FREE_TEXT_MAX_LENGTH = 5000

MSG_ANSWERS_INVALID = "Some answers are not valid."
MSG_UNKNOWN_QUESTION = "There is no question with this code in this year's questionnaire."
MSG_AGREEMENT_INVALID = "Choose strongly agree (5) to strongly disagree (1), or don't know (0 or DK)."
MSG_NOT_APPLICABLE_NOT_OFFERED = 'This question does not offer "Not applicable".'
MSG_YES_NO_INVALID = "Choose yes or no."
MSG_FREE_TEXT_INVALID = "Write your comment as text."
MSG_FREE_TEXT_TOO_LONG = f"Keep your comment to {FREE_TEXT_MAX_LENGTH} characters or fewer."

_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


class AnswersInvalid(DomainError):
    """Some answers were refused; ``errors`` maps each question code to its message (for forms)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(
            MSG_ANSWERS_INVALID,
            code="invalid_answers",
            details=[{"question": code, "message": message} for code, message in errors.items()],
        )
        self.errors = errors


def answer_clean(question: Question, value):
    """Return ``value`` in its draft form for ``question`` (``None`` when blank), or raise ``ValueError``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if question.type == QuestionType.AGREEMENT:
        if isinstance(value, str):
            value = value.strip().upper()
            if value == "NA" and not question.offers_not_applicable:
                raise ValueError(MSG_NOT_APPLICABLE_NOT_OFFERED)
            value = (
                0 if value == "DK" else NOT_APPLICABLE if value == "NA" else int(value) if value.isdigit() else value
            )
        if value == NOT_APPLICABLE and not isinstance(value, bool) and question.offers_not_applicable:
            # Only where the question offers it: elsewhere 6 is off the scale, like any other number.
            return value
        if isinstance(value, bool) or not isinstance(value, int) or value not in Agreement.values:
            raise ValueError(MSG_AGREEMENT_INVALID)
        return value
    if question.type == QuestionType.YES_NO:
        if isinstance(value, str) and value.strip().lower() in _YES | _NO:
            return value.strip().lower() in _YES
        if not isinstance(value, bool):
            raise ValueError(MSG_YES_NO_INVALID)
        return value
    if not isinstance(value, str):
        raise ValueError(MSG_FREE_TEXT_INVALID)
    value = value.strip()
    if len(value) > FREE_TEXT_MAX_LENGTH:
        raise ValueError(MSG_FREE_TEXT_TOO_LONG)
    return value


def answers_clean(questions: Mapping[str, Question], answers) -> dict:
    """Return ``answers`` ({code: value}) in draft form, or raise ``AnswersInvalid`` listing every problem."""
    if not isinstance(answers, Mapping):
        raise AnswersInvalid({"": "Send the answers as an object of question codes and values."})
    cleaned, errors = {}, {}
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            errors[code] = MSG_UNKNOWN_QUESTION
            continue
        try:
            cleaned[code] = answer_clean(question, value)
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise AnswersInvalid(errors)
    return cleaned


def answer_columns(question: Question, value) -> dict:
    """Return the ``Answer`` columns (``choice``, ``text``) holding a draft ``value``."""
    if question.type == QuestionType.FREE_TEXT:
        return {"choice": None, "text": value}
    if question.type == QuestionType.YES_NO:
        return {"choice": 1 if value else 0, "text": ""}
    return {"choice": value, "text": ""}


def answer_label(question: Question, value) -> str:
    """Return how a draft ``value`` reads to a person ("Tend to agree", "Yes", the comment itself)."""
    if value is None or value == "":
        return "Not answered"
    if question.type == QuestionType.AGREEMENT:
        return NOT_APPLICABLE_LABEL if value == NOT_APPLICABLE else Agreement(value).label
    if question.type == QuestionType.YES_NO:
        return "Yes" if value else "No"
    return value
