"""How a figure is named: bands against England, lead roles, hidden and missing figures."""

from accounts.models import LeadRole
from scorecards.models import ALL_LEADS, ALL_PARTNERS, EACH_CCG, EVERYONE_BUT_SELF, SELF

# Bands against England: better or worse only where the interval excludes England's figure.
BETTER, SAME, WORSE = "better", "same", "worse"
BAND_LABELS = {BETTER: "Better than England", SAME: "About the same as England", WORSE: "Worse than England"}
# Read without colour: a symbol beside the words (heat map cells, funnel plot dots).
BAND_SYMBOLS = {BETTER: "▲", SAME: "●", WORSE: "▼"}
BAND_ORDER = {BETTER: 0, SAME: 1, WORSE: 2, None: 3}
# A negatively worded statement is scored so that higher is favourable: higher means more disagreement with it.
REVERSED_HINT = "Negatively worded statement: a higher score or % positive means more disagreement with it."

# Lead roles, as the published figures split them: all leads first, then each role of accounts.LeadRole.
LEAD_ROLE_ORDER = (ALL_LEADS, *LeadRole.values)
LEAD_ROLE_LABELS = {ALL_LEADS: "All leads", **{role.value: f"{role.label}s" for role in LeadRole}}
LEAD_ROLES = tuple((role, LEAD_ROLE_LABELS[role]) for role in LeadRole.values)  # (value, "Clinical leads")
# Every rater view a published row can be for (scorecards.models), as headings name them.
RATER_VIEW_LABELS = {
    **LEAD_ROLE_LABELS,
    EACH_CCG: "All leads, each CCG counting once",
    EVERYONE_BUT_SELF: "Everyone but the area team",
    ALL_PARTNERS: "All partners",
    "practice": "GP member practices",
    "patients": "Patients' representatives",
    "local_government": "Local government",
    SELF: "The area team's self-assessment",
}

# How a hidden figure reads everywhere (pages, API, files): whether its own base was small or it was hidden
# so that another could not be worked out is not said, since that alone tells a base is 1–4.
HIDDEN_LABEL = "Hidden to protect a smaller group"
HIDDEN = "hidden"  # the API's and the data file's word for it
NO_CHANGE = "No change"  # a change that rounds to zero at the figure's precision
NO_FIGURE = "–"  # an en dash where there is no figure (no responses); a suppressed one is shown as hidden


def band(*, low: float | None, high: float | None, reference: float | None) -> str | None:
    """Return better/worse where the interval [low, high] excludes ``reference``, "same" where it holds it.

    None where there is no interval or no reference to compare with (never a guess).
    """
    if low is None or high is None or reference is None:
        return None
    if low > reference:
        return BETTER
    if high < reference:
        return WORSE
    return SAME


def band_label(band_code: str | None) -> str:
    """Return the words for a band ("Better than England"); empty where there is none."""
    return BAND_LABELS.get(band_code, "") if band_code else ""
