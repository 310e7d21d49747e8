"""The results pages in Chromium: the analyst's fieldwork-to-scorecard path, an area team before and after
publication, and a lead reading the national results; axe on every page, screenshots at two widths.

Two tests only: a real browser is slow on this machine and other people's tests share it.
"""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out
from scorecards.models import AreaTeamResponse
from scorecards.tests.factories import BAD_TEAM, GOOD_TEAM, SMALL, recompute_and_publish, seed_cycle
from surveys.models import CycleState, Invitation
from surveys.services import cycle_set_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def assert_clean(page: Page, problems: BrowserProblems) -> None:
    # A request the browser abandoned because the test moved on to the next page (the favicon, fetched
    # lazily) is not a failure; any error status or other failure is.
    assert [e for e in problems.errors() if not e.startswith("net::ERR_ABORTED")] == []
    assert axe_violations(page) == []


# The right edges of the visible table captions that pass the screen's, and how far the page itself scrolls sideways.
OUTSIDE_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const captions = [...document.querySelectorAll("caption")]
    .map(caption => [caption.textContent.trim().slice(0, 40), caption.getBoundingClientRect()])
    .filter(([, box]) => box.width > 1 && box.right > width)
    .map(([text, box]) => `${text}: ${Math.round(box.right)} px`);
  return {captions, pageOverflow: document.documentElement.scrollWidth - width};
}"""


def screenshots(page: Page, name: str) -> None:
    """Save the page at desktop width and at 375 px (a small phone), and check it has no violations there.

    On the phone, wide tables scroll sideways inside their own region while their captions wrap within the
    screen, and the page itself does not scroll sideways.
    """
    save_screenshot(page, f"{name}-desktop")
    page.set_viewport_size(MOBILE)
    save_screenshot(page, f"{name}-375")
    assert page.evaluate(OUTSIDE_THE_SCREEN) == {"captions": [], "pageOverflow": 0}
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)


def test_an_analyst_chases_non_responders_then_reads_the_league_table_and_a_scorecard(
    page, live_server, organisations, analyst
):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    cycle = seed_cycle(2014, SMALL, state=CycleState.OPEN, silent_ccgs=4)

    # The analyst opens the dashboard from the home page and sends reminders
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Response rates and non-responders").click()
    expect(page.locator("h1")).to_have_text("Response rates")
    expect(page.get_by_test_id("reminders-due")).to_contain_text("4 leads will be sent a reminder email now")
    expect(page.get_by_test_id("non-responding")).to_be_visible()
    assert_clean(page, problems)
    with page.expect_navigation():
        page.get_by_role("button", name="Send reminders now").click()
    expect(page.get_by_text("4 reminder emails are being sent to people who have not responded yet.")).to_be_visible()
    assert Invitation.objects.filter(cycle=cycle, reminder_count=1).count() == 4
    assert len(mail.outbox) == 4

    # Fieldwork closes and the figures are built (none are shown while it is open)
    recompute_and_publish(cycle)

    # The league table, before publication: marked as not published, good team first
    page.goto(f"{live_server.url}/results/2014/league-table/")
    expect(page.get_by_test_id("not-published")).to_be_visible()
    table = page.get_by_test_id("league-table")
    expect(table.locator("caption")).to_contain_text("All statements: score (0 to 10) by area team, 2014")
    expect(table.locator("tbody tr").nth(1)).to_have_attribute("data-testid", f"row-{GOOD_TEAM}")
    expect(page.get_by_test_id(f"row-{GOOD_TEAM}")).to_contain_text("Better than England")
    expect(page.get_by_test_id("row-Q45")).to_contain_text("Hidden to protect a smaller group")
    assert_clean(page, problems)
    screenshots(page, "results-league-table")

    # Filter by region, then sort by name
    page.get_by_label("Region").select_option(label="Midlands and East of England")
    with page.expect_navigation():
        page.get_by_test_id("apply-filters").click()
    rows = page.get_by_test_id("league-table").locator("tbody tr")
    codes = [code.removeprefix("row-") for code in rows.evaluate_all("rs => rs.map(r => r.dataset.testid)")]
    assert codes[0] == "ENG"
    assert BAD_TEAM in codes and GOOD_TEAM not in codes
    with page.expect_navigation():
        page.get_by_test_id("sort-name").click()
    expect(page.get_by_test_id("league-table").locator("th[aria-sort='ascending']")).to_contain_text("Area team")
    assert "region=Y55" in page.url and "sort=name" in page.url

    # Count each CCG once: the CCGs and effective bases join the table, the filters and sort stay
    page.get_by_label("Count", exact=True).select_option(label="Each CCG counts once")
    with page.expect_navigation():
        page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("each-ccg-key")).to_be_visible()
    expect(page.get_by_test_id("league-table").locator("thead")).to_contain_text("Effective base")
    assert "weighting=ccg" in page.url and "region=Y55" in page.url and "sort=name" in page.url
    assert_clean(page, problems)

    # Open an area team's scorecard from the table: it counts each CCG once too, until switched back
    with page.expect_navigation():
        page.get_by_test_id(f"row-{BAD_TEAM}").get_by_role(
            "link", name="Arden, Herefordshire and Worcestershire"
        ).click()
    expect(page.locator("h1")).to_contain_text("Arden, Herefordshire and Worcestershire")
    expect(page.get_by_test_id("each-ccg-key")).to_be_visible()
    expect(page.locator("#lead-roles")).to_have_count(0)
    assert_clean(page, problems)
    with page.expect_navigation():
        page.get_by_test_id("weighting-lead").click()
    expect(page.locator("#lead-roles")).to_have_count(1)
    expect(page.get_by_test_id("headline-OVERALL")).to_contain_text("Worse than England")
    assert_clean(page, problems)
    screenshots(page, "results-scorecard")


def test_an_area_team_sees_nothing_before_publication_then_responds_and_a_lead_reads_national_results(
    page, live_server, organisations, area_team_member, lead
):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    cycle = seed_cycle(2014, SMALL, state=CycleState.CLOSED)

    # Before publication: nothing, with a clear page
    sign_in(page, live_server.url, email=area_team_member.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Your area team's scorecard").click()
    expect(page.locator("h1")).to_have_text("No results yet")
    response = page.goto(f"{live_server.url}/results/2014/area-team/{GOOD_TEAM}/")
    assert response.status == 403
    expect(page.get_by_text("Results for 2014 are not published yet.")).to_be_visible()
    assert page.goto(f"{live_server.url}/results/2014/league-table/").status == 403
    problems = BrowserProblems(page)  # the refusals above are logged by the browser as failed loads

    # After publication: their own scorecard, where they publish a response
    cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Your area team's scorecard").click()
    expect(page.locator("h1")).to_contain_text("Cheshire, Warrington and Wirral")
    expect(page.get_by_test_id("not-published")).to_have_count(0)
    page.get_by_label("Write your area team's response").fill(
        "We heard that we reply slowly.\nWe will answer in 5 days."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Publish response").click()
    expect(page.get_by_test_id("area-team-response")).to_contain_text("We will answer in 5 days.")
    assert AreaTeamResponse.objects.get().author == area_team_member
    assert_clean(page, problems)
    screenshots(page, "results-scorecard-published")
    assert page.goto(f"{live_server.url}/results/2014/area-team/{BAD_TEAM}/").status == 403
    sign_out(page)
    problems = BrowserProblems(page)

    # A lead reads the published national results
    sign_in(page, live_server.url, email=lead.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Published results").click()
    with page.expect_navigation():
        page.get_by_role("link", name="England scorecard", exact=True).click()
    expect(page.locator("h1")).to_have_text("England: national results")
    expect(page.get_by_test_id("headlines")).to_be_visible()
    assert_clean(page, problems)
