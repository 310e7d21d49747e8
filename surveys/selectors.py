"""Reads of the surveys app, each scoped to the caller: a lead only ever gets their own invitation and response."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import LeadRole
from core.errors import DomainError, NotFound, PermissionDenied
from organisations.models import CCG, ENGLAND_CODE, AreaTeam, Region
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
from surveys.services.invitations import (
    MSG_LINK_EXPIRED,
    MSG_LINK_UNKNOWN,
    MSG_LINK_USED,
    reminders_count_due,
    token_hash,
)

MSG_CYCLE_NOT_FOUND = "There is no appraisal for {year} that you can see."
MSG_CLOSED_ON = "This appraisal closed on {date}."
MSG_CLOSED = "This appraisal has closed."
MSG_CLOSED_SUBMITTED = " Your submitted answers have been counted."
MSG_CLOSED_DRAFT = (
    " You had not submitted your answers: they are kept, but they were not counted and can no longer be changed."
)
MSG_CLOSED_NOT_STARTED = " You did not send any answers."
MSG_NOT_OPEN = "This appraisal is not open for answers."

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
        return self.invitation.ccg.area_team

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


def cycles_with_counts(*, user) -> QuerySet[Cycle]:
    """Return the cycles ``user`` may see, each annotated with ``invited`` and ``submitted`` counts.

    One query however many cycles: the counts are conditional aggregates over invitations.
    """
    return cycles_for_user(user=user).annotate(
        invited=Count("invitations", distinct=True),
        submitted=Count("invitations", filter=Q(invitations__submitted_at__isnull=False), distinct=True),
    )


# What a change of a cycle's state will do, said on its confirmation page -------------------------------


@dataclass(frozen=True)
class StateChange:
    """The confirmation page's content for moving ``cycle`` to ``state``: what happens, and to how many people."""

    cycle: Cycle
    state: str
    heading: str
    consequences: list[str]
    button: str
    warning: bool
    early: bool = False


def _day(value) -> str:
    return date_format(value, "j F Y")


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def cycle_state_change(*, cycle: Cycle, state: str, today=None) -> StateChange:
    """Return what moving ``cycle`` to ``state`` will do, for the page that asks an admin to confirm it."""
    from accounts.models import User, UserRole

    today = today or timezone.localdate()
    year = cycle.year
    invitations = Invitation.objects.filter(cycle=cycle)
    invited = invitations.count()
    submitted = invitations.filter(submitted_at__isnull=False).count()
    not_submitted = invited - submitted
    if state == CycleState.OPEN and cycle.state == CycleState.DRAFT:
        early = bool(cycle.opens_on and today < cycle.opens_on)
        questions = Question.objects.filter(questionnaire__cycle=cycle).count()
        unsent = invitations.filter(sent_at__isnull=True).count()
        consequences = []
        if early:
            consequences.append(
                f"The {year} cycle is due to open on {_day(cycle.opens_on)}. Opening it now, on {_day(today)}, "
                "lets invited leads start answering today."
            )
        consequences += [
            f"The questionnaire is frozen: its {questions} questions cannot change after this.",
            f"{_people(invited, 'lead is', 'leads are')} invited. Opening the cycle sends no email: "
            f"{_people(unsent, 'invitation has', 'invitations have')} not been sent yet, and are sent from the "
            "cycle page.",
        ]
        heading = f"Are you sure you want to open the {year} cycle{' early' if early else ''}?"
        return StateChange(cycle, state, heading, consequences, "Open the cycle", warning=early, early=early)
    if state == CycleState.OPEN:
        consequences = [
            "Leads can save and submit answers again. "
            f"{_people(not_submitted, 'invited lead has', 'invited leads have')} not submitted.",
            "Results stay unpublished while the cycle is open.",
        ]
        heading = f"Are you sure you want to reopen the {year} cycle?"
        return StateChange(cycle, state, heading, consequences, "Reopen the cycle", warning=False)
    if state == CycleState.CLOSED:
        early = bool(cycle.closes_on and today < cycle.closes_on)
        consequences = []
        if early:
            days = (cycle.closes_on - today).days
            consequences.append(
                f"The {year} cycle is due to close on {_day(cycle.closes_on)}, in {_people(days, 'day', 'days')}. "
                f"Closing it now makes today, {_day(today)}, its closing date."
            )
        consequences += [
            f"{not_submitted} of the {_people(invited, 'invited lead', 'invited leads')} "
            f"{'has' if not_submitted == 1 else 'have'} not submitted. They can no longer save or submit; their saved "
            "answers are kept but not counted.",
            f"{_people(submitted, 'submitted response is', 'submitted responses are')} counted. Comments go to "
            "moderation.",
            "You can reopen the cycle later if you need to.",
        ]
        heading = f"Are you sure you want to close the {year} cycle{' early' if early else ''}?"
        return StateChange(cycle, state, heading, consequences, "Close the cycle", warning=True, early=early)
    if state == CycleState.PUBLISHED:
        members = User.objects.filter(role=UserRole.AREA_TEAM_MEMBER, is_active=True).count()
        consequences = [
            f"The {year} results become visible to the {_people(invited, 'invited lead', 'invited leads')} and "
            f"{_people(members, 'area team member', 'area team members')}, figures for groups smaller than the "
            "threshold still hidden.",
            f"The results are based on {_people(submitted, 'submitted response', 'submitted responses')}.",
            "Publishing cannot be undone: the cycle cannot be reopened after this.",
        ]
        heading = f"Are you sure you want to publish the {year} results?"
        return StateChange(cycle, state, heading, consequences, "Publish the results", warning=True)
    raise NotFound("There is no such change for this cycle.")


# Whose results a cycle shows (comments, scorecards and exports all ask) ------------------------

MSG_NO_APPRAISAL = "There is no appraisal for {year}."
MSG_NOT_PUBLISHED = "Results for {year} are not published yet."
MSG_RESULTS_AFTER_FIELDWORK = (
    "The {year} appraisal is still open: its results appear when the cycle closes{on}. Until then only "
    "response counts and rates are shown, so that no one can work out a respondent's answers from "
    "figures that move as each response arrives."
)


class ResultsNotYetAvailable(PermissionDenied):
    """A cycle's results asked for while its fieldwork is open (nobody sees figures then)."""

    title = "Results appear when the appraisal closes"

    def __init__(self, cycle: Cycle):
        on = f" on {cycle.closes_on.day} {cycle.closes_on:%B %Y}" if cycle.closes_on else ""
        super().__init__(MSG_RESULTS_AFTER_FIELDWORK.format(year=cycle.year, on=on), code="results_after_fieldwork")
        self.cycle = cycle


def cycle_readable_by(*, user, year: int) -> Cycle:
    """Return the cycle of ``year`` if ``user`` may read its results: NHSCC staff once fieldwork has
    closed, everyone signed in once published; nobody while it is open."""
    return cycle_check_readable(user=user, year=year, cycle=Cycle.objects.filter(year=year).first())


def cycle_rates_readable_by(*, user, year: int) -> Cycle:
    """Return the cycle of ``year`` if ``user`` may read its response counts and rates: NHSCC staff during
    fieldwork and after (for chasing), everyone else once published (counts only, never figures)."""
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None or cycle.state == CycleState.DRAFT:
        raise NotFound(MSG_NO_APPRAISAL.format(year=year))
    if user.is_nhscc or (user.role and cycle.state == CycleState.PUBLISHED):
        return cycle
    raise PermissionDenied(MSG_NOT_PUBLISHED.format(year=year))


def cycle_check_readable(*, user, year: int, cycle: Cycle | None) -> Cycle:
    """Return ``cycle`` (already read, or None if there is none for ``year``) if ``user`` may read its results."""
    if cycle is None or cycle.state == CycleState.DRAFT:
        raise NotFound(MSG_NO_APPRAISAL.format(year=year))
    if cycle.state == CycleState.OPEN:
        raise ResultsNotYetAvailable(cycle)
    if user.is_nhscc:
        return cycle
    if user.role and cycle.state == CycleState.PUBLISHED:
        return cycle
    raise PermissionDenied(MSG_NOT_PUBLISHED.format(year=year))


def latest_results_cycle(*, user, fieldwork: bool = False) -> Cycle | None:
    """Return the cycle a "latest results" link leads ``user`` to, or None if there is none yet.

    NHSCC staff: the open cycle for fieldwork, else the latest closed or published cycle; everyone
    else: the latest published cycle.
    """
    cycles = Cycle.objects.order_by("-year")
    if not user.is_nhscc:
        return cycles.filter(state=CycleState.PUBLISHED).first()
    if fieldwork:
        open_cycle = cycles.filter(state=CycleState.OPEN).first()
        if open_cycle:
            return open_cycle
        return cycles.exclude(state=CycleState.DRAFT).first()
    return cycles.filter(state__in=(CycleState.CLOSED, CycleState.PUBLISHED)).first()


def results_cycles(*, user) -> list[Cycle]:
    """Return the cycles whose results ``user`` may open, newest first (never one still in fieldwork)."""
    states = (CycleState.CLOSED, CycleState.PUBLISHED) if user.is_nhscc else (CycleState.PUBLISHED,)
    return list(Cycle.objects.order_by("-year").filter(state__in=states))


def cycles_with_responses() -> list[int]:
    """Return the ids of cycles with at least one submitted response."""
    return list(
        Cycle.objects.filter(responses__status=ResponseStatus.SUBMITTED).distinct().values_list("pk", flat=True)
    )


# Fieldwork: response rates and who is yet to respond (invitations only, never answers) -----------


def _rate(invited: int, responded: int) -> float | None:
    return round(100 * responded / invited, 1) if invited else None


def response_rates(*, cycle: Cycle) -> dict:
    """Return invited, responded and rate, and CCGs in scope and with a response, by level and lead role.

    Computed by GROUP BY over the cycle's invitations (hundreds of rows), grouped by each CCG's area team.
    """
    submitted = Q(submitted_at__isnull=False)
    per_ccg = (
        Invitation.objects.filter(cycle=cycle)
        .values("ccg_id", "ccg__ods_code", "ccg__area_team__ods_code", "ccg__area_team__region__ods_code", "lead_role")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=submitted))
        .order_by()
    )
    totals: dict = {}

    def add(key, row):
        entry = totals.setdefault(key, {"invited": 0, "responded": 0, "ccgs": set(), "ccgs_responding": set()})
        entry["invited"] += row["invited"]
        entry["responded"] += row["responded"]
        entry["ccgs"].add(row["ccg_id"])
        if row["responded"]:
            entry["ccgs_responding"].add(row["ccg_id"])

    for row in per_ccg:
        add(("england", ENGLAND_CODE), row)
        add(("region", row["ccg__area_team__region__ods_code"]), row)
        add(("area_team", row["ccg__area_team__ods_code"]), row)
        add(("lead_role", row["lead_role"]), row)

    def entry(key, name, **extra):
        e = totals.get(key, {"invited": 0, "responded": 0, "ccgs": set(), "ccgs_responding": set()})
        return {
            "code": key[1],
            "name": name,
            **extra,
            "invited": e["invited"],
            "responded": e["responded"],
            "rate": _rate(e["invited"], e["responded"]),
            "ccgs_in_scope": len(e["ccgs"]),
            "ccgs_responding": len(e["ccgs_responding"]),
        }

    return {
        "england": entry(("england", ENGLAND_CODE), "England"),
        "regions": [entry(("region", r.ods_code), r.name) for r in Region.objects.order_by("ods_code")],
        "area_teams": [
            entry(("area_team", at.ods_code), at.name, region=at.region.ods_code)
            for at in AreaTeam.objects.select_related("region").order_by("ods_code")
        ],
        "lead_roles": [entry(("lead_role", value), label) for value, label in LeadRole.choices],
    }


def fieldwork_dashboard(*, cycle: Cycle) -> dict:
    """Return response rates by level and lead role, the CCGs with no response yet, and reminders due.

    Names of CCGs only: never which lead did or did not answer what.
    """
    rates = response_rates(cycle=cycle)
    silent = (
        CCG.objects.filter(invitations__cycle=cycle)
        .annotate(
            submitted=Count("invitations", filter=Q(invitations__cycle=cycle, invitations__submitted_at__isnull=False))
        )
        .filter(submitted=0)
        .order_by("area_team__name", "name")
        .values("name", "ods_code", "area_team__name", "area_team__ods_code")
    )
    by_area_team: dict = {}
    for ccg in silent:
        by_area_team.setdefault((ccg["area_team__ods_code"], ccg["area_team__name"]), []).append(ccg)
    regions = {r["code"]: r for r in rates["regions"]}
    for region in regions.values():
        region["area_teams"] = []
    for at in rates["area_teams"]:
        regions[at["region"]]["area_teams"].append(at)
    return {
        **rates,
        "regions_with_area_teams": list(regions.values()),
        "non_responding": [{"code": code, "name": name, "ccgs": ccgs} for (code, name), ccgs in by_area_team.items()],
        "non_responding_count": sum(len(ccgs) for ccgs in by_area_team.values()),
        "reminders_due": reminders_count_due() if cycle.state == CycleState.OPEN else 0,
        "is_open": cycle.state == CycleState.OPEN,
    }
