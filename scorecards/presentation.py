"""How a published figure reads, wherever it is shown: bands, ranks and ties, league order, labels,
number formatting and chart geometry.

The results pages (through ``scorecards.templatetags.results``), the API and the annual report's PDF
all use this module, so the same figure has the same rank, band, label and wording everywhere.
"""

from collections.abc import Callable, Iterable
from operator import attrgetter

from accounts.models import LeadRole
from scorecards.models import ALL_LEADS

# Bands against England: better or worse only where the interval excludes England's figure.
BETTER, SAME, WORSE = "better", "same", "worse"
BAND_LABELS = {BETTER: "Better than England", SAME: "About the same as England", WORSE: "Worse than England"}

# Lead roles, as the published figures split them: all leads first, then each role of accounts.LeadRole.
LEAD_ROLE_ORDER = (ALL_LEADS, *LeadRole.values)
LEAD_ROLE_LABELS = {ALL_LEADS: "All leads", **{role.value: f"{role.label}s" for role in LeadRole}}
LEAD_ROLES = tuple((role, LEAD_ROLE_LABELS[role]) for role in LeadRole.values)  # (value, "Clinical leads")

# How a hidden figure reads everywhere (pages, API, files): whether its own base was small or it was hidden
# so that another could not be worked out is not said, since that alone tells a base is 1–4.
HIDDEN_LABEL = "Hidden to protect a smaller group"
HIDDEN = "hidden"  # the API's and the data file's word for it
NO_FIGURE = "–"  # an en dash where there is no figure (no responses); a suppressed one is shown as hidden
SCORE_MAX, PCT_MAX = 10, 100
CHART_PAD = 4


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


# Ranks and league order ------------------------------------------------------------------------


def rank_labels(values: Iterable[float | None]) -> list[str]:
    """Return the rank of each value, highest first; equal values share a rank marked "=" ("3="); None: "".

    Three teams on 7.0, 6.5, 6.5 and one on 6.0 rank "1", "2=", "2=", "4".
    """
    values = list(values)
    ranked = sorted((v for v in values if v is not None), reverse=True)
    labels = []
    for value in values:
        if value is None:
            labels.append("")
            continue
        position = ranked.index(value) + 1
        labels.append(f"{position}=" if ranked.count(value) > 1 else str(position))
    return labels


def assign_ranks(rows: list, *, value: Callable = attrgetter("value")) -> None:
    """Set ``row.rank`` on every row from ``value(row)`` (None: unranked, e.g. suppressed or no responses)."""
    for row, rank in zip(rows, rank_labels(value(row) for row in rows), strict=True):
        row.rank = rank


def league_order(
    rows: list,
    *,
    sort: str = "value",
    order: str = "desc",
    value: Callable = attrgetter("value"),
    name: Callable = attrgetter("org_name"),
    base: Callable = attrgetter("base"),
    change: Callable = attrgetter("change"),
) -> list:
    """Return ``rows`` in league order: those with a value sorted by ``sort`` in ``order``, then the rest by name.

    Rows that tie on the sort key are in name order, A to Z, whichever the direction, so that tied
    ranks ("3=") read alphabetically on every page, in the API and in the PDF. Rows without a value
    (suppressed, no responses) always come last, unranked.
    """
    descending = order == "desc"

    def number(get: Callable) -> Callable:
        def key(row):
            n = get(row)
            return (n is None, -(n or 0) if descending else (n or 0), name(row))

        return key

    with_value = [r for r in rows if value(r) is not None]
    without = sorted((r for r in rows if value(r) is None), key=name)
    if sort == "name":
        with_value.sort(key=name, reverse=descending)
    else:
        with_value.sort(key=number({"value": value, "base": base, "change": change}[sort]))
    return with_value + without


# Numbers -----------------------------------------------------------------------------------------


def _is_pct(metric: str) -> bool:
    return metric in ("pct_positive", "pct")


def figure(value: float | None, metric: str = "score") -> str:
    """Format a score (one decimal) or a percentage (whole number and %); an en dash for none."""
    if value is None:
        return NO_FIGURE
    return f"{value:.0f}%" if _is_pct(metric) else f"{value:.1f}"


def change(value: float | None, metric: str = "score", significant: bool | None = None) -> str:
    """Format a change since last year with its sign (percentage points for percentages).

    With ``significant`` given, say so where it is: "+12 points (significant)".
    """
    if value is None:
        return NO_FIGURE
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    text = f"{sign}{abs(value):.0f} points" if _is_pct(metric) else f"{sign}{abs(value):.1f}"
    return f"{text} (significant)" if significant else text


def interval_text(value: float | None, low: float | None, high: float | None, metric: str = "score") -> str:
    """Return "6.2 (95% CI 5.8 to 6.6)" for a figure and its interval."""
    if value is None:
        return NO_FIGURE
    if low is None or high is None:
        return figure(value, metric)
    return f"{figure(value, metric)} (95% CI {figure(low, metric)} to {figure(high, metric)})"


# Chart geometry (the pages draw it as SVG in templates, the PDF inline) ------------------------------


def scale_max(metric: str) -> int:
    """Return the top of a metric's axis: 10 for scores, 100 for percentages."""
    return SCORE_MAX if metric == "score" else PCT_MAX


def axis_x(value: float, top: float, width: float, pad: float = CHART_PAD) -> float:
    """Return where ``value`` (clamped to 0…``top``) falls on an axis ``width`` wide with ``pad`` at each end."""
    value = min(max(float(value), 0), top)
    return round(pad + value / top * (width - 2 * pad), 1)


def interval_geometry(value, low, high, reference, *, top: float, width: float) -> dict | None:
    """Return the x positions of a figure's dot, its 95% interval and England's mark; None for no figure."""
    if value is None:
        return None
    low = value if low is None else low
    high = value if high is None else high
    return {
        "width": width,
        "x": axis_x(value, top, width),
        "low": axis_x(low, top, width),
        "high": axis_x(high, top, width),
        "reference": axis_x(reference, top, width) if reference is not None else None,
    }


def bar_length(pct: float | None, width: float) -> float | None:
    """Return the length of a bar showing ``pct`` (0–100) of ``width``; None for no figure."""
    if pct is None:
        return None
    return round(min(max(float(pct), 0), 100) / 100 * width, 1)
