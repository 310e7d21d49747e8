"""Beside the invitations import: a template to download, a file with the wrong delimiter told what was found,
and a second lead in the same role for one CCG flagged. Each refusal writes nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.csv_delimiter import csv_delimiter_problem
from organisations.services import organisations_import
from surveys.models import Invitation
from surveys.services import invitations_import, responses_import
from surveys.services.invitation_checks import invitation_file_lead_clashes
from surveys.tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (b"email;name;ccg_code;lead_role\n", "semicolons"),
        (b"\xef\xbb\xbfemail\tname\tccg_code\tlead_role\n", "tabs"),
        (b"email|name|ccg_code|rater_group\n", "vertical bars (|)"),
    ],
)
def test_a_file_with_another_delimiter_is_told_what_it_uses(header, found):
    assert csv_delimiter_problem(header + b"a;b;c;d\n") == (
        f"This file uses {found} to separate its columns, not commas. Save it as comma-separated values (CSV) and "
        "upload it again."
    )


def test_a_comma_separated_file_passes_even_with_semicolons_in_a_name():
    assert csv_delimiter_problem(b"email,name,ccg_code,lead_role\nx@y.nhs.uk,Jo; Dr,01C,clinical\n") is None
    assert csv_delimiter_problem(b"") is None


def test_the_cycle_page_refuses_a_semicolon_file_with_that_message(
    client, admin_user, open_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("leads.csv", b"email;name;ccg_code;lead_role\nx@ccg.nhs.uk;X;01C;clinical\n")

    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post("/manage/cycles/2014/invitations/", {"file": upload})["Location"]
    response = client.get(job_page)

    assert "Not imported: the file has problems" in text(response)
    assert "This file uses semicolons to separate its columns" in text(response)
    assert not Invitation.objects.exists()


def test_a_second_lead_in_the_same_role_for_one_ccg_is_flagged(open_cycle, make_invitation, make_lead):
    make_invitation(user=make_lead(email="chair@ccg01r.nhs.uk", ccg_code="01R", lead_role="clinical"))
    raw = (
        b"email,name,ccg_code,lead_role\n"
        b"chair@ccg01c.nhs.uk,A,01C,clinical\n"
        b"officer@ccg01c.nhs.uk,B,01C,managerial\n"
        b"other.chair@ccg01c.nhs.uk,C,01c,Clinical\n"
        b"new.chair@ccg01r.nhs.uk,D,01R,clinical\n"
        b"chair@ccg01r.nhs.uk,E,01R,clinical\n"
    )

    assert invitation_file_lead_clashes(cycle=open_cycle, raw=raw) == [
        "Line 4: a second clinical lead for CCG 01C (other.chair@ccg01c.nhs.uk; the first is chair@ccg01c.nhs.uk, "
        "on line 2). A CCG has one lead in each role: remove one of them.",
        "Line 5: CCG 01R already has a clinical lead invited to 2014 (chair@ccg01r.nhs.uk); new.chair@ccg01r.nhs.uk "
        "would be a second. A CCG has one lead in each role: remove the line, or correct the role.",
        "Line 6: a second clinical lead for CCG 01R (chair@ccg01r.nhs.uk; the first is new.chair@ccg01r.nhs.uk, "
        "on line 5). A CCG has one lead in each role: remove one of them.",
    ]


def test_the_cycle_page_lists_the_clash_and_imports_nothing(
    client, admin_user, open_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    raw = b"email,name,ccg_code,lead_role\na@ccg.nhs.uk,A,01C,clinical\nb@ccg.nhs.uk,B,01C,clinical\n"

    with django_capture_on_commit_callbacks(execute=True):
        upload = client.post("/manage/cycles/2014/invitations/", {"file": SimpleUploadedFile("l.csv", raw)})
    response = client.get(upload["Location"])

    assert "Not imported: the file has problems" in text(response)
    assert "3 A second clinical lead for CCG 01C" in text(response)
    assert not Invitation.objects.exists()


def test_reimporting_the_same_file_is_not_a_clash(open_cycle):
    raw = b"email,name,ccg_code,lead_role\na@ccg.nhs.uk,A,01C,clinical\n"
    invitations_import(cycle=open_cycle, raw=raw)

    assert invitation_file_lead_clashes(cycle=open_cycle, raw=raw) == []


def test_each_template_is_linked_from_the_cycle_page_and_is_accepted_by_its_import(client, admin_user, open_cycle):
    client.force_login(admin_user)
    page = client.get("/manage/cycles/2014/").content.decode()
    for url in (
        "/manage/templates/invitations.csv",
        "/manage/templates/organisations.csv",
        "/manage/cycles/2014/responses-template.csv",
    ):
        assert f'href="{url}"' in page

    invitations = client.get("/manage/templates/invitations.csv")
    assert invitations["Content-Disposition"] == 'attachment; filename="invitations-template.csv"'
    result = invitations_import(cycle=open_cycle, raw=invitations.content)
    assert result.invitations_created == 1

    organisations = client.get("/manage/templates/organisations.csv").content
    organisations_import(raw=organisations)

    responses = client.get("/manage/cycles/2014/responses-template.csv").content.decode()
    header, example = list(csv.reader(io.StringIO(responses)))
    assert header[:3] == ["email", "submitted_at", "CP-SHARED-GOALS"]
    assert len(header) == open_cycle.questionnaire.questions.count() + 2
    # The example line answers for the lead the invitations template invited.
    assert responses_import(cycle=open_cycle, raw=responses.encode()).responses == 1
