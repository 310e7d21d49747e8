"""The annual report's files (PDF, XLSX, CSV, respondent-level CSV), read back and checked against the API.

A small published cycle (2014, with 2013 before it) whose suppression is known: Q44 and Q45 have lead
roles with bases below 5, so there are primary and secondary suppressed cells at every level below England.
One statement's wording starts with "=HYPERLINK(", which must stay text in every file; one comment does too,
and comments must not appear in any file at all (they are not moderated yet).
"""

import csv
import hashlib
import io
import re
import subprocess
import zipfile
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from exports import services as export_services
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.renderers import csv_, pdf, respondents, xlsx
from exports.renderers.data import DRAFT_NOTICE, report_data
from exports.renderers.safe import SUPPRESSED_MARKER, is_formula_like, neutralise
from exports.services import (
    export_download,
    export_render,
    export_request,
    export_retry,
    export_run,
    exports_fail_stuck,
    exports_remove_expired,
)
from exports.tests.factories import EVIL, RESPONSES_2014, seed_small_cycle
from scorecards.models import ENGLAND_CODE, Level, Scorecard
from scorecards.tests.factories import C, F, M, current_rows
from surveys.models import Cycle, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(small_cycle_id, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=small_cycle_id)


@pytest.fixture(scope="module")
def small_cycle_id(module_db):
    """The small published cycle (2014, 2013 before it), built once for the module."""
    return seed_small_cycle().pk


@pytest.fixture(scope="module")
def report_pdf_text(small_cycle_id, tmp_path_factory) -> str:
    """The module cycle's annual report PDF read back as text, built once for the tests that only read it."""
    pdf_bytes = build(Cycle.objects.get(pk=small_cycle_id), "pdf")
    return pdf_text(pdf_bytes, tmp_path_factory.mktemp("report"))


def build(cycle, format: str) -> bytes:
    out = io.BytesIO()
    export_render(cycle=cycle, format=format, out=out)
    return out.getvalue()


def csv_records(raw: bytes) -> list[dict]:
    lines = [line for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def pdf_text(raw: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(raw)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return result.stdout


def suppressed_keys(cycle) -> set[tuple]:
    return set(
        current_rows(cycle).filter(suppressed=True).values_list("level", "org_code", "kind", "code", "lead_role")
    )


# The neutraliser ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", EVIL])
def test_text_that_a_spreadsheet_would_run_gets_a_quote_in_front(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["NHS England", "", "1 + 1", "'quoted", " =spaced", "Q44"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text


# Reading each format back ------------------------------------------------------------------------------


def test_headline_figures_in_every_format_equal_the_api(client, analyst, cycle, report_pdf_text):
    client.force_login(analyst)
    api = client.get("/api/v1/cycles/2014/scorecards/?level=england").json()
    headline = {(i["kind"], i["code"]): i for i in api["items"] if i["lead_role"] == "" and i["kind"] != "question"}
    assert {code for _, code in headline} >= {"OVERALL", "X-B", "X-R"}

    records = {
        (r["kind"], r["code"]): r
        for r in csv_records(build(cycle, "csv"))
        if r["level"] == "england" and r["lead_role"] == ""
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
        (r["level"], r["org_code"], r["kind"], r["code"], r["lead_role"]) for r in records if r["suppressed"] == "true"
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
    roles = {"All leads": "", "Clinical leads": C, "Managerial leads": M, "Financial leads": F}
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
        (r["lead_role"], r["X-POS"], r["X-NEG"])
        for r in records
        if r["area_team_code"] == "Q44" and r["lead_role"] == C
    )
    assert q44 == [(C, "3", "1"), (C, "4", "2"), (C, "4", "2")]
    dk = [r for r in records if r["X-NEG"] == "DK"]
    assert len(dk) == 1 and sum(1 for r in records if r["X-NEG"] == "") == 1


# Reproducible ------------------------------------------------------------------------------------------


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
    assert workbook.sheetnames == ["England", "Regions", "Area teams", "Response rates", "Suppression", "Notes"]
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


# The export's life: request, run, progress, fail, retry, expire, download, audit --------------------------


def test_a_requested_export_runs_on_commit_records_its_file_and_audits(
    cycle, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = export_request(user=analyst, cycle=cycle, format=ExportFormat.XLSX, ip="10.0.0.1")
    assert len(callbacks) == 1

    export.refresh_from_db()
    content = export.file.read()
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.sha256 == hashlib.sha256(content).hexdigest() == hashlib.sha256(build(cycle, "xlsx")).hexdigest()
    assert export.size == len(content)
    assert export.filename == f"appraisal-2014-data-tables-v{export.scorecard_set.version}.xlsx"
    assert export.expires_at == export.finished_at + timedelta(days=30)
    event = AuditEvent.objects.get(action="export_requested")
    assert (event.actor, event.object_id, event.ip, event.detail) == (
        analyst,
        str(export.pk),
        "10.0.0.1",
        {"cycle": 2014, "format": "xlsx"},
    )


def test_progress_is_saved_as_the_pdf_is_built_and_only_moves_forward(cycle, admin_user, monkeypatch):
    seen = []
    real = export_services.export_render

    def watching(**kwargs):
        inner = kwargs["progress"]

        def progress(percent, message):
            inner(percent, message)
            seen.append(ReportExport.objects.values_list("progress", flat=True).get())

        return real(**{**kwargs, "progress": progress})

    monkeypatch.setattr(export_services, "export_render", watching)
    export = ReportExport.objects.create(
        cycle=cycle, format="pdf", requested_by=admin_user, requested_at=timezone.now(), queued_at=timezone.now()
    )

    export_run(export_id=export.pk)

    assert len(set(seen)) >= 10  # one step per area team page, and the layout
    assert seen == sorted(seen) and max(seen) <= 99
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.file.read(5) == b"%PDF-"


def test_running_a_task_twice_builds_once(cycle, analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=analyst, cycle=cycle, format="csv")
    export.refresh_from_db()
    finished = export.finished_at

    assert export_run(export_id=export.pk) is None

    export.refresh_from_db()
    assert (export.status, export.finished_at, export.attempts) == (ExportStatus.DONE, finished, 1)


def test_a_failure_is_recorded_with_a_safe_reason(cycle, analyst, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("/secret/path/db password=hunter2")

    monkeypatch.setattr(export_services, "export_render", broken)
    export = ReportExport.objects.create(
        cycle=cycle, format="csv", requested_by=analyst, requested_at=timezone.now(), queued_at=timezone.now()
    )

    export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.message == export_services.MSG_FAILED.format(id=export.pk)
    assert "hunter2" not in export.message


def test_a_stuck_export_fails_after_the_limit_and_can_be_retried(
    cycle, analyst, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_TIME_LIMIT_SECONDS = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        export = export_request(user=analyst, cycle=cycle, format="csv")  # on_commit never runs: no worker
        running = ReportExport.objects.create(
            cycle=cycle,
            format="csv",
            requested_by=analyst,
            requested_at=start,
            queued_at=start,
            status=ExportStatus.RUNNING,
            started_at=start,
        )

    assert exports_fail_stuck(now=start + timedelta(seconds=599)) == 0
    assert exports_fail_stuck(now=start + timedelta(seconds=601)) == 2

    export.refresh_from_db()
    running.refresh_from_db()
    assert export.status == running.status == ExportStatus.FAILED
    assert export.message == "The export did not finish within 10 minutes, so it was stopped. Try again."

    with django_capture_on_commit_callbacks(execute=True):
        export_retry(user=analyst, export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.attempts == 1
    assert AuditEvent.objects.filter(action="export_retried", object_id=str(export.pk)).count() == 1


def test_expired_files_are_removed(cycle, analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=analyst, cycle=cycle, format="csv")
    export.refresh_from_db()
    path = Path(export.file.path)
    assert path.exists()

    assert exports_remove_expired(now=export.expires_at - timedelta(minutes=1)) == 0
    assert exports_remove_expired(now=export.expires_at + timedelta(minutes=1)) == 1

    export.refresh_from_db()
    assert not path.exists() and not export.file
    assert export.message.startswith("The file was removed after 30 days")
    assert exports_remove_expired(now=export.expires_at + timedelta(days=1)) == 0


def test_download_is_audited(cycle, analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=analyst, cycle=cycle, format="csv")
    export.refresh_from_db()

    handle, filename = export_download(user=analyst, export=export, ip="10.0.0.2")
    with handle:
        assert hashlib.sha256(handle.read()).hexdigest() == export.sha256

    assert filename == export.filename
    event = AuditEvent.objects.get(action="export_downloaded")
    assert (event.actor, event.object_id, event.ip) == (analyst, str(export.pk), "10.0.0.2")


@pytest.mark.parametrize(
    ("role", "format", "allowed"),
    [
        ("analyst", "pdf", True),
        ("analyst", "xlsx", True),
        ("analyst", "csv", True),
        ("analyst", "respondents", False),
        ("admin", "respondents", True),
        ("ccg_lead", "pdf", False),
        ("area_team_member", "csv", False),
    ],
)
def test_who_may_request_which_format(cycle, users_by_role, role, format, allowed):
    from core.errors import PermissionDenied

    user = users_by_role[role]
    if allowed:
        assert export_request(user=user, cycle=cycle, format=format).status == ExportStatus.QUEUED
    else:
        with pytest.raises(PermissionDenied):
            export_request(user=user, cycle=cycle, format=format)
        assert not AuditEvent.objects.exists()


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


def test_the_cycle_page_links_to_its_exports_with_the_year_chosen(client, admin_user, cycle):
    client.force_login(admin_user)

    page = client.get(f"/manage/cycles/{cycle.year}/").content.decode()
    assert f'href="/manage/exports/?cycle={cycle.year}"' in page

    form = client.get(f"/manage/exports/?cycle={cycle.year}").content.decode()
    assert re.search(rf'<option value="{cycle.year}"[^>]*selected', form)
