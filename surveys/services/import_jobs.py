"""Imports of uploaded files in the background: the upload is stored as an ``ImportJob`` and a task checks
and applies it, recording how far it got, so that a 27,000-line file never meets a web time-out.

The rules are the imports' own (``invitations_import``, ``responses_import``): the whole file is checked
first and, on any problem, nothing is written. The task checks the file outside any transaction, saving its
progress line by line (so the page can show it), then applies it in one transaction that checks it again
(the cycle may have moved meanwhile) and marks the job done with it: the job is done exactly when the
rows are written. At most one import per cycle and kind runs at a time.
"""

import datetime as dt
import logging
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.csv_delimiter import csv_delimiter_problem
from core.errors import Conflict, DomainError
from core.outbox import enqueue_on_commit
from core.services import audit_record
from surveys.models import IMPORT_ACTIVE_STATES, Cycle, ImportJob, ImportKind, ImportState
from surveys.services.files import ImportFileError
from surveys.services.invitation_checks import invitation_file_lead_clashes
from surveys.services.invitations import invitations_file_check, invitations_import, invitations_import_allowed
from surveys.services.responses import responses_file_check, responses_import

logger = logging.getLogger("appraise.imports")

IMPORT_TASK = "surveys.tasks.import_job_run_task"
# Progress is saved every this many lines (27 writes for a 27,000-line file).
PROGRESS_EVERY = 1000
# A job still queued or running this long after it last moved was lost with its worker (the task's own
# time limit is 30 minutes): it stops holding its cycle, and says so.
STALE_AFTER = dt.timedelta(hours=1)

MSG_ONE_AT_A_TIME = (
    "An import of {kind} into the {year} cycle is already under way (uploaded at {time} by {who}). "
    "Wait for it to finish, then upload your file again."
)
MSG_WAITING = "Waiting for a worker to start the import."
MSG_APPLYING = "The file has no problems. Writing {rows} rows: this can take a minute."
MSG_STALE = (
    "This import stopped before it finished (its worker was stopped). Nothing was imported: upload the file again."
)
MSG_FAILED = (
    "The import could not be finished because of a fault in the service (import {id}). Nothing was imported: "
    "upload the file again, and tell NHSCC's support team if this happens again."
)

# "Line 4, column 2 ("email"): message" or "Line 4: message"; other problems concern the whole file.
_WHERE = re.compile(r'^Line (?P<line>\d+)(?:, column (?P<column>\d+)(?: \("(?P<name>[^"]*)"\))?)?: (?P<message>.*)$')


def problem_parts(problem: str) -> dict:
    """Return a file problem as the page lists it: line, column (number and name) and the message alone."""
    match = _WHERE.match(problem)
    if match is None:
        return {"line": None, "column": None, "name": "", "message": problem, "text": problem}
    message = match["message"]
    return {
        "line": int(match["line"]),
        "column": int(match["column"]) if match["column"] else None,
        "name": match["name"] or "",
        "message": message[:1].upper() + message[1:],
        "text": problem,
    }


def _lines_after_header(raw: bytes) -> int:
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1)
    return max(0, lines - 1)


def _stop_stale(cycle: Cycle, kind: str, now: dt.datetime) -> None:
    cutoff = now - STALE_AFTER
    for job in ImportJob.objects.filter(cycle=cycle, kind=kind, state__in=IMPORT_ACTIVE_STATES):
        if (job.started_at or job.requested_at) < cutoff:
            job.state, job.message, job.finished_at = ImportState.FAILED, MSG_STALE, now
            job.save(update_fields=["state", "message", "finished_at"])


@transaction.atomic(durable=True)
def import_job_start(
    *,
    actor,
    cycle: Cycle,
    kind: str,
    raw: bytes,
    filename: str,
    send: bool = False,
    replace_drafts: bool = False,
    ip: str | None = None,
) -> ImportJob:
    """Store an uploaded file as an import of ``kind`` into ``cycle`` and queue its check and import; audit it.

    Refused (``Conflict``) where the cycle's state rules the import out, or while another import of the
    same kind into the same cycle is under way (``MSG_ONE_AT_A_TIME``).
    """
    if kind == ImportKind.INVITATIONS:
        invitations_import_allowed(cycle=cycle, send=send)
    # Two uploads meet here: the cycle's row lock makes the second wait for the first's commit, so it sees it.
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    now = timezone.now()
    _stop_stale(cycle, kind, now)
    active = ImportJob.objects.filter(cycle=cycle, kind=kind, state__in=IMPORT_ACTIVE_STATES).first()
    if active is not None:
        who = getattr(active.requested_by, "email", "") or "someone"
        when = timezone.localtime(active.requested_at).strftime("%H:%M")
        raise Conflict(
            MSG_ONE_AT_A_TIME.format(kind=ImportKind(kind).label.lower(), year=cycle.year, time=when, who=who),
            code="import_running",
        )
    job = ImportJob(
        cycle=cycle,
        kind=kind,
        filename=filename[:200],
        size=len(raw),
        send=send,
        replace_drafts=replace_drafts,
        total=_lines_after_header(raw),
        message=MSG_WAITING,
        requested_by=actor,
        requested_at=now,
    )
    job.file.save(f"{cycle.year}-{kind}.csv", ContentFile(raw), save=False)
    job.save()
    detail = {"kind": kind, "filename": job.filename, "size": job.size, "send": send, "replace_drafts": replace_drafts}
    audit_record(actor=actor, action="import_uploaded", obj=job, detail=detail, ip=ip)
    enqueue_on_commit(IMPORT_TASK, {"job_id": job.pk})
    return job


def _claim(job_id: int) -> ImportJob | None:
    """Start a queued job (or take up again one whose worker died before it committed); None if it finished."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("cycle").filter(pk=job_id).first()
        if job is None or job.state not in IMPORT_ACTIVE_STATES:
            return None
        job.state = ImportState.CHECKING
        job.started_at = timezone.now()
        job.attempts += 1
        job.done = 0
        job.message = ""
        job.save(update_fields=["state", "started_at", "attempts", "done", "message"])
        return job


def _check(job: ImportJob, raw: bytes, progress) -> int:
    """Check the file as its import will, writing nothing; return its rows or raise the import's error."""
    problem = csv_delimiter_problem(raw)
    if problem:
        raise ImportFileError([problem])
    if job.kind == ImportKind.INVITATIONS:
        clashes = invitation_file_lead_clashes(cycle=job.cycle, raw=raw)
        if clashes:
            raise ImportFileError(clashes)
        return invitations_file_check(cycle=job.cycle, raw=raw, send=job.send, progress=progress)
    return responses_file_check(cycle=job.cycle, raw=raw, replace_drafts=job.replace_drafts, progress=progress)


def _apply(job: ImportJob, raw: bytes) -> dict:
    actor = job.requested_by
    if job.kind == ImportKind.INVITATIONS:
        return vars(invitations_import(cycle=job.cycle, raw=raw, send=job.send, actor=actor))
    return vars(responses_import(cycle=job.cycle, raw=raw, replace_drafts=job.replace_drafts, actor=actor))


class _Superseded(Exception):
    """The job stopped being this attempt's while it wrote (it was stopped as stale): undo the writes."""


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Check and apply one import job, saving its progress; safe to run twice (a finished job is skipped)."""
    job = _claim(job_id)
    if job is None:
        return None
    mine = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, state__in=IMPORT_ACTIVE_STATES)
    saved = [0]

    def progress(line: int) -> None:
        done = min(job.total, max(0, line - 1))
        if done - saved[0] >= PROGRESS_EVERY:
            saved[0] = done
            mine.update(done=done)

    try:
        with job.file.open("rb") as handle:
            raw = handle.read()
        rows = _check(job, raw, progress)
        mine.update(state=ImportState.APPLYING, done=job.total, message=MSG_APPLYING.format(rows=f"{rows:,}"))
        with transaction.atomic(durable=True):
            result = _apply(job, raw)
            finished = mine.filter(state=ImportState.APPLYING).update(
                state=ImportState.DONE, result=result, message="", finished_at=timezone.now()
            )
            if not finished:
                raise _Superseded
    except ImportFileError as refused:
        problems = [problem_parts(problem) for problem in refused.details]
        mine.update(
            state=ImportState.REFUSED,
            problems=problems,
            problems_total=refused.details_total,
            message=refused.message[:300],
            finished_at=timezone.now(),
        )
    except DomainError as refused:
        mine.update(
            state=ImportState.REFUSED,
            problems=[problem_parts(refused.message)],
            problems_total=1,
            message=refused.message[:300],
            finished_at=timezone.now(),
        )
    except _Superseded:
        logger.warning("Import %s was stopped while it wrote; its writes were undone", job.pk)
    except Exception:
        logger.exception("Import %s failed", job.pk)
        mine.update(state=ImportState.FAILED, message=MSG_FAILED.format(id=job.pk), finished_at=timezone.now())
    job = ImportJob.objects.get(pk=job.pk)
    if job.state in (ImportState.DONE, ImportState.REFUSED):
        _file_discard(job)
    return job


def _file_discard(job: ImportJob) -> None:
    """Delete a finished import's stored file: it holds respondents' emails (and answers), and what came of it
    (counts, problems) is kept on the job. A failed job keeps its file, for the admin to look into."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
