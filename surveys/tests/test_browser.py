"""The lead's journey in Chromium: invitation link → password → sections → sign out and back → check → submit.

Two tests that cover a lot, since a real browser is slow here: the whole journey (with axe on every kind
of page, screenshots, a tampered form and a double-clicked submit) and the keyboard-only journey.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from surveys.models import Answer, Invitation, Response, ResponseStatus
from surveys.services import invitations_import
from surveys.tests.conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2014
NEW_LEAD = "new.lead@ccg01c.nhs.uk"
PASSWORD = "a-long-and-unusual-passphrase-77"
MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def answer(page: Page, code: str, label: str) -> None:
    page.locator(f"#div_id_{code}").get_by_label(label, exact=True).check()


def expect_answered(page: Page, code: str, label: str) -> None:
    expect(page.locator(f"#div_id_{code}").get_by_label(label, exact=True)).to_be_checked()


def press_continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue", exact=True).click()


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    assert problems.errors() == []
    assert axe_violations(page) == []


def screenshots(page: Page, name: str) -> None:
    """Save the page at desktop width and at 375 px (a small phone)."""
    save_screenshot(page, f"{name}-desktop")
    page.set_viewport_size(MOBILE)
    save_screenshot(page, f"{name}-375")
    page.set_viewport_size(DESKTOP)


def test_an_invited_lead_completes_the_appraisal_from_the_emailed_link(page, live_server, open_cycle):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    # Given NHSCC imported the lead and sent the invitation
    invitations_import(
        cycle=open_cycle,
        raw=f"email,name,ccg_code,lead_role\n{NEW_LEAD},Dr New Lead,01C,clinical\n".encode(),
        send=True,
    )
    (invitation_email,) = mail.outbox
    path = re.sub(r"^https?://[^/]+", "", LINK.search(invitation_email.body).group(0))

    # When the lead follows the emailed link and creates a password
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_have_text("Create a password")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save password and continue").click()

    # Then they are signed in on the start page
    expect(page.locator("h1")).to_have_text(f"Your {YEAR} appraisal of NHS England")
    expect(page.get_by_text("Your password has been set and you are signed in.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_contain_text("Not started")
    assert_clean(page, problems)

    # When they answer two sections, the second saved for later
    with page.expect_navigation():
        page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_have_text("Section 1 of 6")
    answer(page, "CP-SHARED-GOALS", "Tend to agree")
    answer(page, "CP-PRIORITIES", "Strongly disagree")
    answer(page, "CP-PATIENTS", "Don't know")
    page.get_by_label(re.compile("anything else you would like to tell us")).fill("We share goals, not plans.")
    assert_clean(page, problems)
    screenshots(page, "appraisal-section")
    press_continue(page)
    expect(page.get_by_test_id("progress")).to_have_text("Section 2 of 6")
    answer(page, "LL-RESPECT", "Strongly agree")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_text("You have answered questions in 2 of 6 sections.")

    # And sign out, then sign in again (another day, another device)
    sign_out(page)
    sign_in(page, live_server.url, email=NEW_LEAD, password=PASSWORD)

    # Then the home page shows the appraisal in progress, and their answers are there
    expect(page.get_by_test_id("appraisal-status")).to_contain_text("2 of 6 sections answered")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Your {YEAR} appraisal of NHS England").click()
    with page.expect_navigation():
        page.get_by_test_id("start").click()
    expect(page.get_by_test_id("progress")).to_have_text("Section 3 of 6")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_test_id("progress")).to_have_text("Section 2 of 6")
    expect_answered(page, "LL-RESPECT", "Strongly agree")
    page.get_by_role("link", name="Back").click()
    expect_answered(page, "CP-SHARED-GOALS", "Tend to agree")
    expect_answered(page, "CP-PATIENTS", "Don't know")
    expect(page.get_by_label(re.compile("anything else you would like to tell us"))).to_have_value(
        "We share goals, not plans."
    )

    # When a tampered form arrives (a value off the scale), the error summary takes focus and nothing is lost
    page.locator("#id_CP-INTEGRATION_0").evaluate("input => { input.value = '9'; input.checked = true; }")
    press_continue(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose one of the answers to")
    assert page.title().startswith("Error: Common purpose")
    expect_answered(page, "CP-PRIORITIES", "Strongly disagree")
    assert_clean(page, problems)
    save_screenshot(page, "appraisal-section-error")
    summary.get_by_role("link").click()
    expect(page.locator("#id_CP-INTEGRATION_0")).to_be_focused()

    # And they finish the remaining sections
    press_continue(page)
    press_continue(page)
    answer(page, "HT-OPEN", "Neither agree nor disagree")
    press_continue(page)
    answer(page, "AT-EFFECTIVE", "Tend to agree")
    press_continue(page)
    answer(page, "PC-EFFECTIVE", "Tend to disagree")
    press_continue(page)
    answer(page, "NATIONAL", "Strongly agree")
    press_continue(page)

    # Then they check their answers, and change one
    expect(page.locator("h1")).to_have_text("Check your answers before you submit")
    expect(page.locator('[data-code="AT-EFFECTIVE"]')).to_have_text("Tend to agree")
    assert_clean(page, problems)
    screenshots(page, "appraisal-check")
    with page.expect_navigation():
        page.get_by_test_id("change-AREA-TEAM").click()
    answer(page, "AT-EFFECTIVE", "Strongly agree")
    press_continue(page)
    expect(page.locator("h1")).to_have_text("Check your answers before you submit")
    expect(page.locator('[data-code="AT-EFFECTIVE"]')).to_have_text("Strongly agree")

    # When they press submit twice, and the POST is replayed as a second tab would
    csrf = page.locator("[data-testid=submit-form] input[name=csrfmiddlewaretoken]").input_value()
    with page.expect_navigation():
        page.get_by_test_id("submit").dblclick()
    replay = page.request.post(f"{live_server.url}/appraisal/{YEAR}/check/", form={"csrfmiddlewaretoken": csrf})

    # Then they see the confirmation, every time, and there is one response
    expect(page.locator(".nhsuk-panel__heading")).to_have_text("Appraisal submitted")
    assert replay.ok and "Appraisal submitted" in replay.text()
    invitation = Invitation.objects.get(user__email=NEW_LEAD)
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert Response.objects.filter(invitation__user__email=NEW_LEAD).count() == 1
    assert dict(Answer.objects.filter(response=response).values_list("question__code", "choice")) == {
        "CP-SHARED-GOALS": 4,
        "CP-PRIORITIES": 1,
        "CP-PATIENTS": 0,
        "COMMENT-COMMON-PURPOSE": None,
        "LL-RESPECT": 5,
        "HT-OPEN": 3,
        "AT-EFFECTIVE": 5,
        "PC-EFFECTIVE": 2,
        "NATIONAL": 5,
    }
    reference = response.reference
    assert re.fullmatch(rf"{YEAR}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", reference)
    assert reference != f"{YEAR}-{response.pk:06d}"  # not the row id
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.locator('[data-code="AT-EFFECTIVE"]')).to_have_text("Strongly agree")
    assert_clean(page, problems)
    save_screenshot(page, "appraisal-submitted")
    # And the receipt email came, once
    receipts = [message for message in mail.outbox if message.subject.startswith("We have received")]
    assert [message.to for message in receipts] == [[NEW_LEAD]]
    assert reference in receipts[0].body


def tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate("selector => document.activeElement?.matches(selector) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_appraisal_can_be_completed_with_the_keyboard_alone(page, live_server, invitation, lead):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=lead.email, password=TEST_PASSWORD)

    # From the home page to the first section
    tab_to(page, "[data-testid=current-appraisal] a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "[data-testid=start]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("progress")).to_have_text("Section 1 of 6")

    # Space picks the first option; the arrow keys move along the scale
    tab_to(page, "#id_CP-SHARED-GOALS_0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_CP-PRIORITIES_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_COMMENT-COMMON-PURPOSE")
    page.keyboard.type("Typed with the keyboard.")
    tab_to(page, "button[value=continue]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Every other section: straight to Continue
    for number in range(2, 7):
        expect(page.get_by_test_id("progress")).to_have_text(f"Section {number} of 6")
        tab_to(page, "button[value=continue]")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    expect(page.locator('[data-code="CP-SHARED-GOALS"]')).to_have_text("Tend to agree")
    expect(page.locator('[data-code="CP-PRIORITIES"]')).to_have_text("Strongly agree")
    tab_to(page, "[data-testid=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".nhsuk-panel__heading")).to_have_text("Appraisal submitted")
    response = Response.objects.get(invitation=invitation)
    assert (response.status, response.draft) == (
        ResponseStatus.SUBMITTED,
        {"CP-SHARED-GOALS": 4, "CP-PRIORITIES": 5, "COMMENT-COMMON-PURPOSE": "Typed with the keyboard."},
    )
    assert problems.errors() == []
