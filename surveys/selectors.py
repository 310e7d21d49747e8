"""Reads of the surveys app, each scoped to the caller: a lead only ever gets their own invitation and response."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.errors import DomainError, NotFound
from surveys.answers import answer_label
from surveys.models import (
    Cycle,
    CycleState,
    Invitation,
    Question,
    Questionnaire,
    Response,
    ResponseStatus,
    Section,
)
from surveys.services.invitations import MSG_LINK_EXPIRED, MSG_LINK_UNKNOWN, MSG_LINK_USED, token_hash

MSG_CYCLE_NOT_FOUND = "There is no appraisal for {year} that you can see."

_LEAD_VISIBLE_STATES = (CycleState.OPEN, CycleState.CLOSED, CycleState.PUBLISHED)


def cycles_for_user(*, user) -> QuerySet[Cycle]:
    """Return the cycles ``user`` may see, newest first.

    NHSCC staff see every cycle (drafts included, to prepare them); a lead sees the open, closed and
    published cycles they are invited to; an area team member sees published cycles only.
    """
    qs = Cycle.objects.order_by("-year")
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_nhscc:
        return qs
    if user.is_lead:
        return qs.filter(state__in=_LEAD_VISIBLE_STATES, invitations__user=user)
    if user.is_area_team_member:
        return qs.filter(state=CycleState.PUBLISHED)
    return qs.none()


def cycle_for_user(*, user, year: int) -> Cycle:
    """Return the cycle of ``year`` if ``user`` may see it; otherwise raise ``NotFound`` (never a 403 leak)."""
    cycle = cycles_for_user(user=user).filter(year=year).first()
    if cycle is None:
        raise NotFound(MSG_CYCLE_NOT_FOUND.format(year=year))
    return cycle


def cycle_current_open() -> Cycle | None:
    """Return the cycle open for answers now, if any (there is at most one)."""
    return Cycle.objects.filter(state=CycleState.OPEN).first()


def questionnaire_for_cycle(*, cycle: Cycle) -> Questionnaire:
    """Return ``cycle``'s questionnaire with its sections and their questions (tags included) prefetched.

    A fixed number of queries however many questions: the questionnaire, its sections, their questions.
    """
    questions = Question.objects.select_related("behaviour", "role").order_by("order", "pk")
    sections = Section.objects.order_by("order", "pk").prefetch_related(Prefetch("questions", queryset=questions))
    questionnaire = (
        Questionnaire.objects.select_related("cycle")
        .prefetch_related(Prefetch("sections", queryset=sections))
        .filter(cycle=cycle)
        .first()
    )
    if questionnaire is None:
        raise NotFound("This cycle has no questionnaire.")
    return questionnaire


def invitation_for_lead(*, user, cycle: Cycle) -> Invitation | None:
    """Return ``user``'s own invitation to ``cycle``, or ``None`` (never anyone else's)."""
    if not (user and user.is_authenticated and user.is_lead):
        return None
    return Invitation.objects.select_related("cycle", "ccg__area_team").filter(cycle=cycle, user=user).first()


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
    if invitation is None:
        raise DomainError(MSG_LINK_UNKNOWN, code="token_unknown", status=404)
    if invitation.token_used_at is not None:
        raise DomainError(MSG_LINK_USED, code="token_used", status=410)
    if invitation.token_expires_at is None or invitation.token_expires_at <= timezone.now():
        raise DomainError(MSG_LINK_EXPIRED, code="token_expired", status=410)
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
    def next_section(self) -> Section | None:
        """Return the first section with no answer yet (``None`` once every section has one)."""
        return next((section.section for section in self.review if not section.answered), None)

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
    """Return ``user``'s appraisal in the cycle open now, if they are a lead invited to it."""
    cycle = cycle_current_open()
    if cycle is None or not (user and user.is_authenticated and user.is_lead):
        return None
    if not Invitation.objects.filter(cycle=cycle, user=user).exists():
        return None
    return lead_appraisal(user=user, year=cycle.year)


def cycles_with_counts(*, user) -> QuerySet[Cycle]:
    """Return the cycles ``user`` may see, each annotated with ``invited`` and ``submitted`` counts.

    One query however many cycles: the counts are conditional aggregates over invitations.
    """
    return cycles_for_user(user=user).annotate(
        invited=Count("invitations", distinct=True),
        submitted=Count("invitations", filter=Q(invitations__submitted_at__isnull=False), distinct=True),
    )
