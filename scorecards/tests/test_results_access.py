"""Who opens each results page during fieldwork, before and after publication; reminders; the home page's links."""

import pytest

from scorecards.tests.factories import seed_cycle, text_of
from surveys.models import CycleState, Invitation

# Every test here reads pages through an empty in-process cache whose keys it can list (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


PAGES = {
    "league": "/results/{year}/league-table/",
    "england": "/results/{year}/england/",
    "blind spots": "/results/{year}/blind-spots/",
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
    "blind spots": (403, 403, 403, 403),
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
    "blind spots": (403, 200, 200, 403),
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
    "blind spots": (200, 200, 200, 200),
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


def test_only_nhscc_staff_can_send_reminders(client, lead, area_team_member, open_cycle):
    for user in (lead, area_team_member):
        client.force_login(user)
        assert client.post("/results/2014/fieldwork/").status_code == 403
    assert Invitation.objects.filter(reminder_count__gt=0).count() == 0


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
