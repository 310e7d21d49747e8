"""The "each CCG counts once" view of the CCG leads (DESIGN.md §4): figures, effective base and disclosure cells.

In a cell (organisation × item), a CCG with m responding leads gives each of them the weight 1 / m, so every
responding CCG weighs the same in all. The figure is the weighted mean, which is the mean over CCGs of each
CCG's own mean; the base stays the leads, the ``ccgs`` count the CCGs, and Kish's effective base
(Σ w)² / Σ w² = C² / Σ (1 / m) says how many equally weighted people the figure is as precise as.

Intervals come from the weighted estimator: the weighted variance s² = Σ w (x − x̄)² / Σ w, scaled by
n_eff / (n_eff − 1), over n_eff, with Student's t on ⌊n_eff⌋ − 1 degrees of freedom (scores and a group's %
positive, clipped to the scale); a question's % positive takes Wilson's interval with n_eff in place of n.
With one lead per CCG all of it is exactly the unweighted figure and interval.

Disclosure: beside the unweighted figure of the same cell, the weighted one gives a second sum of the
same people (Σ x / m against Σ x), and its CCG count and effective base two more of the base, so together
they can separate the leads of CCGs with one lead from those of CCGs with two or three. So each such class
of CCGs (by number of responding leads in the cell) is a cell of its own for disclosure control
(``class_view``), shown by no figure but known wherever the weighted figure is shown: the CCG leads' cell is
the sum of its classes, the weighted cell their sum with weights 1 / m, and an organisation's class the sum
of its children's (``hiding.relations``). A weighted figure is hidden wherever the leads' figure is, where
one of its classes has fewer people than the leads' threshold (it would show that class), and wherever
showing it would let a hidden cell, or a class too small to show, be worked out.
"""

import math
from collections import defaultdict

from organisations.models import AreaTeam
from scorecards import stats
from scorecards.models import ENGLAND_CODE, ItemKind, Level, ScorecardCcgAggregate
from scorecards.services.aggregation import GROUP_FIELDS, SHARE_UNIT

_CLASS_PREFIX = "ccgs-with-"


def class_view(leads: int) -> str:
    """Return the (never published) view of the CCG leads of CCGs with ``leads`` responding leads in a cell."""
    return f"{_CLASS_PREFIX}{leads}"


def class_leads(view: str) -> int:
    """Return the number of leads of the CCGs in a class view (``class_view``'s argument)."""
    return int(view.removeprefix(_CLASS_PREFIX))


def ccg_cells(cycle_id: int) -> dict:
    """Return {(level, org code, kind, code): [each CCG's sums (``GROUP_FIELDS`` order)]} for the cycle."""
    teams = {at.pk: (at.ods_code, at.region.ods_code) for at in AreaTeam.objects.select_related("region")}
    cells: dict = defaultdict(list)
    for area_team_id, kind, code, *sums in ScorecardCcgAggregate.objects.filter(cycle_id=cycle_id).values_list(
        "area_team_id", "kind", "code", *GROUP_FIELDS
    ):
        team, region = teams[area_team_id]
        for level, org in ((Level.AREA_TEAM, team), (Level.REGION, region), (Level.ENGLAND, ENGLAND_CODE)):
            cells[(level, org, kind, code)].append(tuple(sums))
    return cells


def class_cells(cells: dict) -> dict:
    """Return {(level, org, kind, code, class view): {"people": leads, "dk": 0}}: the leads of each cell's CCGs,
    by how many of them each CCG has there (sums, so they obey the organisations' relations)."""
    out: dict = {}
    for (level, org, kind, code), ccgs in cells.items():
        for people, *_ in ccgs:
            key = (level, org, kind, code, class_view(people))
            out.setdefault(key, {"people": 0, "dk": 0})["people"] += people
    return out


# Where each of a CCG's sums (``GROUP_FIELDS``) stands in its tuple; scores are stored in thousandths of a point.
_PEOPLE, _SCORE, _SCORE_SQ, _POSITIVE, _POSITIVE_SQ, _NEGATIVE = (
    GROUP_FIELDS.index(f)
    for f in ("people", "score_sum", "score_sumsq", "positive_sum", "positive_sumsq", "negative_sum")
)
_PER_POINT = 1000
_PER_PERCENT = SHARE_UNIT / 100


def _weighted_mean(ccgs: list, column: int, unit: float) -> float:
    """Return the mean over CCGs of each CCG's mean of ``column`` (a sum over its leads), in ``unit`` per point."""
    return sum(c[column] / c[_PEOPLE] for c in ccgs) / len(ccgs) / unit


def _weighted_mean_and_half(ccgs: list, total: int, total_sq: int, unit: float, n_eff: float):
    """Return (weighted mean, 95% half-width or None) of a value whose per-CCG Σ and Σ² are columns ``total``
    and ``total_sq`` of ``ccgs``, in ``unit`` per point of the result."""
    mean = _weighted_mean(ccgs, total, unit)
    if math.floor(n_eff) < 2:
        return mean, None
    second = _weighted_mean(ccgs, total_sq, unit * unit)
    variance = max(0.0, second - mean * mean) * n_eff / (n_eff - 1)
    return mean, stats.t_975(math.floor(n_eff) - 1) * math.sqrt(variance / n_eff)


def weighted_figures(ccgs: list, kind: str) -> dict:
    """Return the published numbers of one cell in the "each CCG counts once" view from its CCGs' sums."""
    out = {"base": sum(c[_PEOPLE] for c in ccgs), "ccgs": len(ccgs)}
    if not ccgs:
        return out
    n_eff = len(ccgs) ** 2 / sum(1 / c[_PEOPLE] for c in ccgs)
    out["effective_base"] = n_eff
    score, score_half = _weighted_mean_and_half(ccgs, _SCORE, _SCORE_SQ, _PER_POINT, n_eff)
    out["score"] = score
    if score_half is not None:
        out["score_low"], out["score_high"] = max(0.0, score - score_half), min(10.0, score + score_half)
    positive, positive_half = _weighted_mean_and_half(ccgs, _POSITIVE, _POSITIVE_SQ, _PER_PERCENT, n_eff)
    out["pct_positive"] = positive
    out["pct_negative"] = _weighted_mean(ccgs, _NEGATIVE, _PER_PERCENT)
    if kind == ItemKind.QUESTION:
        interval = stats.wilson_interval(positive / 100 * n_eff, n_eff)
        out["pct_positive_low"], out["pct_positive_high"] = 100 * interval.low, 100 * interval.high
    elif positive_half is not None:
        out["pct_positive_low"] = max(0.0, positive - positive_half)
        out["pct_positive_high"] = min(100.0, positive + positive_half)
    return out
