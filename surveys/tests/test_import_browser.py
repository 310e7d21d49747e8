"""An admin uploads an invitations file in Chromium, watches the import's progress move, then reads the result;
a bad file's problems are listed by line. axe on each new page.

Tasks are not run in-process here: the upload only queues its task (no worker consumes it), and the test
plays the worker, first moving the job on as a check does, then running the import itself, so the page is
seen following a job that is really under way.
"""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal_portal.celery import app as celery_app
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in
from surveys.models import CycleState, ImportJob, ImportState, Invitation
from surveys.services import cycle_create, cycle_set_state, import_job_run
from surveys.tests.test_import_jobs import _every_lead_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tasks_queued_not_run():
    """Send tasks to the broker (which no worker reads here) instead of running them in-process."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = before


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    assert problems.errors() == []
    assert axe_violations(page) == []


def upload(page: Page, base_url: str, path) -> None:
    page.goto(f"{base_url}/manage/cycles/2014/")
    page.get_by_label("CSV file of invitations").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Import invitations").click()


def test_an_admin_uploads_invitations_sees_the_progress_move_then_the_result(
    page, live_server, admin_user, organisations, tmp_path, tasks_queued_not_run
):
    problems = BrowserProblems(page)
    cycle_set_state(
        cycle=cycle_create(year=2014, opens_on=dt.date(2014, 5, 1), closes_on=dt.date(2014, 6, 30)),
        state=CycleState.OPEN,
    )
    leads = tmp_path / "leads.csv"
    leads.write_bytes(_every_lead_csv())
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)

    # The cycle's page offers both imports (invitations, and a contractor's responses)
    page.goto(f"{live_server.url}/manage/cycles/2014/")
    expect(page.get_by_label("CSV file of responses")).to_be_visible()
    assert_clean(page, problems)

    # When the admin uploads a file of 633 leads from the cycle's page
    upload(page, live_server.url, leads)

    # Then the page after the upload follows the import, which waits for its worker
    job = ImportJob.objects.get()
    expect(page.locator("h1")).to_have_text("Import of invitations")
    expect(page.get_by_test_id("import-state")).to_have_text("Waiting to start")
    expect(page.get_by_test_id("import-total")).to_have_text("633")
    assert_clean(page, problems)

    # And the progress moves as the check goes through the file
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, done=300, message="")
    expect(page.get_by_test_id("import-state")).to_have_text("Checking the file")
    expect(page.get_by_test_id("import-done")).to_have_text("300")
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "47")
    save_screenshot(page, "import-progress")

    # And once the import has run, the page shows what it imported
    import_job_run(job_id=job.pk)
    expect(page.get_by_test_id("import-result")).to_contain_text(
        "Invitations imported: 633 rows read, 633 new invitations, 0 already invited, 633 new accounts, "
        "0 emails being sent."
    )
    assert Invitation.objects.count() == 633
    assert_clean(page, problems)

    # A file with a problem: the same page lists it by line and column, and nothing is imported
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,ccg_code,lead_role\nnew@ccg01c.nhs.uk,New,ZZZ,clinical\n")
    upload(page, live_server.url, bad)
    import_job_run(job_id=ImportJob.objects.filter(state=ImportState.QUEUED).get().pk)
    expect(page.get_by_test_id("problems")).to_contain_text("Unknown CCG code 'ZZZ'.")
    expect(page.get_by_test_id("import-refused")).to_have_text(
        "1 problem was found. Nothing was imported. Correct the file and upload it again."
    )
    assert Invitation.objects.count() == 633
    assert_clean(page, problems)
    save_screenshot(page, "import-refused")
