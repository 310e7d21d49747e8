"""Fieldwork for every rater group: rates by group, partners and self under their area team, chasing them all."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from surveys.fieldwork import selectors as fieldwork
from surveys.models import CycleState
from surveys.selectors import fieldwork_dashboard, response_rates
from surveys.services import cycle_create, cycle_set_rater_groups, cycle_set_state, reminders_send_chosen
from surveys.tests.factories import InvitationFactory, LeadFactory

pytestmark = pytest.mark.django_db

DAYS = dt.timedelta(days=1)


@pytest.fixture
def cycle(organisations):
    cycle = cycle_create(year=2014)
    cycle_set_rater_groups(actor=None, cycle=cycle, partner_groups=["practice", "patients"], self_assessment=True)
    return cycle_set_state(cycle=cycle, state=CycleState.OPEN)


@pytest.fixture
def invited(cycle, make_user):
    """Two clinical leads in Q44 (one submitted), a practice of 01C, patients for Q45 (submitted), Q44's self."""
    now = timezone.now()
    sent = {"sent_at": now - 10 * DAYS}

    def partner(name, group, area_team_code, ccg_code=None, **fields):
        user = make_user(
            role="area_team_member" if group == "self" else "partner",
            area_team_code=area_team_code,
            ccg_code=ccg_code,
            full_name=name,
            email=f"{name}@example.org",
        )
        place = {"ccg": user.ccg, "area_team": user.area_team}
        return InvitationFactory(cycle=cycle, user=user, rater_group=group, **place, **fields)

    lead = LeadFactory(ccg_code="01C", full_name="chair", email="chair@example.nhs.uk")
    other = LeadFactory(ccg_code="01R", full_name="other", email="other@example.nhs.uk")
    return {
        "lead": InvitationFactory(cycle=cycle, user=lead, submitted_at=now - DAYS, **sent),
        "other": InvitationFactory(cycle=cycle, user=other, **sent),
        "practice": partner("surgery", "practice", "Q44", "01C", **sent),
        "patients": partner("healthwatch", "patients", "Q45", submitted_at=now - DAYS, **sent),
        "self": partner("director", "self", "Q44", **sent),
    }


def _numbers(entry):
    return entry["invited"], entry["responded"], entry["rate"]


def test_rates_by_rater_group_beside_lead_roles_area_teams_and_regions(cycle, invited):
    rates = response_rates(cycle=cycle)

    groups = {g["code"]: _numbers(g) for g in rates["rater_groups"]}
    assert groups == {
        "clinical": (2, 1, 50.0),
        "managerial": (0, 0, None),
        "financial": (0, 0, None),
        "practice": (1, 0, 0.0),
        "patients": (1, 1, 100.0),
        "self": (1, 0, 0.0),
    }
    assert _numbers(rates["ccg_leads"]) == (2, 1, 50.0)
    assert _numbers(rates["england"]) == (5, 2, 40.0)
    # Partners and self count under the area team they appraise, not through a CCG they do not have.
    area_teams = {a["code"]: a for a in rates["area_teams"]}
    assert _numbers(area_teams["Q44"]) == (4, 1, 25.0)
    assert _numbers(area_teams["Q45"]) == (1, 1, 100.0)
    regions = {r["code"]: _numbers(r) for r in rates["regions"]}
    assert sum(invited for invited, _, _ in regions.values()) == 5
    # CCG coverage is the CCG leads' (a practice does not make its CCG "responding").
    assert (rates["england"]["ccgs_in_scope"], rates["england"]["ccgs_responding"]) == (2, 1)


def test_a_group_not_asked_and_not_invited_is_not_listed(organisations):
    cycle = cycle_create(year=2015)

    assert [g["code"] for g in response_rates(cycle=cycle)["rater_groups"]] == ["clinical", "managerial", "financial"]


def test_ccgs_with_no_response_count_their_leads_only(cycle, invited):
    dashboard = fieldwork_dashboard(cycle=cycle)

    assert [c["ods_code"] for at in dashboard["non_responding"] for c in at["ccgs"]] == ["01R"]


def test_partners_and_self_are_listed_and_filtered_by_the_area_team_they_appraise(cycle, invited):
    q44 = fieldwork.fieldwork_invitations(cycle=cycle, area_team=invited["self"].area_team)
    patients = fieldwork.fieldwork_invitations(cycle=cycle, rater_group="patients")
    not_responded = fieldwork.fieldwork_invitations(cycle=cycle, status=fieldwork.NOT_RESPONDED)

    assert sorted(i.user.full_name for i in q44) == ["chair", "director", "other", "surgery"]
    assert [i.user.full_name for i in patients] == ["healthwatch"]
    assert sorted(i.user.full_name for i in not_responded) == ["director", "other", "surgery"]


def test_partners_and_self_are_chased_like_leads(cycle, invited, analyst):
    chosen = [invited[name].pk for name in ("practice", "self", "other", "patients")]

    assert reminders_send_chosen(cycle=cycle, invitation_ids=chosen, actor=analyst) == 3


def test_the_workspace_shows_rates_by_rater_group(client, analyst, cycle, invited):
    client.force_login(analyst)

    page = client.get("/results/2014/fieldwork/").content.decode()

    assert 'data-testid="rater-group-rates"' in page
    assert 'data-testid="rater-group-rate-practice"' in page
    assert "2 of 5 people invited have responded" in page
    assert f'data-testid="group-{invited["patients"].pk}">Patients&#x27; representative<' in page


def test_the_non_responders_csv_carries_the_group_and_an_empty_ccg_where_there_is_none(client, analyst, cycle, invited):
    client.force_login(analyst)

    response = client.get("/results/2014/fieldwork/non-responders.csv")

    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert set(rows) == {"other", "surgery", "director"}
    assert (rows["director"]["ccg_code"], rows["director"]["ccg"]) == ("", "")
    assert rows["director"]["area_team"] == "Cheshire, Warrington and Wirral"
    assert rows["director"]["rater_group"] == "Area team self-assessment"
    assert (rows["surgery"]["ccg_code"], rows["surgery"]["rater_group"]) == ("01C", "GP member practice")
    assert rows["other"]["rater_group"] == "Clinical lead"
