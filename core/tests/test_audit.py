"""The audit of consequential acts, and the admins' page that filters and exports it (/manage/audit/)."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.services import audit_record
from surveys.models import ImportJob
from surveys.services.import_jobs import import_job_run

pytestmark = pytest.mark.django_db
URL = "/manage/audit/"


def test_the_page_is_for_admins_only(client, analyst, lead):
    assert reverse("manage-audit") == URL
    assert client.get(URL).status_code == 302  # to sign in
    for user in (analyst, lead):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_consequential_acts_are_audited_with_who_and_from_where(client, admin_user, organisations):
    client.force_login(admin_user)
    office = {"REMOTE_ADDR": "10.1.2.3"}

    client.post("/manage/cycles/", {"year": "2014"}, **office)
    csv_file = SimpleUploadedFile("i.csv", b"email,name,ccg_code,lead_role\nann@example.nhs.uk,Ann,00C,clinical\n")
    client.post("/manage/cycles/2014/invitations/", {"file": csv_file}, **office)
    # The import runs in a task after the upload commits (on a worker, when a broker is configured): run it here.
    (job,) = ImportJob.objects.all()
    import_job_run(job_id=job.pk)
    client.post("/manage/cycles/2014/state/", {"state": "open", "confirmed_from": "draft"}, **office)
    client.post("/api/v1/me/token/", **office)

    events = {e.action: e for e in AuditEvent.objects.exclude(action="organisations_imported")}
    assert {"cycle_created", "invitations_imported", "user_created", "cycle_state_changed", "api_token_rotated"} <= set(
        events
    )
    assert events["cycle_state_changed"].detail == {"from": "draft", "to": "open"}
    assert events["invitations_imported"].detail["invitations_created"] == 1
    assert all(e.actor_email == admin_user.email for e in events.values())
    assert events["api_token_rotated"].ip == "10.1.2.3"


def test_admins_filter_by_action_actor_and_date(client, admin_user, analyst):
    old = audit_record(actor=analyst, action="export_downloaded", obj=analyst)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))
    audit_record(actor=analyst, action="export_downloaded", obj=analyst)
    audit_record(actor=admin_user, action="cycle_published", obj=admin_user)
    client.force_login(admin_user)
    today = timezone.localdate()

    by_action = client.get(URL, {"action": "export_downloaded"})
    by_actor = client.get(URL, {"actor": admin_user.email[:6]})
    by_date = client.get(URL, {"action": "export_downloaded", "date_from": today.isoformat()})
    bad_dates = client.get(URL, {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()})

    assert by_action.status_code == 200
    assert by_action.content.decode().count('data-action="export_downloaded"') == 2
    assert 'data-action="cycle_published"' not in by_action.content.decode()
    assert by_actor.content.decode().count('data-action="cycle_published"') == 1
    assert by_date.content.decode().count('data-action="export_downloaded"') == 1
    assert bad_dates.status_code == 400 and "must be the same as or after" in bad_dates.content.decode()


def test_the_csv_export_has_every_matching_event_escapes_formulas_and_is_itself_audited(client, admin_user):
    audit_record(actor=admin_user, action="question_updated", obj=admin_user, detail={"text": "=HYPERLINK(1)"})
    audit_record(actor=None, action="organisations_imported", object_type="organisations.ccg")
    client.force_login(admin_user)

    response = client.get(URL, {"action": "question_updated", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["at", "actor_email", "action", "object_type", "object_id", "ip", "detail"]
    assert len(rows) == 2 and rows[1][2] == "question_updated"
    assert rows[1][6] == '{"text": "=HYPERLINK(1)"}'  # JSON text does not start with "="
    exported = AuditEvent.objects.get(action="audit_exported")
    assert exported.detail == {"action": "question_updated"}
