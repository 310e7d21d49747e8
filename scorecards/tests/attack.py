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
  publishes group counts at all), and a group of one statement equals that statement;
- "each CCG counts once" (``ccgs`` rows), given ``ccg_classes`` (how many responding leads the CCGs have in
  each cell that has any: outside knowledge, handed to the attacker): the leads of the CCGs with k leads are
  an unknown of their own ("class"), the leads' total the sum of the classes, the weighted total (figure ×
  number of CCGs) their sum with weights 1 / k, and for the base the CCG count and Σ 1 / m (the number of
  CCGs squared over the effective base) two more; a class at a region or England is the sum of its
  organisations'.
"""

from collections import defaultdict
from fractions import Fraction

COUNT_FIELDS = ("n5", "n4", "n3", "n2", "n1", "dont_know", "answers")
ALL = ""
EACH_CCG = "ccgs"
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


def _weighted_value(row: dict, field: str, moment: int = 1):
    """Return a "each CCG counts once" row's weighted total of ``field`` (Σ over its leads of x / m): for the
    base, the CCG count (moment 1) or Σ 1 / m (moment 2)."""
    ccgs = row.get("ccgs")
    if ccgs is None:
        return None
    if field == "base":
        if moment == 1:
            return Fraction(ccgs)
        n_eff = row.get("effective_base")
        return None if not n_eff else Fraction(ccgs) ** 2 / Fraction(n_eff).limit_denominator(10**6)
    figure = row.get("score" if field == "score_total" else "pct_positive")
    if figure is None:
        return None
    scale = 1 if field == "score_total" else Fraction(1, 100)
    return Fraction(figure).limit_denominator(10**6) * scale * ccgs


def _class_relations(rows: list[dict], group_field: str, ccg_classes: dict) -> list[tuple]:
    """Return [(terms, constant)] linear equations (Σ coefficient × cell = constant) for the weighted rows:
    each term is (cell or ("class", org, kind, code, k), coefficient, moment)."""
    children_of = defaultdict(set)
    for r in rows:
        if r.get("parent_code"):
            children_of[r["parent_code"]].add(r["org_code"])
    items = {(r["kind"], r["code"]) for r in rows if r[group_field] == EACH_CCG}
    orgs = {r["org_code"] for r in rows}
    out = []
    for kind, code in items:
        every_k = sorted({k for (_, kd, cd), ks in ccg_classes.items() if (kd, cd) == (kind, code) for k in ks})
        # A cell the attacker has no classes for is empty where its leads' figure says so (shown, with no one);
        # where that is hidden it may hold any class (an unknown that can be 0): knowing it held none would be
        # knowing that nobody in it gave a score, which is for the figures to keep.
        hidden = {
            r["org_code"]
            for r in rows
            if (r["kind"], r["code"], r[group_field]) == (kind, code, ALL) and r["suppressed"]
        }
        present_at = {
            org: ccg_classes.get((org, kind, code)) or (set(every_k) if org in hidden else set()) for org in orgs
        }
        for org in orgs:
            present = present_at[org]
            classes = [("class", org, kind, code, k) for k in every_k if k in present]
            if not classes:
                continue  # no CCG gave a score to this item anywhere: nothing to tie the views together
            out.append(([((org, kind, code, ALL), 1, 1), *((c, -1, 1) for c in classes)], "sum"))
            out.append(
                ([((org, kind, code, EACH_CCG), 1, 1), *((c, -Fraction(1, c[4]), 1) for c in classes)], "weighted")
            )
            out.append(
                ([((org, kind, code, EACH_CCG), 1, 2), *((c, -Fraction(1, c[4] ** 2), 1) for c in classes)], "base")
            )
        for parent, kids in children_of.items():
            for k in every_k:
                if k not in present_at.get(parent, ()):
                    continue
                terms = [(("class", parent, kind, code, k), 1, 1)]
                terms += [
                    (("class", kid, kind, code, k), -1, 1) for kid in sorted(kids) if k in present_at.get(kid, ())
                ]
                out.append((terms, "sum"))
    return out


def _relations(rows: list[dict], group_field: str) -> dict[str, list[tuple]]:
    """Return {field: [(parent key, [child keys])]} for every relation the rows make true (but the weighted)."""
    rows = [r for r in rows if r[group_field] != EACH_CCG]
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
    ccg_classes: dict | None = None,
) -> list:
    """Return [(key, field, value)] for every hidden figure the visible ones give away.

    ``fields``: the totals the output carries (by default every one the attacker knows of); key is
    (org code, kind, code, rater group). ``ccg_classes``: {(org code, kind, code): {k: CCGs with k responding
    leads there}} to attack the "each CCG counts once" rows with (see the module's docstring).
    """
    by_key = {(r["org_code"], r["kind"], r["code"], r[group_field]): r for r in rows}
    if publishes_group_counts is None:
        publishes_group_counts = any(
            r["kind"] != "question" and not r["suppressed"] and r.get("n5") is not None for r in rows
        )
    weighted = _class_relations(rows, group_field, ccg_classes) if ccg_classes else []
    found = []
    for field, relations in _relations(rows, group_field).items():
        if fields is not None and field not in fields:
            continue
        if field in COUNT_FIELDS and not publishes_group_counts:
            # Group rows carry no counts: only the questions' own relations hold for them.
            relations = [rel for rel in relations if rel[1] and rel[0][1] == "question" and rel[1][0][1] == "question"]
        terms_list = [[(parent, 1, 1), *((c, -1, 1) for c in children)] for parent, children in relations]
        if field in ("base", "score_total", "positive_total"):
            terms_list += [terms for terms, kind in weighted if kind != "base" or field == "base"]
        equations = []
        for terms in terms_list:
            coeffs, rhs = defaultdict(Fraction), Fraction(0)
            for cell, sign, moment in terms:
                row = by_key.get(cell) if cell[0] != "class" else None
                if row is None or row["suppressed"]:
                    # Hidden, not in this output, or a class: unknown either way (combinations may cancel it).
                    coeffs[(cell, moment)] += sign
                    continue
                value = _weighted_value(row, field, moment) if cell[3] == EACH_CCG else _value(row, field)
                if value is None and cell[3] == EACH_CCG:
                    coeffs[(cell, moment)] += sign  # a figure this output does not carry: unknown
                    continue
                rhs -= sign * (value or 0)
            coeffs = {c: v for c, v in coeffs.items() if v != 0}
            if coeffs:
                equations.append((coeffs, rhs))
        for (cell, _moment), value in _solve(equations).items():
            if cell[0] != "class" and cell in by_key and by_key[cell]["suppressed"]:
                found.append((cell, field, value))
    return found
