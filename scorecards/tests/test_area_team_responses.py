"""An area team's response to its published scorecard: who writes it, who reads it, when."""

import re

import pytest

from organisations.models import AreaTeam
from scorecards.models import AreaTeamResponse
from scorecards.services import area_team_response_save
from surveys.models import CycleState
from surveys.services import cycle_set_state

# Every test here reads pages through an empty in-process cache whose keys it can list (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


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
