"""The results' charts in Chromium: the league table with its funnel plot, England's scorecard with its heat map
and an area team's scorecard, at 1280 px and 375 px; axe on each, no table scrolling by a few stray pixels and no
page wider than the screen.

One test only: a real browser is slow on this machine and other people's tests share it.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in
from scorecards.tests.factories import GOOD_TEAM, SMALL, seed_cycle
from surveys.models import CycleState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# How far each table runs past its scroll box (the NHS.UK scroll shadow sits over what runs past), and how far the
# page itself scrolls sideways.
OVERFLOW = """() => ({
  tables: [...document.querySelectorAll(".nhsuk-scroll__content")]
    .map(box => box.scrollWidth - box.clientWidth).filter(px => px > 0),
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  wide: [...document.querySelectorAll("main *")]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(el => !el.closest(".nhsuk-scroll__content"))
    .slice(0, 3).map(el => `${el.tagName}.${el.className.baseVal ?? el.className}`),
})"""


def look(page: Page, name: str) -> None:
    """Save the page at both widths with axe clean at each; at desktop width no table overflows its box."""
    page.set_viewport_size(DESKTOP)
    save_screenshot(page, f"{name}-desktop")
    desktop = page.evaluate(OVERFLOW)
    desktop_axe = axe_violations(page)
    page.set_viewport_size(MOBILE)
    save_screenshot(page, f"{name}-375")
    phone = page.evaluate(OVERFLOW)
    phone_axe = axe_violations(page)
    page.set_viewport_size(DESKTOP)
    # A table that fits its box does not scroll at all (NHS.UK's 2 px overflow is gone); only a table wider than
    # the column (the heat map's dozen columns) scrolls, and then by far more than a few pixels.
    assert [px for px in desktop["tables"] if px <= 8] == []
    assert desktop["page"] == 0 and desktop["wide"] == []
    assert phone["page"] == 0 and phone["wide"] == []
    assert desktop_axe == [] and phone_axe == []


def test_an_analyst_reads_the_funnel_plot_the_heat_map_and_an_area_teams_summary(page, live_server, analyst):
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    seed_cycle(2014, SMALL, state=CycleState.PUBLISHED)
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)

    page.goto(f"{live_server.url}/results/2014/league-table/")
    expect(page.get_by_test_id("funnel-plot")).to_be_visible()
    look(page, "charts-league-table")

    page.goto(f"{live_server.url}/results/2014/england/")
    look(page, "charts-england")

    page.goto(f"{live_server.url}/results/2014/area-team/{GOOD_TEAM}/")
    look(page, "charts-area-team")

    page.goto(f"{live_server.url}/results/2014/area-team/Q45/")
    look(page, "charts-area-team-hidden")
    assert [e for e in problems.errors() if not e.startswith("net::ERR_ABORTED")] == []
