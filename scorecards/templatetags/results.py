"""Formatting and server-rendered SVG charts of the results pages (no JavaScript needed to read them)."""

from urllib.parse import urlencode

from django import template

register = template.Library()

CHART_WIDTH = 200
CHART_PAD = 4
# Answer options from "strongly agree" (n5) to "strongly disagree" (n1), with the colours of the key.
OPTIONS = (
    ("n5", "Strongly agree", "app-seg--5"),
    ("n4", "Tend to agree", "app-seg--4"),
    ("n3", "Neither agree nor disagree", "app-seg--3"),
    ("n2", "Tend to disagree", "app-seg--2"),
    ("n1", "Strongly disagree", "app-seg--1"),
)


@register.filter
def figure(value, metric="score"):
    """Format a score (one decimal) or a percentage (whole number and %); an en dash for none."""
    if value is None:
        return "–"
    if metric == "pct_positive" or metric == "pct":
        return f"{value:.0f}%"
    return f"{value:.1f}"


@register.filter
def change(value, metric="score"):
    """Format a change since last year with its sign (percentage points for percentages)."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    if metric == "pct_positive" or metric == "pct":
        return f"{sign}{abs(value):.0f} points"
    return f"{sign}{abs(value):.1f}"


@register.simple_tag
def interval_text(value, low, high, metric="score"):
    """Return "6.2 (95% CI 5.8 to 6.6)" for a figure and its interval."""
    if value is None:
        return "–"
    if low is None or high is None:
        return figure(value, metric)
    return f"{figure(value, metric)} (95% CI {figure(low, metric)} to {figure(high, metric)})"


def _x(value, scale_max) -> float:
    value = min(max(value, 0), scale_max)
    return round(CHART_PAD + value / scale_max * (CHART_WIDTH - 2 * CHART_PAD), 1)


@register.inclusion_tag("scorecards/_interval.html")
def interval_chart(value, low, high, reference=None, metric="score"):
    """Draw a figure as a dot with its 95% interval as a bar, and England's figure as a line."""
    scale_max = 10 if metric == "score" else 100
    if value is None:
        return {"empty": True}
    low = value if low is None else low
    high = value if high is None else high
    return {
        "width": CHART_WIDTH,
        "x": _x(value, scale_max),
        "low": _x(low, scale_max),
        "high": _x(high, scale_max),
        "reference": _x(reference, scale_max) if reference is not None else None,
    }


@register.inclusion_tag("scorecards/_stacked_bar.html")
def stacked_bar(row):
    """Draw a question's answers (strongly agree … strongly disagree) as one bar of 100%."""
    total = sum(getattr(row, name) or 0 for name, _, _ in OPTIONS)
    if row.suppressed or not total:
        return {"empty": True}
    segments, x = [], 0.0
    for name, label, css in OPTIONS:
        count = getattr(row, name) or 0
        width = round(count / total * CHART_WIDTH, 2)
        if width:
            segments.append({"x": round(x, 2), "width": width, "css": css, "label": label, "count": count})
        x += width
    return {"segments": segments, "width": CHART_WIDTH}


@register.simple_tag
def options():
    """Return the answer options (field, label, css class) for the key and the table headers."""
    return OPTIONS


@register.filter
def attr(row, name):
    """Return ``row.<name>`` (a count of one answer option)."""
    return getattr(row, name, None)


@register.inclusion_tag("scorecards/_rate_bar.html")
def rate_bar(rate):
    """Draw a response rate (0–100) as a horizontal bar."""
    if rate is None:
        return {"empty": True}
    return {"width": CHART_WIDTH, "filled": round(min(rate, 100) / 100 * CHART_WIDTH, 1)}


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """Return the query string that sorts the league table by ``key`` (toggling if sorted by it already)."""
    table = context["table"]
    order = "asc" if table.sort == key and table.order == "desc" else "desc"
    if table.sort != key and key == "name":
        order = "asc"
    query = {"measure": table.measure, "metric": table.metric, "region": table.region, "sort": key, "order": order}
    return "?" + urlencode({k: v for k, v in query.items() if v})
