"""The annual report as PDF (WeasyPrint): cover, summary, method, response rates, league tables, a page per
area team (and, in a cycle with self-assessments, a compact self-vs-others page after it), the suppression
appendix and the data attribution. Charts are inline SVG; fonts are the
machine's (Liberation Sans, DejaVu Sans), so nothing is fetched from a network.

Progress moves as each section and each area team's page is built, then while pages are laid out.
"""

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from exports.renderers import Progress, no_progress
from exports.renderers.data import (
    ATTRIBUTION,
    REASON_LABELS,
    Item,
    Org,
    ReportData,
    method_notes,
)
from scorecards import presentation
from scorecards.models import ALL_LEADS, SELF, ItemKind, Level

CHART_WIDTH = 150  # px of the 0–10 (or 0–100) axis in interval charts
BLUE, GREY, DARK, PALE = "#005eb8", "#768692", "#212b32", "#d8dde0"
PAIRED_WIDTH = 170  # px of the self-vs-leads chart (0–10)
SELF_TEMPLATE = "exports/report/_self_vs_others.html"


def pct(value: float | None) -> str:
    return "" if value is None else presentation.figure(value, "pct")


def _svg(width: int, height: int, body: str) -> str:
    # Only numbers formatted here and constant colours go into the markup: nothing to escape.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def interval_svg(value, low, high, reference, scale_max: float) -> str:
    """Return an interval bar: the figure as a dot, its 95% interval as a line, England as a dashed mark."""
    geometry = presentation.interval_geometry(value, low, high, reference, top=scale_max, width=CHART_WIDTH + 8)
    if geometry is None:
        return ""
    parts = [f'<rect x="4" y="7" width="{CHART_WIDTH}" height="2" fill="{PALE}"/>']
    if geometry["reference"] is not None:
        parts.append(
            f'<line x1="{geometry["reference"]:.1f}" y1="0" x2="{geometry["reference"]:.1f}" y2="16" stroke="{DARK}" '
            'stroke-width="1.5" stroke-dasharray="2,2"/>'
        )
    if low is not None and high is not None:
        low_x, high_x = geometry["low"], geometry["high"]
        parts.append(f'<line x1="{low_x:.1f}" y1="8" x2="{high_x:.1f}" y2="8" stroke="{GREY}" stroke-width="3"/>')
    parts.append(f'<circle cx="{geometry["x"]:.1f}" cy="8" r="4.5" fill="{BLUE}"/>')
    return _svg(CHART_WIDTH + 8, 16, "".join(parts))


def stacked_svg(positive: float | None, negative: float | None) -> str:
    """Return a 100% bar: positive (blue), neither (pale), negative (grey)."""
    if positive is None or negative is None:
        return ""
    w = CHART_WIDTH
    pos, neg = presentation.bar_length(positive, w), presentation.bar_length(negative, w)
    return _svg(
        w,
        12,
        f'<rect x="0" y="0" width="{w}" height="12" fill="{PALE}"/>'
        f'<rect x="0" y="0" width="{pos:.1f}" height="12" fill="{BLUE}"/>'
        f'<rect x="{w - neg:.1f}" y="0" width="{neg:.1f}" height="12" fill="{GREY}"/>',
    )


def rate_svg(rate: float | None) -> str:
    filled = presentation.bar_length(rate, 100)
    if filled is None:
        return ""
    return _svg(
        100,
        10,
        f'<rect x="0" y="0" width="100" height="10" fill="{PALE}"/>'
        f'<rect x="0" y="0" width="{filled:.1f}" height="10" fill="{BLUE}"/>',
    )


@dataclass
class Line:
    """One figure in a table of the report: a suppressed line carries no numbers."""

    label: str
    code: str
    suppressed: bool
    base: int | None = None
    pct_positive: float | None = None
    pct_negative: float | None = None
    score: float | None = None
    change: str = ""
    chart: str = ""
    band: str = ""
    rank: str = ""
    org_code: str = ""
    band_code: str | None = None
    score_low: float | None = None
    score_high: float | None = None


def change_text(row, previous_year: int | None, metric: str = "pct_positive") -> str:
    """Return the change since last year as the pages write it ("+12 points (significant)"); empty if none."""
    change = getattr(row, f"change_{metric}", None)
    if change is None or previous_year is None:
        return ""
    return presentation.change(change, metric, significant=getattr(row, f"change_{metric}_significant", None))


def line_for(row, label: str, previous_year, *, chart: str = "", reference=None, metric="score") -> Line:
    if row is None:
        return Line(label=label, code="", suppressed=False)
    if row.suppressed:
        return Line(label=label, code=row.code, suppressed=True, org_code=row.org_code)
    low, high = getattr(row, f"{metric}_low"), getattr(row, f"{metric}_high")
    b = presentation.band(low=low, high=high, reference=reference)
    return Line(
        label=label,
        code=row.code,
        suppressed=False,
        base=row.base,
        pct_positive=row.pct_positive,
        pct_negative=row.pct_negative,
        score=row.score,
        change=change_text(row, previous_year),
        chart=chart,
        band=presentation.band_label(b),
        org_code=row.org_code,
        band_code=b,
        score_low=row.score_low,
        score_high=row.score_high,
    )


def headline_items(data: ReportData) -> list[Item]:
    return [item for item in data.items if item.kind != ItemKind.QUESTION]


def summary_sentences(data: ReportData, england: Org) -> list[str]:
    """Return the plain-English summary: each headline figure for England, with its change since last year."""
    sentences = []
    for item in headline_items(data):
        row = data.cell(england, item)
        if row is None or row.suppressed or row.pct_positive is None:
            continue
        text = (
            f"{item.label}: {row.pct_positive:.0f}% of answers were positive and {row.pct_negative:.0f}% negative "
            f"(score {row.score:.1f} out of 10; base {row.base} leads)."
        )
        if data.previous_year and row.change_pct_positive is not None:
            if row.change_pct_positive_significant:
                way = "up" if row.change_pct_positive > 0 else "down"
                text += (
                    f" That is {way} {abs(row.change_pct_positive):.0f} points since {data.previous_year}, "
                    "a significant change."
                )
            else:
                text += f" No significant change since {data.previous_year}."
        sentences.append(text)
    return sentences


KEY_COUNT = 3  # strongest and weakest statements in the key messages


def _statement_rows(data: ReportData, org: Org) -> list:
    """Return (item, row) of every statement of ``org`` with a figure (not hidden, not without responses)."""
    out = []
    for item in data.items:
        if item.kind != ItemKind.QUESTION:
            continue
        row = data.cell(org, item)
        if row is not None and not row.suppressed and row.pct_positive is not None:
            out.append((item, row))
    return out


def key_messages(data: ReportData, england: Org) -> dict:
    """Return the key messages: England's strongest, weakest and most changed statements, and each region's.

    Strongest and weakest by % positive; most changed among significant changes only, largest first.
    """

    def messages(org: Org) -> dict:
        rows = _statement_rows(data, org)
        ranked = sorted(rows, key=lambda pair: (-pair[1].pct_positive, pair[0].label))
        count = min(KEY_COUNT, len(ranked) // 2)
        changed = sorted(
            (pair for pair in rows if pair[1].change_pct_positive_significant and pair[1].change_pct_positive),
            key=lambda pair: -abs(pair[1].change_pct_positive),
        )

        def line(pair) -> dict:
            item, row = pair
            way = presentation.direction(row.change_pct_positive, row.change_pct_positive_significant) or {}
            return {
                "label": item.label,
                "pct": presentation.figure(row.pct_positive, "pct"),
                "change": change_text(row, data.previous_year),
                "arrow": way.get("arrow", ""),
            }

        return {
            "strongest": [line(p) for p in ranked[:count]],
            "weakest": [line(p) for p in reversed(ranked[-count:])] if count else [],
            "changed": [line(p) for p in changed[:KEY_COUNT]],
        }

    regions = [(org.name, messages(org)) for org in sorted(data.orgs_at(Level.REGION), key=attrgetter("name"))]
    return {"england": messages(england), "regions": regions}


def league_table(data: ReportData, item: Item, england: Org) -> dict:
    """Return one league table: area teams in bands on score with intervals; ranked only where separated."""
    reference_row = data.cell(england, item)
    reference = None if reference_row is None or reference_row.suppressed else reference_row.score
    entries = []
    for org in data.orgs_at(Level.AREA_TEAM):
        row = data.cell(org, item)
        chart = ""
        if row is not None and not row.suppressed and row.score is not None:
            chart = interval_svg(row.score, row.score_low, row.score_high, reference, 10)
        entry = line_for(row, org.name, data.previous_year, chart=chart, reference=reference)
        entry.org_code = org.code
        entries.append(entry)
    # Ranked, tied and ordered as on the league table page and in the API (scorecards.presentation).
    score = attrgetter("score")
    presentation.assign_ranks(entries, value=score, low=attrgetter("score_low"), high=attrgetter("score_high"))
    rows = presentation.league_order(entries, value=score, name=attrgetter("label"), band=attrgetter("band_code"))
    england_line = line_for(
        reference_row,
        "England",
        data.previous_year,
        chart=interval_svg(reference, reference_row.score_low, reference_row.score_high, None, 10)
        if reference is not None
        else "",
    )
    return {"item": item, "england": england_line, "rows": rows}


def area_team_page(data: ReportData, org: Org, england: Org) -> dict:
    """Return one area team's page: headline charts against England, every statement, and its response."""
    headline = []
    for item in headline_items(data):
        row, ref = data.cell(org, item), data.cell(england, item)
        reference = None if ref is None or ref.suppressed else ref.score
        chart = ""
        if row is not None and not row.suppressed and row.score is not None:
            chart = interval_svg(row.score, row.score_low, row.score_high, reference, 10)
        headline.append(line_for(row, item.label, data.previous_year, chart=chart, reference=reference))
    statements = [_statement_line(data, org, item) for item in data.items if item.kind == ItemKind.QUESTION]
    regions = {region.code: region.name for region in data.orgs_at(Level.REGION)}
    return {
        "org": org,
        "region_name": regions.get(org.parent_code, ""),
        "headline": headline,
        "statements": statements,
        "response": data.area_team_responses.get(org.code, ""),
    }


def _statement_line(data: ReportData, org: Org, item: Item) -> Line:
    """Return one statement's line with its bar of positive, neither and negative answers."""
    row = data.cell(org, item)
    chart = stacked_svg(row.pct_positive, row.pct_negative) if row is not None and not row.suppressed else ""
    return line_for(row, item.label, data.previous_year, chart=chart)


def paired_svg(self_score: float | None, leads_score: float | None) -> str:
    """Return paired dots on 0–10: the CCG leads' score (blue dot), the self-assessment's (dark diamond), joined."""
    if self_score is None and leads_score is None:
        return ""
    w = PAIRED_WIDTH
    parts = [f'<rect x="4" y="6" width="{w - 8}" height="1.5" fill="{PALE}"/>']
    for tick in (0, 5, 10):
        tx = presentation.axis_x(tick, 10, w, pad=4)
        parts.append(f'<line x1="{tx:.1f}" y1="3" x2="{tx:.1f}" y2="11" stroke="{PALE}" stroke-width="1"/>')
    sx = None if self_score is None else presentation.axis_x(self_score, 10, w, pad=4)
    lx = None if leads_score is None else presentation.axis_x(leads_score, 10, w, pad=4)
    if sx is not None and lx is not None:
        parts.append(f'<line x1="{lx:.1f}" y1="7" x2="{sx:.1f}" y2="7" stroke="{GREY}" stroke-width="2"/>')
    if lx is not None:
        parts.append(f'<circle cx="{lx:.1f}" cy="7" r="4" fill="{BLUE}"/>')
    if sx is not None:
        parts.append(f'<path d="M{sx:.1f},2.5 L{sx + 4.5:.1f},7 L{sx:.1f},11.5 L{sx - 4.5:.1f},7 Z" fill="{DARK}"/>')
    return _svg(w, 14, "".join(parts))


def self_vs_others_page(data: ReportData, org: Org) -> dict | None:
    """Return an area team's self-vs-others page: per behaviour, role and statement, its self-assessment beside
    its CCG leads on 0–10, blind spots and hidden strengths flagged (``presentation.self_gap``).

    None in a cycle without any self-assessment (the report says so once); ``has_self`` False where this
    area team gave none (its page is a note).
    """
    if not data.has_self_assessment:
        return None
    rows = [row for item in data.items for view in (ALL_LEADS, SELF) if (row := data.cell(org, item, view)) is not None]
    lines = presentation.self_beside_leads(rows) or []
    has_self = any(line.self_score is not None for line in lines)
    out = []
    for line in lines:
        out.append(
            {
                "label": line.label,
                "kind": line.kind,
                "self": presentation.figure(line.self_score),
                "leads": presentation.figure(line.leads_score),
                "leads_hidden": _hidden(data, org, line),
                "gap": line.gap,
                "gap_label": line.gap_label,
                "chart": paired_svg(line.self_score, line.leads_score) if has_self else "",
            }
        )
    return {
        "org": org,
        "has_self": has_self,
        "lines": out,
        "blind_spots": sum(1 for line in lines if line.gap == presentation.BLIND_SPOT),
        "hidden_strengths": sum(1 for line in lines if line.gap == presentation.HIDDEN_STRENGTH),
        "gap_key": [
            (presentation.GAP_LABELS[gap], presentation.GAP_HINTS[gap])
            for gap in (presentation.BLIND_SPOT, presentation.HIDDEN_STRENGTH)
        ],
    }


def _hidden(data: ReportData, org: Org, line) -> bool:
    row = data.cells.get((org.level, org.code, line.kind, line.code, ALL_LEADS))
    return row is not None and row.suppressed


def suppressed_groups(data: ReportData) -> list[dict]:
    """Return the suppressed cells grouped by organisation, lead role and reason, each listing its items.

    A cell is one level × organisation × item × lead role; where every item of a group is suppressed the
    group says so instead of listing them all (a lead role with a small base usually is).
    """
    groups: dict = {}
    for row in data.suppressed_rows():
        key = (row.level, row.org_code, row.org_name, row.rater_group, REASON_LABELS[row.suppression_reason])
        groups.setdefault(key, []).append(row)
    out = []
    for (level, _code, name, rater_group, reason), rows in groups.items():
        items = f"All {len(rows)} items" if len(rows) == len(data.items) else "; ".join(row.label for row in rows)
        out.append(
            {
                "level": Level(level).label,
                "org": name,
                "rater_group": presentation.RATER_VIEW_LABELS.get(rater_group, rater_group),
                "reason": reason,
                "items": items,
                "cells": [(row.level, row.org_code, row.kind, row.code, row.rater_group) for row in rows],
            }
        )
    return out


def context(data: ReportData, progress: Progress) -> dict:
    """Return the template context of the whole report, reporting progress per area team."""
    england = data.orgs_at(Level.ENGLAND)[0]
    progress(5, "Writing the summary and league tables")
    leagues = [league_table(data, item, england) for item in headline_items(data)]
    teams = data.orgs_at(Level.AREA_TEAM)
    pages = []
    for n, org in enumerate(teams, start=1):
        pages.append({**area_team_page(data, org, england), "self_view": self_vs_others_page(data, org)})
        progress(10 + 40 * n // max(1, len(teams)), f"Built the page of {org.name} ({n} of {len(teams)})")
    rates = data.rates
    return {
        "year": data.cycle.year,
        "data_as_of": data.data_as_of,
        "version": data.scorecard_set.version,
        "min_base": data.min_base,
        "previous_year": data.previous_year,
        "summary": summary_sentences(data, england),
        "england_statements": [
            _statement_line(data, england, item) for item in data.items if item.kind == ItemKind.QUESTION
        ],
        "key_messages": key_messages(data, england),
        "draft": getattr(data, "draft", False),
        "method": method_notes(data.min_base),
        "rates_england": {**rates["england"], "chart": rate_svg(rates["england"]["rate"])},
        "rates_groups": [
            ("Regions", [{**e, "chart": rate_svg(e["rate"])} for e in rates["regions"]]),
            ("Area teams", [{**e, "chart": rate_svg(e["rate"])} for e in rates["area_teams"]]),
            ("Lead roles", [{**e, "chart": rate_svg(e["rate"])} for e in rates["lead_roles"]]),
        ],
        "leagues": leagues,
        "area_teams": pages,
        "suppressed_count": len(data.suppressed_rows()),
        "suppressed": suppressed_groups(data),
        "attribution": ATTRIBUTION,
        "all_leads": ALL_LEADS,
        "has_self_assessment": data.has_self_assessment,
        "self_template": SELF_TEMPLATE,
        "views": [presentation.RATER_VIEW_LABELS[view] for view in data.views],
    }


def render_html(data: ReportData, progress: Progress = no_progress) -> str:
    return render_to_string("exports/report/annual_report.html", context(data, progress))


class _LayoutProgress(logging.Handler):
    """Turn WeasyPrint's "Creating layout - Page N" log lines into progress from 55% to 89%."""

    def __init__(self, progress: Progress, expected_pages: int):
        super().__init__(logging.INFO)
        self.progress, self.expected = progress, max(1, expected_pages)

    def emit(self, record: logging.LogRecord) -> None:
        match = re.search(r"Creating layout - Page (\d+)", record.getMessage())
        if match:
            page = int(match.group(1))
            self.progress(55 + min(34, 34 * page // self.expected), f"Laying out page {page}")


@contextmanager
def _layout_progress(progress: Progress, expected_pages: int):
    logger = logging.getLogger("weasyprint.progress")
    handler = _LayoutProgress(progress, expected_pages)
    before = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # one line per page is noise in the worker's log
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before[0])
        logger.propagate = before[1]


def render(data: ReportData, out: BinaryIO, progress: Progress = no_progress) -> None:
    """Write the annual report PDF to ``out``."""
    from weasyprint import HTML

    html = render_html(data, progress)
    progress(55, "Laying out the pages")
    # Roughly: cover, summary, method, rates, two pages per league table and per area team (three with a
    # self-vs-others page), the appendix.
    per_team = 3 if data.has_self_assessment else 2
    expected = 8 + 2 * len(headline_items(data)) + per_team * len(data.orgs_at(Level.AREA_TEAM))
    with _layout_progress(progress, expected):
        document = HTML(string=html, base_url=None).render()
    progress(90, f"Writing {len(document.pages)} pages")
    document.write_pdf(out)
    progress(100, "Done")
