"""Reads of the surveys app, each scoped to the caller: a lead only ever gets their own invitation and response."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from core.errors import NotFound
from surveys.answers import answer_label
from surveys.models import Cycle, CycleState, Invitation, Question, Questionnaire, Response, Section

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
