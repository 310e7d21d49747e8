"""The report's tables as an Excel workbook: a sheet per level (all CCG leads), every figure by rater view,
response rates, suppression and notes.

Numbers are stored as numbers with number formats; a suppressed figure is the text "[s]", never 0.
Every text cell is written as a string (never a formula) and, where it starts like a formula, carries
Excel's own "quote prefix" flag (what typing a leading apostrophe does), so editing it keeps it text.
The file is byte-identical for the same data: fixed document timestamps and fixed zip entry times.
"""

import io
import zipfile
from datetime import UTC
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from exports.renderers import Progress, no_progress
from exports.renderers.data import (
    ATTRIBUTION,
    DRAFT_LABEL,
    DRAFT_NOTICE,
    REASON_LABELS,
    Org,
    ReportData,
    method_notes,
)
from exports.renderers.safe import SUPPRESSED_MARKER, is_formula_like
from scorecards.models import ALL_LEADS, Level
from scorecards.presentation import RATER_VIEW_LABELS

# One column group per item: (field, heading, number format).
GROUP = (
    ("base", "Base (n)", "0"),
    ("pct_positive", "% positive", "0.0"),
    ("pct_positive_low", "% positive: 95% low", "0.0"),
    ("pct_positive_high", "% positive: 95% high", "0.0"),
    ("pct_negative", "% negative", "0.0"),
    ("score", "Score (0-10)", "0.00"),
    ("score_low", "Score: 95% low", "0.00"),
    ("score_high", "Score: 95% high", "0.00"),
    ("change_pct_positive", "Change in % positive", "+0.0;-0.0;0.0"),
    ("change_pct_positive_significant", "Change significant", "@"),
)
SHEETS = ((Level.ENGLAND, "England"), (Level.REGION, "Regions"), (Level.AREA_TEAM, "Area teams"))
RATER_SHEET = "By rater group"
RATER_FIXED = ("Level", "Code", "Name", "Parent code", "Rater group", "Rater group code", "Kind", "Item", "Label")
# The long sheet's figures: the level sheets' and, for "each CCG counts once", its CCGs and effective base.
RATER_GROUP = (
    *GROUP,
    ("ccgs", "CCGs (each CCG counts once)", "0"),
    ("effective_base", "Effective base (each CCG counts once)", "0.0"),
)
BOLD = Font(bold=True)


def put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write one cell: text always as a string (never a formula), numbers as numbers."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = "Yes" if value else "No"
        cell.data_type = "s"
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format
    return cell


def _level_sheet(wb: Workbook, data: ReportData, level: str, title: str) -> None:
    ws = wb.create_sheet(title)
    fixed = ["Code", "Name"] + (["Parent code"] if level != Level.ENGLAND else [])
    for col, heading in enumerate(fixed, start=1):
        put(ws, 2, col, heading).font = BOLD
    start = len(fixed) + 1
    for n, item in enumerate(data.items):
        first = start + n * len(GROUP)
        put(ws, 1, first, f"{item.code}: {item.label}").font = BOLD
        ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(GROUP) - 1)
        for k, (_, heading, _) in enumerate(GROUP):
            put(ws, 2, first + k, heading).font = BOLD
            ws.cell(row=2, column=first + k).alignment = Alignment(wrap_text=True)
    for r, org in enumerate(data.orgs_at(level), start=3):
        _org_row(ws, data, org, r, fixed, start)
    ws.freeze_panes = ws.cell(row=3, column=start)
    ws.column_dimensions["B"].width = 40
    for col in range(start, start + len(data.items) * len(GROUP)):
        ws.column_dimensions[get_column_letter(col)].width = 11


def _org_row(ws, data: ReportData, org: Org, r: int, fixed: list, start: int) -> None:
    put(ws, r, 1, org.code)
    put(ws, r, 2, org.name)
    if len(fixed) == 3:
        put(ws, r, 3, org.parent_code)
    for n, item in enumerate(data.items):
        row = data.cell(org, item, ALL_LEADS)
        for k, (field, _, number_format) in enumerate(GROUP):
            column = start + n * len(GROUP) + k
            if row is None:
                continue
            if row.suppressed:
                put(ws, r, column, SUPPRESSED_MARKER)
            else:
                put(ws, r, column, getattr(row, field), number_format)


def _rater_sheet(wb: Workbook, data: ReportData) -> None:
    """Write every published figure in long form, one row per organisation × item × rater view."""
    ws = wb.create_sheet(RATER_SHEET)
    for col, heading in enumerate((*RATER_FIXED, *(heading for _, heading, _ in RATER_GROUP)), start=1):
        put(ws, 1, col, heading).font = BOLD
    for r, row in enumerate(data.rows, start=2):
        fixed = (
            Level(row.level).label,
            row.org_code,
            row.org_name,
            row.parent_code,
            RATER_VIEW_LABELS.get(row.rater_group, row.rater_group),
            row.rater_group,
            row.kind,
            row.code,
            row.label,
        )
        for col, value in enumerate(fixed, start=1):
            put(ws, r, col, value)
        for k, (field, _, number_format) in enumerate(RATER_GROUP, start=len(RATER_FIXED) + 1):
            if row.suppressed:
                put(ws, r, k, SUPPRESSED_MARKER)
            else:
                put(ws, r, k, getattr(row, field), number_format)
    ws.freeze_panes = ws.cell(row=2, column=len(RATER_FIXED) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RATER_FIXED) + len(RATER_GROUP))}{max(1, len(data.rows) + 1)}"
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["E"].width = 30
    ws.column_dimensions["I"].width = 60


def _rates_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Response rates")
    headings = (
        "Level",
        "Code",
        "Name",
        "Invited",
        "Responded",
        "Response rate (%)",
        "CCGs in scope",
        "CCGs responding",
    )
    for col, heading in enumerate(headings, start=1):
        put(ws, 1, col, heading).font = BOLD
    rates = data.rates
    entries = [("England", rates["england"])]
    entries += [("Region", e) for e in rates["regions"]]
    entries += [("Area team", e) for e in rates["area_teams"]]
    entries += [("Lead role", e) for e in rates["lead_roles"]]
    for r, (level, e) in enumerate(entries, start=2):
        for col, (value, fmt) in enumerate(
            (
                (level, None),
                (e["code"], None),
                (e["name"], None),
                (e["invited"], "0"),
                (e["responded"], "0"),
                (e["rate"], "0.0"),
                (e["ccgs_in_scope"], "0"),
                (e["ccgs_responding"], "0"),
            ),
            start=1,
        ):
            put(ws, r, col, value, fmt)
    ws.column_dimensions["C"].width = 40


def _suppression_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Suppression")
    headings = ("Level", "Code", "Name", "Item", "Label", "Rater group", "Reason")
    for col, heading in enumerate(headings, start=1):
        put(ws, 1, col, heading).font = BOLD
    for r, row in enumerate(data.suppressed_rows(), start=2):
        values = (
            Level(row.level).label,
            row.org_code,
            row.org_name,
            row.code,
            row.label,
            RATER_VIEW_LABELS.get(row.rater_group, row.rater_group),
            REASON_LABELS.get(row.suppression_reason, row.suppression_reason),
        )
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value)
    ws.column_dimensions["C"].width = 40
    ws.column_dimensions["E"].width = 60


def _notes_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Notes")
    lines = [
        *([(DRAFT_LABEL, DRAFT_NOTICE)] if data.draft else []),
        (f"Appraisal of NHS England {data.cycle.year}: data tables", ""),
        ("Data as of", f"{data.data_as_of.astimezone(UTC):%Y-%m-%d %H:%M} UTC"),
        ("Scorecard set version", str(data.scorecard_set.version)),
        ("Suppression threshold (minimum base)", str(data.min_base)),
        ("Suppressed figures", f"shown as {SUPPRESSED_MARKER}, never as zero; listed on the Suppression sheet"),
        ("Level sheets", f"all CCG leads; the {RATER_SHEET} sheet (and the CSV file) has every figure by rater view"),
        *method_notes(data.min_base),
        ("Attribution", ATTRIBUTION),
    ]
    for r, (heading, text) in enumerate(lines, start=1):
        put(ws, r, 1, heading).font = BOLD
        put(ws, r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 100


def _mark_draft(wb: Workbook) -> None:
    """Mark every sheet DRAFT: in its printed header (so on every page) and on its tab."""
    for ws in wb.worksheets:
        ws.oddHeader.center.text = DRAFT_NOTICE
        ws.evenHeader.center.text = DRAFT_NOTICE
        ws.firstHeader.center.text = DRAFT_NOTICE
        ws.sheet_properties.tabColor = "D5281B"


def deterministic_zip(raw: bytes, date_time: tuple) -> bytes:
    """Rewrite a zip with every entry dated ``date_time`` (zip files otherwise record when they were written)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render(data: ReportData, out: BinaryIO, progress: Progress = no_progress) -> None:
    """Write the workbook to ``out``."""
    wb = Workbook()
    wb.remove(wb.active)
    for n, (level, title) in enumerate(SHEETS):
        progress(10 + 25 * n, f"Writing the {title} sheet")
        _level_sheet(wb, data, level, title)
    progress(75, "Writing the figures by rater group")
    _rater_sheet(wb, data)
    progress(85, "Writing response rates, suppression and notes")
    _rates_sheet(wb, data)
    _suppression_sheet(wb, data)
    _notes_sheet(wb, data)
    if data.draft:
        _mark_draft(wb)
    stamp = data.data_as_of.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "NHS Clinical Commissioners"
    title = f"Appraisal of NHS England {data.cycle.year}: data tables"
    wb.properties.title = f"{DRAFT_LABEL}: {title}" if data.draft else title
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out.write(deterministic_zip(raw.getvalue(), stamp.timetuple()[:6]))
    progress(100, "Done")
