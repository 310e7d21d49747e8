"""The area team's self-assessment beside its CCG leads in Chromium, after publication: the paired-dot chart,
its table and a blind spot flagged; axe on the page and on the national count, at two widths.

One test only: a real browser is slow on this machine and other people's tests share it.
"""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from core.tests.browser import BrowserProblems, sign_in
from scorecards.tests.factories import Q, import_responses, make_cycle, recompute_and_publish
from scorecards.tests.test_browser import DESKTOP, assert_clean, screenshots
from surveys.models import CycleState
from surveys.services import cycle_set_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q46_CCGS = ("00T", "00V", "00W", "00Y", "01D", "01G")


def test_an_area_team_member_sees_self_beside_the_ccg_leads_with_a_blind_spot_flagged(page, live_server, organisations):
    page.set_viewport_size(DESKTOP)
    member = UserFactory(role="area_team_member", area_team_code="Q46")
    cycle = make_cycle(
        2031,
        CycleState.OPEN,
        [Q("ONE", "NHS England listens.", behaviour="T-B"), Q("TWO", "NHS England explains.", behaviour="T-B")],
    )
    # Q46's self-assessment strongly agrees with both (10.0); its 5 leads give ONE 3 × tend to agree and
    # 2 × neither: (3 × 7.5 + 2 × 5) / 5 = 6.5, 3.5 below self: a blind spot; TWO 4 × tend to agree and
    # 1 × neither: 7.0, 3.0 below: no flag
    import_responses(
        cycle,
        [
            (Q46_CCGS[0], "self", {"ONE": 5, "TWO": 5}),
            *[(Q46_CCGS[i], "clinical", {"ONE": 4, "TWO": 4}) for i in range(3)],
            (Q46_CCGS[3], "financial", {"ONE": 3, "TWO": 4}),
            (Q46_CCGS[4], "financial", {"ONE": 3, "TWO": 3}),
        ],
    )
    recompute_and_publish(cycle)
    cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)

    # The area team member opens their scorecard from the home page
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=member.email, password=TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Your area team's scorecard").click()
    expect(page.locator("h1")).to_contain_text("Greater Manchester")

    # Self beside the CCG leads: the area team's own corporate view, a chart and its table, ONE a blind spot
    section = page.locator("#self-beside-others")
    expect(section).to_have_text("Self beside others")
    expect(page.get_by_test_id("self-description")).to_contain_text("the area team's own corporate view")
    chart = page.get_by_test_id("self-chart")
    expect(chart.locator("svg[role='img']")).to_have_attribute("aria-labelledby", "self-chart-caption")
    expect(chart.locator("svg[role='img'] polygon")).to_have_count(2)  # all statements and the behaviour
    expect(page.get_by_test_id("gap-hints")).to_contain_text("more than 3.3 points higher than its CCG leads")
    page.get_by_text("Behaviour T-B: self beside others for each statement", exact=True).click()
    one = page.get_by_test_id("self-ONE")
    expect(one).to_be_visible()
    expect(one).to_contain_text("10.0")
    expect(one).to_contain_text("6.5")
    expect(one).to_contain_text("Blind spot")
    expect(one).to_have_attribute("data-gap", "blind_spot")
    expect(page.get_by_test_id("self-TWO")).not_to_contain_text("Blind spot")
    assert_clean(page, problems)
    screenshots(page, "results-self-beside-others")

    # The national count, from the link in that section: the behaviour is 10.0 beside the leads' 6.75 (each
    # lead's mean over ONE and TWO, (3 × 7.5 + 6.25 + 5) / 5), 3.25 above, under a third: counted as neither
    with page.expect_navigation():
        page.get_by_role("link", name="Blind spots and hidden strengths across area teams").click()
    expect(page.locator("h1")).to_have_text("Blind spots and hidden strengths")
    expect(page.get_by_test_id("gaps-T-B")).to_contain_text("Behaviour T-B")
    expect(page.get_by_test_id("blind-spots-T-B")).to_have_text("0")
    assert_clean(page, problems)
    screenshots(page, "results-blind-spots")
