"""The admin's year in Chromium: edit a draft questionnaire, open it through its confirmation page, a lead
sees the edited questions; later close and publish through confirmation pages. axe on every new kind of page."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from surveys.models import Cycle, CycleState, Question
from surveys.services import cycle_create, cycle_set_state
from surveys.tests.factories import InvitationFactory, LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TEXT = "NHS England keeps the promises it makes to my CCG."
REWORDED = "NHS England shares my CCG's vision for primary care in our area."


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    assert problems.errors() == []
    assert axe_violations(page) == []


def click_and_wait(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_an_admin_edits_a_draft_questionnaire_opens_the_cycle_and_a_lead_sees_the_edits(
    page, live_server, admin_user, organisations
):
    problems = BrowserProblems(page)
    # Given 2026 was asked (opened and closed) and the 2027 draft, due to open on 1 May 2027, copies it
    earlier = cycle_create(year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 6, 30))
    cycle_set_state(cycle=cycle_set_state(cycle=earlier, state=CycleState.OPEN), state=CycleState.CLOSED)
    cycle_create(year=2027, opens_on=dt.date(2027, 5, 1), closes_on=dt.date(2027, 6, 30))
    lead = LeadFactory(email="chair@ccg01c.nhs.uk")
    InvitationFactory(cycle=Cycle.objects.get(year=2027), user=lead)
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)

    # When the admin opens the questionnaire from the cycle page
    page.goto(f"{live_server.url}/manage/cycles/2027/")
    click_and_wait(page, page.get_by_role("link", name="Edit the 2027 questions"))
    expect(page.locator("h1")).to_have_text("The 2027 questions")
    assert_clean(page, problems)
    save_screenshot(page, "editor-questionnaire")

    # And adds a new statement to Honesty and transparency
    click_and_wait(page, page.get_by_role("link", name="Add a statement to Honesty and transparency"))
    new = page.get_by_test_id("new-form")
    new.get_by_label("Code").fill("ht-promises")
    new.get_by_label("Wording").fill(NEW_TEXT)
    new.get_by_label("Behaviour").select_option(label="Honesty and transparency")
    assert_clean(page, problems)
    click_and_wait(page, new.get_by_role("button", name="Add the new statement"))
    expect(page.get_by_text("HT-PROMISES has been added to Honesty and transparency.")).to_be_visible()

    # And moves it up one place
    section = page.locator("[data-testid=section][data-code=HONESTY]")
    before = section.locator("[data-testid=question]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    click_and_wait(page, page.get_by_role("button", name="Move HT-PROMISES Up"))
    after = section.locator("[data-testid=question]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert after == [*before[:-3], "HT-PROMISES", before[-3], "COMMENT-HONESTY"]

    # And rewords a statement asked in 2026: the page says it will get a new code, and it does
    click_and_wait(page, page.get_by_role("link", name="Change PC-VISION"))
    expect(page.get_by_test_id("asked-before")).to_contain_text("it will get a new code")
    assert_clean(page, problems)
    page.get_by_label("Wording", exact=True).fill(REWORDED)
    click_and_wait(page, page.get_by_role("button", name="Save the statement"))
    expect(page.get_by_text("The new wording has the new code PC-VISION-2027")).to_be_visible()

    # And previews the section exactly as a lead sees it
    click_and_wait(page, page.get_by_role("link", name="Preview Honesty and transparency as a lead sees it"))
    expect(page.get_by_test_id("preview")).to_contain_text("Nothing you choose here is saved")
    expect(page.get_by_role("group", name=NEW_TEXT)).to_be_visible()
    assert_clean(page, problems)
    save_screenshot(page, "editor-preview")

    # When they open the cycle, early, through its confirmation page
    page.goto(f"{live_server.url}/manage/cycles/2027/")
    click_and_wait(page, page.get_by_test_id("state-open"))
    expect(page.locator("h1")).to_have_text("Are you sure you want to open the 2027 cycle early?")
    expect(page.get_by_test_id("consequences")).to_contain_text("due to open on 1 May 2027")
    expect(page.get_by_test_id("consequences")).to_contain_text("1 lead is invited")
    expect(page.get_by_role("link", name="Cancel")).to_have_attribute("href", "/manage/cycles/2027/")
    assert_clean(page, problems)
    save_screenshot(page, "confirm-open-early")
    assert Cycle.objects.get(year=2027).state == CycleState.DRAFT
    click_and_wait(page, page.get_by_role("button", name="Open the cycle"))
    expect(page.get_by_text("The 2027 cycle is now open.")).to_be_visible()

    # Then the questionnaire is frozen, and says why
    page.goto(f"{live_server.url}/manage/cycles/2027/questionnaire/")
    expect(page.get_by_test_id("frozen")).to_contain_text("The questionnaire is frozen: the 2027 cycle opened on")

    # And the lead answers the edited questions
    sign_out(page)
    sign_in(page, live_server.url, email=lead.email, password=TEST_PASSWORD)
    page.goto(f"{live_server.url}/appraisal/2027/section/HONESTY/")
    expect(page.get_by_role("group", name=NEW_TEXT)).to_be_visible()
    pc_vision = Question.objects.get(questionnaire__cycle__year=2027, code="PC-VISION-2027")
    page.goto(f"{live_server.url}/appraisal/2027/section/{pc_vision.section.code}/")
    expect(page.get_by_role("group", name=REWORDED)).to_be_visible()
    assert_clean(page, problems)


def test_an_admin_closes_and_publishes_through_confirmation_pages(page, live_server, admin_user, organisations):
    problems = BrowserProblems(page)
    cycle = cycle_create(year=2014, opens_on=dt.date(2014, 5, 1), closes_on=dt.date(2014, 6, 30))
    cycle_set_state(cycle=cycle, state=CycleState.OPEN)
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)
    page.goto(f"{live_server.url}/manage/cycles/2014/")

    click_and_wait(page, page.get_by_test_id("state-closed"))
    expect(page.locator("h1")).to_have_text("Are you sure you want to close the 2014 cycle?")
    assert_clean(page, problems)
    click_and_wait(page, page.get_by_role("button", name="Close the cycle"))
    expect(page.get_by_text("The 2014 cycle is now closed.")).to_be_visible()

    click_and_wait(page, page.get_by_test_id("state-published"))
    expect(page.locator("h1")).to_have_text("Are you sure you want to publish the 2014 results?")
    expect(page.get_by_test_id("consequences")).to_contain_text("Publishing cannot be undone")
    assert_clean(page, problems)
    save_screenshot(page, "confirm-publish")
    click_and_wait(page, page.get_by_role("button", name="Publish the results"))
    expect(page.get_by_text("The 2014 cycle is now published.")).to_be_visible()
    assert Cycle.objects.get(year=2014).state == CycleState.PUBLISHED
