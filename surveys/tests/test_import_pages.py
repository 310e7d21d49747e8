"""The admin's imports as pages: an upload leads to a page that follows the import in the background, then shows
what was imported or the file's problems (line, column, message; nothing written). Only admins see them."""

import re
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import ImportJob, ImportKind, ImportState, Invitation, Response, ResponseStatus
from surveys.services import response_get_or_create_draft, response_save_draft
from surveys.tests.pages import text, title

pytestmark = pytest.mark.django_db

CYCLE_PAGE = "/manage/cycles/2014/"
UPLOAD = "/manage/cycles/2014/invitations/"
UPLOAD_RESPONSES = "/manage/cycles/2014/responses/"
GOOD_CSV = (
    "email,name,ccg_code,lead_role\n"
    "chair@ccg01c.nhs.uk,Dr Ann Chair,01C,clinical\n"
    "officer@ccg01c.nhs.uk,Bob Officer,01C,managerial\n"
)
BAD_CSV = (
    "email,name,ccg_code,lead_role\n"
    "not-an-email,Someone,01C,clinical\n"
    "fine@ccg01c.nhs.uk,Fine,ZZZ,clinical\n"
    "other@ccg01c.nhs.uk,Other,01C,dentist\n"
    "fine@ccg01c.nhs.uk,Again,01C,clinical\n"
)


def upload(content: str, name: str = "leads.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def problem_rows(response) -> list[tuple[str, str, str]]:
    table = re.search(
        r'<table class="nhsuk-table" data-testid="problems">(.*?)</table>', response.content.decode(), re.S
    )
    rows = re.findall(r"<tr class=\"nhsuk-table__row\">\s*(.*?)</tr>", table.group(1), re.S)[1:]
    return [
        tuple(unescape(" ".join(cell.split())) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
        for row in rows
    ]


def test_an_upload_shows_the_imports_progress_page_then_its_result(
    client, admin_user, open_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": upload(GOOD_CSV), "send": "on"}, follow=True)
        # The page after the upload: the import is waiting for its worker, and the page follows it.
        job = ImportJob.objects.get()
        assert response.redirect_chain == [(f"/manage/cycles/2014/imports/{job.pk}/", 302)]
        assert "Waiting to start : 0 of 2 lines checked" in text(response)
        assert f'data-import-progress-url="/manage/cycles/2014/imports/{job.pk}/progress/"' in response.content.decode()
        assert "js/import-progress.js" in response.content.decode()
        assert not Invitation.objects.exists()

    response = client.get(f"/manage/cycles/2014/imports/{job.pk}/")

    assert title(response).startswith("Import of invitations into 2014")
    assert (
        "Invitations imported: 2 rows read, 2 new invitations, 0 already invited, 2 new accounts, "
        "2 emails being sent." in text(response)
    )
    assert "data-import-progress-url" not in response.content.decode()
    assert sorted(Invitation.objects.filter(cycle=open_cycle).values_list("user__email", flat=True)) == [
        "chair@ccg01c.nhs.uk",
        "officer@ccg01c.nhs.uk",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == ["chair@ccg01c.nhs.uk", "officer@ccg01c.nhs.uk"]
    # The cycle's page lists it among its recent imports.
    assert (
        f'href="/manage/cycles/2014/imports/{job.pk}/">Invitations: leads.csv</a>'
        in client.get(CYCLE_PAGE).content.decode()
    )


def test_the_progress_is_polled_as_json(client, admin_user, open_cycle):
    client.force_login(admin_user)
    client.post(UPLOAD, {"file": upload(GOOD_CSV)})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, done=1, total=4, message="")

    response = client.get(f"/manage/cycles/2014/imports/{job.pk}/progress/")

    assert response.json() == {
        "state": "checking",
        "state_label": "Checking the file",
        "in_progress": True,
        "done": 1,
        "total": 4,
        "percent": 25,
        "message": "",
    }
    assert response["Cache-Control"] == "private, no-store"
    page = client.get(f"/manage/cycles/2014/imports/{job.pk}/")
    assert "Checking the file : 1 of 4 lines checked" in text(page)
    assert 'value="25"' in page.content.decode()


def test_a_bad_file_lists_each_problem_by_line_and_writes_nothing(
    client, admin_user, open_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    before = (Invitation.objects.count(), type(admin_user).objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(UPLOAD, {"file": upload(BAD_CSV), "send": "on"})["Location"]
    response = client.get(job_page)

    assert title(response).startswith("Error: Import of invitations into 2014")
    assert "4 problems were found. Nothing was imported." in text(response)
    assert problem_rows(response) == [
        ("2", "", "'not-an-email' is not a valid email address."),
        ("3", "", "Unknown CCG code 'ZZZ'."),
        ("4", "", "Unknown lead role 'dentist' (use clinical, managerial or financial)."),
        ("5", "", "Fine@ccg01c.nhs.uk appears again (first on line 3)."),
    ]
    assert (Invitation.objects.count(), type(admin_user).objects.count()) == before
    assert mail.outbox == []


def test_a_file_with_many_problems_lists_the_first_100_and_counts_the_rest(
    client, admin_user, open_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    bad = "".join(f"lead{n}@example.nhs.uk,Lead,ZZ{n},clinical\n" for n in range(250))

    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(UPLOAD, {"file": upload("email,name,ccg_code,lead_role\n" + bad)})["Location"]
    response = client.get(job_page)

    rows = problem_rows(response)
    assert len(rows) == 100
    assert rows[-1] == ("101", "", "Unknown CCG code 'ZZ99'.")
    assert "250 problems were found. Nothing was imported." in text(response)
    assert "… and 150 more problems (250 in all). Only the first 100 are listed." in text(response)
    assert not Invitation.objects.exists()


def test_no_file_is_an_error_on_the_field(client, admin_user, open_cycle):
    client.force_login(admin_user)

    invitations = client.post(UPLOAD, {})
    responses = client.post(UPLOAD_RESPONSES, {})

    assert invitations.status_code == responses.status_code == 400
    assert '<a href="#id_file">Choose a CSV file of invitations to upload</a>' in invitations.content.decode()
    assert '<a href="#id_responses-file">Choose a CSV file of responses to upload</a>' in responses.content.decode()
    assert not ImportJob.objects.exists()


def test_a_second_upload_while_one_is_running_is_told_to_wait(client, admin_user, open_cycle):
    client.force_login(admin_user)
    client.post(UPLOAD, {"file": upload(GOOD_CSV)})

    response = client.post(UPLOAD, {"file": upload(GOOD_CSV)})

    assert response.status_code == 409
    assert "An import of invitations into the 2014 cycle is already under way" in text(response)
    assert "Wait for it to finish, then upload your file again." in text(response)
    assert ImportJob.objects.count() == 1


def test_a_contractor_file_over_a_web_draft_needs_the_replace_box(
    client, admin_user, open_cycle, invitation, lead, django_capture_on_commit_callbacks
):
    response_save_draft(response=response_get_or_create_draft(invitation=invitation), answers={"CP-SHARED-GOALS": 3})
    client.force_login(admin_user)
    contractor = f"email,CP-SHARED-GOALS\n{lead.email},5\n"

    with django_capture_on_commit_callbacks(execute=True):
        refused_page = client.post(UPLOAD_RESPONSES, {"responses-file": upload(contractor)})["Location"]
    refused = client.get(refused_page)

    assert problem_rows(refused)[0][:2] == ("2", "1 (email)")
    assert "has a draft saved on the web (1 answers)" in text(refused)
    assert 'data-testid="web-drafts-hint"' in refused.content.decode()
    assert Response.objects.get().status == ResponseStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        done_page = client.post(
            UPLOAD_RESPONSES, {"responses-file": upload(contractor), "responses-replace_drafts": "on"}
        )["Location"]

    assert "Responses imported: 1 submitted responses with 1 answers." in text(client.get(done_page))
    assert Response.objects.get().status == ResponseStatus.SUBMITTED
    assert ImportJob.objects.filter(kind=ImportKind.RESPONSES, replace_drafts=True, state="done").count() == 1


def test_the_cycle_page_offers_each_import_in_the_states_that_allow_it(client, admin_user, analyst, open_cycle):
    client.force_login(admin_user)
    page = client.get(CYCLE_PAGE).content.decode()
    assert 'data-testid="import-form"' in page
    assert 'data-testid="responses-import-form"' in page
    assert 'id="id_responses-replace_drafts"' in page

    client.force_login(analyst)
    page = client.get(CYCLE_PAGE).content.decode()
    assert 'data-testid="import-form"' not in page
    assert 'data-testid="responses-import-form"' not in page


def test_only_admins_see_an_import(client, admin_user, analyst, lead, open_cycle):
    client.force_login(admin_user)
    client.post(UPLOAD, {"file": upload(GOOD_CSV)})
    job = ImportJob.objects.get()
    urls = (f"/manage/cycles/2014/imports/{job.pk}/", f"/manage/cycles/2014/imports/{job.pk}/progress/")
    assert [client.get(url).status_code for url in urls] == [200, 200]
    # Under another year's address it does not exist.
    assert client.get(f"/manage/cycles/2015/imports/{job.pk}/").status_code == 404

    for user in (analyst, lead):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403]
        assert client.post(UPLOAD_RESPONSES, {}).status_code == 403
