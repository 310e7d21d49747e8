"""What the league table and the scorecards show: ranks, intervals, bands, lead roles, bases, wording."""

import re

import pytest

from organisations.models import AreaTeam
from scorecards.models import Level
from scorecards.tests.factories import BAD_TEAM, GOOD_TEAM, SMALL, SUPPRESSED_TEAMS, current_rows, text_of
from scorecards.tests.pages import row_html

# Every test here reads pages through an empty in-process cache whose keys it can list (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


def test_the_league_table_ranks_area_teams_with_intervals_bands_and_england(client, analyst, published_cycle):
    client.force_login(analyst)

    response = client.get("/results/2014/league-table/")

    html = response.text
    assert response.status_code == 200
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    good = row_html(html, f"row-{GOOD_TEAM}")
    assert "Better than England" in good
    assert "<svg" in good and "95% CI" in text_of(good)
    assert "Worse than England" in row_html(html, f"row-{BAD_TEAM}")
    assert "England" in text_of(row_html(html, "row-ENG"))
    order = re.findall(r'data-testid="row-(Q\d\d)"', html)
    assert order[0] == GOOD_TEAM
    assert text_of(re.search(r"<td[^>]*>(.*?)</td>", good, re.S).group(1)) == "1"
    # Area teams without responses, then suppressed ones, come after every team with a figure, unranked.
    figured = [c for c in order if "app-interval" in row_html(html, f"row-{c}")]
    assert set(figured) == set(SMALL) - set(SUPPRESSED_TEAMS)
    assert order[: len(figured)] == figured
    for code in [c for c in order if c not in figured]:
        assert "Not ranked" in row_html(html, f"row-{code}")
    # A rank is a plain position (never a tie's "3="), and only where the intervals support it.
    ranks = [text_of(re.search(r"<td[^>]*>(.*?)</td>", row_html(html, f"row-{c}"), re.S).group(1)) for c in figured]
    assert all(r.isdigit() or r.startswith("Not ranked") for r in ranks)
    assert 'data-testid="funnel-plot"' in html


def test_the_league_table_filters_by_region_and_sorts(client, analyst, published_cycle):
    client.force_login(analyst)

    by_region = client.get("/results/2014/league-table/?region=Y55").text
    by_name = client.get("/results/2014/league-table/?sort=name&order=asc").text
    worst_first = client.get("/results/2014/league-table/?sort=value&order=asc").text

    in_y55 = set(AreaTeam.objects.filter(region__ods_code="Y55").values_list("ods_code", flat=True))
    assert set(re.findall(r'data-testid="row-(Q\d\d)"', by_region)) == in_y55
    names = [text_of(m) for m in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', by_name, re.S)][1:]  # England first
    ranked_names = names[: len(SMALL) - len(SUPPRESSED_TEAMS)]
    assert ranked_names == sorted(ranked_names)
    ranked = [c for c in re.findall(r'data-testid="row-(Q\d\d)"', worst_first) if c in SMALL]
    assert ranked[0] == BAD_TEAM  # worse than England: its band comes first, worst first
    assert set(ranked[-2:]) == set(SUPPRESSED_TEAMS)  # unranked rows stay last whatever the order


def test_league_table_api_has_the_pages_figures(client, lead, published_cycle):
    client.force_login(lead)

    body = client.get("/api/v1/cycles/2014/league-table/?measure=behaviour:HONESTY&metric=pct_positive").json()

    assert body["measure"] == "behaviour:HONESTY" and body["metric"] == "pct_positive"
    good = next(r for r in body["rows"] if r["org_code"] == GOOD_TEAM)
    assert body["rows"][0] == good and good["band"] == "better"
    # Ranked first only where its interval is clear of the next team's.
    assert good["rank"] == ("1" if good["low"] > body["rows"][1]["high"] else "")
    assert good["low"] <= good["value"] <= good["high"]
    assert body["england"]["org_code"] == "ENG"
    assert client.get("/api/v1/cycles/2014/league-table/?measure=nonsense").status_code == 400
    assert client.get("/api/v1/cycles/2014/league-table/?region=Y55").json()["region"] == "Y55"


def test_a_scorecard_shows_headlines_distributions_lead_roles_and_bases(client, analyst, published_cycle):
    client.force_login(analyst)

    response = client.get(f"/results/2014/area-team/{GOOD_TEAM}/")

    html = response.text
    assert response.status_code == 200
    overall = row_html(html, "headline-OVERALL")
    row = next(
        r for r in current_rows(published_cycle) if (r.org_code, r.kind, r.rater_group) == (GOOD_TEAM, "overall", "")
    )
    assert f"{row.score:.1f}" in overall and f">{row.base}<" in overall
    assert "Better than England" in overall
    question = current_rows(published_cycle).get(
        level=Level.AREA_TEAM, org_code=GOOD_TEAM, kind="question", code="CP-SHARED-GOALS", rater_group=""
    )
    cells = text_of(row_html(html, "question-CP-SHARED-GOALS"))
    expected = (
        f"{question.n5} {question.n4} {question.n3} {question.n2} {question.n1} {question.dont_know} {question.base}"
    )
    assert expected in cells
    assert '<rect class="app-seg' in row_html(html, "question-CP-SHARED-GOALS")
    assert "Hidden to protect a smaller group" in html  # the lead-role split of 12 leads is 4/4/4: below 5
    assert "is the first year with results" in html


def test_a_negatively_worded_statement_says_how_to_read_it_on_the_league_table_and_in_the_api(
    client, analyst, published_cycle
):
    client.force_login(analyst)

    page = client.get("/results/2014/league-table/?measure=question:HT-SURPRISES").text
    api = client.get("/api/v1/cycles/2014/league-table/?measure=question:HT-SURPRISES").json()
    positive = client.get("/api/v1/cycles/2014/league-table/").json()

    assert "more disagreement" in text_of(re.search(r'data-testid="reversed-hint".*?</div>', page, re.S).group(0))
    assert api["positively_worded"] is False and "more disagreement" in api["how_to_read"]
    assert positive["positively_worded"] is True and positive["how_to_read"] is None


def test_a_scorecard_opens_with_its_summary_and_englands_adds_a_heat_map_readable_without_colour(
    client, analyst, published_cycle
):
    client.force_login(analyst)

    england = client.get("/results/2014/england/").text
    good = client.get(f"/results/2014/area-team/{GOOD_TEAM}/").text

    # The summary comes before the headlines table: one chart, three strongest and three weakest statements.
    assert england.index('id="summary"') < england.index('id="headlines"')
    for html in (england, good):
        assert 'data-testid="headline-chart"' in html
        for which in ("strongest", "weakest"):
            items = re.findall(r"<li>", re.search(rf'data-testid="{which}".*?</ol>', html, re.S).group(0))
            assert len(items) == 3
    # Against England, a significant difference is marked in words.
    assert "Better than England" in re.search(r'data-testid="strongest".*?</ol>', good, re.S).group(0)
    # The heat map: one row per area team, each figure with its band as a symbol and in words, not colour alone.
    heat = re.search(r'data-testid="heat-map".*?</table>', england, re.S).group(0)
    good_row = re.search(rf'data-testid="heat-{GOOD_TEAM}".*?</tr>', heat, re.S).group(0)
    assert "▲" in good_row and "better than england" in text_of(good_row).lower()
    assert 'data-testid="heat-map"' not in good
