"""The "each CCG counts once" switch (issue 14, item 5): the league table, the scorecard and the API beside
the default "each lead counts once", with the CCGs and the effective base shown."""

import re

import pytest

from scorecards.models import EACH_CCG, Level
from scorecards.tests.factories import Q, cell, import_responses, make_cycle, recompute_and_publish, text_of
from scorecards.tests.pages import row_html
from surveys.models import Cycle, CycleState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]

# Greater Manchester (Q46): two CCGs of three leads who all strongly agree (score 10), five CCGs of one lead
# who strongly disagrees (score 0). Each lead once: 60 / 11 = 5.45; each CCG once: (10 + 10) / 7 = 2.86.
# Σ 1/m = 2/3 + 5, so the effective base is 7² / (17/3) = 8.6.
THREE_LEADS = ("00T", "00V")
ONE_LEAD = ("00W", "00Y", "01D", "01G", "01M")


@pytest.fixture
def cycle(organisations):
    cycle = make_cycle(2031, CycleState.OPEN, [Q("ONE", "NHS England listens.", behaviour="T-B")])
    rows = [(ccg, role, {"ONE": 5}) for ccg in THREE_LEADS for role in ("clinical", "managerial", "financial")]
    rows += [(ccg, "clinical", {"ONE": 1}) for ccg in ONE_LEAD]
    import_responses(cycle, rows)
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    return cycle


def test_the_published_figures_of_both_views(cycle):
    leads = cell(cycle, Level.AREA_TEAM, "Q46", "question", "ONE")
    weighted = cell(cycle, Level.AREA_TEAM, "Q46", "question", "ONE", EACH_CCG)
    assert leads.score == pytest.approx(60 / 11)
    assert (weighted.base, weighted.ccgs) == (11, 7)
    assert weighted.score == pytest.approx(20 / 7)
    assert weighted.effective_base == pytest.approx(49 / (17 / 3))


def test_the_league_table_switches_to_each_ccg_counting_once(client, analyst, cycle):
    client.force_login(analyst)

    default = client.get("/results/2031/league-table/?measure=question:ONE").text
    weighted = client.get("/results/2031/league-table/?measure=question:ONE&weighting=ccg").text

    # Each lead counting once: 5.5 and no CCG columns; each CCG counting once: 2.9, 7 CCGs, effective base 8.6
    assert "5.5" in text_of(row_html(default, "row-Q46"))
    assert "Effective base" not in default
    row = text_of(row_html(weighted, "row-Q46"))
    assert "2.9" in row and " 7 " in f" {row} " and "8.6" in row
    assert 'data-testid="each-ccg-key"' in weighted and "Effective base" in weighted
    assert re.search(r'<option value="ccg" selected>Each CCG counts once</option>', weighted)
    # The sort links keep the switch
    assert "weighting=ccg" in re.search(r'href="([^"]*)" data-testid="sort-name"', weighted).group(1)
    # And a made-up switch falls back to the default, as the other filters do
    assert "Effective base" not in client.get("/results/2031/league-table/?weighting=nonsense").text


def test_the_scorecard_switches_and_says_how_many_ccgs_and_the_effective_base(client, analyst, cycle):
    client.force_login(analyst)

    default = client.get("/results/2031/area-team/Q46/").text
    weighted = client.get("/results/2031/area-team/Q46/?weighting=ccg").text

    assert 'data-testid="weighting-ccg"' in default and 'id="lead-roles"' in default
    assert "effective base" not in text_of(row_html(default, "question-ONE"))
    assert 'aria-current="page">Each CCG counts once' in weighted
    assert 'id="lead-roles"' not in weighted  # lead roles split the leads, not the CCGs
    question = text_of(row_html(weighted, "question-ONE"))
    assert "(7 CCGs, effective base 8.6)" in question
    assert "2.9" in question


def test_the_api_gives_both_views(client, analyst, cycle):
    client.force_login(analyst)

    league = client.get("/api/v1/cycles/2031/league-table/?measure=question:ONE&weighting=ccg").json()
    scorecard = client.get(
        "/api/v1/cycles/2031/scorecards/", {"level": "area_team", "code": "Q46", "rater_group": ["", EACH_CCG]}
    ).json()

    assert league["weighting"] == "ccg"
    q46 = next(row for row in league["rows"] if row["org_code"] == "Q46")
    assert (q46["ccgs"], round(q46["effective_base"], 1), round(q46["value"], 2)) == (7, 8.6, 2.86)
    items = {(item["code"], item["rater_group"]): item for item in scorecard["items"]}
    assert items[("ONE", EACH_CCG)]["ccgs"] == 7
    assert items[("ONE", "")]["ccgs"] is None  # only the weighted view has CCGs and an effective base
    bad = client.get("/api/v1/cycles/2031/league-table/?weighting=nonsense")
    assert bad.status_code == 400 and "each CCG counts once" in bad.text


def test_a_hidden_weighted_figure_carries_no_numbers_in_the_api(client, analyst, organisations):
    # Given Q44 with one CCG of three leads beside four of one: the leads' figure shows, the weighted one not
    cycle = make_cycle(2032, CycleState.OPEN, [Q("ONE", "NHS England listens.", behaviour="T-B")])
    rows = [("01C", role, {"ONE": 4}) for role in ("clinical", "managerial", "financial")]
    rows += [(ccg, "clinical", {"ONE": 2}) for ccg in ("01R", "02D", "02E", "02F")]
    import_responses(cycle, rows)
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    client.force_login(analyst)

    body = client.get(
        "/api/v1/cycles/2032/scorecards/", {"level": "area_team", "code": "Q44", "rater_group": [EACH_CCG]}
    ).json()

    (item,) = [i for i in body["items"] if i["code"] == "ONE"]
    assert item["suppressed"] is True and item["suppression_reason"] == "hidden"
    assert not {"base", "score", "ccgs", "effective_base"} & set(item)
