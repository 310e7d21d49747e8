"""The local demo's cycle: an open cycle for the current year with the demo lead invited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from surveys.models import Cycle, CycleState, Invitation
from surveys.services.cycles import cycle_create, cycle_set_state

DEMO_LEAD_EMAIL = "lead@example.nhs.uk"


@transaction.atomic
def demo_cycle_ensure() -> tuple[Cycle, bool]:
    """Make sure this year's cycle exists, is open (unless moved past open) and invites the demo lead.

    Return the cycle and whether anything was created; safe to run any number of times.
    """
    today = timezone.localdate()
    created = False
    cycle = Cycle.objects.filter(year=today.year).first()
    if cycle is None:
        cycle = cycle_create(year=today.year, opens_on=today, closes_on=today + dt.timedelta(weeks=8))
        created = True
    if cycle.state == CycleState.DRAFT:
        cycle = cycle_set_state(cycle=cycle, state=CycleState.OPEN)
    lead = User.objects.get(email=DEMO_LEAD_EMAIL)
    _, invited = Invitation.objects.get_or_create(
        cycle=cycle,
        user=lead,
        defaults={"ccg": lead.ccg, "area_team_id": lead.ccg.area_team_id, "rater_group": lead.lead_role},
    )
    return cycle, created or invited
