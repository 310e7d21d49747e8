"""The results pages for rater groups (issue 14): partners beside the CCG leads, one line for a group with too
few raters, the area team's self-assessment beside its leads with blind spots and hidden strengths, and the
national count of them. Figures worked out by hand in each test."""

import re

import pytest

from organisations.models import AreaTeam
from scorecards import presentation
from scorecards.models import ItemKind, Level
from scorecards.tests.factories import Q, cell, import_responses, make_cycle, recompute_and_publish, text_of
from scorecards.tests.pages import row_html
from surveys.models import CycleState

# Every test here reads pages through an empty in-process cache whose keys it can list (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]

# Q46 (Y54, North of England) and its CCGs; Q44 is another area team of Y54.
Q46_CCGS = ("00T", "00V", "00W", "00Y", "01D", "01G")
Q44_CCGS = ("01C", "01R", "02D", "02E", "02F")
SA, TA, N, TD = 5, 4, 3, 2  # strongly agree (10), tend to agree (7.5), neither (5), tend to disagree (2.5)
PAGE = "/results/2031/area-team/{code}/"
NATIONAL = "/results/2031/blind-spots/"


@pytest.fixture
def cycle(organisations):
    return make_cycle(
        2031,
        CycleState.OPEN,
        [
            Q("ONE", "NHS England listens.", behaviour="T-B"),
            Q("TWO", "NHS England explains.", behaviour="T-B"),
            Q("THREE", "NHS England plans with us.", role="R-C"),
        ],
    )


def _twenty_leads() -> list[tuple]:
    """Q46's 20 leads (each of the three roles) answering ONE, TWO and THREE.

    ONE: 13 × tend to agree, 7 × neither: (13 × 7.5 + 7 × 5) / 20 = 6.625.
    TWO: 14 × tend to agree, 6 × neither: (14 × 7.5 + 6 × 5) / 20 = 6.75.
    THREE: 8 × tend to agree, 12 × neither: (8 × 7.5 + 12 × 5) / 20 = 6.0.
    """
    roles = ("clinical", "managerial", "financial")
    rows = []
    for i in range(20):
        answers = {"ONE": TA if i < 13 else N, "TWO": TA if i < 14 else N, "THREE": TA if i < 8 else N}
        rows.append((Q46_CCGS[i % 6], roles[i % 3], answers))
    return rows


SELF_ANSWERS = {"ONE": SA, "TWO": SA, "THREE": TD}  # 10, 10, 2.5


@pytest.fixture
def self_and_leads(cycle):
    import_responses(cycle, [*_twenty_leads(), (Q46_CCGS[0], "self", SELF_ANSWERS)])
    recompute_and_publish(cycle)
    cycle.state = CycleState.PUBLISHED
    cycle.save(update_fields=["state"])
    return cycle


def test_self_beside_the_ccg_leads_flags_a_blind_spot_just_over_a_third_of_the_scale_and_not_just_under(
    client, analyst, self_and_leads
):
    client.force_login(analyst)

    html = client.get(PAGE.format(code="Q46")).text

    # ONE: self 10, leads 6.625: 3.375 above, just over 10/3 (3.333…): a blind spot
    one = text_of(row_html(html, "self-ONE"))
    assert "10.0" in one and "6.6" in one and "+3.4" in one and "Blind spot" in one
    assert 'data-gap="blind_spot"' in row_html(html, "self-ONE")
    # TWO: self 10, leads 6.75: 3.25 above, just under: no flag
    two = row_html(html, "self-TWO")
    assert "data-gap" not in two and "+3.2" in text_of(two) and "6.8" in text_of(two)
    # The behaviour: each lead's mean over ONE and TWO, then over leads: (13 × 7.5 + 6.25 + 6 × 5) / 20 =
    # 6.6875; self 10: 3.3125 above, just under: no flag
    assert cell(self_and_leads, Level.AREA_TEAM, "Q46", ItemKind.BEHAVIOUR, "T-B").score == pytest.approx(6.6875)
    behaviour = row_html(html, "self-T-B")
    assert "data-gap" not in behaviour and "6.7" in text_of(behaviour) and "+3.3" in text_of(behaviour)
    # The role (THREE only): self 2.5, leads 6.0: 3.5 below: a hidden strength
    role = row_html(html, "self-R-C")
    assert 'data-gap="hidden_strength"' in role and "Hidden strength" in text_of(role) and "−3.5" in text_of(role)
    # The count (ONE; THREE and its role R-C), the hints, and self named as the area team's own corporate view
    section = text_of(html)
    assert "1 blind spot and 2 hidden strengths" in section
    for hint in presentation.GAP_HINTS.values():
        assert hint in section
    assert "own corporate view" in section
    # The chart: paired marks on the 0–10 scale, a diamond for self, labelled with the flag
    chart = re.search(r'<figure class="app-chart" data-testid="self-chart">.*?</figure>', html, re.S).group(0)
    assert chart.count("<polygon") == 1 + 3  # the legend's diamond and one per measure (overall, behaviour, role)
    assert "Behaviour T-B" in chart and "Role R-C: Hidden strength" in chart


def test_an_area_team_without_a_self_assessment_says_so_in_one_note(client, analyst, cycle):
    import_responses(cycle, [*_twenty_leads(), (Q44_CCGS[0], "self", SELF_ANSWERS)])
    recompute_and_publish(cycle)
    client.force_login(analyst)

    html = client.get(PAGE.format(code="Q46")).text

    assert "Q46" and 'data-testid="no-self-assessment"' in html
    assert "did not give a self-assessment in 2031" in text_of(html)
    assert 'data-testid="self-chart"' not in html


def test_a_partner_group_with_too_few_raters_is_one_line_and_hidden_cells_are_never_zero(client, analyst, cycle):
    # Given Q46's 20 leads, 6 patients' representatives (all strongly agree) and 2 GP member practices
    import_responses(
        cycle,
        [
            *_twenty_leads(),
            *[(Q46_CCGS[i], "patients", {"ONE": SA, "TWO": SA, "THREE": SA}) for i in range(6)],
            *[(Q46_CCGS[i], "practice", {"ONE": N, "TWO": N, "THREE": N}) for i in range(2)],
        ],
    )
    recompute_and_publish(cycle)
    client.force_login(analyst)

    html = client.get(PAGE.format(code="Q46")).text

    # Then the practices (2) are one line, not a column of hidden cells; so are the patients' representatives,
    # hidden so that the practices cannot be worked out from all partners (the page never says which was which)
    text = text_of(html)
    for phrase, view in (("GP member practices", "practice"), ("patients' representatives", "patients")):
        assert text.count(f"Not enough responses from {phrase} to show their figures") == 1
        assert f'data-testid="view-{view}"' not in html
        assert cell(cycle, Level.AREA_TEAM, "Q46", ItemKind.OVERALL, "OVERALL", view).suppressed
    # And a group nobody in it answered says so
    assert "No responses from local government this year" in text
    # And all partners and everyone but self stand beside the CCG leads: all partners (6 × 10 + 2 × 5) / 8 = 8.75;
    # everyone but self: the leads' 20 means add to 129.17 (8 × 7.5, 5 × 6.67, 5.83, 6 × 5), with the partners'
    # 70 that is 199.17 / 28 = 7.11
    table = re.search(r'<table class="nhsuk-table" data-testid="rater-groups">.*?</table>', html, re.S).group(0)
    overall = text_of(row_html(table, "rater-groups-OVERALL"))
    assert overall == "All statements 6.5 (base 20) 7.1 (base 28) 8.8 (base 8)"
    # And no hidden cell anywhere in the rater groups' tables reads as a zero
    section = re.search(r'id="rater-groups".*?id="self-beside-others"', html, re.S).group(0)
    for c in re.findall(r"<td[^>]*>(.*?)</td>", section, re.S):
        assert text_of(c) not in ("0", "0.0", "0%") and "(base 0)" not in text_of(c)


@pytest.fixture
def two_area_teams(cycle):
    """Q46 as above (no flag on all statements or the behaviour, a hidden strength on the role) and Q44: 5 leads
    who neither agree nor disagree with anything (5.0) and a self-assessment that strongly agrees (10.0), 5.0
    above on every measure: a blind spot on each."""
    import_responses(
        cycle,
        [
            *_twenty_leads(),
            (Q46_CCGS[0], "self", SELF_ANSWERS),
            *[(ccg, "clinical", {"ONE": N, "TWO": N, "THREE": N}) for ccg in Q44_CCGS],
            (Q44_CCGS[0], "self", {"ONE": SA, "TWO": SA, "THREE": SA}),
        ],
    )
    recompute_and_publish(cycle)
    cycle.state = CycleState.PUBLISHED
    cycle.save(update_fields=["state"])
    return cycle


def _gap_cell(html: str, testid: str) -> str:
    return text_of(re.search(rf'<td[^>]*data-testid="{testid}"[^>]*>(.*?)</td>', html, re.S).group(1))


def test_the_national_page_counts_blind_spots_and_hidden_strengths_by_behaviour_and_role(
    client, analyst, two_area_teams, django_assert_max_num_queries
):
    client.force_login(analyst)

    with django_assert_max_num_queries(8):
        response = client.get(NATIONAL)

    html = response.text
    assert response.status_code == 200
    assert "2 of " in text_of(re.search(r'data-testid="self-coverage">(.*?)</p>', html, re.S).group(1))
    # All statements: Q44 5.0 above (blind spot); Q46 7.5 beside 6.46 (neither)
    assert _gap_cell(html, "blind-spots-OVERALL") == f"1 {_team_name('Q44')}"
    assert _gap_cell(html, "hidden-strengths-OVERALL") == "0"
    # The behaviour: Q44 a blind spot; Q46 3.31 above, just under: neither
    row = text_of(row_html(html, "gaps-T-B"))
    assert row == f"Behaviour T-B 1 {_team_name('Q44')} 0 1 2"
    # The role: Q44 a blind spot, Q46 3.5 below: a hidden strength; each links to its scorecard
    assert _gap_cell(html, "hidden-strengths-R-C") == f"1 {_team_name('Q46')}"
    assert 'href="/results/2031/area-team/Q46/#self-beside-others"' in html
    assert 'href="/results/2031/area-team/Q44/#self-beside-others"' in html
    # And the results page lists it
    assert 'href="/results/2031/blind-spots/"' in client.get("/results/").text


def test_an_area_team_member_reads_the_national_counts_but_only_their_own_area_team_by_name(
    client, area_team_member, two_area_teams
):
    client.force_login(area_team_member)  # of Q44

    html = client.get(NATIONAL).text

    # Q46's hidden strength on the role is counted, not named; their own blind spot is named and linked
    assert _gap_cell(html, "hidden-strengths-R-C") == "1"
    assert _gap_cell(html, "blind-spots-R-C") == f"1 {_team_name('Q44')}"
    assert "/area-team/Q46/" not in html and _team_name("Q46") not in html
    assert "Other area teams are counted but not named" in text_of(html)


def test_the_area_team_scorecard_with_rater_groups_and_self_reads_in_a_bounded_number_of_queries(
    client, analyst, two_area_teams, django_assert_max_num_queries
):
    client.force_login(analyst)

    with django_assert_max_num_queries(14):
        response = client.get(PAGE.format(code="Q46"))

    assert response.status_code == 200 and 'data-testid="self-chart"' in response.text


def _team_name(code: str) -> str:
    return AreaTeam.objects.get(ods_code=code).name
