"""Disclosure control of a cycle's cells: primary suppression, then complementary suppression over every
relation the published figures make true (``scorecards.disclosure`` explains the rule).
"""

from collections import defaultdict

from scorecards import disclosure
from scorecards.models import (
    SELF,
    ItemKind,
    Level,
)
from scorecards.services.publishing.cells import _level_of
from scorecards.services.publishing.items import POOLS, Item, cycle_views, view_min_base


def _size(s: dict | None, kind: str = ItemKind.QUESTION) -> int:
    """Return how many people a cell describes: those with a figure and, for a question, those who only said
    "don't know" (a group's "don't know" count is its statements' answers, not people: it counts as one)."""
    if not s:
        return 0
    if kind == ItemKind.QUESTION:
        return s["people"] + s["dk"]
    return s["people"] + (1 if s["people"] == 0 and s["dk"] else 0)


def _members(item: Item) -> frozenset:
    return frozenset(item.members) if item.kind != ItemKind.QUESTION else frozenset([item.code])


def relations(orgs: dict, items: list[Item], views: tuple[str, ...]) -> list[disclosure.Relation]:
    """Return every "parent = sum of children" the published figures make true, for each of ``items``
    in each of ``views``.

    - organisations: a region is the sum of its area teams, England of its regions (every item and view);
    - rater groups: an organisation's pooled cell is the sum of the cells of the views it pools ("CCG
      leads" of the three lead roles, "partners" of the three partner groups, "everyone but self" of the
      CCG leads and the partners).
    The self-assessment is in no pool, and hidden nowhere: no relation needs it.
    Groups publish no answer counts, so they are not the sums of their questions' in any figure shown.
    """
    children = defaultdict(list)
    for org, (_, parent) in orgs.items():
        if parent:
            children[parent].append(org)
    level = {org: _level_of(org, orgs) for org in orgs}
    pooled = tuple(view for view in views if view != SELF)
    pool_parts = _pool_parts(views)
    out = []
    for item in items:
        kind, code = item.kind, item.code
        for parent, kids in sorted(children.items()):
            for view in pooled:
                out.append(
                    disclosure.Relation(
                        (level[parent], parent, kind, code, view),
                        tuple((level[k], k, kind, code, view) for k in sorted(kids)),
                    )
                )
        for org in sorted(orgs):
            for pool, parts in pool_parts.items():
                out.append(
                    disclosure.Relation(
                        (level[org], org, kind, code, pool),
                        tuple((level[org], org, kind, code, part) for part in parts),
                    )
                )
    return out


def _pool_parts(views: tuple[str, ...]) -> dict:
    """Return {pool: the views it is the sum of} for the pools among ``views``: "everyone but self" is the
    sum of "CCG leads" and "partners" (themselves sums), the others of their rater groups."""
    parts = {}
    for pool, members in POOLS.items():
        if pool not in views:
            continue
        inner = [p for p in POOLS if p != pool and p in views and set(POOLS[p]) < set(members)]
        covered = {m for p in inner for m in POOLS[p]}
        parts[pool] = (*inner, *(m for m in members if m not in covered and m in views))
    return parts


def suppression(sums: dict, orgs: dict, min_base: int, items: list[Item], extra_primary=()) -> dict:
    """Return {cell key: reason} for every cell to hide (``disclosure`` explains the secondary rule).

    Primary: a base from 1 to the view's threshold - 1 (``view_min_base``: ``min_base`` unless the rater group
    has its own; none for the self-assessment), or only "don't know" answers (a cell with no one in it at
    all is "no data", with nothing to give away), and any cell of ``extra_primary``. Secondary: more
    cells, smallest first, until no hidden cell can be worked out from the visible ones by any
    combination of the relations the figures make true (``relations``). Items with the same statements
    (a behaviour of one statement and that statement, say) publish the same figures, so the first of
    them is worked out and the others hide exactly the same cells.
    """
    views = cycle_views({key[4] for key in sums})
    thresholds = {view: view_min_base(view, min_base) for view in views}
    primary = {
        key
        for key, s in sums.items()
        if key[4] != SELF and (0 < s["people"] < thresholds[key[4]] or (s["people"] == 0 and s["dk"] > 0))
    }
    primary |= {key for key in extra_primary if _size(sums.get(key), key[2]) > 0}
    first: dict = {}
    twin_of: dict = {}
    for item in items:
        representative = first.setdefault(_members(item), item)
        twin_of[(item.kind, item.code)] = (representative.kind, representative.code)
    representatives = [item for item in items if twin_of[(item.kind, item.code)] == (item.kind, item.code)]
    relations_ = relations(orgs, representatives, views)
    sizes = {
        cell: _size(sums.get(cell), cell[2])
        for relation in relations_
        for cell in (relation.parent, *relation.children)
    }
    england = {cell for cell in sizes if cell[0] == Level.ENGLAND}
    # A twin's primary cells are its representative's (same people); any extra ones are taken over too.
    primary = {(key[0], key[1], *twin_of.get((key[2], key[3]), (key[2], key[3])), key[4]) for key in primary}
    reasons = disclosure.complementary_suppression(
        sizes=sizes, primary=primary, relations=relations_, protected=england
    )
    out = {}
    for item in items:
        rep_kind, rep_code = twin_of[(item.kind, item.code)]
        for (level, org, kind, code, rater_group), reason in reasons.items():
            if (kind, code) == (rep_kind, rep_code):
                out[(level, org, item.kind, item.code, rater_group)] = reason
    return out
