"""The board pack over the API and on the pages: who may request, follow and download which area team's pack.

Given the small published cycle and a pack of Q44 asked for by a member of Q44; when each role (and members of
Q44 and of another area team) calls the endpoints and opens the pages; then they get what the matrix says, and
never another area team's file.
"""

import pytest

from core.models import AuditEvent
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.services import export_request, export_run
from exports.tests.factories import seed_small_cycle
from surveys.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_cycle_id(module_db) -> int:
    return seed_small_cycle().pk


@pytest.fixture
def cycle(small_cycle_id, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=small_cycle_id)


@pytest.fixture
def callers(make_user, users_by_role) -> dict:
    """Every kind of caller: the four roles (the area team member is of Q44), a colleague and another team's."""
    return {
        **users_by_role,
        "colleague_q44": make_user(role="area_team_member", area_team_code="Q44"),
        "member_q46": make_user(role="area_team_member", area_team_code="Q46"),
    }


@pytest.fixture
def built_pack(cycle, callers):
    """A finished pack of Q44, asked for by the Q44 member of ``users_by_role``."""
    owner = callers["area_team_member"]
    return export_run(export_id=export_request(user=owner, cycle=cycle, format=ExportFormat.PACK, area_team="Q44").pk)


REQUEST = "/api/v1/cycles/2014/area-teams/{code}/board-pack/"


@pytest.mark.parametrize(
    ("caller", "code", "status"),
    [
        ("anonymous", "Q44", 401),
        ("ccg_lead", "Q44", 403),
        ("analyst", "Q44", 202),
        ("admin", "Q46", 202),
        ("area_team_member", "Q44", 202),
        ("area_team_member", "q44", 202),
        ("member_q46", "Q44", 403),
        ("area_team_member", "Q46", 403),
        ("analyst", "Q00", 404),
    ],
)
def test_who_may_request_which_pack(client, cycle, callers, caller, code, status, django_capture_on_commit_callbacks):
    if caller != "anonymous":
        client.force_login(callers[caller])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST.format(code=code))

    assert response.status_code == status
    if status == 202:
        body = response.json()
        assert (body["format"], body["area_team"], body["status"]) == ("pack", code.upper(), "queued")
        assert body["url"] == f"/api/v1/board-packs/{body['id']}/"
        # Built by the task after commit (in-process in tests): done, with where to download it.
        detail = client.get(body["url"]).json()
        assert (detail["status"], detail["progress"]) == ("done", 100)
        assert detail["download_url"] == f"/api/v1/board-packs/{body['id']}/download/"
    else:
        assert set(response.json()["error"]) == {"code", "message", "details"}
        assert not ReportExport.objects.exists()


def test_a_second_request_while_one_is_under_way_answers_with_it(client, cycle, callers):
    client.force_login(callers["area_team_member"])

    first = client.post(REQUEST.format(code="Q44")).json()  # on_commit not run: it stays queued
    second = client.post(REQUEST.format(code="Q44")).json()

    assert second["id"] == first["id"] and second["status"] == "queued"
    assert ReportExport.objects.count() == 1


@pytest.mark.parametrize(
    ("caller", "detail", "download"),
    [
        ("anonymous", 401, 401),
        ("ccg_lead", 403, 403),
        ("area_team_member", 200, 200),  # who asked for it
        ("colleague_q44", 404, 404),  # packs are followed by who asked for them, as exports are
        ("member_q46", 404, 404),
        ("analyst", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_who_may_follow_and_download_a_pack(client, built_pack, callers, caller, detail, download):
    if caller != "anonymous":
        client.force_login(callers[caller])

    assert client.get(f"/api/v1/board-packs/{built_pack.pk}/").status_code == detail
    response = client.get(f"/api/v1/board-packs/{built_pack.pk}/download/")
    assert response.status_code == download
    page = client.get(f"/results/board-packs/{built_pack.pk}/download/")
    if download == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{built_pack.filename}"'
        assert response["Cache-Control"] == "no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert page.status_code == 200
        downloads = AuditEvent.objects.filter(action="export_downloaded", actor=callers[caller])
        assert downloads.count() == 2
    else:
        assert page.status_code in (302, 403, 404)
        if caller != "anonymous":
            assert page.status_code == download
            assert b"%PDF-" not in page.content
        assert not AuditEvent.objects.filter(action="export_downloaded").exists()


def test_the_annual_report_endpoints_stay_for_nhscc_staff(client, built_pack, callers):
    client.force_login(callers["area_team_member"])

    assert client.get(f"/api/v1/exports/{built_pack.pk}/").status_code == 403
    assert client.post("/api/v1/cycles/2014/exports/", {"format": "pdf"}).status_code == 403
    client.force_login(callers["admin"])
    # A pack is not asked for through the annual report's endpoint, which has no area team.
    response = client.post("/api/v1/cycles/2014/exports/", {"format": "pack"}, content_type="application/json")
    assert response.status_code == 400
    # Staff who follow a pack through the exports endpoint are sent to the pack's own.
    assert client.get(f"/api/v1/exports/{built_pack.pk}/").json()["url"] == f"/api/v1/board-packs/{built_pack.pk}/"


def test_the_board_pack_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert "post" in paths["/api/v1/cycles/{year}/area-teams/{code}/board-pack/"]
    assert "get" in paths["/api/v1/board-packs/{id}/"] or "get" in paths["/api/v1/board-packs/{pk}/"]
    export = schema["components"]["schemas"]["Export"]["properties"]
    assert "area_team" in export


def test_a_member_starts_the_pack_from_their_scorecard_and_downloads_it_from_its_page(
    client, cycle, callers, django_capture_on_commit_callbacks
):
    member = callers["area_team_member"]
    client.force_login(member)
    scorecard = client.get("/results/2014/area-team/Q44/").content.decode()
    assert "Download your board pack (PDF)" in scorecard
    assert 'action="/results/2014/area-team/Q44/board-pack/"' in scorecard
    # Not on another area team's scorecard, which they may read but whose pack is not theirs.
    assert "board pack" not in client.get("/results/2014/area-team/Q46/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/results/2014/area-team/Q44/board-pack/")

    export = ReportExport.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/results/board-packs/{export.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert "Board pack: Cheshire, Warrington and Wirral" in page
    assert f'href="/results/board-packs/{export.pk}/download/"' in page
    assert "Done" in page and "100%" in page

    # Another area team's member asking for Q44's pack, or opening this one, gets a page saying no, never the file.
    client.force_login(callers["member_q46"])
    refused = client.post("/results/2014/area-team/Q44/board-pack/")
    assert refused.status_code == 403
    assert "for the members of that area team and NHSCC staff" in refused.content.decode()
    assert client.get(f"/results/board-packs/{export.pk}/").status_code == 404
    assert ReportExport.objects.count() == 1


def test_staff_see_the_button_on_every_area_teams_scorecard_and_build_a_pack_from_the_exports_page(
    client, cycle, callers, django_capture_on_commit_callbacks
):
    analyst = callers["analyst"]
    client.force_login(analyst)
    assert "Download this area team's board pack (PDF)" in client.get("/results/2014/area-team/Q46/").content.decode()
    form = client.get("/manage/exports/").content.decode()
    assert 'value="pack"' in form and 'name="area_team"' in form

    missing = client.post("/manage/exports/", {"cycle": 2014, "format": "pack"})
    assert missing.status_code == 400
    assert "Choose the area team whose board pack you want." in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/manage/exports/", {"cycle": 2014, "format": "pack", "area_team": "Q46"})

    export = ReportExport.objects.get()
    assert (export.format, export.area_team.ods_code, export.status) == ("pack", "Q46", ExportStatus.DONE)
    assert started["Location"] == f"/manage/exports/{export.pk}/"
    detail = client.get(started["Location"]).content.decode()
    assert "Area team board pack (PDF): Greater Manchester" in detail
    assert f'href="/manage/exports/{export.pk}/download/"' in detail
