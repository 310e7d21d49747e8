"""Provisional snapshots: an admin's look at an open cycle's figures during fieldwork (issue 13, item 2).

Nothing is published while a cycle is open: figures that moved with each submission named the respondent
(DESIGN.md §4). A snapshot is for admins only, never becomes the published set, is audited, and is built so
that no difference between two snapshots isolates fewer people than a published cell:

- a cell that fewer than ``SUPPRESSION_MIN_BASE`` people (but at least one) entered since the previous
  snapshot is hidden (primary), and complementary suppression runs as for publication
  (``publishing.suppression(..., extra_primary=...)``);
- then the snapshot is checked against every earlier snapshot of the cycle as one linear system: each
  earlier snapshot's visible cells are known; a cell that nobody entered between two snapshots is the same
  in both (an attacker who watches the response rates knows which those are); a cell that 1 to
  ``min_base`` − 1 people entered differs by an unknown that must not come out. More cells are hidden
  until every earlier hidden cell, and every such small difference, stays undetermined
  (``disclosure.complementary_suppression`` over that joint system).

A snapshot in which no cell gained ``min_base`` people is refused, with how many arrived since the last.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.errors import Conflict, DomainError, PermissionDenied
from core.outbox import enqueue_on_commit
from core.services import audit_record
from scorecards import disclosure
from scorecards.models import (
    AppliedResponse,
    ItemKind,
    Level,
    ProvisionalSnapshot,
    Scorecard,
    ScorecardSet,
    ScorecardState,
)
from scorecards.services.publishing import (
    cycle_items,
    cycle_views,
    relations,
    rolled_up,
    scorecard_rows,
    suppression,
)
from surveys.models import Cycle, CycleState

MSG_ADMINS_ONLY = "Provisional snapshots are for NHSCC admins only."
MSG_NOT_OPEN = "The {year} cycle is not in fieldwork: a provisional snapshot can be built only while it is open."
MSG_TOO_FEW_FIRST = (
    "Only {count} {responses} arrived so far; at least {min_base} are needed for a provisional snapshot."
)
MSG_TOO_FEW = (
    "Only {count} {responses} arrived since the last provisional snapshot on {when}; at least {min_base} are needed."
)

_SEP = "|"
BUILD_TASK = "reports.tasks.scorecards_provisional_snapshot_task"


def cell_name(key: tuple) -> str:
    """Return the name a cell's count is kept under in ``ProvisionalSnapshot.cell_counts``."""
    return _SEP.join(key)


def cell_key(name: str) -> tuple:
    """Return the cell key (level, org, kind, code, lead role) kept under ``name``."""
    return tuple(name.split(_SEP))


def cell_responses(s: dict | None, kind: str) -> int:
    """Return how many responses a cell's sums hold: for a question everyone who answered it (on the scale
    or "don't know"); for a group everyone with a figure there (one if its only answers are "don't know")."""
    if not s:
        return 0
    if kind == ItemKind.QUESTION:
        return s["people"] + s["dk"]
    return s["people"] + (1 if s["people"] == 0 and s["dk"] else 0)


def _responses(count: int) -> str:
    return "response has" if count == 1 else "responses have"


def _too_few(message: str, count: int) -> str:
    # "Only 0 responses have arrived" reads badly: say "No responses have arrived".
    return message.replace("Only 0 ", "No ", 1) if count == 0 else message


@dataclass(frozen=True)
class _Earlier:
    """What an earlier snapshot showed: its cells' counts and the cells it hid ({cell: reason})."""

    counts: dict
    hidden: dict


def _earlier_snapshots(cycle_id: int) -> list[tuple[ProvisionalSnapshot, _Earlier]]:
    out = []
    for snapshot in ProvisionalSnapshot.objects.filter(cycle_id=cycle_id).order_by("built_at", "pk"):
        hidden = {
            tuple(cell): reason
            for *cell, reason in Scorecard.objects.filter(
                scorecard_set_id=snapshot.scorecard_set_id, suppressed=True
            ).values_list("level", "org_code", "kind", "code", "rater_group", "suppression_reason")
        }
        counts = {cell_key(name): n for name, n in snapshot.cell_counts.items()}
        out.append((snapshot, _Earlier(counts=counts, hidden=hidden)))
    return out


def arrivals_hidden(*, counts: dict, previous: dict, min_base: int) -> set:
    """Return the cells that 1 to ``min_base`` − 1 responses entered since ``previous`` (counts by cell)."""
    return {
        key for key in counts.keys() | previous.keys() if 0 < abs(counts.get(key, 0) - previous.get(key, 0)) < min_base
    }


def _twin_relations(items: list, cells: set) -> list[disclosure.Relation]:
    """Return "this item's cell equals that one's" for items with the same statements (they publish the same)."""
    first: dict = {}
    out = []
    for item in items:
        members = frozenset(item.members) if item.kind != ItemKind.QUESTION else frozenset([item.code])
        rep = first.setdefault(members, item)
        if rep is item:
            continue
        for level, org, rater_group in cells:
            out.append(
                disclosure.Relation(
                    (level, org, item.kind, item.code, rater_group), ((level, org, rep.kind, rep.code, rater_group),)
                )
            )
    return out


def joint_hidden(*, sizes: dict, hidden: dict, earlier: list[_Earlier], orgs: dict, items: list, min_base: int) -> dict:
    """Return {cell: reason} of the new snapshot: ``hidden`` and every cell more that the earlier snapshots
    would otherwise give away (see the module's docstring).

    ``sizes``: responses in each cell now; ``hidden``: its cells hidden so far ({cell: reason}).
    """
    if not earlier:
        return dict(hidden)
    per_snapshot = relations(orgs, items, cycle_views({key[4] for key in sizes}))
    cells = {(r.parent[0], r.parent[1], r.parent[4]) for r in per_snapshot}
    per_snapshot += _twin_relations(items, cells)
    every_key = {c for r in per_snapshot for c in (r.parent, *r.children)}
    now = len(earlier)
    counts = [e.counts for e in earlier] + [sizes]
    joint, joint_sizes, primary = [], {}, set()
    for i in range(now + 1):
        for r in per_snapshot:
            joint.append(disclosure.Relation(("s", i, r.parent), tuple(("s", i, c) for c in r.children)))
    for i, snapshot in enumerate(earlier):
        for key in every_key:
            # An earlier snapshot's visible cells are known (size 0: never chosen); its hidden ones must stay so.
            if key in snapshot.hidden:
                primary.add(("s", i, key))
                joint_sizes[("s", i, key)] = max(1, snapshot.counts.get(key, 0))
    for key in every_key:
        # A cell nobody entered since the last snapshot, visible then, is known: never worth hiding now.
        known = ("s", now - 1, key) not in primary and sizes.get(key, 0) == counts[now - 1].get(key, 0)
        joint_sizes[("s", now, key)] = 0 if known else sizes.get(key, 0)
        for i in range(1, now + 1):
            arrived = counts[i].get(key, 0) - counts[i - 1].get(key, 0)
            if arrived == 0 and counts[i].get(key, 0):
                joint.append(disclosure.Relation(("s", i, key), (("s", i - 1, key),)))
            elif 0 < abs(arrived) < min_base:
                difference = ("d", i, key)
                joint.append(disclosure.Relation(("s", i, key), (("s", i - 1, key), difference)))
                primary.add(difference)
                joint_sizes[difference] = arrived
            # min_base or more arrived: the difference is free, so the two cells say nothing of each other.
    # The complements chosen for this snapshot alone are chosen again here, apart from the known cells (hiding
    # one protects nothing): the joint system holds this snapshot's relations, so what it hides is safe alone too.
    kept = {key: reason for key, reason in hidden.items() if joint_sizes.get(("s", now, key), 1) > 0}
    primary |= {("s", now, key) for key in kept}
    protected = {("s", now, key) for key in every_key if key[0] == Level.ENGLAND}
    reasons = disclosure.complementary_suppression(
        sizes=joint_sizes, primary=primary, relations=joint, protected=protected
    )
    out = dict(kept)
    for cell in reasons:
        if cell[0] == "s" and cell[1] == now and cell[2] not in out:
            out[cell[2]] = disclosure.SECONDARY
    return out


def _check_can_build(*, cycle: Cycle, actor, counts: dict, responses: int, last, previous: dict, min_base: int):
    """Raise unless ``actor`` may build a snapshot of ``cycle`` now (admin, fieldwork, enough arrivals)."""
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied(MSG_ADMINS_ONLY)
    if cycle.state != CycleState.OPEN:
        raise Conflict(MSG_NOT_OPEN.format(year=cycle.year), code="not_in_fieldwork")
    if any(n - previous.get(key, 0) >= min_base for key, n in counts.items()):
        return
    arrived = responses - (last.responses if last else 0)
    values = {"count": max(arrived, 0), "responses": _responses(arrived), "min_base": min_base}
    if last is None:
        raise DomainError(_too_few(MSG_TOO_FEW_FIRST.format(**values), arrived), code="too_few_responses")
    when = date_format(timezone.localtime(last.built_at), "j F Y \\a\\t H:i")
    raise DomainError(_too_few(MSG_TOO_FEW.format(when=when, **values), arrived), code="too_few_responses")


@transaction.atomic(durable=True)
def provisional_snapshot_request(*, cycle_id: int, actor) -> None:
    """Check that ``actor`` may build a snapshot now (raising as ``provisional_snapshot_build`` would) and queue
    its build after commit: on the demo's size it takes longer than a page should wait. Audited."""
    cycle = Cycle.objects.get(pk=cycle_id)
    min_base = settings.SUPPRESSION_MIN_BASE
    items = cycle_items(cycle_id) if getattr(actor, "is_admin", False) else []
    sums, _ = rolled_up(cycle_id, items) if items else ({}, {})
    counts = {key: n for key, s in sums.items() if (n := cell_responses(s, key[2])) > 0}
    last = ProvisionalSnapshot.objects.filter(cycle_id=cycle_id).order_by("-built_at", "-pk").first()
    _check_can_build(
        cycle=cycle,
        actor=actor,
        counts=counts,
        responses=AppliedResponse.objects.filter(cycle_id=cycle_id).count(),
        last=last,
        previous={cell_key(name): n for name, n in last.cell_counts.items()} if last else {},
        min_base=min_base,
    )
    enqueue_on_commit(BUILD_TASK, {"cycle_id": cycle_id, "actor_id": actor.pk})
    audit_record(actor=actor, action="provisional_snapshot_requested", obj=cycle, detail={"year": cycle.year})


@transaction.atomic(durable=True)
def provisional_snapshot_build(*, cycle_id: int, actor) -> ProvisionalSnapshot:
    """Build a provisional snapshot of the open cycle's figures for admins (audited; see the module's docstring).

    Raise ``DomainError`` (nothing written) for anyone but an admin, a cycle not in fieldwork, or when no
    cell gained ``SUPPRESSION_MIN_BASE`` responses since the previous snapshot.
    """
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied(MSG_ADMINS_ONLY)
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.state != CycleState.OPEN:
        raise Conflict(MSG_NOT_OPEN.format(year=cycle.year), code="not_in_fieldwork")
    # The refresh of a submission takes this lock too: the figures and the counts below agree.
    ScorecardState.objects.get_or_create(cycle_id=cycle_id)
    ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)
    min_base = settings.SUPPRESSION_MIN_BASE
    items = cycle_items(cycle_id)
    sums, orgs = rolled_up(cycle_id, items)
    counts = {key: n for key, s in sums.items() if (n := cell_responses(s, key[2])) > 0}
    history = _earlier_snapshots(cycle_id)
    last = history[-1][0] if history else None
    previous = history[-1][1].counts if history else {}
    responses = AppliedResponse.objects.filter(cycle_id=cycle_id).count()
    _check_can_build(
        cycle=cycle, actor=actor, counts=counts, responses=responses, last=last, previous=previous, min_base=min_base
    )
    small = arrivals_hidden(counts=counts, previous=previous, min_base=min_base)
    # A cell hidden last time that nobody has entered since is the same now: showing it would show it then.
    last_hidden = history[-1][1].hidden if history else {}
    unchanged = {key for key in last_hidden if counts.get(key, 0) == previous.get(key, 0)}
    hidden = suppression(sums, orgs, min_base, items, extra_primary=small | unchanged)
    hidden.update({key: last_hidden[key] for key in unchanged})
    hidden = joint_hidden(
        sizes=counts,
        hidden=hidden,
        earlier=[e for _, e in history],
        orgs=orgs,
        items=items,
        min_base=min_base,
    )
    # Without the "each CCG counts once" view: the joint system above does not hold its relations.
    rows = list(scorecard_rows(cycle, min_base, hide=lambda _sums: set(hidden), each_ccg=False))
    for row in rows:
        if row.get("suppressed"):
            key = (row["level"], row["org_code"], row["kind"], row["code"], row["rater_group"])
            row["suppression_reason"] = hidden.get(key, disclosure.SECONDARY)
    now = timezone.now()
    version = (
        ScorecardSet.objects.filter(cycle_id=cycle_id).order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1
    scorecard_set = ScorecardSet.objects.create(
        cycle_id=cycle_id, version=version, built_at=now, min_base=min_base, responses=responses
    )
    Scorecard.objects.bulk_create((Scorecard(scorecard_set=scorecard_set, **row) for row in rows), batch_size=500)
    snapshot = ProvisionalSnapshot.objects.create(
        cycle_id=cycle_id,
        scorecard_set=scorecard_set,
        built_at=now,
        built_by=actor,
        responses=responses,
        cell_counts={cell_name(key): n for key, n in counts.items()},
    )
    audit_record(
        actor=actor,
        action="provisional_snapshot_built",
        obj=snapshot,
        detail={
            "year": cycle.year,
            "responses": responses,
            "since_last": responses - (last.responses if last else 0),
            "hidden_cells": sum(1 for row in rows if row.get("suppressed")),
            "hidden_for_few_arrivals": len(small),
        },
    )
    return snapshot


def provisional_snapshot_run(*, cycle_id: int, actor_id: int) -> int | None:
    """Build the snapshot an admin asked for (the task's work); return its id, or None where it is refused by now
    (run twice, the second run finds nothing new since the first's snapshot: nothing is built twice)."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first()
    try:
        return provisional_snapshot_build(cycle_id=cycle_id, actor=actor).pk
    except DomainError:
        return None
