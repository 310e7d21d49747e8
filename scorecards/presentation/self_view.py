"""Self beside others (DESIGN.md §4): where an area team's view of itself and its CCG leads' view part.

A **blind spot** is a statement, behaviour or role where the area team's self-assessment scores it higher
than its CCG leads do by more than a third of the 0–10 scale; a **hidden strength** where lower by more than
that. Only where the leads' figure is published: a hidden or missing figure has no gap.
"""

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
