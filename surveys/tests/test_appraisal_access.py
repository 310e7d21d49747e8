"""Who reaches a lead's appraisal pages, and what the lead's home page shows of the appraisal."""

import pytest

from surveys.services import response_get_or_create_draft, response_save_draft
from surveys.tests.pages import CHECK, FIRST, START, SUBMITTED, YEAR, checked, submit, text

pytestmark = pytest.mark.django_db


LEAD_PAGES = [START, FIRST, CHECK]


@pytest.mark.parametrize("path", LEAD_PAGES)
def test_the_invited_lead_reaches_each_page(signed_in_lead, path):
    assert signed_in_lead.get(path).status_code == 200


@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_a_lead_not_invited_gets_404(client, invitation, make_lead, path):
    client.force_login(make_lead(ccg_code="02N"))

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "admin_user"])
@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_nhscc_staff_get_403(client, invitation, request, role, path):
    client.force_login(request.getfixturevalue(role))

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_an_area_team_member_without_a_self_assessment_gets_404(client, invitation, area_team_member, path):
    client.force_login(area_team_member)

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [*LEAD_PAGES, SUBMITTED])
def test_anonymous_is_sent_to_sign_in(client, invitation, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={path}"


def test_a_draft_cycle_is_hidden_from_an_invited_lead(client, draft_cycle, lead):
    from surveys.tests.factories import InvitationFactory

    InvitationFactory(cycle=draft_cycle, user=lead)
    client.force_login(lead)

    assert client.get(START).status_code == 404


def test_another_invited_lead_never_sees_the_first_leads_answers(client, invitation, make_invitation):
    # Given the first lead has saved an answer
    response = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 5, "COMMENT-COMMON-PURPOSE": "Secret words"})
    other = make_invitation()
    client.force_login(other.user)

    # When the other lead opens their own pages
    start, section, check = client.get(START), client.get(FIRST), client.get(CHECK)

    # Then they see their own empty appraisal
    assert "Not started" in text(start)
    assert checked(section, "CP-SHARED-GOALS") is None
    assert "Secret words" not in check.content.decode()


def test_an_unknown_section_is_404(signed_in_lead):
    assert signed_in_lead.get(f"/appraisal/{YEAR}/section/NO-SUCH-SECTION/").status_code == 404


def test_the_leads_home_page_links_to_the_open_cycle_with_its_status(signed_in_lead, invitation):
    before = signed_in_lead.get("/")
    signed_in_lead.post(FIRST, {"CP-SHARED-GOALS": "5"})
    during = signed_in_lead.get("/")
    submit(signed_in_lead)
    after = signed_in_lead.get("/")

    assert f'href="{START}">Your {YEAR} appraisal of NHS England</a>' in before.content.decode()
    assert "Not started" in text(before)
    assert "In progress 1 of 6 sections answered." in text(during)
    assert f'href="{SUBMITTED}"' in after.content.decode()
    assert "Submitted" in text(after)


def test_a_lead_not_invited_sees_no_appraisal_on_the_home_page(client, open_cycle, lead):
    client.force_login(lead)

    assert 'data-testid="current-appraisal"' not in client.get("/").content.decode()
