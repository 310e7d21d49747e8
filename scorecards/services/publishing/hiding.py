"""Disclosure control of a cycle's cells: primary suppression, then complementary suppression over every
relation the published figures make true (``scorecards.disclosure`` explains the rule).
"""

from collections import defaultdict

from scorecards import disclosure
from scorecards.models import (
    ALL_LEADS,
    ItemKind,
    Level,
)
from scorecards.services.publishing.cells import _level_of
from scorecards.services.publishing.items import LEAD_ROLES, Item


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


def relations(orgs: dict, items: list[Item]) -> list[disclosure.Relation]:
    """Return every "parent = sum of children" the published figures make true, for each of ``items``.

    - organisations: a region is the sum of its area teams, England of its regions (every item, for all
      leads and for each lead role);
    - lead roles: an organisation's all-leads cell is the sum of its three lead-role cells.
    Groups publish no answer counts, so they are not the sums of their questions' in any figure shown.
    """
    children = defaultdict(list)
    for org, (_, parent) in orgs.items():
        if parent:
            children[parent].append(org)
    level = {org: _level_of(org, orgs) for org in orgs}
    out = []
    for item in items:
        kind, code = item.kind, item.code
        for parent, kids in sorted(children.items()):
            for lead_role in (ALL_LEADS, *LEAD_ROLES):
                out.append(
                    disclosure.Relation(
                        (level[parent], parent, kind, code, lead_role),
                        tuple((level[k], k, kind, code, lead_role) for k in sorted(kids)),
                    )
                )
        for org in sorted(orgs):
            out.append(
                disclosure.Relation(
                    (level[org], org, kind, code, ALL_LEADS),
                    tuple((level[org], org, kind, code, lr) for lr in LEAD_ROLES),
                )
            )
    return out


def suppression(sums: dict, orgs: dict, min_base: int, items: list[Item], extra_primary=()) -> dict:
    """Return {cell key: reason} for every cell to hide (``disclosure`` explains the secondary rule).

    Primary: a base from 1 to ``min_base`` - 1, or only "don't know" answers (a cell with no one in it at
    all is "no data", with nothing to give away), and any cell of ``extra_primary``. Secondary: more
    cells, smallest first, until no hidden cell can be worked out from the visible ones by any
    combination of the relations the figures make true (``relations``). Items with the same statements
    (a behaviour of one statement and that statement, say) publish the same figures, so the first of
    them is worked out and the others hide exactly the same cells.
    """
    primary = {key for key, s in sums.items() if 0 < s["people"] < min_base or (s["people"] == 0 and s["dk"] > 0)}
    primary |= {key for key in extra_primary if _size(sums.get(key), key[2]) > 0}
    first: dict = {}
    twin_of: dict = {}
    for item in items:
        representative = first.setdefault(_members(item), item)
        twin_of[(item.kind, item.code)] = (representative.kind, representative.code)
    representatives = [item for item in items if twin_of[(item.kind, item.code)] == (item.kind, item.code)]
    relations_ = relations(orgs, representatives)
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
        for (level, org, kind, code, lead_role), reason in reasons.items():
            if (kind, code) == (rep_kind, rep_code):
                out[(level, org, item.kind, item.code, lead_role)] = reason
    return out
