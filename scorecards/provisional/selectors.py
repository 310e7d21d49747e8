"""Reads of provisional snapshots (admins only): the list, what the next one would hold, one snapshot's page."""

from dataclasses import dataclass

from django.conf import settings

from core.errors import NotFound, PermissionDenied
from scorecards.models import AppliedResponse, Level, ProvisionalSnapshot, Scorecard
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

    No trend: a snapshot is not a year's result; and each lead counts once only (a snapshot has no "each CCG
    counts once" view: ``provisional_snapshot_build``).
    """
    check_admin(user)
    org = organisation(user=user, level=level, code=code if level != Level.ENGLAND else None)
    page = ScorecardPage(
        cycle=snapshot.cycle,
        org=org,
        scorecard_set=snapshot.scorecard_set,
        trend_sets=[(snapshot.cycle.year, snapshot.scorecard_set_id)],
        offers_weighting=False,
    )
    return scorecard_page_fill(page)


PROVISIONAL = "PROVISIONAL"
CSV_COLUMNS = (
    "status",
    "snapshot_built_at",
    "level",
    "org_code",
    "org_name",
    "rater_group",
    "kind",
    "code",
    "label",
    "hidden",
    "hidden_reason",
    "base",
    "n5",
    "n4",
    "n3",
    "n2",
    "n1",
    "dont_know",
    "pct_positive",
    "pct_positive_low",
    "pct_positive_high",
    "score",
    "score_low",
    "score_high",
)
_TEXT_COLUMNS = {"org_name", "label"}


def _safe(value) -> str:
    """Return text a spreadsheet will not run as a formula (a leading =, +, - or @ is quoted with ')."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def provisional_csv_rows(*, user, snapshot: ProvisionalSnapshot):
    """Yield the snapshot's rows for its CSV file, every one marked PROVISIONAL, header first."""
    check_admin(user)
    yield list(CSV_COLUMNS)
    built_at = snapshot.built_at.isoformat(timespec="seconds")
    for row in Scorecard.objects.filter(scorecard_set_id=snapshot.scorecard_set_id).order_by(
        "order", "level", "org_code", "rater_group"
    ):
        values = {"status": PROVISIONAL, "snapshot_built_at": built_at, "hidden": "yes" if row.suppressed else ""}
        values["hidden_reason"] = row.suppression_reason
        out = []
        for column in CSV_COLUMNS:
            value = values[column] if column in values else getattr(row, column)
            out.append(_safe(value) if column in _TEXT_COLUMNS else ("" if value is None else value))
        yield out
