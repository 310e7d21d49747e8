"""An area team's member builds and downloads their board pack in Chromium; another area team's member cannot.

Celery runs in-process here (the root conftest.py), so the pack started from the scorecard is built before the
page redirects; watching progress move is shown on a pack the test drives itself, as for the annual report.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from exports.models import ExportStatus, ReportExport
from exports.services import export_run
from exports.tests.factories import seed_small_cycle
from organisations.models import AreaTeam

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(organisations, settings, tmp_path):
    return seed_small_cycle(settings, tmp_path)


def test_a_member_downloads_their_board_pack_and_another_area_teams_member_cannot(
    page, live_server, area_team_member, make_user, cycle
):
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=area_team_member.email, password=TEST_PASSWORD)

    # From the scorecard: the pack is built and its page offers the file
    page.goto(f"{live_server.url}/results/2014/area-team/Q44/")
    assert axe_violations(page) == []
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Download your board pack (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board pack: Cheshire, Warrington and Wirral")
    expect(page.get_by_test_id("export-status")).to_have_text("Done")
    expect(page.get_by_test_id("export-percent")).to_have_text("100%")
    save_screenshot(page, "board-pack-done")
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("appraisal-2014-board-pack-q44-v")
    assert open(download.path(), "rb").read(5) == b"%PDF-"
    built = ReportExport.objects.get(format="pack")

    # A pack being built: the page follows its progress to the end
    watched = ReportExport.objects.create(
        cycle=cycle,
        format="pack",
        area_team=AreaTeam.objects.get(ods_code="Q44"),
        scorecard_set=built.scorecard_set,
        requested_by=area_team_member,
        requested_at=timezone.now(),
        queued_at=timezone.now(),
        status=ExportStatus.RUNNING,
        progress=20,
    )
    page.goto(f"{live_server.url}/results/board-packs/{watched.pk}/")
    expect(page.get_by_test_id("export-percent")).to_have_text("20%")
    assert axe_violations(page) == []
    ReportExport.objects.filter(pk=watched.pk).update(progress=50)
    expect(page.get_by_test_id("export-percent")).to_have_text("50%")
    expect(page.get_by_test_id("export-progress")).to_have_attribute("value", "50")
    ReportExport.objects.filter(pk=watched.pk).update(status=ExportStatus.QUEUED, progress=0)
    export_run(export_id=watched.pk)
    expect(page.get_by_test_id("export-status")).to_have_text("Done", timeout=10_000)
    expect(page.get_by_test_id("download")).to_be_visible()
    assert problems.errors() == []

    # Another area team's member: no button on Q44's scorecard, a clear page instead of the file
    other = make_user(role="area_team_member", area_team_code="Q46")
    sign_out(page)
    sign_in(page, live_server.url, email=other.email, password=TEST_PASSWORD)
    page.goto(f"{live_server.url}/results/2014/area-team/Q44/")
    expect(page.get_by_role("button", name="Download your board pack (PDF)")).to_have_count(0)
    assert page.request.get(f"{live_server.url}/results/board-packs/{built.pk}/download/").status == 404
    assert page.request.get(f"{live_server.url}/api/v1/board-packs/{built.pk}/download/").status == 404
    response = page.goto(f"{live_server.url}/results/board-packs/{built.pk}/")
    assert response.status == 404
    expect(page.get_by_text("There is no such export.")).to_be_visible()
    assert axe_violations(page) == []
