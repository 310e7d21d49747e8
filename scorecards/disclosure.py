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

# Singular values below this count as zero; the relation matrices hold 0, ±1 and a few weights 1 / k for
# small k, so the smallest non-zero singular value is far above it.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    """``parent`` equals the sum of ``children`` (one child: the two cells are equal), each child times its
    weight in ``weights`` where given (a weighted figure: see ``publishing.weighted``)."""

    parent: Hashable
    children: tuple
    weights: tuple | None = None


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


def _ones(children: tuple) -> tuple:
    return (1.0,) * len(children)


def determined(hidden: Iterable, relations: list[Relation]) -> set:
    """Return the hidden cells that the relations determine from the visible ones.

    ``relations`` should be one connected component or any set of relations; cells not in ``hidden``
    count as known.
    """
    hidden = sorted(set(hidden), key=repr)
    if not hidden:
        return set()
    matrix = _matrix(hidden, relations)
    if matrix.shape[0] == 0:
        return set()
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > _TOLERANCE).sum())
    null_space = vt[rank:]  # rows spanning the solutions of matrix · x = 0
    if null_space.shape[0] == 0:
        return set(hidden)
    touches = np.abs(null_space).max(axis=0) > 1e-7
    return {cell for cell, free in zip(hidden, touches, strict=True) if not free}


def _matrix(cells: list, relations: list[Relation]) -> np.ndarray:
    """Return the relations touching ``cells`` as rows (parent − Σ weight × child) over those cells' columns."""
    column = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for relation in relations:
        row = np.zeros(len(cells))
        touched = False
        if relation.parent in column:
            row[column[relation.parent]] += 1.0
            touched = True
        for child, weight in zip(relation.children, relation.weights or _ones(relation.children), strict=True):
            if child in column:
                row[column[child]] -= weight
                touched = True
        if touched:
            rows.append(row)
    return np.array(rows) if rows else np.zeros((0, len(cells)))


def _release_test(target, hidden: set, relations: list[Relation], adds: dict):
    """Return ``frees(cells)``: whether hiding ``cells`` (each making ``adds[cell]`` unknown) leaves ``target``,
    which the relations determine now, undetermined. The same answer as ``determined`` gives, from one
    factorisation of the hidden cells' matrix A for every candidate set C (columns B of the cells it adds):
    the solutions of A x + B y = 0 are the y with B y in A's column space (the null space of R = B minus its
    projection on that space), and x = −A⁺ B y plus a solution of A x = 0, which is 0 at the target; so the
    target is freed exactly when some such y has (A⁺ B y) non-zero there.
    """
    columns = sorted(hidden, key=repr)
    extra = sorted({c for cells in adds.values() for c in cells} - hidden, key=repr)
    matrix = _matrix(columns + extra, relations)
    a, b = matrix[:, : len(columns)], matrix[:, len(columns) :]
    u, singular, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((singular > _TOLERANCE).sum())
    basis = u[:, :rank]
    projected = basis.T @ b
    residual = b - basis @ projected
    at_target = (vt[:rank, columns.index(target)] / singular[:rank]) @ projected
    position = {cell: i for i, cell in enumerate(extra)}

    def frees(cells) -> bool:
        picked = sorted({position[c] for cell in cells for c in adds[cell] if c in position})
        if not picked:
            return False
        _, s, v = np.linalg.svd(residual[:, picked])
        null_space = v[int((s > _TOLERANCE).sum()) :]
        return null_space.shape[0] > 0 and float(np.abs(null_space @ at_target[picked]).max()) > 1e-7

    return frees


# How far the search for the cheapest cells that free an exposed one goes: sets of up to this many cells,
# chained through the relations, drawn for pairs and triples from this many of the cheapest nearby cells.
_SEARCH_DEPTH = 3
_COMBINATION_POOL = 10


def complementary_suppression(
    *,
    sizes: dict,
    primary: Iterable,
    relations: list[Relation],
    protected: Iterable = (),
    preferred: Iterable = (),
    shown_with: dict | None = None,
    unprotected: Iterable = (),
) -> dict:
    """Return {cell: PRIMARY or SECONDARY} so that no hidden cell is determined by the relations.

    ``sizes`` gives each cell's size (the people it describes); a cell of size 0 that is not primary
    holds no data and is known to be zero, so it is never hidden. For each hidden cell that can still be
    worked out (taken in key order), the cheapest set of visible cells whose hiding stops it coming out
    is hidden too: one cell if one will do, else a chain of two or three through the relations; the
    cost is first how many cells not ``preferred`` the set holds (where some are: cells never published
    themselves, cheapest to hide), then how many ``protected`` cells (England's, say), then the people in it.
    A cell that no longer comes out never comes out again as more cells are hidden (hiding only adds
    unknowns), so each step frees one for good and the loop ends; ties go by key, so it is deterministic.

    ``shown_with``: {cell: the cell it goes with} for cells no figure shows but that can be worked out
    wherever the cell they go with is shown (the parts of a weighted sum, say): known there, unknown where
    it is hidden; protected only if primary (so hide the cell they go with too), never chosen to hide.

    ``unprotected``: cells that, hidden here to protect others, need not stay undetermined themselves (a
    figure that the visible ones give away shows nothing they do not, so hiding it still protects what it
    was hidden for); by convention every other hidden cell must.
    """
    protected, preferred, shown_with = set(protected), set(preferred), shown_with or {}
    companions = defaultdict(set)
    for cell, owner in shown_with.items():
        companions[owner].add(cell)
    reasons = {cell: PRIMARY for cell in primary}
    unprotected, primary = set(unprotected), set(reasons)

    def must_stay_hidden(cell) -> bool:
        # Primary cells, and the cells hidden here but for the parts no figure shows and ``unprotected``.
        return cell in primary or (cell in reasons and cell not in shown_with and cell not in unprotected)

    by_cell = defaultdict(list)
    for relation in relations:
        for cell in (relation.parent, *relation.children):
            by_cell[cell].append(relation)

    def cost(cells) -> tuple:
        return (
            sum(c not in preferred for c in cells),
            sum(c in protected for c in cells),
            sum(sizes.get(c, 0) for c in cells),
            sorted(map(repr, cells)),
        )

    def unknown(cells) -> set:
        """The cells that hiding ``cells`` leaves unknown: them and what is shown only with them."""
        cells = set(cells)
        return cells | {c for cell in cells for c in companions.get(cell, ())}

    for component in _components(relations):
        cells = {relation.parent for relation in component} | {c for r in component for c in r.children}
        hidden = unknown(cell for cell in cells if cell in reasons)

        def near(cell, hidden=hidden, include_hidden=False):
            # The cells one relation away, looking through the ones no figure shows (they have nothing to
            # hide, so the cells they tie together count as next to each other).
            out, seen, todo = set(), {cell}, [cell]
            while todo:
                for relation in by_cell[todo.pop()]:
                    for c in (relation.parent, *relation.children):
                        if c in seen:
                            continue
                        seen.add(c)
                        if c in shown_with:
                            todo.append(c)
                        elif (include_hidden or c not in hidden) and sizes.get(c, 0) > 0:
                            out.add(c)
            return out

        while exposed := {c for c in determined(hidden, component) if must_stay_hidden(c)}:
            target = min(exposed, key=repr)
            chosen = _cheapest_release(target, hidden, component, near, cost, unknown)
            if chosen is None:
                visible = sorted((c for c in cells if c not in hidden and sizes.get(c, 0) > 0), key=lambda c: cost([c]))
                if not visible:
                    break  # nothing left to hide: what comes out is made of empty cells only
                chosen = (visible[0],)
            for cell in chosen:
                reasons[cell] = SECONDARY
            hidden |= unknown(chosen)
    return reasons


def _cheapest_release(target, hidden: set, component: list[Relation], near, cost, unknown) -> tuple | None:
    """Return the cheapest set of visible cells near ``target`` whose hiding stops it being determined.

    Near: within a few relations of it (through hidden cells too). Single cells are tried first, cheapest
    first; then pairs, then triples, of the cheapest few (each size only if the smaller found nothing, or
    found only sets with cells not ``preferred`` while preferred ones are near).
    None if nothing is found (the caller then hides the cheapest cell and looks again). ``unknown(cells)``:
    what hiding ``cells`` leaves unknown.
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
    frees = _release_test(target, hidden, component, {cell: unknown([cell]) for cell in ordered})
    # Where some nearby cells are preferred, a set of them beats a smaller set that is not all preferred.
    wants_preferred = any(cost([cell])[0] == 0 for cell in ordered)
    best = next(((cell,) for cell in ordered if frees((cell,))), None)  # one cell, cheapest first
    if best is not None and (not wants_preferred or cost(best)[0] == 0):
        return best
    cheapest = ordered[:_COMBINATION_POOL]  # pairs, then triples, of the cheapest cells only
    for size in range(2, _SEARCH_DEPTH + 1):
        found = [candidate for candidate in itertools.combinations(cheapest, size) if frees(candidate)]
        if found:
            candidate = min(found, key=cost)
            if best is None or cost(candidate) < cost(best):
                best = candidate
            if not wants_preferred or cost(best)[0] == 0:
                return best
    return best
