"""The attacker: recover hidden cells of a published set from its visible cells, by every known sum.

Written apart from the suppression code (exact rational elimination, relations read off the output
itself), so that a test using it checks the promise, not the implementation. Input: published rows
as dicts (from the API, a CSV or XLSX export, or the pages' data) with at least ``level``,
``org_code``, ``parent_code``, ``kind``, ``code``, ``rater_group``, ``suppressed`` and the figures; question
rows carry ``behaviour_code`` and ``role_code``.

Relations the attacker uses, for every figure that is a total:
- an organisation is the sum of the organisations whose ``parent_code`` names it (in every rater view);
- an organisation's pooled views are the sums of what they pool, as the method section says: "CCG
  leads" of the three lead roles, "partners" of the three partner groups, "everyone but self" of both;
- a behaviour's, role's or overall item's answer counts are the sums of its questions' (when the set
  publishes group counts at all), and a group of one statement equals that statement.
"""

from collections import defaultdict
from fractions import Fraction

COUNT_FIELDS = ("n5", "n4", "n3", "n2", "n1", "dont_know", "answers")
ALL = ""
# Each pooled view and what it adds up (the self-assessment, "self", is in none).
POOL_PARTS = {
    ALL: ("clinical", "managerial", "financial"),
    "partners": ("practice", "patients", "local_government"),
    "others": (ALL, "partners"),
}


def _value(row: dict, field: str):
    if field == "score_total":
        score, base = row.get("score"), row.get("base")
        return None if score is None or base is None else Fraction(score).limit_denominator(10**6) * base
    if field == "positive_total":
        pct, base = row.get("pct_positive"), row.get("base")
        return None if pct is None or base is None else Fraction(pct / 100).limit_denominator(10**6) * base
    value = row.get(field)
    return None if value is None else Fraction(value)


def _relations(rows: list[dict], group_field: str) -> dict[str, list[tuple]]:
    """Return {field: [(parent key, [child keys])]} for every relation the rows make true."""
    keys = {(r["org_code"], r["kind"], r["code"], r[group_field]) for r in rows}
    children_of = defaultdict(set)
    for r in rows:
        if r.get("parent_code"):
            children_of[r["parent_code"]].add(r["org_code"])
    views = {k[3] for k in keys}
    groups = sorted(views - {ALL})
    items = {(k[1], k[2]) for k in keys}
    orgs = {k[0] for k in keys}
    structural = []
    for kind, code in items:
        for group in (ALL, *groups):
            for parent, kids in children_of.items():
                structural.append(((parent, kind, code, group), [(k, kind, code, group) for k in sorted(kids)]))
        for pool, parts in POOL_PARTS.items():
            if pool in views and set(parts) & views:
                for org in orgs:
                    structural.append(((org, kind, code, pool), [(org, kind, code, g) for g in parts if g in views]))
    members = defaultdict(set)
    for r in rows:
        if r["kind"] == "question":
            members[("overall", "OVERALL")].add(r["code"])
            if r.get("behaviour_code"):
                members[("behaviour", r["behaviour_code"])].add(r["code"])
            if r.get("role_code"):
                members[("role", r["role_code"])].add(r["code"])
    group_sums, equalities = [], []
    for (kind, code), questions in members.items():
        if (kind, code) not in items:
            continue
        for org in orgs:
            for group in (ALL, *groups):
                children = [(org, "question", q, group) for q in sorted(questions)]
                group_sums.append(((org, kind, code, group), children))
                if len(questions) == 1:
                    equalities.append(((org, kind, code, group), children))
    out = {}
    for field in ("base", "score_total", "positive_total"):
        out[field] = structural + equalities
    for field in COUNT_FIELDS:
        out[field] = structural + group_sums
    return out


def _solve(equations: list[tuple[dict, Fraction]]) -> dict:
    """Return {unknown: value} for every unknown the linear equations determine (exact, sparse elimination)."""
    pivots: dict = {}  # pivot unknown -> (row without the pivot, rhs): pivot = rhs - Σ row
    for coeffs, rhs in equations:
        row, rhs = {u: Fraction(c) for u, c in coeffs.items()}, Fraction(rhs)
        for unknown in [u for u in row if u in pivots]:
            factor = row.pop(unknown)
            other, other_rhs = pivots[unknown]
            for u, c in other.items():
                row[u] = row.get(u, 0) - factor * c
            rhs -= factor * other_rhs
        row = {u: c for u, c in row.items() if c != 0}
        if not row:
            continue
        pivot = min(row, key=repr)
        lead = row.pop(pivot)
        row = {u: c / lead for u, c in row.items()}
        rhs = rhs / lead
        for unknown, (other, other_rhs) in list(pivots.items()):
            factor = other.pop(pivot, None)
            if factor is None:
                continue
            for u, c in row.items():
                value = other.get(u, 0) - factor * c
                if value:
                    other[u] = value
                else:
                    other.pop(u, None)
            pivots[unknown] = (other, other_rhs - factor * rhs)
        pivots[pivot] = (row, rhs)
    return {unknown: rhs for unknown, (row, rhs) in pivots.items() if not row}


def recover(
    rows: list[dict],
    *,
    group_field: str = "rater_group",
    publishes_group_counts: bool | None = None,
    fields: tuple | None = None,
) -> list:
    """Return [(key, field, value)] for every hidden figure the visible ones give away.

    ``fields``: the totals the output carries (by default every one the attacker knows of); key is
    (org code, kind, code, rater group).
    """
    by_key = {(r["org_code"], r["kind"], r["code"], r[group_field]): r for r in rows}
    if publishes_group_counts is None:
        publishes_group_counts = any(
            r["kind"] != "question" and not r["suppressed"] and r.get("n5") is not None for r in rows
        )
    found = []
    for field, relations in _relations(rows, group_field).items():
        if fields is not None and field not in fields:
            continue
        if field in COUNT_FIELDS and not publishes_group_counts:
            # Group rows carry no counts: only the questions' own relations hold for them.
            relations = [rel for rel in relations if rel[1] and rel[0][1] == "question" and rel[1][0][1] == "question"]
        equations = []
        for parent, children in relations:
            coeffs, rhs = defaultdict(Fraction), Fraction(0)
            for cell, sign in ((parent, 1), *((c, -1) for c in children)):
                row = by_key.get(cell)
                if row is None or row["suppressed"]:
                    # Hidden, or not in this output at all: unknown either way (combinations may cancel it).
                    coeffs[cell] += sign
                else:
                    value = _value(row, field)
                    rhs -= sign * (value or 0)
            coeffs = {c: v for c, v in coeffs.items() if v != 0}
            if coeffs:
                equations.append((coeffs, rhs))
        for cell, value in _solve(equations).items():
            if cell in by_key and by_key[cell]["suppressed"]:
                found.append((cell, field, value))
    return found
