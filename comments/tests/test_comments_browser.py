"""Comment moderation in Chromium: an analyst redacts a name and approves a comment from the queue; once the
results are published the area team reads it on its scorecard, without attribution. axe on every page.

One test: a real browser is slow on this machine and other people's tests share it.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from comments.models import CommentStatus
from comments.tests.factories import COMMENTS, NAMED, REDACTED, answer_text, comment, seed_comments
from core.models import AuditEvent
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from surveys.models import CycleState
from surveys.services import cycle_set_state

SECOND = COMMENTS["Q44"][1][1]  # the other comment on common purpose in Q44

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    assert problems.errors() == []
    assert axe_violations(page) == []


def test_an_analyst_redacts_and_approves_a_comment_that_the_area_team_then_reads_on_its_scorecard(
    page, live_server, organisations, analyst, area_team_member
):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    cycle = seed_comments(state=CycleState.CLOSED)

    # The analyst opens the queue from the home page: waiting comments, with section and area team only
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Moderate free-text comments").click()
    expect(page.locator("h1")).to_have_text("Moderate free-text comments")
    expect(page.get_by_test_id("status-counts")).to_have_text("5 waiting for moderation, 0 approved, 0 hidden.")
    expect(page.get_by_test_id("comment")).to_have_count(5)
    expect(page.get_by_text("Below the threshold")).to_have_count(0)
    assert_clean(page, problems)
    save_screenshot(page, "comments-queue-desktop")
    page.set_viewport_size(MOBILE)
    save_screenshot(page, "comments-queue-375")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)

    # Filter to the area team and section, then open the comment that names someone
    page.get_by_label("Area team").select_option(label="Cheshire, Warrington and Wirral")
    page.get_by_label("Section").select_option(label="Common purpose")
    with page.expect_navigation():
        page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("comment")).to_have_count(2)
    card = page.get_by_test_id("comment").filter(has_text="Helen Marsh")
    expect(card).to_contain_text("Common purpose: Cheshire, Warrington and Wirral")
    with page.expect_navigation():
        card.get_by_role("link", name="Moderate").click()
    expect(page.locator("h1")).to_have_text("Moderate a comment")
    expect(page.get_by_text("Original (admins only)")).to_have_count(0)
    assert_clean(page, problems)

    # A mistake first: an empty comment is refused with an error summary that links to the box
    text = page.get_by_label("Comment as it will be published")
    expect(text).to_have_value(NAMED)
    text.fill("")
    page.get_by_label("Approve it").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the comment as it should be published.")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_text")
    expect(page).to_have_title("Error: Moderate a comment, 2014 – Appraise – NHS Clinical Commissioners")
    assert comment(NAMED).status == CommentStatus.PENDING
    problems = BrowserProblems(page)  # the refusal (400) is logged by the browser as a failed load
    assert axe_violations(page) == []
    save_screenshot(page, "comments-moderate-error-desktop")

    # Redact the name and approve
    text.fill(REDACTED)
    page.get_by_label("Approve it").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    # On to the next comment waiting in the same list, with the decision's message
    expect(page.get_by_text("The comment is approved.")).to_be_visible()
    expect(page.get_by_text("Here is the next comment in the list.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Moderate a comment")
    expect(page.get_by_label("Comment as it will be published")).to_have_value(SECOND)
    assert "area_team=Q44" in page.url and "section=COMMON-PURPOSE" in page.url
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the comments").click()
    expect(page.get_by_test_id("comment")).to_have_count(1)  # one left waiting here
    assert (comment(NAMED).status, comment(NAMED).redacted_text) == (CommentStatus.APPROVED, REDACTED)
    assert answer_text(comment(NAMED)) == NAMED
    assert AuditEvent.objects.get().actor == analyst
    page.get_by_label("Status").select_option(label="Approved")
    with page.expect_navigation():
        page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("comment-text")).to_have_text(REDACTED)
    expect(page.get_by_text("Helen Marsh")).to_have_count(0)
    assert_clean(page, problems)
    sign_out(page)
    problems = BrowserProblems(page)

    # Published: the area team reads the comment on its scorecard, redacted and without attribution
    cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)
    sign_in(page, live_server.url, email=area_team_member.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Your area team's scorecard").click()
    expect(page.locator("h1")).to_contain_text("Cheshire, Warrington and Wirral")
    published = page.get_by_test_id("comments-COMMON-PURPOSE")
    expect(published.get_by_test_id("published-comment")).to_have_text([REDACTED])
    expect(page.get_by_text("Helen Marsh")).to_have_count(0)
    section = page.locator("#comments ~ ul").first
    expect(section).not_to_contain_text("CCG")
    expect(page.get_by_role("link", name="Moderate the comments")).to_have_count(0)
    assert_clean(page, problems)
    save_screenshot(page, "comments-scorecard-desktop")
