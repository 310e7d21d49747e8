"""The invitations upload page with rater groups: a group the cycle does not ask is refused by line and column,
nothing written; once switched on on the cycle's page, the same file imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from surveys.models import Invitation
from surveys.tests.pages import text, title
from surveys.tests.test_import_pages import problem_rows

pytestmark = pytest.mark.django_db

UPLOAD = "/manage/cycles/2014/invitations/"
PARTNERS_CSV = (
    "email,name,rater_group,ccg_code,lead_role,area_team_code\n"
    "chair@ccg01c.nhs.uk,Dr Ann Chair,clinical,01C,,\n"
    "healthwatch@example.org,Healthwatch,patients,,,Q44\n"
)


def upload(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("partners.csv", content.encode(), content_type="text/csv")


def test_a_group_switched_off_is_refused_on_the_page_then_imports_once_switched_on(
    client, admin_user, draft_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    before = (Invitation.objects.count(), User.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(UPLOAD, {"file": upload(PARTNERS_CSV)})["Location"]
    refused = client.get(job_page)

    assert title(refused).startswith("Error: Import of invitations into 2014")
    [(line, column, message)] = problem_rows(refused)
    assert (line, message) == (
        "3",
        "The 2014 cycle does not ask patients' representative (patients). "
        "Switch the group on on the cycle's page first, or remove the line.",
    )
    assert "3" in column and "rater_group" in column
    assert (Invitation.objects.count(), User.objects.count()) == before

    client.post("/manage/cycles/2014/rater-groups/", {"partner_groups": ["patients"]})
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(UPLOAD, {"file": upload(PARTNERS_CSV)})["Location"]

    assert "2 rows read, 2 new invitations" in text(client.get(job_page))
    assert Invitation.objects.get(user__email="healthwatch@example.org").rater_group == "patients"


def test_the_upload_help_names_every_group_s_columns(client, admin_user, draft_cycle):
    client.force_login(admin_user)

    page = text(client.get("/manage/cycles/2014/"))

    assert "email,name,rater_group,ccg_code,lead_role,area_team_code" in page
    assert "a CCG code on such a line is refused" in page
    assert "invites CCG leads, as before" in page
