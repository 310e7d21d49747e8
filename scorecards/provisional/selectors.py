"""Reads of provisional snapshots (admins only): the list, what the next one would hold, one snapshot's page."""

from dataclasses import dataclass

from django.conf import settings

from core.errors import NotFound, PermissionDenied
from scorecards.models import AppliedResponse, Level, ProvisionalSnapshot
from scorecards.results.scorecard_page import ScorecardPage, organisation, scorecard_page_fill
from scorecards.services.provisional import MSG_ADMINS_ONLY
from surveys.models import Cycle, CycleState

MSG_NO_SNAPSHOT = "There is no provisional snapshot {pk} of the {year} cycle."
MSG_NO_CYCLE = "There is no {year} cycle."


@dataclass
class NextSnapshot:
    """What building a snapshot now would take in: responses counted, and how many since the last one."""

    responses: int
    since_last: int
    last: ProvisionalSnapshot | None
    min_base: int
    is_open: bool

    @property
    def enough(self) -> bool:
        return self.is_open and self.since_last >= self.min_base


def check_admin(user) -> None:
    """Raise unless ``user`` is an admin: snapshots are never shown to analysts, area teams or leads."""
    if not (user.is_authenticated and user.is_admin):
        raise PermissionDenied(MSG_ADMINS_ONLY)


def provisional_cycle(*, user, year: int) -> Cycle:
    """Return the cycle of ``year`` for an admin's snapshot pages (any state but draft)."""
    check_admin(user)
    cycle = Cycle.objects.exclude(state=CycleState.DRAFT).filter(year=year).first()
    if cycle is None:
        raise NotFound(MSG_NO_CYCLE.format(year=year))
    return cycle


def provisional_snapshots(*, user, cycle: Cycle) -> list[ProvisionalSnapshot]:
    """Return the cycle's snapshots, newest first, with who built them."""
    check_admin(user)
    return list(ProvisionalSnapshot.objects.filter(cycle=cycle).select_related("built_by").order_by("-built_at", "-pk"))


def next_snapshot(*, user, cycle: Cycle) -> NextSnapshot:
    """Return how many responses a snapshot built now would count, and how many arrived since the last one."""
    check_admin(user)
    last = ProvisionalSnapshot.objects.filter(cycle=cycle).order_by("-built_at", "-pk").first()
    responses = AppliedResponse.objects.filter(cycle=cycle).count()
    return NextSnapshot(
        responses=responses,
        since_last=responses - (last.responses if last else 0),
        last=last,
        min_base=settings.SUPPRESSION_MIN_BASE,
        is_open=cycle.state == CycleState.OPEN,
    )


def provisional_snapshot(*, user, cycle: Cycle, pk: int) -> ProvisionalSnapshot:
    """Return one snapshot of ``cycle`` (404 if it is another cycle's or none)."""
    check_admin(user)
    snapshot = ProvisionalSnapshot.objects.filter(cycle=cycle, pk=pk).select_related("built_by").first()
    if snapshot is None:
        raise NotFound(MSG_NO_SNAPSHOT.format(pk=pk, year=cycle.year))
    return snapshot


def provisional_page(*, user, snapshot: ProvisionalSnapshot, level: str, code: str | None) -> ScorecardPage:
    """Return the scorecard page of one organisation in ``snapshot``, as the published pages present it.

    No trend: a snapshot is not a year's result.
    """
    check_admin(user)
    org = organisation(user=user, level=level, code=code if level != Level.ENGLAND else None)
    page = ScorecardPage(
        cycle=snapshot.cycle,
        org=org,
        scorecard_set=snapshot.scorecard_set,
        trend_sets=[(snapshot.cycle.year, snapshot.scorecard_set_id)],
    )
    return scorecard_page_fill(page)
