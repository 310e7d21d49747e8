"""The results pages: who sees what before and after publication, suppression, speed, reminders, responses."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import AreaTeam
from scorecards.models import AreaTeamResponse, Level
from scorecards.services import area_team_response_save
from scorecards.tests.factories import (
    BAD_TEAM,
    GOOD_TEAM,
    SMALL,
    SUPPRESSED_TEAMS,
    current_rows,
    recompute_and_publish,
    seed_cycle,
    text_of,
)
from surveys.models import Cycle, CycleState, Invitation
from surveys.services import cycle_set_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Use an empty in-process cache whose keys these tests can list (Redis's client cannot be iterated)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "KEY_FUNCTION": "scorecards.tests.test_pages.recording_key",
        }
    }
    cache.clear()  # the module's scorecard set is the same in every test, and so are its keys
    _KEYS_SEEN.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def published_cycle_id(module_db):
    """The published 2014 cycle most tests here read, built once for the module."""
    return seed_cycle(2014, SMALL, state=CycleState.PUBLISHED).pk


@pytest.fixture
def open_cycle(no_cycles, organisations):
    return seed_cycle(2014, SMALL, state=CycleState.OPEN, silent_ccgs=4)


@pytest.fixture
def published_cycle(published_cycle_id, db):
    return Cycle.objects.get(pk=published_cycle_id)


def row_html(html: str, testid: str) -> str:
    match = re.search(rf'<tr[^>]*data-testid="{re.escape(testid)}".*?</tr>', html, re.S)
    assert match, f"no row {testid}"
    return match.group(0)


def main_of(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


# Every key the cache was asked about (the cache's KEY_FUNCTION, a documented setting, records them).
_KEYS_SEEN: set[str] = set()


def recording_key(key: str, key_prefix: str, version: int) -> str:
    _KEYS_SEEN.add(key)
    return f"{key_prefix}:{version}:{key}"


def cached_pages(kind: str) -> dict[str, str]:
    """Return the HTML the cache really holds for one kind of page ("league", "scorecard"), by key."""
    pages = {}
    for key in list(_KEYS_SEEN):
        if key.startswith("reports:") and key.split(":")[2] == kind:  # sessions may be cached here too
            html = cache.get(key)
            if html is not None:
                pages[key] = html
    return pages


PAGES = {
    "league": "/results/{year}/league-table/",
    "england": "/results/{year}/england/",
    "own region": "/results/{year}/region/Y54/",
    "other region": "/results/{year}/region/Y55/",
    "own area team": "/results/{year}/area-team/Q44/",
    "other area team": "/results/{year}/area-team/Q53/",
    "fieldwork": "/results/{year}/fieldwork/",
    "api league": "/api/v1/cycles/{year}/league-table/",
}
# page                 ccg_lead  analyst  admin  area_team_member
DURING_FIELDWORK = {
    "league": (403, 403, 403, 403),
    "england": (403, 403, 403, 403),
    "own region": (403, 403, 403, 403),
    "other region": (403, 403, 403, 403),
    "own area team": (403, 403, 403, 403),
    "other area team": (403, 403, 403, 403),
    "fieldwork": (403, 200, 200, 403),
    "api league": (403, 403, 403, 403),
}
BEFORE_PUBLICATION = {
    "league": (403, 200, 200, 403),
    "england": (403, 200, 200, 403),
    "own region": (403, 200, 200, 403),
    "other region": (403, 200, 200, 403),
    "own area team": (403, 200, 200, 403),
    "other area team": (403, 200, 200, 403),
    "fieldwork": (403, 200, 200, 403),
    "api league": (403, 200, 200, 403),
}
AFTER_PUBLICATION = {
    "league": (200, 200, 200, 200),
    "england": (200, 200, 200, 200),
    "own region": (200, 200, 200, 200),
    "other region": (200, 200, 200, 403),
    "own area team": (200, 200, 200, 200),
    "other area team": (200, 200, 200, 403),
    "fieldwork": (403, 200, 200, 403),
    "api league": (200, 200, 200, 200),
}
ROLES = ("ccg_lead", "analyst", "admin", "area_team_member")


REFUSED_BECAUSE = {
    CycleState.OPEN: ("results appear when the cycle closes", "your own area team"),
    CycleState.CLOSED: ("not published yet", "your own area team"),
    CycleState.PUBLISHED: ("your own area team",),
}


@pytest.mark.parametrize("state", [CycleState.OPEN, CycleState.CLOSED, CycleState.PUBLISHED])
def test_who_can_open_each_results_page_in_fieldwork_before_and_after_publication(
    client, users_by_role, organisations, state
):
    seed_cycle(2014, {"Q44": 6, "Q53": 6}, state=state)
    matrix = {
        CycleState.OPEN: DURING_FIELDWORK,
        CycleState.CLOSED: BEFORE_PUBLICATION,
        CycleState.PUBLISHED: AFTER_PUBLICATION,
    }[state]
    got, expected = {}, {}
    for role in ROLES:
        client.force_login(users_by_role[role])
        for page, path in PAGES.items():
            response = client.get(path.format(year=2014))
            got[(page, role)] = response.status_code
            expected[(page, role)] = matrix[page][ROLES.index(role)]
            if response.status_code == 403 and not path.startswith("/api/") and page != "fieldwork":
                assert any(reason in response.text for reason in REFUSED_BECAUSE[state]), (page, role)
    assert got == expected


def test_an_unknown_year_or_organisation_is_a_clear_404(client, analyst, published_cycle):
    client.force_login(analyst)

    assert client.get("/results/2031/league-table/").status_code == 404
    response = client.get("/results/2014/area-team/ZZZ/")
    assert response.status_code == 404
    assert "There is no area team with the code 'ZZZ'." in text_of(response.text)


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


def _digits_outside_names(row: str) -> list[str]:
    return re.findall(r"\d", text_of(row))


def test_no_page_api_or_cache_entry_shows_a_number_for_a_suppressed_cell(client, analyst, published_cycle):
    suppressed = list(current_rows(published_cycle).filter(suppressed=True, level=Level.AREA_TEAM, lead_role=""))
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
        r for r in current_rows(published_cycle) if (r.org_code, r.kind, r.lead_role) == (GOOD_TEAM, "overall", "")
    )
    assert f"{row.score:.1f}" in overall and f">{row.base}<" in overall
    assert "Better than England" in overall
    question = current_rows(published_cycle).get(
        level=Level.AREA_TEAM, org_code=GOOD_TEAM, kind="question", code="CP-SHARED-GOALS", lead_role=""
    )
    cells = text_of(row_html(html, "question-CP-SHARED-GOALS"))
    expected = (
        f"{question.n5} {question.n4} {question.n3} {question.n2} {question.n1} {question.dont_know} {question.base}"
    )
    assert expected in cells
    assert '<rect class="app-seg' in row_html(html, "question-CP-SHARED-GOALS")
    assert "Hidden to protect a smaller group" in html  # the lead-role split of 12 leads is 4/4/4: below 5
    assert "is the first year with results" in html


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


def test_only_nhscc_staff_can_send_reminders(client, lead, area_team_member, open_cycle):
    for user in (lead, area_team_member):
        client.force_login(user)
        assert client.post("/results/2014/fieldwork/").status_code == 403
    assert Invitation.objects.filter(reminder_count__gt=0).count() == 0


def test_an_area_team_member_publishes_a_response_on_their_own_scorecard(client, area_team_member, published_cycle):
    client.force_login(area_team_member)

    response = client.post(
        "/results/2014/area-team/Q44/", {"text": "We heard you.\nWe will meet every CCG by June."}, follow=True
    )

    assert response.status_code == 200
    assert "Your area team&#x27;s response has been published on this scorecard." in response.text
    assert "We will meet every CCG by June." in row_or_card(response.text)
    saved = AreaTeamResponse.objects.get(cycle=published_cycle, area_team__ods_code="Q44")
    assert saved.author == area_team_member
    client.force_login(area_team_member)
    assert client.post("/results/2014/area-team/Q44/", {"text": "  "}).status_code == 400


def row_or_card(html: str) -> str:
    return re.search(r'data-testid="area-team-response".*?</div>\s*</div>', html, re.S).group(0)


def test_others_read_the_response_but_cannot_write_it(client, lead, analyst, area_team_member, published_cycle):
    area_team_response_save(
        user=area_team_member,
        cycle=published_cycle,
        area_team=AreaTeam.objects.get(ods_code="Q44"),
        text="What we will do.",
    )
    for user in (lead, analyst):
        client.force_login(user)
        page = client.get("/results/2014/area-team/Q44/").text
        assert "What we will do." in page
        assert 'data-testid="response-form"' not in page
        assert client.post("/results/2014/area-team/Q44/", {"text": "Not mine."}).status_code == 403
    assert AreaTeamResponse.objects.get().text == "What we will do."


def test_an_area_team_response_needs_membership_and_publication(area_team_member, make_user, open_cycle):
    other = make_user(role="area_team_member", area_team_code="Q53")
    q44 = AreaTeam.objects.get(ods_code="Q44")

    with pytest.raises(Exception, match="You can respond once the 2014 results are published."):
        area_team_response_save(user=area_team_member, cycle=open_cycle, area_team=q44, text="Too soon.")
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    published = cycle_set_state(cycle=open_cycle, state=CycleState.PUBLISHED)
    with pytest.raises(Exception, match="Only members of"):
        area_team_response_save(user=other, cycle=published, area_team=q44, text="Not ours.")
    assert AreaTeamResponse.objects.count() == 0


def test_home_page_links_each_role_to_its_results(client, users_by_role, published_cycle):
    expected = {
        "ccg_lead": ["/results/", "/results/league-table/"],
        "analyst": ["/results/fieldwork/", "/results/league-table/", "/results/"],
        "admin": ["/results/fieldwork/", "/results/"],
        "area_team_member": ["/results/my-scorecard/", "/results/"],
    }
    for role, links in expected.items():
        client.force_login(users_by_role[role])
        home = client.get("/").text
        for link in links:
            assert f'href="{link}"' in home, (role, link)
            assert client.get(link, follow=True).status_code == 200
    client.force_login(users_by_role["area_team_member"])
    assert client.get("/results/my-scorecard/")["Location"] == "/results/2014/area-team/Q44/"


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
