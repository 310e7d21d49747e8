"""Disclosure control over every sum the published figures make true (DESIGN.md §4).

A published set is a collection of cells (organisation × rater group × item). Some cells are sums of
others: a region is the sum of its area teams, England the sum of its regions, "all leads" the sum of
the lead roles, and a group of statements with a single statement equals that statement. Every
figure a cell publishes that is a count or a total (base, answer counts, Σ score = score × base) obeys
each of these relations, so an attacker who reads the visible cells can solve the relations for the
hidden ones, singly or by chaining them.

A hidden cell is safe when no combination of the relations determines it: in linear-algebra terms,
when some solution of the relations, restricted to the hidden cells, is not zero at that cell (the
null space of the hidden cells' relation matrix touches it). That is exactly "apply every known sum,
in any order and combination, and the cell still does not come out". ``complementary_suppression``
hides more cells until every hidden cell is safe, choosing the smallest visible cells first.

The check is structural: it depends only on which cells are hidden and which relations hold, not on
the numbers, so the same pattern is safe for every figure a cell carries. A cell with no data (no one
in it) is known to be zero and is never chosen to hide another.
"""

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

PRIMARY = "primary"
SECONDARY = "secondary"

# Singular values below this count as zero; the relation matrices hold only 0, 1 and −1, so the
# smallest non-zero singular value is far above it.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    """``parent`` equals the sum of ``children`` (one child: the two cells are equal)."""

    parent: Hashable
    children: tuple


def _components(relations: list[Relation]) -> list[list[Relation]]:
    """Return the relations grouped by the cells they share (cells in different groups never interact)."""
    parent_of: dict = {}

    def find(cell):
        parent_of.setdefault(cell, cell)
        while parent_of[cell] != cell:
            parent_of[cell] = parent_of[parent_of[cell]]
            cell = parent_of[cell]
        return cell

    for relation in relations:
        root = find(relation.parent)
        for child in relation.children:
            other = find(child)
            if other != root:
                parent_of[other] = root
    grouped = defaultdict(list)
    for relation in relations:
        grouped[find(relation.parent)].append(relation)
    return list(grouped.values())


def determined(hidden: Iterable, relations: list[Relation]) -> set:
    """Return the hidden cells that the relations determine from the visible ones.

    ``relations`` should be one connected component or any set of relations; cells not in ``hidden``
    count as known.
    """
    hidden = sorted(set(hidden), key=repr)
    if not hidden:
        return set()
    column = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for relation in relations:
        row = np.zeros(len(hidden))
        touched = False
        if relation.parent in column:
            row[column[relation.parent]] += 1.0
            touched = True
        for child in relation.children:
            if child in column:
                row[column[child]] -= 1.0
                touched = True
        if touched:
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > _TOLERANCE).sum())
    null_space = vt[rank:]  # rows spanning the solutions of matrix · x = 0
    if null_space.shape[0] == 0:
        return set(hidden)
    touches = np.abs(null_space).max(axis=0) > 1e-7
    return {cell for cell, free in zip(hidden, touches, strict=True) if not free}


# How far the search for the cheapest cells that free an exposed one goes: sets of up to this many cells,
# chained through the relations, drawn for pairs and triples from this many of the cheapest nearby cells.
_SEARCH_DEPTH = 3
_COMBINATION_POOL = 10


def complementary_suppression(
    *, sizes: dict, primary: Iterable, relations: list[Relation], protected: Iterable = ()
) -> dict:
    """Return {cell: PRIMARY or SECONDARY} so that no hidden cell is determined by the relations.

    ``sizes`` gives each cell's size (the people it describes); a cell of size 0 that is not primary
    holds no data and is known to be zero, so it is never hidden. For each hidden cell that can still be
    worked out (taken in key order), the cheapest set of visible cells whose hiding stops it coming out
    is hidden too: one cell if one will do, else a chain of two or three through the relations; the
    cost is first how many ``protected`` cells (England's, say) the set holds, then the people in it.
    A cell that no longer comes out never comes out again as more cells are hidden (hiding only adds
    unknowns), so each step frees one for good and the loop ends; ties go by key, so it is deterministic.
    """
    protected = set(protected)
    reasons = {cell: PRIMARY for cell in primary}
    by_cell = defaultdict(list)
    for relation in relations:
        for cell in (relation.parent, *relation.children):
            by_cell[cell].append(relation)

    def cost(cells) -> tuple:
        return (sum(c in protected for c in cells), sum(sizes.get(c, 0) for c in cells), sorted(map(repr, cells)))

    for component in _components(relations):
        cells = {relation.parent for relation in component} | {c for r in component for c in r.children}
        hidden = {cell for cell in cells if cell in reasons}

        def near(cell, hidden=hidden, include_hidden=False):
            return {
                c
                for relation in by_cell[cell]
                for c in (relation.parent, *relation.children)
                if (include_hidden or c not in hidden) and sizes.get(c, 0) > 0
            }

        while exposed := determined(hidden, component):
            target = min(exposed, key=repr)
            chosen = _cheapest_release(target, hidden, component, near, cost)
            if chosen is None:
                visible = sorted((c for c in cells if c not in hidden and sizes.get(c, 0) > 0), key=lambda c: cost([c]))
                if not visible:
                    break  # nothing left to hide: what comes out is made of empty cells only
                chosen = (visible[0],)
            for cell in chosen:
                hidden.add(cell)
                reasons[cell] = SECONDARY
    return reasons


def _cheapest_release(target, hidden: set, component: list[Relation], near, cost) -> tuple | None:
    """Return the cheapest set of visible cells near ``target`` whose hiding stops it being determined.

    Near: within a few relations of it (through hidden cells too). Single cells are tried first, cheapest
    first; then pairs, then triples, of the cheapest few (each size only if the smaller found nothing).
    None if nothing is found (the caller then hides the cheapest cell and looks again).
    """
    pool, frontier, seen = set(), {target}, {target}
    for _step in range(_SEARCH_DEPTH):
        step = set()
        for cell in frontier:
            step |= near(cell, include_hidden=True)
        step -= seen
        seen |= step
        frontier = step
        pool |= {c for c in step if c not in hidden}
    ordered = sorted(pool, key=lambda c: cost([c]))
    for cell in ordered:  # one cell, cheapest first
        if target not in determined(hidden | {cell}, component):
            return (cell,)
    cheapest = ordered[:_COMBINATION_POOL]  # pairs, then triples, of the cheapest cells only
    for size in range(2, _SEARCH_DEPTH + 1):
        found = [
            candidate
            for candidate in itertools.combinations(cheapest, size)
            if target not in determined(hidden | set(candidate), component)
        ]
        if found:
            return min(found, key=cost)
    return None
