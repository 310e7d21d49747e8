"""The journey of partners and of an area team's self-assessment in Chromium, with axe on every kind of page.

(a) a GP member practice from its invitation link to the confirmation; (b) two members of an area team
complete its self-assessment together, and a member of another area team is refused it.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from surveys.models import Answer, Response, ResponseStatus
from surveys.tests.raters import (
    AREA_TEAM_NAME,
    CCG_NAME,
    OTHER_AREA_TEAM,
    give_link,
    member,
    partner_invitation,
    self_invitation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2014
PASSWORD = "a-long-and-unusual-passphrase-77"
DESKTOP = {"width": 1280, "height": 900}
SELF_WORDING = "We work towards the same goals as our CCGs for patients."


@pytest.fixture(autouse=True)
def no_receipt_email(monkeypatch):
    """Leave out the receipt email: its wording for partners and self is the admin side's (emails.py)."""
    monkeypatch.setattr("surveys.services.emails.response_receipt_deliver", lambda **kwargs: False)


def answer(page: Page, code: str, label: str) -> None:
    page.locator(f"#div_id_{code}").get_by_label(label, exact=True).check()


def expect_answered(page: Page, code: str, label: str) -> None:
    expect(page.locator(f"#div_id_{code}").get_by_label(label, exact=True)).to_be_checked()


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    assert problems.errors() == []
    assert axe_violations(page) == []


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("submit").click()


def test_a_gp_member_practice_goes_from_its_invitation_link_to_the_confirmation(page, live_server, open_cycle):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    # Given NHSCC invited a GP member practice of NHS Eastern Cheshire CCG (an account without a password yet)
    invitation = partner_invitation(open_cycle, "practice", email="practice.manager@gp-01c.nhs.uk")
    invitation.user.set_unusable_password()
    invitation.user.save(update_fields=["password"])
    link = give_link(invitation)

    # When the practice follows the link: it is told who it answers as and what it appraises
    page.goto(f"{live_server.url}{link}")
    expect(page.locator("h1")).to_have_text("Create a password")
    expect(page.get_by_test_id("invited")).to_have_text(
        f"You are invited, as a GP member practice of {CCG_NAME}, to appraise how NHS England's "
        f"{AREA_TEAM_NAME} area team works with you."
    )
    assert_clean(page, problems)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    press(page, "Save password and continue")

    # Then it is signed in on the start page, about the area team named
    expect(page.locator("h1")).to_have_text(f"Your {YEAR} appraisal of NHS England")
    expect(page.get_by_test_id("rated")).to_contain_text(f"{AREA_TEAM_NAME} area team, which works with {CCG_NAME}")
    expect(page.get_by_test_id("status")).to_contain_text("Not started")
    assert_clean(page, problems)

    # When it answers the first section, saves for later, signs out and back in
    with page.expect_navigation():
        page.get_by_test_id("start").click()
    answer(page, "CP-SHARED-GOALS", "Tend to agree")
    answer(page, "CP-PRIORITIES", "Tend to disagree")
    assert_clean(page, problems)
    press(page, "Save and come back later")
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()
    sign_out(page)
    sign_in(page, live_server.url, email=invitation.user.email, password=PASSWORD)
    expect(page.get_by_test_id("appraisal-status")).to_contain_text("1 of 6 sections answered")
    assert_clean(page, problems)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Your {YEAR} appraisal of NHS England").click()
    page.goto(f"{live_server.url}/appraisal/{YEAR}/section/COMMON-PURPOSE/")
    expect_answered(page, "CP-PRIORITIES", "Tend to disagree")

    # And it goes through the sections to the check page, answering one more
    press(page, "Continue")
    press(page, "Continue")
    press(page, "Continue")
    answer(page, "AT-EFFECTIVE", "Strongly agree")
    press(page, "Continue")
    press(page, "Continue")
    press(page, "Continue")

    # Then the check page names it as a practice, never as a lead
    expect(page.locator("h1")).to_have_text("Check your answers before you submit")
    expect(page.locator('[data-code="AT-EFFECTIVE"]')).to_have_text("Strongly agree")
    confirm = page.get_by_test_id("confirm")
    expect(confirm).to_contain_text(f"your view as a GP member practice of {CCG_NAME}")
    assert "lead" not in confirm.inner_text()
    assert_clean(page, problems)
    save_screenshot(page, "practice-check")

    # When it submits (twice, as a double click would)
    with page.expect_navigation():
        page.get_by_test_id("submit").dblclick()

    # Then the confirmation, and one submitted response from the practice about that area team
    expect(page.locator(".nhsuk-panel__heading")).to_have_text("Appraisal submitted")
    response = Response.objects.get(invitation=invitation)
    expect(page.get_by_test_id("reference")).to_have_text(response.reference)
    assert (response.status, response.rater_group, response.area_team.name) == (
        ResponseStatus.SUBMITTED,
        "practice",
        AREA_TEAM_NAME,
    )
    assert dict(Answer.objects.filter(response=response).values_list("question__code", "choice")) == {
        "CP-SHARED-GOALS": 4,
        "CP-PRIORITIES": 2,
        "AT-EFFECTIVE": 5,
    }
    assert_clean(page, problems)
    save_screenshot(page, "practice-submitted")


def test_two_members_of_an_area_team_complete_its_self_assessment_and_another_team_is_refused(
    page, live_server, open_cycle
):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    # Given the area team's self-assessment names one member; a colleague and a member of another team exist
    named = member(email="director@q44.england.nhs.uk")
    invitation = self_invitation(open_cycle, named=named)
    colleague = member(email="colleague@q44.england.nhs.uk")
    outsider = member(OTHER_AREA_TEAM, email="someone@q52.england.nhs.uk")

    # When the named member signs in: the home page offers the area team's self-assessment
    sign_in(page, live_server.url, email=named.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Your area team's {YEAR} self-assessment").click()

    # Then before starting they are told it is the area team's attributable, corporate view
    expect(page.locator("h1")).to_have_text(f"Your area team's {YEAR} self-assessment")
    expect(page.get_by_test_id("self-attributable")).to_contain_text("your area team's own corporate view")
    expect(page.get_by_test_id("self-attributable")).to_contain_text(
        f"published with the results under the name of the {AREA_TEAM_NAME} area team"
    )
    assert_clean(page, problems)
    save_screenshot(page, "self-start")

    # When they answer the first section, in the first person, and save it for later
    with page.expect_navigation():
        page.get_by_test_id("start").click()
    expect(page.locator("#div_id_CP-SHARED-GOALS legend")).to_contain_text(SELF_WORDING)
    answer(page, "CP-SHARED-GOALS", "Strongly agree")
    page.get_by_label(re.compile("anything else you would like to tell us")).fill("We agreed this as a team.")
    assert_clean(page, problems)
    press(page, "Save and come back later")
    sign_out(page)

    # Then a colleague sees the saved draft before it is submitted
    sign_in(page, live_server.url, email=colleague.email, password=TEST_PASSWORD)
    expect(page.get_by_test_id("appraisal-status")).to_contain_text("1 of 6 sections answered")
    page.goto(f"{live_server.url}/appraisal/{YEAR}/section/COMMON-PURPOSE/")
    expect_answered(page, "CP-SHARED-GOALS", "Strongly agree")
    expect(page.get_by_label(re.compile("anything else you would like to tell us"))).to_have_value(
        "We agreed this as a team."
    )

    # When the colleague adds an answer, checks and submits it for the team
    press(page, "Continue")
    answer(page, "LL-RESPECT", "Tend to agree")
    press(page, "Continue")
    page.goto(f"{live_server.url}/appraisal/{YEAR}/check/")
    expect(page.get_by_text(SELF_WORDING)).to_be_visible()
    expect(page.get_by_test_id("confirm")).to_contain_text(f"the {AREA_TEAM_NAME} area team's own corporate view")
    assert_clean(page, problems)
    save_screenshot(page, "self-check")
    submit(page)
    expect(page.locator(".nhsuk-panel__heading")).to_have_text("Appraisal submitted")
    expect(page.get_by_text(SELF_WORDING)).to_be_visible()
    assert_clean(page, problems)
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED and response.rater_group == "self"
    assert Answer.objects.filter(response=response, question__code="CP-SHARED-GOALS").get().choice == 5
    sign_out(page)

    # And a member of another area team gets no self-assessment: not on the home page, refused at the URL
    sign_in(page, live_server.url, email=outsider.email, password=TEST_PASSWORD)
    expect(page.get_by_test_id("current-appraisal")).to_have_count(0)
    assert axe_violations(page) == []
    refused = page.goto(f"{live_server.url}/appraisal/{YEAR}/check/")
    assert refused.status == 404
    expect(page.get_by_text("We agreed this as a team.")).to_have_count(0)
