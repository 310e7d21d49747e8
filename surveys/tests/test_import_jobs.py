"""Imports run in the background: an uploaded file is stored as a job, checked line by line with its progress
saved, then applied all or nothing; a refused file keeps its first 100 problems and the count; one import per
cycle and kind at a time."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.errors import Conflict
from core.imports import MSG_PROBLEMS_MORE
from core.models import AuditEvent
from surveys.models import ImportJob, ImportKind, ImportState, Invitation, Response, ResponseStatus
from surveys.services import (
    import_job_run,
    import_job_start,
    import_jobs,
    invitations_import,
    response_get_or_create_draft,
    response_save_draft,
)
from surveys.services.import_jobs import MSG_ONE_AT_A_TIME, MSG_STALE, problem_parts
from surveys.services.invitations import MSG_UNKNOWN_CCG
from surveys.services.responses import MSG_WEB_DRAFT

pytestmark = pytest.mark.django_db

HEADER = "email,name,ccg_code,lead_role\n"
# Every CCG's three leads: 633 good lines, so a check saves its progress more than once at 200 lines a time.
ROLES = ("clinical", "managerial", "financial")


def _every_lead_csv() -> bytes:
    from organisations.models import CCG

    codes = CCG.objects.order_by("ods_code").values_list("ods_code", flat=True)
    lines = [f"{role}@ccg{code.lower()}.nhs.uk,Lead {code},{code},{role}\n" for code in codes for role in ROLES]
    return (HEADER + "".join(lines)).encode()


def _start(cycle, actor, raw: bytes, kind=ImportKind.INVITATIONS, **options) -> ImportJob:
    return import_job_start(actor=actor, cycle=cycle, kind=kind, raw=raw, filename="leads.csv", **options)


def _counts():
    return Invitation.objects.count(), User.objects.count(), Response.objects.count()


def test_an_uploaded_file_is_stored_and_imported_by_the_task_after_commit(
    open_cycle, admin_user, django_capture_on_commit_callbacks
):
    raw = (HEADER + "chair@ccg01c.nhs.uk,Ann,01C,clinical\nofficer@ccg01c.nhs.uk,Bob,01C,managerial\n").encode()

    with django_capture_on_commit_callbacks(execute=True):
        job = _start(open_cycle, admin_user, raw, send=True, ip="10.1.2.3")
        # Nothing is imported inside the upload's request: the task does it once the job is committed.
        assert Invitation.objects.count() == 0
        stored = job.file.name
        assert default_storage.open(stored).read() == raw

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts) == (ImportState.DONE, 2, 2, 1)
    assert job.result == {
        "rows": 2,
        "users_created": 2,
        "invitations_created": 2,
        "invitations_unchanged": 0,
        "emails_queued": 2,
    }
    # The stored file (respondents' emails) is deleted once imported; what came of it stays on the job.
    assert not job.file
    assert not default_storage.exists(stored)
    assert job.finished_at is not None
    assert Invitation.objects.filter(cycle=open_cycle).count() == 2
    # Audited as before (by the admin who uploaded it), and the upload itself with the address it came from.
    uploaded = AuditEvent.objects.get(action="import_uploaded")
    assert (uploaded.actor_email, uploaded.ip, uploaded.detail["kind"]) == (admin_user.email, "10.1.2.3", "invitations")
    imported = AuditEvent.objects.get(action="invitations_imported")
    assert (imported.actor_email, imported.detail["invitations_created"]) == (admin_user.email, 2)


def test_the_check_saves_its_progress_as_it_goes(open_cycle, admin_user, monkeypatch):
    monkeypatch.setattr(import_jobs, "PROGRESS_EVERY", 200)
    raw = _every_lead_csv()
    job = _start(open_cycle, admin_user, raw)
    assert (job.state, job.done, job.total) == (ImportState.QUEUED, 0, 633)
    seen = []
    real_check = import_jobs.invitations_file_check

    def check_and_watch(**kwargs):
        progress = kwargs.pop("progress")

        def watch(line):
            progress(line)
            # What the progress page reads at this moment.
            seen.append(ImportJob.objects.values_list("state", "done").get(pk=job.pk))

        return real_check(progress=watch, **kwargs)

    monkeypatch.setattr(import_jobs, "invitations_file_check", check_and_watch)

    import_job_run(job_id=job.pk)

    states = {state for state, _ in seen}
    moved = sorted({done for _, done in seen})
    assert states == {ImportState.CHECKING}
    assert moved == [0, 200, 400, 600]
    job.refresh_from_db()
    assert (job.state, job.done, job.result["invitations_created"]) == (ImportState.DONE, 633, 633)


def test_a_bad_file_keeps_the_first_100_problems_and_the_count_and_writes_nothing(open_cycle, admin_user):
    good = "good@ccg01c.nhs.uk,Good,01C,clinical\n"
    bad = "".join(f"lead{n}@example.nhs.uk,Lead,ZZ{n},clinical\n" for n in range(150))
    job = _start(open_cycle, admin_user, (HEADER + good + bad).encode())
    before = _counts()

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ImportState.REFUSED
    assert job.problems_total == 150
    assert len(job.problems) == 100
    assert job.problems[0] == {
        "line": 3,
        "column": None,
        "name": "",
        "message": "Unknown CCG code 'ZZ0'.",
        "text": MSG_UNKNOWN_CCG.format(line=3, code="ZZ0"),
    }
    assert job.problems[-1]["line"] == 102
    assert job.message == MSG_PROBLEMS_MORE.format(count=150, shown=100)
    assert not job.file  # a refused file is not kept either
    assert _counts() == before
    assert not AuditEvent.objects.filter(action="invitations_imported").exists()


def test_problems_are_split_into_line_column_and_message():
    assert problem_parts("Line 7, column 3 (\"CP-SHARED-GOALS\"): '9' is not 5, 4, 3, 2, 1, DK or empty.") == {
        "line": 7,
        "column": 3,
        "name": "CP-SHARED-GOALS",
        "message": "'9' is not 5, 4, 3, 2, 1, DK or empty.",
        "text": "Line 7, column 3 (\"CP-SHARED-GOALS\"): '9' is not 5, 4, 3, 2, 1, DK or empty.",
    }
    assert problem_parts("The file has no rows after its header.")["line"] is None


def test_a_second_import_of_the_same_kind_into_the_cycle_is_told_to_wait(open_cycle, admin_user, analyst):
    first = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())

    with pytest.raises(Conflict) as refused:
        _start(open_cycle, admin_user, (HEADER + "b@ccg01c.nhs.uk,B,01C,managerial\n").encode())

    when = timezone.localtime(first.requested_at).strftime("%H:%M")
    assert refused.value.message == MSG_ONE_AT_A_TIME.format(
        kind="invitations", year=2014, time=when, who=admin_user.email
    )
    assert refused.value.status == 409
    assert ImportJob.objects.count() == 1
    # Another kind of import into the same cycle is not held up.
    _start(open_cycle, admin_user, b"email,CP-SHARED-GOALS\n", kind=ImportKind.RESPONSES)

    # Once the first has finished, the next may start.
    import_job_run(job_id=first.pk)
    _start(open_cycle, admin_user, (HEADER + "b@ccg01c.nhs.uk,B,01C,managerial\n").encode())
    assert ImportJob.objects.filter(kind=ImportKind.INVITATIONS).count() == 2


def test_the_database_holds_at_most_one_running_import_per_cycle_and_kind(open_cycle, admin_user):
    job = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())
    twin = ImportJob(
        cycle=open_cycle,
        kind=job.kind,
        state=ImportState.CHECKING,
        file=job.file.name,
        filename="twin.csv",
        size=1,
        requested_at=timezone.now(),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_an_import_lost_with_its_worker_stops_holding_the_cycle(open_cycle, admin_user):
    lost = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.filter(pk=lost.pk).update(state=ImportState.CHECKING, started_at=long_ago)

    _start(open_cycle, admin_user, (HEADER + "b@ccg01c.nhs.uk,B,01C,managerial\n").encode())

    lost.refresh_from_db()
    assert (lost.state, lost.message) == (ImportState.FAILED, MSG_STALE)
    # Its task, delivered late, does nothing.
    assert import_job_run(job_id=lost.pk) is None
    assert not Invitation.objects.exists()


def test_running_a_job_twice_imports_once(open_cycle, admin_user):
    job = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())

    assert import_job_run(job_id=job.pk).state == ImportState.DONE
    assert import_job_run(job_id=job.pk) is None
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitations_imported").count() == 1


def test_a_job_whose_worker_died_while_checking_is_taken_up_again(open_cycle, admin_user):
    job = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, attempts=1, done=0)

    job = import_job_run(job_id=job.pk)

    assert (job.state, job.attempts) == (ImportState.DONE, 2)
    assert Invitation.objects.count() == 1


def test_a_fault_while_writing_leaves_nothing_written_and_says_so(open_cycle, admin_user, monkeypatch):
    def import_then_fail(**kwargs):
        invitations_import(**kwargs)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(import_jobs, "invitations_import", import_then_fail)
    job = _start(open_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode())
    before = _counts()

    job = import_job_run(job_id=job.pk)

    assert job.state == ImportState.FAILED
    assert job.message == import_jobs.MSG_FAILED.format(id=job.pk)
    assert _counts() == before


def test_a_contractor_file_over_a_web_draft_is_refused_unless_replace_drafts_is_chosen(
    open_cycle, invitation, lead, admin_user
):
    draft = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=draft, answers={"CP-SHARED-GOALS": 3})
    raw = f"email,CP-SHARED-GOALS\n{lead.email},5\n".encode()

    refused = import_job_run(job_id=_start(open_cycle, admin_user, raw, kind=ImportKind.RESPONSES).pk)

    assert refused.state == ImportState.REFUSED
    assert [problem["text"] for problem in refused.problems] == [
        MSG_WEB_DRAFT.format(line=2, column=1, email=lead.email, count=1)
    ]
    assert Response.objects.get().status == ResponseStatus.DRAFT

    replaced = _start(open_cycle, admin_user, raw, kind=ImportKind.RESPONSES, replace_drafts=True)
    replaced = import_job_run(job_id=replaced.pk)

    assert (replaced.state, replaced.result) == (ImportState.DONE, {"responses": 1, "answers": 1})
    response = Response.objects.get()
    assert (response.status, response.draft) == (ResponseStatus.SUBMITTED, {"CP-SHARED-GOALS": 5})
    assert AuditEvent.objects.get(action="responses_imported").detail["replace_drafts"] is True


def test_a_contractor_file_for_a_draft_cycle_is_refused_by_the_task_with_the_imports_message(draft_cycle, admin_user):
    job = import_job_run(job_id=_start(draft_cycle, admin_user, b"email,X\n", kind=ImportKind.RESPONSES).pk)

    assert job.state == ImportState.REFUSED
    assert job.problems[0]["message"].startswith("Responses can only be imported into an open or closed cycle")


def test_sending_invitations_from_a_draft_cycle_is_refused_at_upload(draft_cycle, admin_user):
    with pytest.raises(Conflict):
        _start(draft_cycle, admin_user, (HEADER + "a@ccg01c.nhs.uk,A,01C,clinical\n").encode(), send=True)

    assert not ImportJob.objects.exists()
