"""Reads of cycles and their questionnaires, scoped to the caller (drafts are for NHSCC staff only)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import UserRole
from core.errors import NotFound
from surveys.models import (
    Cycle,
    CycleState,
    Question,
    Questionnaire,
    ResponseStatus,
    Section,
)
from surveys.selectors.respondents import cycles_answered_by

MSG_CYCLE_NOT_FOUND = "There is no appraisal for {year} that you can see."


_LEAD_VISIBLE_STATES = (CycleState.OPEN, CycleState.CLOSED, CycleState.PUBLISHED)


def cycles_for_user(*, user) -> QuerySet[Cycle]:
    """Return the cycles ``user`` may see, newest first.

    NHSCC staff see every cycle (drafts included, to prepare them); a lead or partner sees the open,
    closed and published cycles they are invited to; an area team member sees published cycles, and the
    open and closed ones in which their area team has a self-assessment to answer.
    """
    qs = Cycle.objects.order_by("-year")
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_nhscc:
        return qs
    answered = cycles_answered_by(user=user)
    if user.is_lead or user.role == UserRole.PARTNER:
        return qs.filter(answered, state__in=_LEAD_VISIBLE_STATES)
    if user.is_area_team_member:
        return qs.filter(Q(state=CycleState.PUBLISHED) | (Q(answered) & Q(state__in=_LEAD_VISIBLE_STATES)))
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


def cycles_with_counts(*, user) -> QuerySet[Cycle]:
    """Return the cycles ``user`` may see, each annotated with ``invited`` and ``submitted`` counts.

    One query however many cycles: the counts are conditional aggregates over invitations.
    """
    return cycles_for_user(user=user).annotate(
        invited=Count("invitations", distinct=True),
        submitted=Count("invitations", filter=Q(invitations__submitted_at__isnull=False), distinct=True),
    )


def cycles_with_responses() -> list[int]:
    """Return the ids of cycles with at least one submitted response."""
    return list(
        Cycle.objects.filter(responses__status=ResponseStatus.SUBMITTED).distinct().values_list("pk", flat=True)
    )
