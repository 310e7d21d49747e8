"""The annual report's files (PDF, XLSX, CSV, respondent-level CSV), read back and checked against the API.

A small published cycle (2014, with 2013 before it) whose suppression is known: Q44 and Q45 have lead
roles with bases below 5, so there are primary and secondary suppressed cells at every level below England.
One statement's wording starts with "=HYPERLINK(", which must stay text in every file; one comment does too,
and comments must not appear in any file at all (they are not moderated yet).
"""

import hashlib
import io
import re
import zipfile
from datetime import UTC, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from exports.renderers import csv_, pdf, respondents, xlsx
from exports.renderers.data import DRAFT_NOTICE, report_data
from exports.renderers.safe import SUPPRESSED_MARKER, is_formula_like
from exports.tests.factories import EVIL, RESPONSES_2014
from exports.tests.files import build, csv_records, pdf_text, suppressed_keys
from scorecards.models import ENGLAND_CODE, Level, Scorecard
from scorecards.tests.factories import C, F, M, current_rows
from surveys.models import Cycle, Response

pytestmark = pytest.mark.django_db


def test_headline_figures_in_every_format_equal_the_api(client, analyst, cycle, report_pdf_text):
    client.force_login(analyst)
    api = client.get("/api/v1/cycles/2014/scorecards/?level=england").json()
    headline = {(i["kind"], i["code"]): i for i in api["items"] if i["rater_group"] == "" and i["kind"] != "question"}
    assert {code for _, code in headline} >= {"OVERALL", "X-B", "X-R"}

    records = {
        (r["kind"], r["code"]): r
        for r in csv_records(build(cycle, "csv"))
        if r["level"] == "england" and r["rater_group"] == ""
    }
    workbook = load_workbook(io.BytesIO(build(cycle, "xlsx")))
    sheet = workbook["England"]
    headings = {
        sheet.cell(row=1, column=c).value: c
        for c in range(1, sheet.max_column + 1)
        if sheet.cell(row=1, column=c).value
    }
    text = report_pdf_text

    for (kind, code), item in headline.items():
        assert float(records[(kind, code)]["pct_positive"]) == item["pct_positive"]
        assert float(records[(kind, code)]["score"]) == item["score"]
        assert int(records[(kind, code)]["base"]) == item["base"]
        first = headings[f"{code}: {item['label']}"]
        assert sheet.cell(row=3, column=first).value == item["base"]
        # Excel keeps 15 significant digits
        assert sheet.cell(row=3, column=first + 1).value == pytest.approx(item["pct_positive"], rel=1e-14)
        assert sheet.cell(row=3, column=first + 5).value == pytest.approx(item["score"], rel=1e-14)
        assert sheet.cell(row=3, column=first + 1).number_format == "0.0"
        sentence = f"{item['label']}: {item['pct_positive']:.0f}% of answers were positive"
        assert sentence in " ".join(text.split())
        assert f"base {item['base']} leads" in " ".join(text.split())


def test_the_same_cells_are_suppressed_in_every_format_and_no_suppressed_number_appears(cycle, report_pdf_text):
    expected = suppressed_keys(cycle)
    assert len(expected) >= 4
    assert Level.AREA_TEAM in {level for level, *_ in expected}  # (this set hides no region: none is needed)

    # CSV: every number column of a suppressed row is the marker; no other row has it
    records = csv_records(build(cycle, "csv"))
    in_csv = {
        (r["level"], r["org_code"], r["kind"], r["code"], r["rater_group"])
        for r in records
        if r["suppressed"] == "true"
    }
    assert in_csv == expected
    for r in records:
        numbers = [r[c] for c in csv_.NUMBER_COLUMNS]
        if r["suppressed"] == "true":
            assert set(numbers) == {SUPPRESSED_MARKER}
        else:
            assert SUPPRESSED_MARKER not in numbers

    # XLSX: the suppression sheet lists the same cells; level sheets show the marker for all-leads ones
    workbook = load_workbook(io.BytesIO(build(cycle, "xlsx")))
    levels = {lvl.label: lvl.value for lvl in Level}
    roles = {
        "All leads": "",
        "All leads, each CCG counting once": "ccgs",
        "Clinical leads": C,
        "Managerial leads": M,
        "Financial leads": F,
    }
    sheet = workbook["Suppression"]
    kinds = {(r.code): r.kind for r in current_rows(cycle)}
    in_xlsx = {
        (levels[row[0]], row[1], kinds[row[3]], row[3], roles[row[5]])
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert in_xlsx == expected
    all_leads = {(lvl, org, kind, code) for lvl, org, kind, code, lr in expected if lr == ""}
    for level, title in xlsx.SHEETS:
        ws = workbook[title]
        labels = {}
        for col in range(1, ws.max_column + 1):
            if ws.cell(row=1, column=col).value:
                labels[col] = ws.cell(row=1, column=col).value.split(":")[0]
        starts = sorted(labels)
        for r in range(3, ws.max_row + 1):
            org = ws.cell(row=r, column=1).value
            for start in starts:
                code = labels[start]
                group = [ws.cell(row=r, column=start + k).value for k in range(len(xlsx.GROUP))]
                if (level, org, kinds[code], code) in all_leads:
                    assert group == [SUPPRESSED_MARKER] * len(xlsx.GROUP)
                else:
                    assert SUPPRESSED_MARKER not in group

    # PDF: the appendix lists every suppressed cell, grouped by organisation, leads and reason
    groups = pdf.suppressed_groups(report_data(cycle=cycle))
    assert {key for group in groups for key in group["cells"]} == expected
    assert sum(len(group["cells"]) for group in groups) == len(expected)
    text = " ".join(report_pdf_text.split())
    assert f"{len(expected)} figures are suppressed in this report" in text
    appendix = text.split("Appendix: suppressed figures", 1)[1]
    for group in groups:
        assert group["org"] in appendix
    assert appendix.count("Hidden to protect a smaller group") >= len(groups)  # one reason for every hidden cell


def test_no_file_holds_a_suppressed_base(cycle):
    # The published set keeps no numbers for suppressed cells, so a file could only leak them by
    # recomputing: check the workbook and CSV hold nothing but the marker there, and the database agrees.
    assert not Scorecard.objects.filter(suppressed=True, base__isnull=False).exists()
    data = report_data(cycle=cycle)
    for row in data.suppressed_rows():
        assert all(getattr(row, f) is None for f in csv_.NUMBER_COLUMNS)


def test_formula_text_stays_text_in_xlsx_and_csv(cycle):
    raw_xlsx = build(cycle, "xlsx")
    workbook = load_workbook(io.BytesIO(raw_xlsx))
    cells = [
        c for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str) and EVIL in c.value
    ]
    assert cells, "the statement's label is in the workbook"
    for c in cells:
        assert c.data_type == "s"
    starting = [c for c in cells if c.value.startswith("=")]
    assert starting and all(c.quotePrefix for c in starting)
    with zipfile.ZipFile(io.BytesIO(raw_xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)

    text_values = [r[c] for r in csv_records(build(cycle, "csv")) for c in csv_.TEXT_COLUMNS]
    text_values += [v for r in csv_records(build(cycle, "respondents")) for v in [*r.keys(), *r.values()]]
    assert text_values
    for value in text_values:
        assert not is_formula_like(value) or value.startswith("'"), value
    labels = [r["label"] for r in csv_records(build(cycle, "csv")) if r["code"] == "X-EVIL"]
    assert labels and set(labels) == {"'" + f"{EVIL} is a statement"}


def test_no_comment_text_is_exported_in_any_format(cycle, report_pdf_text):
    for format in ("csv", "xlsx", "respondents"):
        raw = build(cycle, format)
        if format == "xlsx":
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = b"".join(archive.read(n) for n in archive.namelist())
        assert b"secret lead" not in raw
        assert b"x.example" not in raw or format in ("csv", "xlsx")  # the statement label, not the comment
    assert "secret lead" not in report_pdf_text
    assert "COMMENT-X" not in build(cycle, "respondents").decode()


def test_respondent_file_has_pseudonymous_rows_and_no_identities(cycle):
    raw = build(cycle, "respondents").decode()
    records = csv_records(raw.encode())
    submitted = Response.objects.filter(cycle=cycle, status="submitted")
    assert len(records) == submitted.count() == len(RESPONSES_2014)
    assert list(records[0]) == [*respondents.HEADER_FIXED, "X-POS", "X-NEG", "X-EVIL"]
    ids = [r["respondent_id"] for r in records]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
    assert {respondents.pseudonymous_id(r.pk, 2014) for r in submitted} == set(ids)
    for response in submitted.select_related("ccg", "invitation__user"):
        assert response.invitation.user.email not in raw
        assert f",{response.ccg.ods_code}," not in raw
        assert str(response.pk) not in ids
    q44 = sorted(
        (r["rater_group"], r["X-POS"], r["X-NEG"])
        for r in records
        if r["area_team_code"] == "Q44" and r["rater_group"] == C
    )
    assert q44 == [(C, "3", "1"), (C, "4", "2"), (C, "4", "2")]
    dk = [r for r in records if r["X-NEG"] == "DK"]
    assert len(dk) == 1 and sum(1 for r in records if r["X-NEG"] == "") == 1


def test_two_builds_give_byte_identical_xlsx_and_csv_and_identical_pdf_text(cycle, tmp_path):
    for format in ("xlsx", "csv", "respondents"):
        first = build(cycle, format)
        with time_machine.travel(timezone.now() + timedelta(days=3, seconds=7)):
            second = build(cycle, format)
        assert first == second, format
    first_pdf = pdf_text(build(cycle, "pdf"), tmp_path)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        second_pdf = pdf_text(build(cycle, "pdf"), tmp_path)
    assert first_pdf == second_pdf
    assert "Appraisal of NHS England 2014" in first_pdf


def test_the_workbook_is_dated_when_its_figures_were_built(cycle):
    data = report_data(cycle=cycle)
    workbook = load_workbook(io.BytesIO(build(cycle, "xlsx")))
    built = data.data_as_of.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    assert workbook.properties.created == workbook.properties.modified == built
    assert workbook.sheetnames == [
        "England",
        "Regions",
        "Area teams",
        "By rater group",
        "Response rates",
        "Suppression",
        "Notes",
    ]
    notes = {row[0]: row[1] for row in workbook["Notes"].iter_rows(values_only=True)}
    assert notes["Suppression threshold (minimum base)"] == "5"
    assert "Open Government Licence" in notes["Attribution"]
    rates = list(workbook["Response rates"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert rates[:5] == ("England", ENGLAND_CODE, "England", len(RESPONSES_2014), len(RESPONSES_2014))
    assert isinstance(rates[3], int)


def test_the_command_writes_the_file_and_prints_its_sha256(cycle, tmp_path, capsys):
    output = tmp_path / "report.csv"

    call_command("export_report", "--cycle", "2014", "--format", "csv", "--output", str(output))

    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    assert capsys.readouterr().out.strip() == f"{digest}  {output}"
    assert output.read_bytes() == build(cycle, "csv")


def test_an_unpublished_cycles_csv_and_workbook_are_marked_draft_on_every_sheet(cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state="closed")
    cycle.refresh_from_db()
    data = report_data(cycle=cycle)
    assert data.draft

    out = io.BytesIO()
    csv_.render(data, out)
    assert out.getvalue().decode().startswith(f"# {DRAFT_NOTICE}\r\n")

    out = io.BytesIO()
    xlsx.render(data, out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.properties.title.startswith("DRAFT: ")
    assert wb["Notes"]["A1"].value == "DRAFT"
    for ws in wb.worksheets:
        assert DRAFT_NOTICE in ws.oddHeader.center.text, ws.title


def test_a_published_cycles_files_say_nothing_of_a_draft(cycle):
    data = report_data(cycle=cycle)
    assert not data.draft
    assert b"DRAFT" not in build(cycle, "csv")
    wb = load_workbook(io.BytesIO(build(cycle, "xlsx")))
    assert wb["Notes"]["A1"].value != "DRAFT"
    assert all(not ws.oddHeader.center.text for ws in wb.worksheets)
