"""A lead's response on the web: start a draft, save answers as they go, submit once."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, DomainError
from core.outbox import enqueue_on_commit
from surveys.answers import answer_columns, answers_clean
from surveys.models import (
    Answer,
    Cycle,
    CycleState,
    Invitation,
    Question,
    Response,
    ResponseSource,
    ResponseStatus,
)
from surveys.signals import response_submitted

RECEIPT_TASK = "surveys.tasks.response_receipt_send_task"


MSG_CYCLE_NOT_OPEN = "This appraisal is not open yet."
MSG_CYCLE_CLOSED = "This appraisal has closed, so answers can no longer be changed. Your saved answers are kept."
MSG_ALREADY_SUBMITTED = "This response has been submitted and can no longer be changed."
MSG_NOTHING_TO_SUBMIT = "Answer at least one question before you submit."
MSG_CHANGED_ELSEWHERE = (
    "This section was changed in another window. The answers below are the ones saved now; your other "
    "changes were saved. Check the questions marked and save again."
)


def _require_open(cycle: Cycle) -> None:
    if cycle.state == CycleState.DRAFT:
        raise Conflict(MSG_CYCLE_NOT_OPEN, code="cycle_not_open")
    if cycle.state != CycleState.OPEN:
        raise Conflict(MSG_CYCLE_CLOSED, code="cycle_closed")


def _questions(cycle_id: int) -> dict[str, Question]:
    return {q.code: q for q in Question.objects.filter(questionnaire__cycle_id=cycle_id)}


def _response_lock(response: Response) -> Response:
    return Response.objects.select_for_update().select_related("cycle").get(pk=response.pk)


@transaction.atomic
def response_get_or_create_draft(*, invitation: Invitation) -> Response:
    """Return the invitation's response, starting a draft if there is none (only while the cycle is open)."""
    response = Response.objects.filter(invitation=invitation).select_related("cycle").first()
    if response is not None:
        return response
    invitation = Invitation.objects.select_related("cycle", "ccg").get(pk=invitation.pk)
    _require_open(invitation.cycle)
    # Two tabs may start at once: get_or_create falls back to the row the other one inserted.
    response, _ = Response.objects.get_or_create(
        invitation=invitation,
        defaults={
            "cycle": invitation.cycle,
            "ccg": invitation.ccg,
            "area_team_id": invitation.area_team_id,
            "rater_group": invitation.rater_group,
        },
    )
    return response


class DraftChangedElsewhere(Conflict):
    """Some answers were changed in another window since this page was loaded; ``codes`` names them.

    The page's other changes were saved; these were not, so that neither window's answer is lost unseen.
    """

    def __init__(self, codes: list[str], *, response: Response):
        super().__init__(MSG_CHANGED_ELSEWHERE, code="changed_elsewhere", details=codes)
        self.codes = codes
        self.response = response


def response_save_draft(*, response: Response, answers: dict, expected: dict | None = None) -> Response:
    """Merge ``answers`` ({code: value}, one section or all) into the draft; ``None`` or "" clears an answer.

    Only the codes given are written, so a page sends only what its user changed. With ``expected``
    ({code: the value the page showed}), an answer changed meanwhile by another window (its saved value
    is neither the one shown nor the new one) is not overwritten: the rest is saved, then
    ``DraftChangedElsewhere`` names those codes. Unknown codes and out-of-range values raise
    ``AnswersInvalid`` naming each question; a closed cycle or a submitted response refuses the save and
    keeps what was saved before.
    """
    response, conflicts = _response_draft_merge(response=response, answers=answers, expected=expected)
    if conflicts:
        raise DraftChangedElsewhere(conflicts, response=response)
    return response


@transaction.atomic
def _response_draft_merge(*, response: Response, answers: dict, expected: dict | None) -> tuple[Response, list[str]]:
    response = _response_lock(response)
    if response.status == ResponseStatus.SUBMITTED:
        raise Conflict(MSG_ALREADY_SUBMITTED, code="already_submitted")
    _require_open(response.cycle)
    questions = _questions(response.cycle_id)
    cleaned = answers_clean(questions, answers)
    shown = answers_clean(questions, {code: value for code, value in (expected or {}).items() if code in cleaned})
    draft = dict(response.draft)
    conflicts = []
    for code, value in cleaned.items():
        if code in shown and draft.get(code) not in (shown[code], value):
            conflicts.append(code)
            continue
        if value is None:
            draft.pop(code, None)
        else:
            draft[code] = value
    response.draft = draft
    response.save(update_fields=["draft", "updated_at"])
    return response, conflicts


def _submission_write(
    *,
    response: Response,
    questions: dict[str, Question],
    answers: dict,
    source: str,
    submitted_at: dt.datetime,
    send_receipt: bool,
) -> None:
    """Write a locked draft response's answers and mark it submitted: the one path web and import share."""
    answers = {code: value for code, value in answers.items() if value is not None}
    Answer.objects.bulk_create(_answer(response, questions[code], value) for code, value in answers.items())
    response.draft = answers
    response.status = ResponseStatus.SUBMITTED
    response.source = source
    response.submitted_at = submitted_at
    response.save(update_fields=["draft", "status", "source", "submitted_at", "updated_at"])
    Invitation.objects.filter(pk=response.invitation_id).update(submitted_at=submitted_at)
    kwargs = {
        "response_id": response.pk,
        "cycle_id": response.cycle_id,
        "area_team_id": response.area_team_id,
        "rater_group": response.rater_group,
    }
    # Inside the transaction: listeners record their tasks in the outbox with the submission itself.
    response_submitted.send(sender=Response, **kwargs)
    if send_receipt:
        enqueue_on_commit(RECEIPT_TASK, {"response_id": response.pk})


@transaction.atomic
def response_submit(*, response: Response) -> Response:
    """Submit the draft once: write its answers, stamp the invitation, and email a receipt after commit.

    Idempotent and safe when two requests meet: the response row is locked, and a response already
    submitted is returned unchanged (no error, no second set of answers).
    """
    response = _response_lock(response)
    if response.status == ResponseStatus.SUBMITTED:
        return response
    _require_open(response.cycle)
    questions = _questions(response.cycle_id)
    answers = answers_clean(questions, response.draft)
    if not any(value is not None for value in answers.values()):
        raise DomainError(MSG_NOTHING_TO_SUBMIT, code="nothing_to_submit")
    _submission_write(
        response=response,
        questions=questions,
        answers=answers,
        source=ResponseSource.WEB,
        submitted_at=timezone.now(),
        send_receipt=True,
    )
    return response


def _answer(response: Response, question: Question, value) -> Answer:
    return Answer(
        response=response,
        question=question,
        cycle_id=response.cycle_id,
        area_team_id=response.area_team_id,
        ccg_id=response.ccg_id,
        rater_group=response.rater_group,
        **answer_columns(question, value),
    )
