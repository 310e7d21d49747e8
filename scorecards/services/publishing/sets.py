"""Build a cycle's published scorecard set from its aggregates, as one atomic, versioned set."""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.db import rows_insert
from scorecards.models import (
    EACH_CCG,
    AppliedResponse,
    Level,
    Scorecard,
    ScorecardSet,
    ScorecardState,
)
from scorecards.services.publishing.cells import _change, _empty, _level_of, _previous_cycle, figures, rolled_up
from scorecards.services.publishing.hiding import suppression
from scorecards.services.publishing.items import RESULTS_STATES, cycle_items, cycle_views
from scorecards.services.publishing.weighted import ccg_cells, class_cells, weighted_figures
from surveys.models import Cycle


def _comparison_figures(cycle_id: int, min_base: int) -> tuple[dict, dict, dict]:
    """Return (sums, suppression reasons, {(kind, code): Item}) of a cycle compared against."""
    items = cycle_items(cycle_id)
    sums, orgs = rolled_up(cycle_id, items)
    reasons = suppression(sums, orgs, min_base, items, classes=class_cells(ccg_cells(cycle_id)))
    return sums, reasons, {(i.kind, i.code): i for i in items}


def scorecard_rows(cycle: Cycle, min_base: int, *, hide=None, each_ccg: bool = True) -> Iterator[dict]:
    """Yield every published cell of ``cycle`` as a dict of Scorecard fields (no set attached).

    One at a time: a cycle publishes tens of thousands of cells, and a list of them all as dicts was most
    of a publish's memory (the worker keeps the high-water mark of its heap).

    ``hide(sums)``, if given, returns more cells to hide as if their base were too small (a provisional
    snapshot's cells that too few people changed since the last one). ``each_ccg``: with the "each CCG
    counts once" rows (``weighted``).
    """
    items = cycle_items(cycle.pk)
    sums, orgs = rolled_up(cycle.pk, items)
    by_ccg = ccg_cells(cycle.pk) if each_ccg else {}
    reasons = suppression(
        sums, orgs, min_base, items, extra_primary=hide(sums) if hide else (), classes=class_cells(by_ccg)
    )
    views = cycle_views({key[4] for key in sums})
    previous = _previous_cycle(cycle)
    previous_sums, previous_reasons, previous_items = {}, {}, {}
    if previous is not None:
        previous_sums, previous_reasons, previous_items = _comparison_figures(previous.pk, min_base)
    for item in items:
        comparable = previous_items.get((item.kind, item.code))
        comparable = comparable is not None and comparable.signature == item.signature
        for org, (name, parent) in orgs.items():
            level = _level_of(org, orgs)
            leads_row = None
            for rater_group in views:
                key = (level, org, item.kind, item.code, rater_group)
                row = {
                    "level": level,
                    "org_code": org,
                    "org_name": name,
                    "parent_code": "" if level == Level.ENGLAND else parent,
                    "kind": item.kind,
                    "code": item.code,
                    "label": item.label,
                    "behaviour_code": item.behaviour_code,
                    "role_code": item.role_code,
                    "positively_worded": item.positively_worded,
                    "rater_group": rater_group,
                    "order": item.order,
                }
                if key in reasons:
                    row.update(suppressed=True, suppression_reason=reasons[key])
                else:
                    current = sums.get(key) or _empty()
                    row.update(figures(current, item.kind))
                    before = previous_sums.get(key)
                    if comparable and before and key not in previous_reasons:
                        row.update(_change(current, before, item.kind))
                if leads_row is None:
                    leads_row = row  # the first view is the CCG leads'
                yield row
            if each_ccg:
                yield _each_ccg_row(leads_row, by_ccg, reasons)


def _each_ccg_row(leads_row: dict, by_ccg: dict, reasons: dict) -> dict:
    """Return the "each CCG counts once" row beside the CCG leads' row ``leads_row`` of the same cell.

    No change since last cycle (it would be one more figure to protect, for a view no earlier cycle had).
    """
    cell = (leads_row["level"], leads_row["org_code"], leads_row["kind"], leads_row["code"], EACH_CCG)
    row = {**{field: leads_row[field] for field in _LABEL_FIELDS}, "rater_group": EACH_CCG}
    if reason := reasons.get(cell):
        return {**row, "suppressed": True, "suppression_reason": reason}
    return {**row, **weighted_figures(by_ccg.get(cell[:4], []), leads_row["kind"])}


_LABEL_FIELDS = (
    *("level", "org_code", "org_name", "parent_code", "kind", "code", "label"),
    *("behaviour_code", "role_code", "positively_worded", "order"),
)


_SCORECARD_COLUMNS = [f.column for f in Scorecard._meta.concrete_fields if not f.primary_key]


# Cells written to the database at a time: the rows of one COPY are held in memory as text.
ROWS_PER_BATCH = 2_000


def _insert_rows(scorecard_set: ScorecardSet, rows: Iterable[dict]) -> None:
    """Insert thousands of rows quickly, as plain rows (COPY on PostgreSQL; see ``core.db``), a batch at a time."""
    fields = {f.column: f for f in Scorecard._meta.concrete_fields}
    defaults = [(c, fields[c].get_default()) for c in _SCORECARD_COLUMNS]
    values = (
        [row.get(c, d) for c, d in defaults] for row in ({**row, "scorecard_set_id": scorecard_set.pk} for row in rows)
    )
    columns = [connection.ops.quote_name(c) for c in _SCORECARD_COLUMNS]
    with connection.cursor() as cursor:
        rows_insert(cursor, table=Scorecard._meta.db_table, columns=columns, rows=values, batch_size=ROWS_PER_BATCH)


@transaction.atomic
def scorecards_publish(*, cycle_id: int, force: bool = False) -> ScorecardSet | None:
    """Build the cycle's scorecards from its current aggregates and make them the current set.

    Nothing is built while the cycle is a draft or open: figures that moved with each submission would
    name the respondent (DESIGN.md §4), so results appear once fieldwork closes (closing publishes).
    Coalescing: if the current set already reflects the aggregates (and not ``force``), do nothing
    and return None, so a burst of refresh tasks builds once. The new set replaces the old in one
    transaction; the set before it is kept for readers part-way through a page.
    """
    ScorecardState.objects.get_or_create(cycle_id=cycle_id)
    state = ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)
    if state.publish_queued_at is not None:
        # From here on, a refresh queues the next publish.
        state.publish_queued_at = None
        state.save(update_fields=["publish_queued_at"])
    if not Cycle.objects.filter(pk=cycle_id, state__in=RESULTS_STATES).exists():
        return None
    if not force and state.current_set_id and state.published_version == state.aggregates_version:
        return None
    cycle = Cycle.objects.get(pk=cycle_id)
    min_base = settings.SUPPRESSION_MIN_BASE
    version = (
        ScorecardSet.objects.filter(cycle_id=cycle_id).order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1
    new_set = ScorecardSet.objects.create(
        cycle_id=cycle_id,
        version=version,
        built_at=timezone.now(),
        min_base=min_base,
        responses=AppliedResponse.objects.filter(cycle_id=cycle_id).count(),
    )
    _insert_rows(new_set, scorecard_rows(cycle, min_base))
    previous_set_id = state.current_set_id
    state.current_set = new_set
    state.published_version = state.aggregates_version
    state.save(update_fields=["current_set", "published_version"])
    # Provisional snapshots (scorecards.services.provisional) are never current, and are kept.
    ScorecardSet.objects.filter(cycle_id=cycle_id, provisional_snapshot__isnull=True).exclude(
        pk__in=[new_set.pk, previous_set_id or 0]
    ).delete()
    return new_set
