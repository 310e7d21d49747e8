"""An admin exports the annual report in Chromium and watches it finish; an analyst cannot get the respondent file.

Celery runs in-process here (the root conftest.py), so an export started from the page is built
before the page redirects. Watching progress move is therefore shown on an export the test drives itself:
the page polls the API every second while the test moves the export on, then runs it to the end.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, sign_in, sign_out
from exports.models import ExportStatus, ReportExport
from exports.services import export_request, export_run
from exports.tests.factories import seed_small_cycle


@pytest.fixture
def cycle(organisations, settings, tmp_path):
    return seed_small_cycle(settings, tmp_path)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_exports_the_pdf_and_watches_progress_reach_100(page, live_server, admin_user, analyst, cycle):
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)

    # Start a PDF export from the page: it is built, and the page says so
    page.goto(f"{live_server.url}/manage/exports/")
    page.get_by_label("Annual report (PDF)").check()
    # Tasks run in-process here, so the request builds the whole PDF: allow for a busy 2-core machine.
    with page.expect_navigation(timeout=180_000):
        page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_test_id("export-status")).to_have_text("Done")
    expect(page.get_by_test_id("export-percent")).to_have_text("100%")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("appraisal-2014-annual-report-v")
    assert open(download.path(), "rb").read(5) == b"%PDF-"

    # Watch a running export move: the page polls the API and follows it to done
    watched = ReportExport.objects.create(
        cycle=cycle,
        format="xlsx",
        requested_by=admin_user,
        requested_at=timezone.now(),
        queued_at=timezone.now(),
        status=ExportStatus.RUNNING,
        progress=10,
    )
    page.goto(f"{live_server.url}/manage/exports/{watched.pk}/")
    expect(page.get_by_test_id("export-percent")).to_have_text("10%")
    ReportExport.objects.filter(pk=watched.pk).update(progress=55)
    expect(page.get_by_test_id("export-percent")).to_have_text("55%")
    expect(page.get_by_test_id("export-progress")).to_have_attribute("value", "55")
    ReportExport.objects.filter(pk=watched.pk).update(status=ExportStatus.QUEUED, progress=0)
    export_run(export_id=watched.pk)
    expect(page.get_by_test_id("export-status")).to_have_text("Done", timeout=10_000)
    expect(page.get_by_test_id("export-percent")).to_have_text("100%")
    expect(page.get_by_test_id("download")).to_be_visible()
    assert problems.errors() == []

    # An analyst cannot download the admin's respondent-level file
    respondents = export_request(user=admin_user, cycle=cycle, format="respondents")
    export_run(export_id=respondents.pk)
    sign_out(page)
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)
    assert page.request.get(f"{live_server.url}/manage/exports/{respondents.pk}/download/").status == 403
    assert page.request.get(f"{live_server.url}/api/v1/exports/{respondents.pk}/download/").status == 403
    page.goto(f"{live_server.url}/manage/exports/")
    expect(page.get_by_label("Annual report (PDF)")).to_be_visible()
    expect(page.locator('input[value="respondents"]')).to_have_count(0)
