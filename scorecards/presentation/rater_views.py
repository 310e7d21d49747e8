"""How the rater groups' views read on a page: their names mid-sentence, the one line that stands in for a
group with too few raters, and the paired-dot chart of the area team's self-assessment beside its others.
"""

from scorecards.models import ALL_LEADS, ALL_PARTNERS, EVERYONE_BUT_SELF
from scorecards.presentation.charts import DOT_CHART_WIDTH, dot_chart
from scorecards.presentation.self_view import GAP_LABELS, self_gap
from surveys.models import PARTNER_GROUPS

# The views shown beside the CCG leads' on a scorecard, in the order the pages list them.
BESIDE_LEADS = (EVERYONE_BUT_SELF, ALL_PARTNERS, *PARTNER_GROUPS)
# Each view's name inside a sentence ("Not enough responses from GP member practices …").
RATER_VIEW_PHRASES = {
    ALL_LEADS: "CCG leads",
    EVERYONE_BUT_SELF: "everyone but the area team",
    ALL_PARTNERS: "partners",
    "practice": "GP member practices",
    "patients": "patients' representatives",
    "local_government": "local government",
}
SELF_DESCRIPTION = (
    "The self-assessment is the area team's own corporate view of itself: its members answered the same "
    "statements in the first person. It is never counted in anyone else's figures and is "
    "shown whatever its base."
)
NO_SELF_ASSESSMENT = "{name} did not give a self-assessment in {year}, so there is nothing to set beside its CCG leads."
# The marks of the paired-dot chart: the self-assessment, the CCG leads, everyone but self (where there are partners).
SELF_MARK, LEADS_MARK, OTHERS_MARK = "self", "leads", "others"


def not_enough_line(view: str) -> str:
    """Return the one line that stands in for a view whose every figure is hidden for too few raters."""
    return f"Not enough responses from {RATER_VIEW_PHRASES.get(view, view)} to show their figures"


def self_chart(rows: list[dict], *, width: int = DOT_CHART_WIDTH) -> dict | None:
    """Return a paired-dot chart of self beside others on the 0–10 scale, one row per measure.

    Each row is ``{"label", "self", "leads", "others"}``, the last three a score or None (no figure, hidden);
    the self-assessment is drawn without an interval (one response), the others with theirs when given as
    ``leads_low``/``leads_high`` and ``others_low``/``others_high``. Each row carries its gap (``BLIND_SPOT``,
    ``HIDDEN_STRENGTH`` or None, from ``self_gap`` against the CCG leads) and its words, and, where both dots
    are drawn, the x positions of the line joining them (the gap read at a glance).
    """
    if not rows:
        return None
    chart_rows = []
    for row in rows:
        marks = [
            {"value": row.get("leads"), "low": row.get("leads_low"), "high": row.get("leads_high"), "kind": LEADS_MARK}
        ]
        if "others" in row:
            marks.append(
                {
                    "value": row.get("others"),
                    "low": row.get("others_low"),
                    "high": row.get("others_high"),
                    "kind": OTHERS_MARK,
                }
            )
        marks.append({"value": row.get("self"), "kind": SELF_MARK})
        gap = self_gap(row.get("self"), row.get("leads"))
        chart_rows.append({**row, "gap": gap, "gap_label": GAP_LABELS.get(gap, ""), "marks": marks})
    chart = dot_chart(chart_rows, width=width)
    for row in chart["rows"]:
        xs = {mark["kind"]: mark["x"] for mark in row["marks"]}
        pair = (xs.get(SELF_MARK), xs.get(LEADS_MARK))
        row["join"] = None if None in pair else {"x1": min(pair), "x2": max(pair)}
        x, y = xs.get(SELF_MARK), row["y"]
        # The self-assessment is a diamond, the others round: told apart by shape as well as colour.
        row["self_diamond"] = (
            None if x is None else f"{x},{y - 6} {round(x + 6, 1)},{y} {x},{y + 6} {round(x - 6, 1)},{y}"
        )
        row["other_marks"] = [m for m in row["marks"] if m["kind"] != SELF_MARK]
    return chart
