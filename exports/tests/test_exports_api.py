"""The exports API and pages: who may request, follow and download which file; headers; 404 for others' exports."""

import hashlib

import pytest
from django.utils.timezone import now

from core.models import AuditEvent
from exports.models import ExportStatus, ReportExport
from exports.tests.factories import seed_small_cycle


@pytest.fixture
def cycle(organisations, settings, tmp_path):
    return seed_small_cycle(settings, tmp_path)


pytestmark = pytest.mark.django_db


def request_export(client, user, format: str, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/cycles/2014/exports/", {"format": format}, content_type="application/json")
    return response


def test_an_analyst_requests_follows_and_downloads_an_export(
    client, analyst, cycle, django_capture_on_commit_callbacks
):
    response = request_export(client, analyst, "csv", django_capture_on_commit_callbacks)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["progress"] == 0
    assert body["url"] == f"/api/v1/exports/{body['id']}/"

    detail = client.get(body["url"]).json()
    assert (detail["status"], detail["progress"]) == ("done", 100)
    assert detail["download_url"] == f"/api/v1/exports/{body['id']}/download/"

    download = client.get(detail["download_url"])
    content = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{detail["filename"]}"'
    assert download["Cache-Control"] == "no-store"
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert hashlib.sha256(content).hexdigest() == detail["sha256"]
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor")) == [
        ("export_requested", analyst.pk),
        ("export_downloaded", analyst.pk),
    ]


@pytest.mark.parametrize(
    ("role", "format", "status"),
    [
        ("ccg_lead", "pdf", 403),
        ("area_team_member", "xlsx", 403),
        ("analyst", "respondents", 403),
        ("admin", "respondents", 202),
        ("analyst", "docx", 400),
    ],
)
def test_who_may_request_what(client, users_by_role, cycle, role, format, status, django_capture_on_commit_callbacks):
    response = request_export(client, users_by_role[role], format, django_capture_on_commit_callbacks)

    assert response.status_code == status
    if status != 202:
        assert set(response.json()["error"]) == {"code", "message", "details"}
        assert not ReportExport.objects.exists()


def test_another_analysts_export_is_not_found_but_an_admin_sees_it(
    client,
    analyst,
    admin_user,
    make_user,
    cycle,
    django_capture_on_commit_callbacks,
):
    export_id = request_export(client, analyst, "csv", django_capture_on_commit_callbacks).json()["id"]
    other = make_user(role="analyst")

    client.force_login(other)
    assert client.get(f"/api/v1/exports/{export_id}/").status_code == 404
    assert client.get(f"/api/v1/exports/{export_id}/download/").status_code == 404
    assert client.get(f"/manage/exports/{export_id}/").status_code == 404

    client.force_login(admin_user)
    assert client.get(f"/api/v1/exports/{export_id}/").json()["status"] == "done"


def test_an_analyst_cannot_download_the_respondent_file(
    client, analyst, admin_user, cycle, django_capture_on_commit_callbacks
):
    export_id = request_export(client, admin_user, "respondents", django_capture_on_commit_callbacks).json()["id"]

    client.force_login(analyst)
    assert client.get(f"/api/v1/exports/{export_id}/download/").status_code == 403
    assert client.get(f"/manage/exports/{export_id}/download/").status_code == 403
    assert not AuditEvent.objects.filter(action="export_downloaded").exists()


def test_the_pages_start_an_export_and_show_it_done(client, admin_user, cycle, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    page = client.get("/manage/exports/").content.decode()
    assert 'value="respondents"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/manage/exports/", {"cycle": "2014", "format": "xlsx"})
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/manage/exports/{export.pk}/"

    detail = client.get(response["Location"]).content.decode()
    assert "100%" in detail and export.sha256 in detail
    assert f'href="/manage/exports/{export.pk}/download/"' in detail
    assert "export-progress.js" not in detail  # nothing left to follow


def test_an_analyst_is_not_offered_the_respondent_file(client, analyst, cycle):
    client.force_login(analyst)
    page = client.get("/manage/exports/").content.decode()
    assert 'value="pdf"' in page and 'value="respondents"' not in page
    assert client.post("/manage/exports/", {"cycle": "2014", "format": "respondents"}).status_code == 400


def test_a_running_export_page_follows_progress_without_inline_script(client, analyst, cycle):
    from django.utils import timezone

    export = ReportExport.objects.create(
        cycle=cycle,
        format="pdf",
        requested_by=analyst,
        requested_at=timezone.now(),
        queued_at=timezone.now(),
        status=ExportStatus.RUNNING,
        progress=42,
    )
    client.force_login(analyst)

    page = client.get(f"/manage/exports/{export.pk}/").content.decode()

    assert 'value="42"' in page and "42%" in page
    assert f'data-export-status-url="/api/v1/exports/{export.pk}/"' in page
    assert '<script type="module" src="/static/js/export-progress.js">' in page
    assert '<meta http-equiv="refresh" content="3">' in page


def _post_export(client, format: str, django_capture_on_commit_callbacks):
    """Request an export with no worker to take it (its on-commit send is captured, not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        return client.post("/api/v1/cycles/2014/exports/", {"format": format}, content_type="application/json")


def test_asking_again_for_the_same_export_answers_with_the_one_under_way(
    client, analyst, cycle, django_capture_on_commit_callbacks
):
    from core.models import OutboxTask

    client.force_login(analyst)
    first = _post_export(client, "csv", django_capture_on_commit_callbacks)
    again = _post_export(client, "csv", django_capture_on_commit_callbacks)

    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"] and again.json()["status"] == "queued"
    assert ReportExport.objects.count() == 1
    sent = OutboxTask.objects.filter(task="reports.tasks.export_run_task")
    assert list(sent.values_list("kwargs", flat=True)) == [{"export_id": first.json()["id"]}]
    assert AuditEvent.objects.filter(action="export_requested").count() == 1


def test_a_running_export_is_the_answer_too_and_another_format_starts_its_own(
    client, analyst, cycle, django_capture_on_commit_callbacks
):
    client.force_login(analyst)
    first = _post_export(client, "csv", django_capture_on_commit_callbacks).json()
    ReportExport.objects.filter(pk=first["id"]).update(status=ExportStatus.RUNNING)

    again = _post_export(client, "csv", django_capture_on_commit_callbacks)
    other = _post_export(client, "xlsx", django_capture_on_commit_callbacks)

    assert (again.status_code, again.json()["id"], again.json()["status"]) == (202, first["id"], "running")
    assert other.status_code == 202 and other.json()["id"] != first["id"]
    assert ReportExport.objects.count() == 2


def test_another_file_in_a_format_already_under_way_is_refused_until_it_finishes(
    client, analyst, cycle, django_capture_on_commit_callbacks
):
    from exports.services import MSG_ONE_AT_A_TIME

    client.force_login(analyst)
    first = _post_export(client, "csv", django_capture_on_commit_callbacks).json()
    # The export under way is of figures since replaced: a request now is for another file.
    ReportExport.objects.filter(pk=first["id"]).update(scorecard_set=None)

    refused = _post_export(client, "csv", django_capture_on_commit_callbacks)

    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == MSG_ONE_AT_A_TIME.format(
        format="Data behind the report (CSV)", year=2014
    )
    assert ReportExport.objects.count() == 1
    ReportExport.objects.filter(pk=first["id"]).update(status=ExportStatus.DONE, sha256="x" * 64, finished_at=now())
    assert _post_export(client, "csv", django_capture_on_commit_callbacks).status_code == 202


def test_the_page_asked_twice_shows_the_same_export(client, analyst, cycle, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post("/manage/exports/", {"cycle": "2014", "format": "csv"})
        again = client.post("/manage/exports/", {"cycle": "2014", "format": "csv"})

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/manage/exports/{ReportExport.objects.get().pk}/"
