"""An export's life: requested, run on commit, progress, failure, retry, expiry, download and audit; who may ask.

A small published cycle (2014, with 2013 before it) whose suppression is known: Q44 and Q45 have lead
roles with bases below 5, so there are primary and secondary suppressed cells at every level below England.
One statement's wording starts with "=HYPERLINK(", which must stay text in every file; one comment does too,
and comments must not appear in any file at all (they are not moderated yet).
"""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEvent
from exports import services as export_services
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.services import (
    export_download,
    export_request,
    export_retry,
    export_run,
    exports_fail_stuck,
    exports_remove_expired,
)
from exports.tests.files import build

pytestmark = pytest.mark.django_db


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


def test_the_cycle_page_links_to_its_exports_with_the_year_chosen(client, admin_user, cycle):
    client.force_login(admin_user)

    page = client.get(f"/manage/cycles/{cycle.year}/").content.decode()
    assert f'href="/manage/exports/?cycle={cycle.year}"' in page

    form = client.get(f"/manage/exports/?cycle={cycle.year}").content.decode()
    assert re.search(rf'<option value="{cycle.year}"[^>]*selected', form)
