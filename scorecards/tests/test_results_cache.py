"""The results pages' cache and queries: no hidden figure in any page, API answer or cache entry; a fixed
number of queries; one entry per scorecard set and scope; this request's nonce and messages on a cached page.
"""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import AreaTeam
from scorecards.models import Level
from scorecards.tests.factories import SMALL, SUPPRESSED_TEAMS, current_rows, recompute_and_publish, seed_cycle, text_of
from scorecards.tests.pages import cached_pages, main_of, row_html
from surveys.models import CycleState
from surveys.services import cycle_set_state

# Every test here reads pages through an empty in-process cache whose keys it can list (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


def _digits_outside_names(row: str) -> list[str]:
    return re.findall(r"\d", text_of(row))


def test_no_page_api_or_cache_entry_shows_a_number_for_a_suppressed_cell(client, analyst, published_cycle):
    suppressed = list(current_rows(published_cycle).filter(suppressed=True, level=Level.AREA_TEAM, rater_group=""))
    assert {row.org_code for row in suppressed} >= set(SUPPRESSED_TEAMS)
    client.force_login(analyst)

    league = client.get("/results/2014/league-table/").text
    for code in SUPPRESSED_TEAMS:
        row = row_html(league, f"row-{code}")
        assert "Hidden to protect a smaller group" in row
        assert _digits_outside_names(row) == []
        assert "<svg" not in row
    for query in ("?metric=pct_positive", "?measure=behaviour:HONESTY&sort=base", "?region=Y54&order=asc"):
        assert client.get(f"/results/2014/league-table/{query}").status_code == 200
    client.get("/results/2014/area-team/Q45/")
    league_pages, scorecard_pages = cached_pages("league"), cached_pages("scorecard")
    assert len(league_pages) == 4 and len(scorecard_pages) == 1
    for cached in league_pages.values():  # the entries themselves, as every later viewer gets them
        for code in SUPPRESSED_TEAMS:
            assert _digits_outside_names(row_html(cached, f"row-{code}")) == []
    cached = next(iter(scorecard_pages.values()))
    scorecard = client.get("/results/2014/area-team/Q45/").text
    for html in (cached, scorecard):
        # One message, saying what would be needed to see results, instead of a hidden row per figure.
        message = re.search(r'<div[^>]*data-testid="all-hidden".*?</div>', html, re.S).group(0)
        assert "Hidden to protect a smaller group".lower() in text_of(message).lower()
        assert "at least 5 leads" in text_of(message)
        assert re.findall(r'<tr[^>]*data-suppressed="true"', html) == []
        assert 'id="statements"' not in html and "<rect" not in html and "app-interval" not in html
    api = client.get("/api/v1/cycles/2014/league-table/").json()
    for row in api["rows"]:
        if row["org_code"] in SUPPRESSED_TEAMS:
            assert row == {
                "org_code": row["org_code"],
                "org_name": row["org_name"],
                "region_code": "Y54",
                "suppressed": True,
                "rank": "",
            }


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql))


def test_league_table_and_scorecards_make_a_fixed_number_of_queries(client, analyst, no_cycles, organisations):
    """The same queries for 48 responses as for 297 across all 27 area teams; cached, the league table reads
    only the session (unless the cache holds it), the user and the cycle with its current set."""
    teams = list(AreaTeam.objects.order_by("ods_code").values_list("ods_code", flat=True))
    seed_cycle(2014, SMALL, state=CycleState.PUBLISHED)
    seed_cycle(2015, {at: 11 for at in teams}, state=CycleState.PUBLISHED, seed=2)
    client.force_login(analyst)
    client.get("/")  # the session and user are loaded once either way

    counts = {}
    for year in (2014, 2015):
        pages = {
            "league": f"/results/{year}/league-table/?measure=behaviour:HONESTY",
            "area team": f"/results/{year}/area-team/Q44/",
            "region": f"/results/{year}/region/Y54/",
        }
        counts[year] = {}
        for name, path in pages.items():
            uncached, cached = _queries(client, path), _queries(client, path)
            counts[year][name] = (len(uncached), len(cached))
        cached_league = _queries(client, pages["league"])
        assert len(cached_league) <= 3
        assert set().union(*map(_tables, cached_league)) <= {
            "django_session",
            "accounts_user",
            "surveys_cycle",
            "reports_scorecardstate",
            "reports_scorecardset",
        }
        counts[year]["fieldwork"] = len(_queries(client, f"/results/{year}/fieldwork/"))

    assert counts[2014] == counts[2015]
    assert counts[2015]["league"][0] <= 8
    assert counts[2015]["area team"][1] <= 8 and counts[2015]["region"][1] <= 8
    # The fieldwork workspace (surveys.fieldwork): rates, the chase card, the chart, the filters' choices,
    # the status counts and one page of invitations, each a fixed number of queries whatever the data.
    assert counts[2015]["fieldwork"] <= 16


def test_a_new_scorecard_set_is_a_new_cache_entry(client, analyst, published_cycle, settings):
    client.force_login(analyst)
    before = client.get("/results/2014/league-table/").text
    assert "Hidden to protect a smaller group" in row_html(before, "row-Q45")
    keys = set(cached_pages("league"))

    settings.SUPPRESSION_MIN_BASE = 3  # Q45's 3 responses are enough now
    recompute_and_publish(published_cycle)
    after = client.get("/results/2014/league-table/").text

    assert "Hidden to protect a smaller group" not in row_html(after, "row-Q45")
    assert _digits_outside_names(row_html(after, "row-Q45"))
    assert len(set(cached_pages("league")) - keys) == 1


LEAGUE = "/results/2014/league-table/"


def test_a_cached_page_is_never_shown_to_a_viewer_of_another_scope(
    client, analyst, lead, area_team_member, no_cycles, organisations
):
    cycle = seed_cycle(2014, SMALL, state=CycleState.CLOSED)
    scorecard_set = current_rows(cycle).first().scorecard_set_id
    client.force_login(analyst)
    unpublished = client.get(LEAGUE).text
    assert 'data-testid="not-published"' in unpublished
    client.force_login(area_team_member)
    assert client.get(LEAGUE).status_code == 403

    cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)  # the same scorecard set, published
    assert current_rows(cycle).first().scorecard_set_id == scorecard_set
    pages = {}
    for user in (area_team_member, analyst, lead):
        client.force_login(user)
        pages[user] = client.get(LEAGUE).text

    links = {user: set(re.findall(r'href="/results/2014/area-team/(Q\d\d)/"', html)) for user, html in pages.items()}
    assert links[area_team_member] == {"Q44"}
    assert links[analyst] == links[lead] == set(AreaTeam.objects.values_list("ods_code", flat=True))
    assert all('data-testid="not-published"' not in html for html in pages.values())
    for user, html in pages.items():  # each page's header is its own viewer's
        assert [other.email in html for other in pages] == [other == user for other in pages]
    for cached in cached_pages("league").values():
        assert "csrfmiddlewaretoken" not in cached and "@" not in cached


def _nonces(response) -> tuple[str, set[str]]:
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return header, set(re.findall(r'<script nonce="([^"]*)"', response.text))


def test_a_cached_league_page_has_this_requests_nonce_and_a_sign_out_that_works(analyst, published_cycle):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    first, second = client.get(LEAGUE), client.get(LEAGUE)

    content = "scorecards/_league_table_page.html"
    assert content in {t.name for t in first.templates}
    assert content not in {t.name for t in second.templates}  # the content came from the cache
    assert "scorecards/league_table.html" in {t.name for t in second.templates}  # the layout is rendered
    assert main_of(first.text) == main_of(second.text)
    (nonce_1, in_page_1), (nonce_2, in_page_2) = _nonces(first), _nonces(second)
    assert in_page_1 == {nonce_1} and in_page_2 == {nonce_2} and nonce_1 != nonce_2
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text).group(1)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(LEAGUE).status_code == 302  # signed out: to the sign-in page


def test_a_message_waiting_is_shown_once_on_a_cached_league_page(client, analyst, published_cycle):
    client.force_login(analyst)
    client.get(LEAGUE), client.get(LEAGUE)  # cached
    storage = CookieStorage(HttpRequest())
    storage.add(messages.INFO, "Reminders are on their way.")
    carrier = HttpResponse()
    storage.update(carrier)  # the cookie the messages framework sets on a redirect
    client.cookies["messages"] = carrier.cookies["messages"].value

    assert "Reminders are on their way." in client.get(LEAGUE).text
    assert "Reminders are on their way." not in client.get(LEAGUE).text


def test_filters_that_are_not_valid_show_the_default_page_and_store_nothing_new(client, analyst, published_cycle):
    client.force_login(analyst)
    default = client.get(LEAGUE).text
    keys = set(cached_pages("league"))

    for query in ("?measure=nonsense", "?region=ZZZ&sort=x", "?order=desc:nhscc", "?measure=overall%3AOVERALL%3Ascore"):
        assert main_of(client.get(LEAGUE + query).text) == main_of(default)

    assert set(cached_pages("league")) == keys
