"""Bad input gets a clear refusal, never a 500: NUL characters, over-long fields, deep or huge JSON, many problems.

Each refusal is checked for its status, its message and unchanged row counts.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from core.errors import DETAILS_SHOWN
from core.imports import MSG_NUL, MSG_TOO_LONG
from core.middleware import MSG_NUL as MSG_REQUEST_NUL
from core.parsers import MSG_NUL as MSG_JSON_NUL
from core.parsers import MSG_TOO_DEEP, MSG_TOO_LARGE
from organisations.models import CCG
from organisations.services import organisations_import
from surveys.models import Invitation, Response
from surveys.services import ImportFileError, invitations_import

pytestmark = pytest.mark.django_db
MY = "/api/v1/cycles/2014/my-response/"
HEADER = "email,name,ccg_code,lead_role\n"


def _counts():
    return (User.objects.count(), Invitation.objects.count(), Response.objects.count(), CCG.objects.count())


# NUL characters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/ccgs/?region=%00", "/api/v1/ccgs/?code=Q4%004", "/api/v1/area-teams/%00/", "/api/v1/cycles/?x=\x00"],
)
def test_a_nul_in_an_api_path_or_query_is_a_400_with_a_short_json_error(client, analyst, url):
    client.force_login(analyst)
    before = _counts()

    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid_characters", "message": MSG_REQUEST_NUL, "details": []}}
    assert _counts() == before


@pytest.mark.parametrize("url", ["/?region=%00", "/appraisal/20%0014/", "/sign-in/?next=/%00"])
def test_a_nul_in_a_page_path_or_query_is_the_nhsuk_error_page(client, url):
    response = client.get(url)

    assert response.status_code == 400
    page = response.content.decode()
    assert "nhsuk-header" in page or "nhsuk-" in page
    assert MSG_REQUEST_NUL in page


def test_a_nul_in_a_form_field_is_refused_before_sign_in(client, lead):
    from axes.models import AccessAttempt

    response = client.post("/sign-in/", {"username": f"{lead.email}\x00", "password": "x"})

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_a_nul_in_a_comment_saved_through_the_api_is_a_400_and_the_draft_is_unchanged(client, invitation, lead):
    client.force_login(lead)
    client.put(MY, {"answers": {"SUPPORT": 4}}, content_type="application/json")

    response = client.put(MY, '{"answers": {"COMMENT-HONESTY": "good\\u0000bad"}}', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == MSG_JSON_NUL
    assert Response.objects.get().draft == {"SUPPORT": 4}


def test_a_nul_in_a_comment_saved_through_the_page_is_a_400(client, invitation, lead):
    client.force_login(lead)

    response = client.post(
        "/appraisal/2014/section/COMMON-PURPOSE/", {"CP-SHARED-GOALS": "5", "COMMENT-COMMON-PURPOSE": "a\x00b"}
    )

    assert response.status_code == 400
    assert not Response.objects.filter(draft__has_key="CP-SHARED-GOALS").exists()


# Deep, huge and wide JSON bodies ---------------------------------------------------------------------


def test_a_body_nested_10000_levels_deep_is_a_400(client, invitation, lead, settings):
    client.force_login(lead)

    response = client.put(MY, "[" * 10_000 + "]" * 10_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == MSG_TOO_DEEP.format(depth=settings.API_JSON_MAX_DEPTH)
    assert Response.objects.count() == 0


def test_a_body_33_levels_deep_is_refused_and_32_is_parsed(client, invitation, lead):
    client.force_login(lead)
    deep = {"answers": {"SUPPORT": 4}, "x": json.loads("[" * 31 + "]" * 31)}  # 32 levels in all

    assert client.put(MY, deep, content_type="application/json").status_code == 200
    deeper = {"answers": {"SUPPORT": 4}, "x": json.loads("[" * 32 + "]" * 32)}
    assert client.put(MY, deeper, content_type="application/json").status_code == 400


def test_a_body_over_the_size_limit_is_a_400(client, invitation, lead, settings):
    client.force_login(lead)
    body = json.dumps({"answers": {"COMMENT-HONESTY": "x" * (settings.API_JSON_MAX_BYTES + 1)}})

    response = client.put(MY, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == MSG_TOO_LARGE.format(limit=settings.API_JSON_MAX_BYTES)
    assert Response.objects.filter(draft__has_key="COMMENT-HONESTY").count() == 0


def test_thousands_of_unknown_keys_list_the_first_100_and_count_them_all(client, invitation, lead):
    client.force_login(lead)
    answers = {f"NO-SUCH-{n:05d}": 1 for n in range(5000)}

    response = client.put(MY, {"answers": answers}, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert len(error["details"]) == DETAILS_SHOWN
    assert error["details_total"] == 5000
    assert len(response.content) < 20_000
    assert not Response.objects.exclude(draft={}).exists()


# Over-long fields and NUL characters in the CSV imports -------------------------------------------------


def test_an_invitation_name_over_200_characters_and_a_316_character_email_are_named_by_line_and_column(draft_cycle):
    email = "a" * 64 + "@" + ".".join(["b" * 62] * 4) + ".uk"  # passes validate_email, 316 characters
    assert len(email) > 254
    text = HEADER + f"ok@example.nhs.uk,{'N' * 201},00C,clinical\n{email},Someone,00C,clinical\n"
    before = _counts()

    with pytest.raises(ImportFileError) as refused:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    assert refused.value.problems == [
        MSG_TOO_LONG.format(line=2, column=2, name="name", length=201, limit=200),
        MSG_TOO_LONG.format(line=3, column=1, name="email", length=len(email), limit=254),
    ]
    assert _counts() == before


def test_the_invitation_page_shows_an_over_long_name_as_a_file_problem_not_a_500(
    client, admin_user, draft_cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("i.csv", (HEADER + f"ok@example.nhs.uk,{'N' * 201},00C,clinical\n").encode())
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post("/manage/cycles/2014/invitations/", {"file": upload})["Location"]
    response = client.get(job_page)

    assert response.status_code == 200
    assert "holds at most 200" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("importer", ["invitations", "organisations"])
def test_a_nul_in_a_csv_file_names_its_line_and_nothing_is_written(draft_cycle, importer):
    before = _counts()
    if importer == "invitations":
        text = HEADER + "a@example.nhs.uk,Ann,00C,clinical\nb@example.nhs.uk,B\x00b,00C,clinical\n"
        with pytest.raises(ImportFileError) as refused:
            invitations_import(cycle=draft_cycle, raw=text.encode())
    else:
        from organisations.services import DEFAULT_CSV

        lines = DEFAULT_CSV.read_text().splitlines()
        lines[3] = lines[3].replace(",", ",\x00", 1)
        with pytest.raises(ImportFileError) as refused:
            organisations_import(raw="\n".join(lines).encode())

    assert refused.value.problems == [MSG_NUL.format(line=3 if importer == "invitations" else 4)]
    assert _counts() == before


def test_a_nul_in_a_contractor_file_names_its_line(open_cycle, invitation):
    from surveys.services import responses_import

    text = f"email,SUPPORT\n{invitation.user.email},4\x00\n"

    with pytest.raises(ImportFileError) as refused:
        responses_import(cycle=open_cycle, raw=text.encode())

    assert refused.value.problems == [MSG_NUL.format(line=2)]
    assert Response.objects.count() == 0


def test_many_bad_rows_list_the_first_100_problems_and_say_how_many_more(draft_cycle):
    text = HEADER + "".join(f"bad-{n},Name,00C,clinical\n" for n in range(250))

    with pytest.raises(ImportFileError) as refused:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    error = refused.value
    assert error.message == "250 problems in the file; the first 100 are listed."
    assert len(error.problems) == 101
    assert error.problems[-1] == "… and 150 more problems (250 in all)."
    assert error.details_total == 250


def test_a_field_the_csv_module_cannot_read_is_a_problem_with_its_line(draft_cycle):
    text = HEADER + "a@example.nhs.uk,Ann,00C,clinical\n" + 'b@example.nhs.uk,"' + "x" * 200_000 + '",00C,clinical\n'

    with pytest.raises(ImportFileError) as refused:
        invitations_import(cycle=draft_cycle, raw=text.encode())

    assert refused.value.problems[0].startswith("Line 3: the file cannot be read as CSV")
    assert Invitation.objects.count() == 0
