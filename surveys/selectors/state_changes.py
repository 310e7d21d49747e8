"""What a change of a cycle's state will do, said on its confirmation page."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from core.errors import NotFound
from surveys.models import (
    Cycle,
    CycleState,
    Invitation,
    Question,
)


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
