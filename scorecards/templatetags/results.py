"""Template tags of the results pages: figures and server-rendered SVG charts (no JavaScript needed to read
them), as ``scorecards.presentation`` formats and places them for the pages, the API and the PDF alike."""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html

from scorecards import presentation

register = template.Library()

CHART_WIDTH = 200
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
    """Format a score or a percentage as ``scorecards.presentation`` does everywhere."""
    return presentation.figure(value, metric)


@register.filter
def change(value, metric="score"):
    """Format a change since last year with its sign (percentage points for percentages)."""
    return presentation.change(value, metric)


@register.simple_tag
def change_cell(value, significant, metric="score"):
    """Write a change since last year; a significant one with its arrow and word ("▲ Significant rise")."""
    text = presentation.change(value, metric)
    way = presentation.direction(value, significant)
    if way is None:
        return text
    return format_html(
        '{} <strong class="nhsuk-tag app-tag-s app-tag-s--{}"><span aria-hidden="true">{} </span>{}</strong>',
        text,
        way["css"],
        way["arrow"],
        way["word"],
    )


BAND_TAGS = {presentation.BETTER: "nhsuk-tag--green", presentation.WORSE: "nhsuk-tag--red"}


@register.simple_tag
def band_tag(band_code):
    """Write a band against England: better and worse as tags with their symbol, "about the same" as words."""
    if not band_code:
        return presentation.NO_FIGURE
    label = presentation.band_label(band_code)
    if band_code not in BAND_TAGS:
        return label
    return format_html(
        '<strong class="nhsuk-tag {}"><span aria-hidden="true">{} </span>{}</strong>',
        BAND_TAGS[band_code],
        presentation.BAND_SYMBOLS[band_code],
        label,
    )


@register.simple_tag
def interval_text(value, low, high, metric="score"):
    """Return "6.2 (95% CI 5.8 to 6.6)" for a figure and its interval."""
    return presentation.interval_text(value, low, high, metric)


@register.inclusion_tag("scorecards/_interval.html")
def interval_chart(value, low, high, reference=None, metric="score"):
    """Draw a figure as a dot with its 95% interval as a bar, and England's figure as a line."""
    geometry = presentation.interval_geometry(
        value, low, high, reference, top=presentation.scale_max(metric), width=CHART_WIDTH
    )
    return geometry or {"empty": True}


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
    filled = presentation.bar_length(rate, CHART_WIDTH)
    return {"empty": True} if filled is None else {"width": CHART_WIDTH, "filled": filled}


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """Return the query string that sorts the league table by ``key`` (toggling if sorted by it already)."""
    table = context["table"]
    order = "asc" if table.sort == key and table.order == "desc" else "desc"
    if table.sort != key and key == "name":
        order = "asc"
    query = {"measure": table.measure, "metric": table.metric, "region": table.region, "sort": key, "order": order}
    if table.each_ccg:
        query["weighting"] = table.weighting
    return "?" + urlencode({k: v for k, v in query.items() if v})
