"""The data behind the report as CSV: one row per organisation × item × rater view, in report order.

Every rater view the cycle publishes is here (all CCG leads, all CCG leads with each CCG counting once,
each lead role, everyone but the area team, all partners, each partner group, the area team's
self-assessment): ``rater_group`` names it and ``rater_group_label`` reads it.
"""

import csv
import io
from typing import BinaryIO

from exports.renderers import Progress, no_progress
from exports.renderers.data import ATTRIBUTION, DRAFT_NOTICE, ReportData
from exports.renderers.safe import SUPPRESSED_MARKER, neutralise
from scorecards.models import SCORECARD_NUMBER_FIELDS
from scorecards.presentation import HIDDEN, HIDDEN_LABEL, RATER_VIEW_LABELS

# Every figure of a scorecard row but the count of answers and the p-values (the significance flags are in).
NUMBER_COLUMNS = tuple(
    f for f in SCORECARD_NUMBER_FIELDS if f not in ("answers", "change_pct_positive_p", "change_score_p")
)
TEXT_COLUMNS = (
    "cycle",
    "level",
    "org_code",
    "org_name",
    "parent_code",
    "kind",
    "code",
    "label",
    "rater_group",
    "rater_group_label",
    "suppressed",
    "suppression_reason",
)
HEADER = (*TEXT_COLUMNS, *NUMBER_COLUMNS)


def number(value) -> str:
    """Return a number as CSV text: integers as they are, floats in full (they read back equal), blank for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def notes(data: ReportData) -> list[str]:
    """Return the comment lines at the top of the file (each starts with "#"), a DRAFT notice first if unpublished."""
    return [
        *([f"# {DRAFT_NOTICE}"] if data.draft else []),
        f"# NHS Clinical Commissioners: appraisal of NHS England {data.cycle.year}. Data behind the annual report.",
        f"# Data as of {data.data_as_of:%Y-%m-%d %H:%M} UTC (scorecard set version {data.scorecard_set.version}).",
        f"# {SUPPRESSED_MARKER} = {HIDDEN_LABEL.lower()} (see the method in the report); never zero.",
        "# rater_group: blank = all CCG leads (clinical + managerial + financial); clinical, managerial, financial;"
        " others = everyone but the area team (CCG leads + partners); partners = practice + patients +"
        " local_government; self = the area team's own self-assessment (attributable, never pooled, never hidden);"
        " ccgs = all CCG leads with each CCG counting once (its leads share a weight of 1): ccgs = the CCGs behind"
        " the figure, effective_base = Kish's effective base (blank in the other views).",
        "# Percentages 0-100; scores 0-10; *_low/*_high = 95% interval; base = respondents.",
        "# Text starting with = + - @ is prefixed with ' so that spreadsheets read it as text.",
        f"# {ATTRIBUTION}",
    ]


def render(data: ReportData, out: BinaryIO, progress: Progress = no_progress) -> None:
    """Write the data CSV (UTF-8, CRLF line ends as RFC 4180) to ``out``."""
    text = io.StringIO(newline="")
    for line in notes(data):
        text.write(line + "\r\n")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    total = len(data.rows) or 1
    for n, row in enumerate(data.rows, start=1):
        values = [
            str(data.cycle.year),
            row.level,
            row.org_code,
            row.org_name,
            row.parent_code,
            row.kind,
            row.code,
            row.label,
            row.rater_group,
            RATER_VIEW_LABELS.get(row.rater_group, row.rater_group),
            "true" if row.suppressed else "false",
            HIDDEN if row.suppressed else "",
        ]
        writer.writerow(
            [neutralise(v) for v in values]
            + [SUPPRESSED_MARKER if row.suppressed else number(getattr(row, c)) for c in NUMBER_COLUMNS]
        )
        if n % 500 == 0:
            progress(5 + 90 * n // total, f"Written {n} of {total} rows")
    out.write(text.getvalue().encode("utf-8"))
    progress(100, "Done")
