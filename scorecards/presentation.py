"""How a published figure reads, wherever it is shown: bands, ranks and ties, league order, labels,
number formatting and chart geometry.

The results pages (through ``scorecards.templatetags.results``), the API and the annual report's PDF
all use this module, so the same figure has the same rank, band, label and wording everywhere.
"""

import math
from collections.abc import Callable
from operator import attrgetter

from accounts.models import LeadRole
from scorecards import stats
from scorecards.models import ALL_LEADS

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

# How a hidden figure reads everywhere (pages, API, files): whether its own base was small or it was hidden
# so that another could not be worked out is not said, since that alone tells a base is 1–4.
HIDDEN_LABEL = "Hidden to protect a smaller group"
HIDDEN = "hidden"  # the API's and the data file's word for it
NO_CHANGE = "No change"  # a change that rounds to zero at the figure's precision
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


def separated_ranks(
    rows: list,
    *,
    value: Callable = attrgetter("value"),
    low: Callable = attrgetter("low"),
    high: Callable = attrgetter("high"),
) -> dict[int, str]:
    """Return {index in ``rows``: rank} for the rows whose rank the intervals support; others get none.

    Rows with a figure are put in order, highest first. A row's position is printed as its rank only
    where its 95% interval overlaps neither its neighbour above nor its neighbour below in that order:
    only then could no other order of those neighbours be as consistent with the data. Ties always
    overlap, so a tie is never ranked; where every interval holds England's figure, no row is ranked.
    """
    order = sorted((i for i, row in enumerate(rows) if value(row) is not None), key=lambda i: -value(rows[i]))

    def bounds(i):
        v = value(rows[i])
        lo, hi = low(rows[i]), high(rows[i])
        return (v if lo is None else lo), (v if hi is None else hi)

    ranks = {}
    for position, i in enumerate(order):
        lo, hi = bounds(i)
        above_clear = position == 0 or bounds(order[position - 1])[0] > hi
        below_clear = position == len(order) - 1 or bounds(order[position + 1])[1] < lo
        if above_clear and below_clear and len(order) > 1:
            ranks[i] = str(position + 1)
    return ranks


def assign_ranks(
    rows: list,
    *,
    value: Callable = attrgetter("value"),
    low: Callable = attrgetter("low"),
    high: Callable = attrgetter("high"),
) -> None:
    """Set ``row.rank`` on every row: its position where the intervals separate it from its neighbours, else ""."""
    ranks = separated_ranks(rows, value=value, low=low, high=high)
    for i, row in enumerate(rows):
        row.rank = ranks.get(i, "")


def league_order(
    rows: list,
    *,
    sort: str = "value",
    order: str = "desc",
    value: Callable = attrgetter("value"),
    name: Callable = attrgetter("org_name"),
    base: Callable = attrgetter("base"),
    change: Callable = attrgetter("change"),
    band: Callable = attrgetter("band"),
) -> list:
    """Return ``rows`` in league order: those with a value sorted by ``sort`` in ``order``, then the rest by name.

    Sorted by result (the default), rows are in their bands first (better than England, about the same,
    worse) and by value within each band, so that a row's place never claims more than its band does.

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
    elif sort == "value":
        by_value = number(value)

        def in_band(row):
            position = BAND_ORDER.get(band(row), 3)
            return (position if descending else -position, *by_value(row))

        with_value.sort(key=in_band)
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
    digits = 0 if _is_pct(metric) else 1
    shown = round(value, digits)
    if shown == 0:  # never "+0.0" or "−0.0"
        return NO_CHANGE
    sign = "+" if shown > 0 else "−"
    text = f"{sign}{abs(shown):.0f} points" if _is_pct(metric) else f"{sign}{abs(shown):.1f}"
    return f"{text} (significant)" if significant else text


def direction(value: float | None, significant: bool | None) -> dict | None:
    """Return the arrow and words of a significant change ("▲", "Significant rise"); None where not significant.

    Direction is never told by colour alone: the arrow and the word say it, the colour only repeats it.
    """
    if not significant or value is None or value == 0:
        return None
    if value > 0:
        return {"arrow": "▲", "word": "Significant rise", "css": "up"}
    return {"arrow": "▼", "word": "Significant fall", "css": "down"}


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


# Funnel plot: each area team's value against its base, with limits around England's figure ---------------

Z_95, Z_998 = 1.959964, 3.090232  # two-sided 95% and 99.8% of the normal distribution
FUNNEL_WIDTH, FUNNEL_HEIGHT = 560, 320
FUNNEL_MARGIN = {"left": 48, "right": 12, "top": 12, "bottom": 44}


def england_sd(*, low: float | None, high: float | None, base: int | None) -> float | None:
    """Return England's standard deviation of scores, recovered from its published t interval and base."""
    if low is None or high is None or not base or base < 2:
        return None
    return (high - low) / 2 * math.sqrt(base) / stats.t_975(base - 1)


def funnel_limits(*, reference: float, n: int, metric: str, sd: float | None = None, z: float = Z_95):
    """Return (low, high) of the funnel at base ``n`` around England's ``reference``, clamped to the axis.

    A percentage: p0 ± z·√(p0(1−p0)/n) with p0 England's proportion. A score: England's figure ± z·sd/√n,
    with sd England's standard deviation of scores. None where there is no spread to draw.
    """
    if n <= 0:
        return None
    if _is_pct(metric):
        p0 = reference / 100
        half = z * math.sqrt(p0 * (1 - p0) / n) * 100
    else:
        if sd is None:
            return None
        half = z * sd / math.sqrt(n)
    top = scale_max(metric)
    return max(reference - half, 0.0), min(reference + half, float(top))


def _nice_step(span: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if span / step <= 6:
            return step
    return 1000


def funnel_geometry(rows: list, *, reference: float | None, sd: float | None, metric: str) -> dict | None:
    """Return what the funnel plot draws: axes with ticks, the four limit lines, England's line and a dot per row.

    ``rows`` have ``value``, ``base``, ``band`` and ``org_name``; those with no figure are left out.
    Points are in SVG user units of a FUNNEL_WIDTH × FUNNEL_HEIGHT chart that scales down to the page.
    """
    points = [r for r in rows if r.value is not None and r.base]
    if reference is None or not points:
        return None
    m = FUNNEL_MARGIN
    plot_w = FUNNEL_WIDTH - m["left"] - m["right"]
    plot_h = FUNNEL_HEIGHT - m["top"] - m["bottom"]
    top = scale_max(metric)
    max_base = max(r.base for r in points)
    step_x = _nice_step(max_base)
    x_top = step_x * math.ceil(max_base / step_x)
    y_step = 2 if top == SCORE_MAX else 20

    def px(n):
        return round(m["left"] + n / x_top * plot_w, 1)

    def py(v):
        return round(m["top"] + (1 - min(max(v, 0), top) / top) * plot_h, 1)

    limits = []
    for name, z in (("95", Z_95), ("998", Z_998)):
        lows, highs = [], []
        for i in range(1, 41):
            n = max(2.0, x_top * i / 40)
            bounds = funnel_limits(reference=reference, n=n, metric=metric, sd=sd, z=z)
            if bounds is None:
                continue
            lows.append(f"{px(n)},{py(bounds[0])}")
            highs.append(f"{px(n)},{py(bounds[1])}")
        if lows:
            limits.append({"name": name, "low": " ".join(lows), "high": " ".join(highs)})
    dots = []
    for r in points:
        dots.append(
            {
                "x": px(r.base),
                "y": py(r.value),
                "band": r.band or SAME,
                "symbol": BAND_SYMBOLS.get(r.band or SAME),
                "label": f"{r.org_name}: {figure(r.value, metric)}, base {r.base}, {band_label(r.band).lower()}",
            }
        )
    return {
        "width": FUNNEL_WIDTH,
        "height": FUNNEL_HEIGHT,
        "left": m["left"],
        "right": FUNNEL_WIDTH - m["right"],
        "top": m["top"],
        "bottom": FUNNEL_HEIGHT - m["bottom"],
        "x_ticks": [{"x": px(n), "label": n} for n in range(0, x_top + 1, step_x)],
        "y_ticks": [{"y": py(v), "label": v if metric == "score" else f"{v}%"} for v in range(0, top + 1, y_step)],
        "reference_y": py(reference),
        "limits": limits,
        "dots": dots,
    }


# Dot charts: one row per measure on a shared 0–10 (or 0–100) axis with ticks -----------------------------

DOT_CHART_WIDTH, DOT_ROW_HEIGHT, DOT_AXIS_HEIGHT = 340, 42, 24
DOT_MARGIN = 10


def dot_chart(rows: list[dict], *, metric: str = "score", width: int = DOT_CHART_WIDTH) -> dict | None:
    """Return the geometry of a dot chart: a row per measure, each with one or more marks, on one axis.

    Each row is ``{"label", "marks": [{"value", "low", "high", "kind"}], "reference"}``: ``kind`` names the
    mark's series ("figure"; later "self" and "others" for a paired-dot chart), ``reference`` England's
    figure (drawn as a line). Each row's label is written above its marks, so that a phone's width is the
    chart's and the label still reads at the page's text size.
    """
    if not rows:
        return None
    top = scale_max(metric)
    step = 2 if top == SCORE_MAX else 20
    plot = width - 2 * DOT_MARGIN

    def x(value):
        return round(DOT_MARGIN + min(max(float(value), 0), top) / top * plot, 1)

    out = []
    for i, row in enumerate(rows):
        y = i * DOT_ROW_HEIGHT + 31  # the marks' line; the label sits above it
        marks = []
        for mark in row["marks"]:
            if mark.get("value") is None:
                continue
            low = mark["value"] if mark.get("low") is None else mark["low"]
            high = mark["value"] if mark.get("high") is None else mark["high"]
            marks.append({"kind": mark.get("kind", "figure"), "x": x(mark["value"]), "low": x(low), "high": x(high)})
        reference = row.get("reference")
        out.append(
            {
                **row,
                "y": y,
                "label_y": y - 13,
                "top": y - 8,
                "bottom": y + 8,
                "marks": marks,
                "reference_x": x(reference) if reference is not None else None,
            }
        )
    plot_height = len(rows) * DOT_ROW_HEIGHT
    return {
        "width": width,
        "height": plot_height + DOT_AXIS_HEIGHT,
        "plot_height": plot_height,
        "rows": out,
        "left": DOT_MARGIN,
        "right": width - DOT_MARGIN,
        "ticks": [{"x": x(v), "label": v if metric == "score" else f"{v}%"} for v in range(0, top + 1, step)],
    }


# Trend over years: a line through each year's figure with its 95% interval as a whisker ---------------------

TREND_WIDTH, TREND_HEIGHT = 220, 130
TREND_MARGIN = {"left": 26, "right": 14, "top": 10, "bottom": 22}


def trend_chart(points: list[tuple], *, metric: str = "score") -> dict | None:
    """Return a trend chart's geometry from (year, value, low, high) points, oldest first; None under two years.

    Years without a figure (hidden, no responses) break the line rather than being drawn as zero.
    """
    if len(points) < 2:
        return None
    m = TREND_MARGIN
    top = scale_max(metric)
    plot_w = TREND_WIDTH - m["left"] - m["right"]
    plot_h = TREND_HEIGHT - m["top"] - m["bottom"]
    step = plot_w / (len(points) - 1)

    def py(v):
        return round(m["top"] + (1 - min(max(v, 0), top) / top) * plot_h, 1)

    marks, segments, current = [], [], []
    for i, (year, value, low, high) in enumerate(points):
        x = round(m["left"] + i * step, 1)
        if value is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
            marks.append({"x": x, "year": year, "empty": True})
            continue
        current.append(f"{x},{py(value)}")
        low = value if low is None else low
        high = value if high is None else high
        marks.append({"x": x, "year": year, "y": py(value), "low": py(low), "high": py(high), "empty": False})
    if len(current) > 1:
        segments.append(" ".join(current))
    tick_step = 5 if metric == "score" else 50
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": m["left"],
        "right": TREND_WIDTH - m["right"],
        "bottom": TREND_HEIGHT - m["bottom"],
        "ticks": [{"y": py(v), "label": v} for v in range(0, top + 1, tick_step)],
        "marks": marks,
        "segments": segments,
    }
