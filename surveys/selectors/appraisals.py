"""A lead's own appraisal: their invitation, their response, its answers by section, where they stand.

A lead only ever gets their own invitation and response.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format

from core.errors import NotFound
from surveys.answers import answer_label
from surveys.models import (
    Cycle,
    CycleState,
    Invitation,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    ResponseStatus,
    Section,
)
from surveys.selectors.cycles import (
    _LEAD_VISIBLE_STATES,
    MSG_CYCLE_NOT_FOUND,
    cycle_current_open,
    cycle_for_user,
    questionnaire_for_cycle,
)
from surveys.services.invitations import invitation_link_check, token_hash

MSG_CLOSED_ON = "This appraisal closed on {date}."
MSG_CLOSED = "This appraisal has closed."
MSG_CLOSED_SUBMITTED = " Your submitted answers have been counted."
MSG_CLOSED_DRAFT = (
    " You had not submitted your answers: they are kept, but they were not counted and can no longer be changed."
)
MSG_CLOSED_NOT_STARTED = " You did not send any answers."
MSG_NOT_OPEN = "This appraisal is not open for answers."


def invitation_for_lead(*, user, cycle: Cycle) -> Invitation | None:
    """Return ``user``'s own invitation to ``cycle``, or ``None`` (never anyone else's)."""
    if not (user and user.is_authenticated and user.is_lead):
        return None
    return Invitation.objects.select_related("cycle", "ccg", "area_team").filter(cycle=cycle, user=user).first()


def response_for_lead(*, user, cycle: Cycle) -> Response | None:
    """Return ``user``'s own response in ``cycle`` (draft or submitted), or ``None`` (never anyone else's)."""
    if not (user and user.is_authenticated and user.is_lead):
        return None
    return Response.objects.select_related("cycle", "invitation").filter(cycle=cycle, invitation__user=user).first()


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    value: object
    label: str


@dataclass(frozen=True)
class SectionReview:
    section: Section
    number: int
    items: list[ReviewItem]

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.value is not None)

    @property
    def statements(self) -> list[ReviewItem]:
        """Return the items that are statements to rate (not the comment boxes)."""
        return [item for item in self.items if item.question.type != QuestionType.FREE_TEXT]

    @property
    def statements_answered(self) -> int:
        return sum(1 for item in self.statements if item.value is not None)


def response_review(*, response: Response | None, questionnaire: Questionnaire) -> list[SectionReview]:
    """Return each section with every question's saved answer and how it reads (for check-your-answers).

    ``questionnaire`` comes from ``questionnaire_for_cycle`` so this runs no further queries.
    """
    draft = response.draft if response is not None else {}
    review = []
    for number, section in enumerate(questionnaire.sections.all(), start=1):
        items = []
        for question in section.questions.all():
            value = draft.get(question.code)
            items.append(ReviewItem(question=question, value=value, label=answer_label(question, value)))
        review.append(SectionReview(section=section, number=number, items=items))
    return review


def invitation_for_token(*, token: str) -> Invitation:
    """Return the invitation an emailed token belongs to, without using the token up.

    Refuses unknown, used and expired tokens with the same errors as ``invitation_redeem``, so a
    page can check a link on GET (which mail scanners also fetch) and redeem it only on POST.
    """
    invitation = (
        Invitation.objects.select_related("user", "cycle").filter(token_hash=token_hash(token)).first()
        if token and len(token) <= 200
        else None
    )
    invitation_link_check(invitation, now=timezone.now())
    return invitation


class AppraisalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class LeadAppraisal:
    """Where a lead is with one cycle's appraisal: what the start page and home page show."""

    cycle: Cycle
    invitation: Invitation
    response: Response | None
    questionnaire: Questionnaire
    review: list[SectionReview]

    @property
    def status(self) -> AppraisalStatus:
        if self.response is not None and self.response.status == ResponseStatus.SUBMITTED:
            return AppraisalStatus.SUBMITTED
        if self.sections_started:
            return AppraisalStatus.IN_PROGRESS
        return AppraisalStatus.NOT_STARTED

    @property
    def is_open(self) -> bool:
        return self.cycle.state == CycleState.OPEN

    @property
    def sections_total(self) -> int:
        return len(self.review)

    @property
    def sections_started(self) -> int:
        return sum(1 for section in self.review if section.answered)

    @property
    def answered(self) -> int:
        return sum(section.answered for section in self.review)

    @property
    def statements_unanswered(self) -> int:
        """Return how many statements (not comment boxes) have no answer: what the check page warns about."""
        return sum(len(section.statements) - section.statements_answered for section in self.review)

    @property
    def blank_warning(self) -> int:
        """Return the blank statements to warn about before submitting (none until something is answered)."""
        return self.statements_unanswered if self.answered else 0

    @property
    def area_team(self):
        """Return the area team this appraisal is about: the invitation's CCG's area team."""
        return self.invitation.area_team

    @property
    def next_section(self) -> Section | None:
        """Return the first section with no answer yet (``None`` once every section has one)."""
        return next((section.section for section in self.review if not section.answered), None)

    @property
    def closed_message(self) -> str:
        """Return what the lead is told once the cycle no longer takes answers ("" while it is open)."""
        if self.is_open:
            return ""
        if self.cycle.state == CycleState.DRAFT:
            return MSG_NOT_OPEN
        closed_on = timezone.localdate(self.cycle.closed_at) if self.cycle.closed_at else self.cycle.closes_on
        message = MSG_CLOSED_ON.format(date=date_format(closed_on, "j F Y")) if closed_on else MSG_CLOSED
        if self.status == AppraisalStatus.SUBMITTED:
            return message + MSG_CLOSED_SUBMITTED
        if self.status == AppraisalStatus.IN_PROGRESS:
            return message + MSG_CLOSED_DRAFT
        return message + MSG_CLOSED_NOT_STARTED

    @property
    def reference(self) -> str:
        """Return the response's reference (``Response.reference``), blank while there is no response."""
        return self.response.reference if self.response is not None else ""


def lead_appraisal(*, user, year: int) -> LeadAppraisal:
    """Return ``user``'s own appraisal for ``year``: cycle, invitation, response and answers by section.

    Raise ``NotFound`` unless ``user`` is a lead invited to a cycle they may see (drafts are hidden),
    so a page never reveals whether another lead's appraisal exists.
    """
    cycle = cycle_for_user(user=user, year=year)
    invitation = invitation_for_lead(user=user, cycle=cycle)
    if invitation is None:
        raise NotFound(MSG_CYCLE_NOT_FOUND.format(year=year))
    response = response_for_lead(user=user, cycle=cycle)
    questionnaire = questionnaire_for_cycle(cycle=cycle)
    return LeadAppraisal(
        cycle=cycle,
        invitation=invitation,
        response=response,
        questionnaire=questionnaire,
        review=response_review(response=response, questionnaire=questionnaire),
    )


def lead_appraisal_current(*, user) -> LeadAppraisal | None:
    """Return ``user``'s appraisal in the cycle open now, or else in their latest closed or published cycle.

    So the home page still says where a lead stands after the cycle closes (closed before they submitted,
    or the results are out); ``None`` for a user who is not a lead invited to such a cycle.
    """
    if not (user and user.is_authenticated and user.is_lead):
        return None
    invited = Invitation.objects.filter(user=user, cycle__state__in=_LEAD_VISIBLE_STATES)
    cycle = cycle_current_open()
    if cycle is None or not invited.filter(cycle=cycle).exists():
        latest = invited.order_by("-cycle__year").values_list("cycle__year", flat=True).first()
        return None if latest is None else lead_appraisal(user=user, year=latest)
    return lead_appraisal(user=user, year=cycle.year)
