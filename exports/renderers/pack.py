"""One area team's report pack as PDF (WeasyPrint): two to six pages it can take to its board.

Its summary against England, its strongest and weakest statements, what changed, every statement beside
England and its region, and its published response. The charts and lines are the annual report's
(``exports.renderers.pdf``), so a figure reads the same in both.

Pages beyond these plug in through ``EXTRA_PAGES``: callables taking (data, org) and returning a template
name and its context, or None where they have nothing to show. The self-vs-others page (issue 14: the area
team's self-assessment beside its CCG leads, the annual report's own page) is the first; in a cycle without
self-assessments it is a one-line note on the summary page instead.
"""

from collections.abc import Callable
from typing import BinaryIO

from django.template.loader import render_to_string

from core.errors import NotFound
from exports.renderers import Progress, no_progress
from exports.renderers.data import ATTRIBUTION, Org, ReportData
from exports.renderers.pdf import (
    KEY_COUNT,
    SELF_TEMPLATE,
    _statement_rows,
    area_team_page,
    change_text,
    headline_items,
    self_vs_others_page,
    stacked_svg,
)
from scorecards import presentation
from scorecards.models import Level

MSG_NO_AREA_TEAM = "There is no area team {code} in these figures."


def self_vs_others(data: ReportData, org: Org) -> tuple[str, dict] | None:
    """Return the self-vs-others page of ``org`` (a note where it gave no self-assessment); None without any."""
    page = self_vs_others_page(data, org)
    return None if page is None else (SELF_TEMPLATE, page)


EXTRA_PAGES: list[Callable[[ReportData, Org], tuple[str, dict] | None]] = [self_vs_others]


def _org(data: ReportData, level: str, code: str) -> Org | None:
    return next((org for org in data.orgs_at(level) if org.code == code), None)


def context(data: ReportData, code: str) -> dict:
    """Return the pack's template context for area team ``code``."""
    org = _org(data, Level.AREA_TEAM, code)
    if org is None:
        raise NotFound(MSG_NO_AREA_TEAM.format(code=code))
    england = data.orgs_at(Level.ENGLAND)[0]
    region = _org(data, Level.REGION, org.parent_code)
    page = area_team_page(data, org, england)
    comparisons = []
    for item, row in _statement_rows(data, org):
        ref = data.cell(england, item)
        reg = data.cell(region, item) if region else None
        ref_pct = None if ref is None or ref.suppressed else ref.pct_positive
        comparisons.append(
            {
                "label": item.label,
                # The statement inside a sentence ("…with my CCG: 27% positive"), without its full stop.
                "phrase": item.label.rstrip(". "),
                "reversed": not row.positively_worded,
                "pct": presentation.figure(row.pct_positive, "pct"),
                "england": presentation.figure(ref_pct, "pct"),
                "region": presentation.figure(None if reg is None or reg.suppressed else reg.pct_positive, "pct"),
                "band": presentation.band_label(
                    presentation.band(low=row.pct_positive_low, high=row.pct_positive_high, reference=ref_pct)
                ),
                "difference": None if ref_pct is None else row.pct_positive - ref_pct,
                "chart": stacked_svg(row.pct_positive, row.pct_negative),
                "change": change_text(row, data.previous_year),
                "significant_change": bool(row.change_pct_positive_significant and row.change_pct_positive),
                "change_value": row.change_pct_positive,
            }
        )
    ranked = sorted((c for c in comparisons if c["difference"] is not None), key=lambda c: -c["difference"])
    count = min(KEY_COUNT, len(ranked) // 2)
    changed = [c for c in comparisons if c["significant_change"]]
    extra = [page for page in (hook(data, org) for hook in EXTRA_PAGES) if page]
    return {
        "year": data.cycle.year,
        "data_as_of": data.data_as_of,
        "version": data.scorecard_set.version,
        "draft": getattr(data, "draft", False),
        "org": org,
        "region_name": region.name if region else "",
        "page": page,
        "headline_count": len(headline_items(data)),
        "strongest": ranked[:count],
        "weakest": list(reversed(ranked[-count:])) if count else [],
        "rises": sorted((c for c in changed if c["change_value"] > 0), key=lambda c: -c["change_value"]),
        "falls": sorted((c for c in changed if c["change_value"] < 0), key=lambda c: c["change_value"]),
        "previous_year": data.previous_year,
        "statements": comparisons,
        "extra_pages": extra,
        "has_self_assessment": data.has_self_assessment,
        "reversed_hint": presentation.REVERSED_HINT,
        "min_base": data.min_base,
        "attribution": ATTRIBUTION,
    }


def render_html(data: ReportData, code: str) -> str:
    return render_to_string("exports/report/area_team_pack.html", context(data, code))


def render(data: ReportData, code: str, out: BinaryIO, progress: Progress = no_progress) -> None:
    """Write area team ``code``'s pack to ``out``."""
    from weasyprint import HTML

    progress(20, "Writing the area team's pages")
    html = render_html(data, code)
    progress(50, "Laying out the pages")
    HTML(string=html).write_pdf(out)
    progress(100, "Done")
