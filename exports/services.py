"""Exports of the annual report and of area teams' board packs: request, run (in a Celery task), retry, download,
and the sweeps that fail stuck exports and remove expired files.

An export moves queued → running → done (or failed). The task claims a queued export under a row
lock and counts an attempt, so a task delivered twice builds the file once; progress is saved as it
goes with single-column UPDATEs, so a page polling the API sees it move.
"""

import hashlib
import io
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import Conflict, DomainError, NotFound
from core.outbox import enqueue_on_commit
from core.services import audit_record
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.renderers import csv_, pdf, respondents, xlsx
from exports.renderers.data import report_data
from exports.selectors import check_format_allowed
from organisations.models import AreaTeam
from scorecards import selectors
from surveys.models import Cycle
from surveys.selectors import cycle_check_readable

logger = logging.getLogger(__name__)

MSG_BAD_FORMAT = "Choose one of: PDF, XLSX, CSV, respondent-level CSV or an area team's board pack."
MSG_PACK_NEEDS_AREA_TEAM = "Choose the area team whose board pack you want."
MSG_ONLY_PACK_HAS_AREA_TEAM = "Only a board pack is about one area team."
MSG_NOT_BUILT = "The {year} appraisal has no published figures to export yet."
MSG_NOT_READY = "This export has no file to download: it is {status}."
MSG_EXPIRED = "The file was removed after {days} days. Start a new export to get it again."
MSG_STUCK = "The export did not finish within {minutes} minutes, so it was stopped. Try again."
MSG_FAILED = (
    "Something went wrong while building the file (export {id}). Try again; if it fails again, tell the service team."
)
MSG_ONLY_FAILED_RETRY = "Only a failed export can be tried again."
MSG_ONE_AT_A_TIME = (
    "You already have an export in this format under way ({format}, {year}). "
    "Wait for it to finish, then start this one."
)
MSG_PACK_ONE_AT_A_TIME = (
    "You already have a board pack of {area_team} under way ({year}). Wait for it to finish, then start this one."
)
ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)

EXTENSIONS = {
    ExportFormat.PDF: ("annual-report", "pdf"),
    ExportFormat.XLSX: ("data-tables", "xlsx"),
    ExportFormat.CSV: ("data", "csv"),
    ExportFormat.RESPONDENTS: ("respondents-confidential", "csv"),
    ExportFormat.PACK: ("board-pack", "pdf"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_filename(*, cycle: Cycle, format: str, version: int | None, area_team: str | None = None) -> str:
    """Return the server-chosen download name, e.g. ``appraisal-2013-annual-report-v4.pdf`` or
    ``appraisal-2013-board-pack-q44-v4.pdf``."""
    stem, extension = EXTENSIONS[format]
    if area_team:
        stem = f"{stem}-{area_team.lower()}"
    suffix = f"-v{version}" if version is not None else ""
    return f"appraisal-{cycle.year}-{stem}{suffix}.{extension}"


def content_type(filename: str) -> str:
    return CONTENT_TYPES[filename.rsplit(".", 1)[-1]]


def export_render(*, cycle: Cycle, format: str, out, progress=None, scorecard_set=None, area_team=None) -> None:
    """Build one file of ``cycle`` in ``format`` into the binary file ``out`` (no database writes).

    A board pack (``ExportFormat.PACK``) is of area team ``area_team`` (its code).
    """
    from exports.renderers import no_progress

    if format == ExportFormat.PACK:
        if not area_team:
            raise DomainError(MSG_PACK_NEEDS_AREA_TEAM, code="invalid_area_team")
        pack_render(cycle=cycle, area_team=area_team, out=out, progress=progress, scorecard_set=scorecard_set)
        return
    progress = progress or no_progress
    if format == ExportFormat.RESPONDENTS:
        respondents.render(cycle, out, progress)
        return
    progress(2, "Reading the published figures")
    data = report_data(cycle=cycle, scorecard_set=scorecard_set)
    renderer = {ExportFormat.PDF: pdf, ExportFormat.XLSX: xlsx, ExportFormat.CSV: csv_}[format]
    renderer.render(data, out, progress)


# The name the task is registered under (exports/tasks.py), which a queued message and the outbox carry.
EXPORT_TASK = "reports.tasks.export_run_task"


def pack_render(*, cycle: Cycle, area_team: str, out, progress=None, scorecard_set=None) -> None:
    """Build area team ``area_team``'s report pack (PDF) of ``cycle`` into ``out`` (no database writes)."""
    from exports.renderers import no_progress, pack

    progress = progress or no_progress
    progress(2, "Reading the published figures")
    code = area_team.upper()
    data = report_data(cycle=cycle, scorecard_set=scorecard_set, area_team=code)
    pack.render(data, code, out, progress)


def _enqueue(export_id: int) -> None:
    # Recorded with the export in its transaction: with the broker down the export still starts once
    # the outbox sweep sends it, instead of sitting queued until the stuck-export sweep fails it.
    enqueue_on_commit(EXPORT_TASK, {"export_id": export_id})


def _area_team(format: str, code: str | None) -> AreaTeam | None:
    """Return the area team a request is about: required for a board pack, refused for any other format."""
    if format != ExportFormat.PACK:
        if code:
            raise DomainError(MSG_ONLY_PACK_HAS_AREA_TEAM, code="invalid_area_team")
        return None
    if not code:
        raise DomainError(MSG_PACK_NEEDS_AREA_TEAM, code="invalid_area_team")
    area_team = AreaTeam.objects.filter(ods_code=code.upper()).first()
    if area_team is None:
        raise NotFound(f"There is no area team {code.upper()}.")
    return area_team


@transaction.atomic(durable=True)
def export_request(
    *, user, cycle: Cycle, format: str, area_team: str | None = None, ip: str | None = None
) -> ReportExport:
    """Queue an export of ``cycle``'s current published figures in ``format`` for ``user``; audit it.

    A board pack (``ExportFormat.PACK``) is of area team ``area_team`` (its code), for NHSCC staff and that
    area team's members, and of a published cycle only (NHSCC staff may build one of a closed cycle, marked
    DRAFT); no file is ever built of a cycle in fieldwork.

    A user has at most one export per format (per format and area team, for board packs) queued or running:
    asking again for the same file (cycle, format, area team, figures) answers with the export already under
    way; asking for another file of that kind meanwhile is refused (``MSG_ONE_AT_A_TIME``), so one person
    cannot fill the exports queue.
    """
    if format not in ExportFormat.values:
        raise DomainError(MSG_BAD_FORMAT, code="invalid_format")
    team = _area_team(format, area_team)
    check_format_allowed(user=user, format=format, area_team_id=getattr(team, "pk", None))
    # No file of a cycle in fieldwork (not even one built before it was reopened), and nothing unpublished for
    # anyone but NHSCC staff: see cycle_check_readable.
    cycle_check_readable(user=user, year=cycle.year, cycle=cycle)
    scorecard_set = selectors.current_set(cycle=cycle)
    if scorecard_set is None and format != ExportFormat.RESPONDENTS:
        raise Conflict(MSG_NOT_BUILT.format(year=cycle.year))
    # Two requests of one user (a double click, two tabs) meet here: the user's row lock makes the
    # second wait for the first's commit, so it finds the first's export.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = (
        ReportExport.objects.filter(requested_by=user, format=format, area_team=team, status__in=ACTIVE)
        .order_by("requested_at", "pk")
        .first()
    )
    if active is not None:
        if active.cycle_id == cycle.pk and active.scorecard_set_id == getattr(scorecard_set, "pk", None):
            return active
        if team is not None:
            raise Conflict(MSG_PACK_ONE_AT_A_TIME.format(area_team=team.name, year=active.cycle.year))
        raise Conflict(MSG_ONE_AT_A_TIME.format(format=ExportFormat(format).label, year=active.cycle.year))
    now = timezone.now()
    export = ReportExport.objects.create(
        cycle=cycle,
        format=format,
        area_team=team,
        scorecard_set=scorecard_set,
        requested_by=user,
        requested_at=now,
        queued_at=now,
        message="Waiting for a worker",
    )
    detail = {"cycle": cycle.year, "format": format}
    if team is not None:
        detail["area_team"] = team.ods_code
    audit_record(actor=user, action="export_requested", obj=export, detail=detail, ip=ip)
    _enqueue(export.pk)
    return export


@transaction.atomic
def export_retry(*, user, export: ReportExport, ip: str | None = None) -> ReportExport:
    """Queue a failed export again (same cycle, format, area team and set); audit it."""
    check_format_allowed(user=user, format=export.format, area_team_id=export.area_team_id)
    export = ReportExport.objects.select_for_update().get(pk=export.pk)
    if export.status != ExportStatus.FAILED:
        raise Conflict(MSG_ONLY_FAILED_RETRY)
    export.status = ExportStatus.QUEUED
    export.progress = 0
    export.message = "Waiting for a worker"
    export.queued_at = timezone.now()
    export.started_at = export.finished_at = None
    export.save(update_fields=["status", "progress", "message", "queued_at", "started_at", "finished_at"])
    audit_record(actor=user, action="export_retried", obj=export, detail={"format": export.format}, ip=ip)
    _enqueue(export.pk)
    return export


def _claim(export_id: int) -> tuple[ReportExport, int] | None:
    """Move a queued export to running and count the attempt; None if it is not queued (ran, running, gone)."""
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(of=("self",))
            .select_related("cycle", "scorecard_set", "area_team")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != ExportStatus.QUEUED:
            return None
        export.status = ExportStatus.RUNNING
        export.started_at = timezone.now()
        export.attempts += 1
        export.progress = 1
        export.message = "Started"
        export.save(update_fields=["status", "started_at", "attempts", "progress", "message"])
        return export, export.attempts


def export_run(*, export_id: int) -> ReportExport | None:
    """Build the file of a queued export, saving progress as it goes; safe to run twice (skips unless queued).

    The final write only lands if this attempt still owns the export (not failed as stuck and retried
    meanwhile); otherwise the file it wrote is deleted again.
    """
    claimed = _claim(export_id)
    if claimed is None:
        return None
    export, attempt = claimed
    mine = ReportExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, attempts=attempt)
    last = [export.progress]

    def progress(percent: int, message: str) -> None:
        percent = max(last[0], min(99, int(percent)))  # never backwards; 100 only once the file is saved
        if percent != last[0]:
            last[0] = percent
            mine.update(progress=percent, message=message[:300])

    try:
        buffer = io.BytesIO()
        code = export.area_team.ods_code if export.area_team else None
        export_render(
            cycle=export.cycle,
            format=export.format,
            out=buffer,
            progress=progress,
            scorecard_set=export.scorecard_set,
            area_team=code,
        )
        content = buffer.getvalue()
        filename = export_filename(
            cycle=export.cycle,
            format=export.format,
            version=export.scorecard_set.version if export.scorecard_set else None,
            area_team=code,
        )
        export.file.save(f"{export.pk}-{filename}", ContentFile(content), save=False)
        now = timezone.now()
        finished = mine.update(
            status=ExportStatus.DONE,
            progress=100,
            message="Ready to download",
            file=export.file.name,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            finished_at=now,
            expires_at=now + timedelta(days=settings.EXPORT_KEEP_DAYS),
        )
        if not finished:
            export.file.storage.delete(export.file.name)
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        reason = error.message if isinstance(error, DomainError) else MSG_FAILED.format(id=export.pk)
        mine.update(status=ExportStatus.FAILED, message=reason[:300], finished_at=timezone.now())
    return ReportExport.objects.get(pk=export.pk)


def exports_fail_stuck(*, now: datetime | None = None) -> int:
    """Mark failed every export queued or running for longer than EXPORT_TIME_LIMIT_SECONDS; return how many."""
    now = now or timezone.now()
    limit = settings.EXPORT_TIME_LIMIT_SECONDS
    cutoff = now - timedelta(seconds=limit)
    stuck = ReportExport.objects.filter(
        Q(status=ExportStatus.QUEUED, queued_at__lt=cutoff) | Q(status=ExportStatus.RUNNING, started_at__lt=cutoff)
    )
    return stuck.update(
        status=ExportStatus.FAILED, message=MSG_STUCK.format(minutes=max(1, limit // 60)), finished_at=now
    )


def exports_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry (EXPORT_KEEP_DAYS after they finished); return how many."""
    now = now or timezone.now()
    removed = 0
    for export in ReportExport.objects.filter(expires_at__lt=now).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.message = MSG_EXPIRED.format(days=settings.EXPORT_KEEP_DAYS)
        export.save(update_fields=["file", "message"])
        removed += 1
    return removed


def export_download(*, user, export: ReportExport, ip: str | None = None):
    """Return (open file, filename) of a finished export ``user`` may download; audit the download."""
    check_format_allowed(user=user, format=export.format, area_team_id=export.area_team_id)
    if export.status != ExportStatus.DONE:
        raise Conflict(MSG_NOT_READY.format(status=export.get_status_display().lower()))
    if not export.file:
        raise NotFound(export.message or MSG_EXPIRED.format(days=settings.EXPORT_KEEP_DAYS))
    handle = export.file.open("rb")
    audit_record(actor=user, action="export_downloaded", obj=export, detail={"sha256": export.sha256}, ip=ip)
    return handle, export.filename
