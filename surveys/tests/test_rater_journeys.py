"""The journey for every rater group: partners answer their own invitation, an area team shares its self-assessment.

Service, page and attack tests; the browser runs are in ``test_rater_browser.py``.
"""

import json
import re
from html import unescape

import pytest

from surveys.forms import SHOWN_FIELD
from surveys.models import Answer, Question, Response, ResponseStatus
from surveys.selectors import respondent_appraisal
from surveys.services import response_get_or_create_draft, response_save_draft, response_submit
from surveys.tests.pages import CHECK, FIRST, START, SUBMITTED, YEAR, submit, text
from surveys.tests.raters import (
    AREA_TEAM_NAME,
    CCG_NAME,
    OTHER_AREA_TEAM,
    give_link,
    member,
    partner_invitation,
    self_invitation,
)

pytestmark = pytest.mark.django_db

API = f"/api/v1/cycles/{YEAR}/my-response/"
SECRET = "Only our own team may read this"


@pytest.fixture
def practice(open_cycle):
    return partner_invitation(open_cycle, "practice")


@pytest.fixture
def self_assessment(open_cycle):
    return self_invitation(open_cycle)


@pytest.fixture
def colleague(self_assessment):
    """Another member of the area team (not the one the invitation names)."""
    return member()


def _shown(page) -> str:
    """Return the answers a section page says it showed (its hidden field), as the browser sends them back."""
    return unescape(re.search(rf'name="{SHOWN_FIELD}" value="([^"]*)"', page.content.decode()).group(1))


def text_html(page) -> str:
    return unescape(page.content.decode())


# --- services -------------------------------------------------------------------------------------------


def test_a_partner_drafts_and_submits_once_about_the_area_team_named(practice):
    response = response_get_or_create_draft(invitation=practice)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 4})

    response_submit(response=response)
    response_submit(response=response)

    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert (response.rater_group, response.ccg.ods_code, response.area_team.ods_code) == ("practice", "01C", "Q44")
    assert list(Answer.objects.filter(response=response).values_list("rater_group", "choice")) == [("practice", 4)]


def test_a_patients_representative_appraises_the_area_team_with_no_ccg(open_cycle):
    invitation = partner_invitation(open_cycle, "patients")
    response = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=response, answers={"AT-EFFECTIVE": 2})
    response_submit(response=response)

    assert (response.ccg, response.area_team.name, response.rater_group) == (None, AREA_TEAM_NAME, "patients")


def test_every_member_of_the_area_team_gets_the_one_shared_self_assessment(self_assessment, colleague):
    # Given the named member saves an answer
    named = self_assessment.user
    mine = respondent_appraisal(user=named, year=YEAR)
    response = response_get_or_create_draft(invitation=mine.invitation)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 5})

    # Then a colleague gets the same response and draft, and starting again makes no second one
    theirs = respondent_appraisal(user=colleague, year=YEAR)
    assert theirs.invitation == self_assessment
    assert theirs.response == response and theirs.response.draft == {"CP-SHARED-GOALS": 5}
    assert response_get_or_create_draft(invitation=theirs.invitation) == response

    # And whoever submits, it is submitted once for the team
    response_submit(response=theirs.response)
    response_submit(response=response)
    assert Response.objects.filter(invitation=self_assessment).count() == 1
    assert Answer.objects.filter(response=response).count() == 1


def test_a_member_of_another_area_team_and_other_roles_get_no_self_assessment(
    self_assessment, lead, make_user, analyst
):
    from core.errors import NotFound

    for user in (member(OTHER_AREA_TEAM), make_user(role="partner", area_team_code="Q44"), analyst, lead):
        with pytest.raises(NotFound):
            respondent_appraisal(user=user, year=YEAR)


def test_an_inactive_member_gets_no_self_assessment(self_assessment):
    from core.errors import NotFound

    gone = member(is_active=False)
    with pytest.raises(NotFound):
        respondent_appraisal(user=gone, year=YEAR)


# --- wording per rater group ----------------------------------------------------------------------------


def test_the_self_assessment_reads_the_first_person_wording_under_the_same_code(
    client, self_assessment, colleague, invitation
):
    from django.test import Client

    question = Question.objects.get(questionnaire__cycle=self_assessment.cycle, code="CP-SHARED-GOALS")
    assert question.wordings["self"] == "We work towards the same goals as our CCGs for patients."
    client.force_login(colleague)

    # The section, the check page and the receipt page show the self wording
    section = client.post(FIRST, {"CP-SHARED-GOALS": "4"}, follow=True)
    assert "We work towards the same goals as our CCGs for patients." in text(client.get(FIRST))
    assert "We work towards the same goals as our CCGs for patients." in text(client.get(CHECK))
    assert section.status_code == 200
    submit(client)
    receipt = text(client.get(SUBMITTED))
    assert "We work towards the same goals as our CCGs for patients." in receipt
    assert question.text not in receipt

    # While a lead reads the question's own text
    lead = Client()
    lead.force_login(invitation.user)
    assert question.text in text(lead.get(FIRST))
    assert "We work towards" not in text(lead.get(FIRST))


def test_a_question_without_a_wording_for_the_group_reads_its_text(practice):
    question = Question.objects.get(questionnaire__cycle=practice.cycle, code="CP-SHARED-GOALS")

    assert question.text_for("practice") == question.text
    assert question.text_for("self") != question.text


# --- pages ----------------------------------------------------------------------------------------------


def test_a_practice_is_invited_as_a_practice_never_as_a_lead(client, practice):
    practice.user.set_unusable_password()
    practice.user.save(update_fields=["password"])

    page = text(client.get(give_link(practice)))

    assert (
        f"You are invited, as a GP member practice of {CCG_NAME}, to appraise how NHS England's "
        f"{AREA_TEAM_NAME} area team works with you." in page
    )
    assert " lead " not in page.split("You are invited")[1].split(".")[0]


def test_a_practice_goes_through_start_sections_check_and_submit(client, practice):
    client.force_login(practice.user)

    start = client.get(START)
    client.post(FIRST, {"CP-SHARED-GOALS": "5"})
    check = client.get(CHECK)
    submitted = submit(client)
    confirmation = client.get(SUBMITTED)

    assert start.status_code == 200 and f"its {AREA_TEAM_NAME} area team, which works with {CCG_NAME}" in text(start)
    assert f"your view as a GP member practice of {CCG_NAME}" in text(check)
    assert "lead" not in re.search(r'data-testid="confirm">(.*?)</p>', check.content.decode(), re.S).group(1)
    assert submitted.status_code == 302 and submitted["Location"] == SUBMITTED
    assert "Appraisal submitted" in text(confirmation)
    assert Response.objects.get(invitation=practice).status == ResponseStatus.SUBMITTED


def test_local_government_is_told_it_appraises_the_area_team_directly(client, open_cycle):
    invitation = partner_invitation(open_cycle, "local_government")
    client.force_login(invitation.user)

    check = text(client.get(CHECK))
    start = text(client.get(START))

    assert f"You are appraising NHS England and its {AREA_TEAM_NAME} area team." in start
    assert "your view as local government (a health and wellbeing board or local authority)" in check


def test_a_partners_home_page_links_to_their_appraisal(client, practice):
    client.force_login(practice.user)

    home = client.get("/")

    assert home.status_code == 200
    assert f'href="{START}">Your {YEAR} appraisal of NHS England</a>' in home.content.decode()


def test_members_are_told_before_they_start_that_the_self_assessment_is_attributable(client, colleague):
    client.force_login(colleague)

    home = client.get("/")
    start = text(client.get(START))

    assert f'href="{START}">Your area team\'s {YEAR} self-assessment</a>' in text_html(home)
    assert "your area team's own corporate view" in start
    assert f"published with the results under the name of the {AREA_TEAM_NAME} area team" in start
    assert "attributable, not anonymous" in start
    assert "Members of other area teams, CCG leads and partners cannot see the draft." in start


def test_the_named_member_follows_the_link_then_reaches_the_shared_self_assessment(client, self_assessment):
    named = self_assessment.user
    named.set_unusable_password()
    named.save(update_fields=["password"])
    link = give_link(self_assessment)

    page = client.get(link)
    chosen = client.post(
        link,
        {"username": named.email, "new_password1": "a-long-passphrase-31", "new_password2": "a-long-passphrase-31"},
    )

    assert f"You are invited to complete the {AREA_TEAM_NAME} area team's self-assessment" in text(page)
    assert chosen.status_code == 302 and chosen["Location"] == START
    assert client.get(START).status_code == 200
    # The link works once
    assert client.get(link).status_code == 410


def test_two_members_editing_at_once_do_not_lose_each_others_answers(client, self_assessment, colleague):
    from django.test import Client

    other = Client()
    client.force_login(self_assessment.user)
    other.force_login(colleague)

    # Both open the first section
    mine, theirs = client.get(FIRST), other.get(FIRST)

    # The colleague saves an answer; then the first member, from the page loaded before, answers it otherwise
    other.post(FIRST, {"CP-SHARED-GOALS": "5", SHOWN_FIELD: _shown(theirs)})
    clash = client.post(FIRST, {"CP-SHARED-GOALS": "1", "CP-PRIORITIES": "2", SHOWN_FIELD: _shown(mine)})

    # Then the colleague's answer is kept and named, and the first member's other change is saved
    assert clash.status_code == 409
    assert "changed in another window" in text(clash)
    draft = Response.objects.get(invitation=self_assessment).draft
    assert draft == {"CP-SHARED-GOALS": 5, "CP-PRIORITIES": 2}
    assert json.loads(_shown(clash))["CP-SHARED-GOALS"] == "5"


def test_once_one_member_submits_the_others_see_the_confirmation(client, self_assessment, colleague):
    client.force_login(self_assessment.user)
    client.post(FIRST, {"CP-SHARED-GOALS": "4"})
    submit(client)
    client.force_login(colleague)

    assert client.get(START)["Location"] == SUBMITTED
    assert client.post(FIRST, {"CP-SHARED-GOALS": "1"})["Location"] == SUBMITTED
    assert "Appraisal submitted" in text(client.get(SUBMITTED))
    assert Response.objects.get(invitation=self_assessment).draft == {"CP-SHARED-GOALS": 4}


# --- attacks: nobody else reads a partner's answers or the self-assessment's draft ------------------------


def _every_door(client) -> list[str]:
    """Return every page and API answer a respondent can ask for about the year's appraisal."""
    paths = [START, FIRST, CHECK, SUBMITTED, "/", API, f"/api/v1/cycles/{YEAR}/questionnaire/"]
    return [client.get(path, follow=True).content.decode() for path in paths]


def _admin_doors(client, response: Response) -> list[int]:
    paths = (
        f"/admin/surveys/response/{response.pk}/change/",
        f"/admin/surveys/invitation/{response.invitation_id}/change/",
    )
    return [client.get(path).status_code for path in paths]


def test_a_partner_sees_only_their_own_response(client, practice, open_cycle, invitation):
    # Given another partner and a lead each saved a draft with a secret
    rival = partner_invitation(open_cycle, "practice")
    theirs = response_get_or_create_draft(invitation=rival)
    response_save_draft(response=theirs, answers={"CP-SHARED-GOALS": 1, "COMMENT-COMMON-PURPOSE": SECRET})
    leads = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=leads, answers={"COMMENT-COMMON-PURPOSE": SECRET + " (lead)"})
    client.force_login(practice.user)

    # When the partner tries every door, and the other responses' ids
    pages = _every_door(client)
    api = client.get(API).json()

    # Then they find only their own, empty appraisal
    assert all(SECRET not in page for page in pages)
    assert api["status"] == "not_started" and api["answers"] == {} and api["rater_group"] == "practice"
    assert all(status in (302, 403, 404) for status in _admin_doors(client, theirs) + _admin_doors(client, leads))
    # And their own answers come back to them alone
    client.put(API, {"answers": {"CP-SHARED-GOALS": 4}}, content_type="application/json")
    assert Response.objects.get(invitation=practice).draft == {"CP-SHARED-GOALS": 4}
    assert Response.objects.get(invitation=rival).draft["CP-SHARED-GOALS"] == 1


def test_the_self_assessment_draft_is_seen_only_by_its_area_team(client, self_assessment, colleague, lead, analyst):
    # Given the area team saved a draft with a secret
    response = response_get_or_create_draft(invitation=self_assessment)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 5, "COMMENT-COMMON-PURPOSE": SECRET})
    partner = partner_invitation(self_assessment.cycle, "patients").user  # a partner of the same area team

    # Then a colleague reads it, on the pages and in the API
    client.force_login(colleague)
    assert SECRET in text(client.get(CHECK))
    assert client.get(API).json()["answers"]["COMMENT-COMMON-PURPOSE"] == SECRET

    # And nobody else does: a member of another area team, a lead of one of its CCGs, a partner, NHSCC staff
    for outsider in (member(OTHER_AREA_TEAM), lead, partner, analyst):
        client.force_login(outsider)
        assert all(SECRET not in page for page in _every_door(client)), outsider.role
        assert all(status in (302, 403, 404) for status in _admin_doors(client, response))
    client.force_login(member(OTHER_AREA_TEAM))
    assert client.get(START).status_code == 404
    assert client.get(API).status_code == 404
    assert client.put(API, {"answers": {"CP-SHARED-GOALS": 1}}, content_type="application/json").status_code == 404
    client.force_login(analyst)
    assert client.get(CHECK).status_code == 403
    assert client.get(API).status_code == 403
    assert Response.objects.get(pk=response.pk).draft["CP-SHARED-GOALS"] == 5


def test_a_member_of_another_area_team_cannot_submit_it(client, self_assessment):
    response = response_get_or_create_draft(invitation=self_assessment)
    response_save_draft(response=response, answers={"CP-SHARED-GOALS": 5})
    client.force_login(member(OTHER_AREA_TEAM))

    assert client.post(CHECK).status_code == 404
    assert client.post(f"{API}submit/").status_code == 404
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT


# --- the questionnaire editor sets the self wording while the cycle is a draft ---------------------------


EDIT = "/manage/cycles/2014/questionnaire/questions/HT-OPEN/"


def _edit_form(question, **extra) -> dict:
    return {"text": question.text, "behaviour": question.behaviour_id, "role": question.role_id or "", **extra}


def test_the_editor_sets_and_clears_the_self_wording_of_a_draft_cycle_keeping_the_code(admin_client, draft_cycle):
    question = Question.objects.get(questionnaire__cycle=draft_cycle, code="HT-OPEN")
    assert question.wordings == {"self": "We are open and honest with our CCGs."}
    assert "We are open and honest with our CCGs." in text(admin_client.get(EDIT))

    admin_client.post(EDIT, _edit_form(question, self_wording="  We are candid with every CCG we work with. "))
    question.refresh_from_db()
    assert (question.code, question.text_for("self")) == ("HT-OPEN", "We are candid with every CCG we work with.")

    admin_client.post(EDIT, _edit_form(question, self_wording=""))
    question.refresh_from_db()
    assert question.wordings == {} and question.text_for("self") == question.text


def test_the_editor_refuses_a_self_wording_once_the_cycle_is_open(admin_client, open_cycle):
    question = Question.objects.get(questionnaire__cycle=open_cycle, code="HT-OPEN")

    refused = admin_client.post(EDIT, _edit_form(question, self_wording="Changed during fieldwork."))

    question.refresh_from_db()
    assert refused.status_code in (403, 409)
    assert question.text_for("self") == "We are open and honest with our CCGs."


def test_a_new_cycle_copies_the_wordings(earlier_and_draft):
    _, draft = earlier_and_draft

    question = Question.objects.get(questionnaire__cycle=draft, code="CP-SHARED-GOALS")

    assert question.wordings == {"self": "We work towards the same goals as our CCGs for patients."}


def test_the_questionnaire_api_gives_each_groups_wording(client, colleague):
    client.force_login(colleague)

    questionnaire = client.get(f"/api/v1/cycles/{YEAR}/questionnaire/").json()

    (question,) = [q for s in questionnaire["sections"] for q in s["questions"] if q["code"] == "CP-SHARED-GOALS"]
    assert question["wordings"] == {"self": "We work towards the same goals as our CCGs for patients."}


def test_the_cycles_a_respondent_sees_are_the_ones_they_answer(practice, self_assessment, colleague, make_user):
    from surveys.selectors import cycles_for_user

    year = [practice.cycle.year]
    assert list(cycles_for_user(user=practice.user).values_list("year", flat=True)) == year
    assert list(cycles_for_user(user=colleague).values_list("year", flat=True)) == year
    # A partner not invited, and a member of an area team with no self-assessment, see no open cycle
    assert not cycles_for_user(user=make_user(role="partner", area_team_code="Q44")).exists()
    assert not cycles_for_user(user=member(OTHER_AREA_TEAM)).exists()
