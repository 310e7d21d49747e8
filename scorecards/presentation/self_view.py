"""Self beside others (DESIGN.md §4): where an area team's view of itself and its CCG leads' view part.

A **blind spot** is a statement, behaviour or role where the area team's self-assessment scores it higher
than its CCG leads do by more than a third of the 0–10 scale; a **hidden strength** where lower by more than
that. Only where the leads' figure is published: a hidden or missing figure has no gap.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from scorecards.models import ALL_LEADS, SELF

BLIND_SPOT_GAP = 10 / 3  # a third of the 0–10 scale: 3.33 points
BLIND_SPOT = "blind_spot"
HIDDEN_STRENGTH = "hidden_strength"
GAP_LABELS = {BLIND_SPOT: "Blind spot", HIDDEN_STRENGTH: "Hidden strength"}
GAP_HINTS = {
    BLIND_SPOT: "The area team rates itself more than 3.3 points higher than its CCG leads do.",
    HIDDEN_STRENGTH: "The area team rates itself more than 3.3 points lower than its CCG leads do.",
}


def self_gap(self_score: float | None, others_score: float | None) -> str | None:
    """Return ``BLIND_SPOT``, ``HIDDEN_STRENGTH`` or None for a self-assessment score beside the others' score.

    None where either score is missing (no self-assessment, or the others' figure hidden or empty) and where
    the two are at most a third of the scale apart.
    """
    if self_score is None or others_score is None:
        return None
    gap = self_score - others_score
    if gap > BLIND_SPOT_GAP:
        return BLIND_SPOT
    if gap < -BLIND_SPOT_GAP:
        return HIDDEN_STRENGTH
    return None


@dataclass(frozen=True)
class SelfBeside:
    """One item of an area team: its self-assessment's score beside its CCG leads' score, and the gap."""

    kind: str
    code: str
    label: str
    self_score: float | None
    leads_score: float | None
    gap: str | None

    @property
    def gap_label(self) -> str:
        return GAP_LABELS.get(self.gap, "") if self.gap else ""


def self_beside_leads(rows: Iterable) -> list[SelfBeside] | None:
    """Return, per item of one organisation's published rows (in their order), self beside the CCG leads.

    ``rows`` are published rows (any views) with ``kind``, ``code``, ``label``, ``rater_group``,
    ``suppressed`` and ``score``. None where they hold no self-assessment view at all (a cycle without one);
    a hidden leads' figure gives no score and no gap (never a guess).
    """
    by_item: dict[tuple, dict] = {}
    for row in rows:
        by_item.setdefault((row.kind, row.code), {"label": row.label})[row.rater_group] = row
    if not any(SELF in views for views in by_item.values()):
        return None
    lines = []
    for (kind, code), views in by_item.items():
        own, leads = views.get(SELF), views.get(ALL_LEADS)
        self_score = None if own is None or own.suppressed else own.score
        leads_score = None if leads is None or leads.suppressed else leads.score
        lines.append(SelfBeside(kind, code, views["label"], self_score, leads_score, self_gap(self_score, leads_score)))
    return lines
