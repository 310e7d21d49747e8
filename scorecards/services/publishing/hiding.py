"""Disclosure control of a cycle's cells: primary suppression, then complementary suppression over every
relation the published figures make true (``scorecards.disclosure`` explains the rule).
"""

from collections import defaultdict

from scorecards import disclosure
from scorecards.models import (
    ALL_LEADS,
    EACH_CCG,
    SELF,
    ItemKind,
    Level,
)
from scorecards.services.publishing.cells import _level_of
from scorecards.services.publishing.items import POOLS, Item, cycle_views, view_min_base
from scorecards.services.publishing.weighted import class_leads


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


def relations(
    orgs: dict, items: list[Item], views: tuple[str, ...], class_views: tuple[str, ...] = ()
) -> list[disclosure.Relation]:
    """Return every "parent = sum of children" the published figures make true, for each of ``items``
    in each of ``views``.

    - organisations: a region is the sum of its area teams, England of its regions (every item and view);
    - rater groups: an organisation's pooled cell is the sum of the cells of the views it pools ("CCG
      leads" of the three lead roles, "partners" of the three partner groups, "everyone but self" of the
      CCG leads and the partners).
    - "each CCG counts once" (with ``class_views``, the leads of CCGs with one, two, three… responding leads
      in the cell; see ``weighted``): an organisation's CCG leads are the sum of its classes, and its weighted
      cell their sum with weights 1 / leads (Σ x / m over its leads); each class is also summed over
      organisations. No figure shows a class: they are the unknowns that tie the two views together.
    The self-assessment is in no pool, and hidden nowhere: no relation needs it.
    Groups publish no answer counts, so they are not the sums of their questions' in any figure shown.
    """
    children = defaultdict(list)
    for org, (_, parent) in orgs.items():
        if parent:
            children[parent].append(org)
    level = {org: _level_of(org, orgs) for org in orgs}
    pooled = (*(view for view in views if view != SELF), *class_views)
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
            if class_views:
                classes = tuple((level[org], org, kind, code, part) for part in class_views)
                out.append(disclosure.Relation((level[org], org, kind, code, ALL_LEADS), classes))
                out.append(
                    disclosure.Relation(
                        (level[org], org, kind, code, EACH_CCG),
                        classes,
                        weights=tuple(1 / class_leads(part) for part in class_views),
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


def suppression(
    sums: dict, orgs: dict, min_base: int, items: list[Item], extra_primary=(), classes: dict | None = None
) -> dict:
    """Return {cell key: reason} for every cell to hide (``disclosure`` explains the secondary rule).

    Primary: a base from 1 to the view's threshold - 1 (``view_min_base``: ``min_base`` unless the rater group
    has its own; none for the self-assessment), or only "don't know" answers (a cell with no one in it at
    all is "no data", with nothing to give away), and any cell of ``extra_primary``. Secondary: more
    cells, smallest first, until no hidden cell can be worked out from the visible ones by any
    combination of the relations the figures make true (``relations``). Items with the same statements
    (a behaviour of one statement and that statement, say) publish the same figures, so the first of
    them is worked out and the others hide exactly the same cells.

    ``classes``: the CCG leads' cells by class of CCG (``weighted.class_cells``): with them, the "each CCG
    counts once" cells (``EACH_CCG``) are protected too, in a second pass after the other cells' own (so
    they change those only where nothing else will do). A weighted cell is hidden wherever the leads' cell is
    (with its reason), where one of its classes has too few people (primary: the two figures together give
    each class away), and wherever it would give a hidden cell away through the classes (``relations``).
    """
    views = cycle_views({key[4] for key in sums})
    thresholds = {view: view_min_base(view, min_base) for view in views}
    primary = _primary(sums, thresholds) | {key for key in extra_primary if _size(sums.get(key), key[2]) > 0}
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

    def as_representative(keys) -> set:
        # A twin's primary cells are its representative's (same people); any extra ones are taken over too.
        return {(key[0], key[1], *twin_of.get((key[2], key[3]), (key[2], key[3])), key[4]) for key in keys}

    reasons = disclosure.complementary_suppression(
        sizes=sizes, primary=as_representative(primary), relations=relations_, protected=england
    )
    if classes:
        by_representative = {
            (key[0], key[1], *twin_of.get((key[2], key[3]), (key[2], key[3])), key[4]): s for key, s in classes.items()
        }
        reasons.update(_each_ccg_reasons(reasons, sizes, orgs, representatives, views, by_representative, min_base))
    out = {}
    for item in items:
        rep_kind, rep_code = twin_of[(item.kind, item.code)]
        for (level, org, kind, code, rater_group), reason in reasons.items():
            if (kind, code) == (rep_kind, rep_code):
                out[(level, org, item.kind, item.code, rater_group)] = reason
    return out


def _each_ccg_reasons(
    reasons: dict, sizes: dict, orgs: dict, items: list, views: tuple, classes: dict, min_base: int
) -> dict:
    """Return the reasons of the hidden "each CCG counts once" cells (and of any other cell they make hide):
    see ``suppression``. ``classes``: the class cells that hold people, with their sums."""
    class_views = tuple(sorted({cell[4] for cell in classes}, key=class_leads))
    relations_ = relations(orgs, items, views, class_views)
    weighted = {cell for r in relations_ for cell in (r.parent, *r.children) if cell[4] == EACH_CCG}
    sizes = {
        **sizes,
        **{cell: sizes.get((*cell[:4], ALL_LEADS), 0) for cell in weighted},
        **{cell: _size(s, cell[2]) for cell, s in classes.items()},
    }
    # A weighted figure beside the unweighted one (with its CCG count and effective base) separates the
    # classes of its cell, so they are known wherever it is shown: a class of too few people is a cell
    # hidden for its own sake, and its weighted figure with it.
    small = _primary(classes, dict.fromkeys(class_views, view_min_base(ALL_LEADS, min_base)))
    with_leads = {(*cell[:4], EACH_CCG): reason for cell, reason in reasons.items() if cell[4] == ALL_LEADS}
    for cell in small:
        with_leads.setdefault((*cell[:4], EACH_CCG), disclosure.PRIMARY)
    second = disclosure.complementary_suppression(
        sizes=sizes,
        primary={*reasons, *with_leads, *small},
        relations=relations_,
        protected={cell for cell in sizes if cell[0] == Level.ENGLAND},
        preferred=weighted,
        shown_with={cell: (*cell[:4], EACH_CCG) for cell in classes},
        # A weighted figure hidden to protect another need not be protected itself: where the leads' figure
        # gives it away (a cell of one class), it says nothing more, and its leads' figure stays shown.
        unprotected=weighted,
    )
    return {
        cell: with_leads.get(cell, disclosure.SECONDARY)
        for cell in second
        if cell not in reasons and cell not in classes
    }


def _primary(sums: dict, thresholds: dict) -> set:
    """Return the cells hidden for their own sake: a base from 1 to the view's threshold - 1, or only "don't know"."""
    return {
        key
        for key, s in sums.items()
        if key[4] != SELF and (0 < s["people"] < thresholds[key[4]] or (s["people"] == 0 and s["dk"] > 0))
    }
