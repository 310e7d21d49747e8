"""No lost writes: two windows on one section keep each other's answers; a contractor file over a web draft
says so and needs --replace-drafts."""

import re

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Response, ResponseStatus
from surveys.services import ImportFileError, responses_import
from surveys.services.responses import MSG_CHANGED_ELSEWHERE, MSG_WEB_DRAFT

pytestmark = pytest.mark.django_db
SECTION = "/appraisal/2014/section/COMMON-PURPOSE/"
COMMENT = "COMMENT-COMMON-PURPOSE"


def _page_form(page) -> dict:
    """Return what the browser would send back from a section page: the hidden fields and the checked answers."""
    html = page.content.decode()
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html):
        data[name] = value.replace("&quot;", '"')
    for tag in re.findall(r"<input[^>]+checked[^>]*>", html):
        data[re.search(r'name="([^"]+)"', tag).group(1)] = re.search(r'value="([^"]*)"', tag).group(1)
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\s*(.*?)</textarea>', html, re.S):
        data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    return data


def _draft():
    return Response.objects.get().draft


def test_a_stale_tab_saving_one_answer_keeps_what_the_other_tab_saved(client, invitation, lead):
    client.force_login(lead)
    client.post(SECTION, {"CP-SHARED-GOALS": "3"})
    tab_b = _page_form(client.get(SECTION))  # loaded before tab A saves
    tab_a = _page_form(client.get(SECTION))

    client.post(SECTION, {**tab_a, "CP-PRIORITIES": "5", "CP-INTEGRATION": "4", COMMENT: "Helpful team."})
    saved_b = client.post(SECTION, {**tab_b, "CP-PATIENTS": "2"})

    assert saved_b.status_code == 302
    assert _draft() == {
        "CP-SHARED-GOALS": 3,
        "CP-PRIORITIES": 5,
        "CP-INTEGRATION": 4,
        COMMENT: "Helpful team.",
        "CP-PATIENTS": 2,
    }


def test_both_tabs_changing_the_same_answer_shows_the_changed_in_another_window_page(client, invitation, lead):
    client.force_login(lead)
    client.post(SECTION, {"CP-SHARED-GOALS": "3"})
    tab_b = _page_form(client.get(SECTION))
    client.post(SECTION, {**_page_form(client.get(SECTION)), "CP-SHARED-GOALS": "5", COMMENT: "From tab A."})

    page = client.post(SECTION, {**tab_b, "CP-SHARED-GOALS": "1", "CP-PATIENTS": "2"})

    assert page.status_code == 409
    html = page.content.decode()
    assert 'data-testid="changed-elsewhere"' in html
    assert MSG_CHANGED_ELSEWHERE.replace("'", "&#x27;") in html
    assert "NHS England and my CCG are working towards the same goals for patients." in html
    # Tab A's answer and comment stay; tab B's other change is saved; the page shows the current answers.
    assert _draft() == {"CP-SHARED-GOALS": 5, COMMENT: "From tab A.", "CP-PATIENTS": 2}
    assert _page_form(page)["CP-SHARED-GOALS"] == "5"
    assert "From tab A." in html


def test_a_page_that_changed_nothing_writes_nothing_over_another_tab(client, invitation, lead):
    client.force_login(lead)
    stale = _page_form(client.get(SECTION))
    client.post(SECTION, {**_page_form(client.get(SECTION)), "CP-SHARED-GOALS": "4"})

    assert client.post(SECTION, {**stale, "action": "later"}).status_code == 302

    assert _draft() == {"CP-SHARED-GOALS": 4}


def test_a_contractor_file_over_a_web_draft_is_refused_unless_replace_drafts(client, open_cycle, invitation, lead):
    client.force_login(lead)
    client.post(SECTION, {"CP-SHARED-GOALS": "3", "CP-PRIORITIES": "4"})
    raw = f"email,CP-SHARED-GOALS\n{lead.email},5\n".encode()

    with pytest.raises(ImportFileError) as refused:
        responses_import(cycle=open_cycle, raw=raw)

    assert refused.value.problems == [MSG_WEB_DRAFT.format(line=2, column=1, email=lead.email, count=2)]
    assert Response.objects.get().status == ResponseStatus.DRAFT and _draft() == {
        "CP-SHARED-GOALS": 3,
        "CP-PRIORITIES": 4,
    }

    responses_import(cycle=open_cycle, raw=raw, replace_drafts=True)

    response = Response.objects.get()
    assert (response.status, response.draft) == (ResponseStatus.SUBMITTED, {"CP-SHARED-GOALS": 5})


def test_the_import_command_needs_replace_drafts_to_replace_a_web_draft(client, open_cycle, invitation, lead, tmp_path):
    client.force_login(lead)
    client.post(SECTION, {"CP-SHARED-GOALS": "3"})
    path = tmp_path / "contractor.csv"
    path.write_text(f"email,CP-SHARED-GOALS\n{lead.email},5\n")

    with pytest.raises(CommandError, match="--replace-drafts"):
        call_command("import_responses", "--cycle", "2014", str(path))
    assert Response.objects.get().status == ResponseStatus.DRAFT

    call_command("import_responses", "--cycle", "2014", str(path), "--replace-drafts")
    assert Response.objects.get().status == ResponseStatus.SUBMITTED
