"""Whose results a cycle shows (comments, scorecards and exports all ask): nobody sees figures during fieldwork."""

from core.errors import NotFound, PermissionDenied
from surveys.models import (
    Cycle,
    CycleState,
)

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
