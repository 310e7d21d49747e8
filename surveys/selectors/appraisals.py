"""A respondent's own appraisal: their invitation, their response, its answers by section, where they stand.

CCG leads and partners only ever get their own invitation and response. The area team's self-assessment
is one response shared by the team: every active member of the area team gets it (the invitation names
the member the admin chose, but the others reach it through their area team), and nobody else does.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format

from core.errors import NotFound
from surveys.answers import answer_label
from surveys.models import (
    LEAD_GROUPS,
    Cycle,
    CycleState,
    Invitation,
    Question,
    Questionnaire,
    QuestionType,
    RaterGroup,
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
from surveys.selectors.respondents import invitations_for_respondent, is_respondent
from surveys.services.invitations import invitation_link_check, token_hash

MSG_CLOSED_ON = "This appraisal closed on {date}."
MSG_CLOSED = "This appraisal has closed."
MSG_CLOSED_SUBMITTED = " Your submitted answers have been counted."
MSG_CLOSED_DRAFT = (
    " You had not submitted your answers: they are kept, but they were not counted and can no longer be changed."
)
MSG_CLOSED_NOT_STARTED = " You did not send any answers."
MSG_NOT_OPEN = "This appraisal is not open for answers."


def invitation_for_respondent(*, user, cycle: Cycle) -> Invitation | None:
    """Return the invitation ``user`` answers in ``cycle``, or ``None`` (never anyone else's)."""
    return (
        invitations_for_respondent(user=user)
        .select_related("cycle", "ccg", "area_team", "user")
        .filter(cycle=cycle)
        .first()
    )


def response_for_respondent(*, user, cycle: Cycle) -> Response | None:
    """Return the response ``user`` answers in ``cycle`` (draft or submitted), or ``None`` (never anyone else's)."""
    invitations = invitations_for_respondent(user=user).filter(cycle=cycle)
    return Response.objects.select_related("cycle", "invitation").filter(invitation__in=invitations).first()


@dataclass(frozen=True)
class RespondentTexts:
    """How the pages name who answers and what is appraised, for one invitation's rater group.

    ``invited``: why they are here (the invitation page); ``as_whom``: who they answer as (the check page);
    ``caption``: the organisation over the page title. Never "lead" for a partner or an area team.
    """

    as_whom: str
    invited: str
    caption: str


def respondent_texts(invitation: Invitation) -> RespondentTexts:
    """Return how the journey's pages name ``invitation``'s respondent and the area team appraised."""
    group = invitation.rater_group
    area_team = invitation.area_team.name
    ccg = invitation.ccg.name if invitation.ccg_id else ""
    if group in LEAD_GROUPS:
        as_whom = f"the {invitation.get_rater_group_display().lower()} of {ccg}"
        invited = f"You are invited, as {as_whom}, to appraise how NHS England works with your CCG."
        return RespondentTexts(as_whom=as_whom, invited=invited, caption=ccg)
    if group == RaterGroup.SELF:
        return RespondentTexts(
            as_whom=f"a member of the {area_team} area team, for the whole team",
            invited=(
                f"You are invited to complete the {area_team} area team's self-assessment: the area team's own view "
                "of how it works with its CCGs and partners, answered once for the whole team."
            ),
            caption=f"{area_team} area team",
        )
    as_whom = {
        RaterGroup.PRACTICE: f"a GP member practice of {ccg}",
        RaterGroup.PATIENTS: "a patients' representative",
        RaterGroup.LOCAL_GOVERNMENT: "local government (a health and wellbeing board or local authority)",
    }[group]
    invited = f"You are invited, as {as_whom}, to appraise how NHS England's {area_team} area team works with you."
    return RespondentTexts(as_whom=as_whom, invited=invited, caption=ccg or f"{area_team} area team")


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    value: object
    label: str
    # The statement as the respondent's rater group reads it.
    text: str


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


def response_review(
    *, response: Response | None, questionnaire: Questionnaire, rater_group: str = ""
) -> list[SectionReview]:
    """Return each section with every question's saved answer and how it reads (for check-your-answers).

    Each statement is worded as ``rater_group`` reads it. ``questionnaire`` comes from
    ``questionnaire_for_cycle`` so this runs no further queries.
    """
    draft = response.draft if response is not None else {}
    review = []
    for number, section in enumerate(questionnaire.sections.all(), start=1):
        items = []
        for question in section.questions.all():
            value = draft.get(question.code)
            items.append(
                ReviewItem(
                    question=question,
                    value=value,
                    label=answer_label(question, value),
                    text=question.text_for(rater_group),
                )
            )
        review.append(SectionReview(section=section, number=number, items=items))
    return review


def invitation_for_token(*, token: str) -> Invitation:
    """Return the invitation an emailed token belongs to, without using the token up.

    Refuses unknown, used and expired tokens with the same errors as ``invitation_redeem``, so a
    page can check a link on GET (which mail scanners also fetch) and redeem it only on POST.
    """
    invitations = Invitation.objects.select_related("user", "cycle", "ccg", "area_team")
    invitation = invitations.filter(token_hash=token_hash(token)).first() if token and len(token) <= 200 else None
    invitation_link_check(invitation, now=timezone.now())
    return invitation


class AppraisalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class RespondentAppraisal:
    """Where a respondent is with one cycle's appraisal: what the start page and home page show."""

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
        """Return the area team this appraisal is about (the invitation's)."""
        return self.invitation.area_team

    @property
    def rater_group(self) -> str:
        return self.invitation.rater_group

    @property
    def is_self(self) -> bool:
        """Return whether this is the area team's self-assessment (shared by its members, attributable)."""
        return self.invitation.rater_group == RaterGroup.SELF

    @property
    def is_lead(self) -> bool:
        return self.invitation.rater_group in LEAD_GROUPS

    @property
    def texts(self) -> RespondentTexts:
        return respondent_texts(self.invitation)

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


def respondent_appraisal(*, user, year: int) -> RespondentAppraisal:
    """Return the appraisal ``user`` answers for ``year``: cycle, invitation, response and answers by section.

    Raise ``NotFound`` unless ``user`` is a lead or partner invited to a cycle they may see (drafts are
    hidden), or a member of an area team with a self-assessment in it, so a page never reveals whether
    another respondent's appraisal exists.
    """
    cycle = cycle_for_user(user=user, year=year)
    invitation = invitation_for_respondent(user=user, cycle=cycle)
    if invitation is None:
        raise NotFound(MSG_CYCLE_NOT_FOUND.format(year=year))
    response = Response.objects.select_related("cycle", "invitation").filter(invitation=invitation).first()
    questionnaire = questionnaire_for_cycle(cycle=cycle)
    return RespondentAppraisal(
        cycle=cycle,
        invitation=invitation,
        response=response,
        questionnaire=questionnaire,
        review=response_review(response=response, questionnaire=questionnaire, rater_group=invitation.rater_group),
    )


def respondent_appraisal_current(*, user) -> RespondentAppraisal | None:
    """Return ``user``'s appraisal in the cycle open now, or else in their latest closed or published cycle.

    So the home page still says where a respondent stands after the cycle closes (closed before they
    submitted, or the results are out); ``None`` for a user who answers in no such cycle.
    """
    if not is_respondent(user):
        return None
    invited = invitations_for_respondent(user=user).filter(cycle__state__in=_LEAD_VISIBLE_STATES)
    cycle = cycle_current_open()
    if cycle is None or not invited.filter(cycle=cycle).exists():
        latest = invited.order_by("-cycle__year").values_list("cycle__year", flat=True).first()
        return None if latest is None else respondent_appraisal(user=user, year=latest)
    return respondent_appraisal(user=user, year=cycle.year)
