"""The scorecards and response-rates API: contract, who may read what and when, and suppression."""

import pytest

from scorecards.models import ENGLAND_CODE, SCORECARD_NUMBER_FIELDS
from scorecards.tests.factories import (
    QUESTIONS_2014,
    RESPONSES_2014,
    import_for,
    import_responses,
    invite,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import CycleState
from surveys.services import cycle_set_state

pytestmark = pytest.mark.django_db

SCORECARDS = "/api/v1/cycles/2014/scorecards/"
RATES = "/api/v1/cycles/2014/response-rates/"
ITEM_FIELDS = {
    "kind",
    "code",
    "label",
    "behaviour",
    "role",
    "positively_worded",
    "rater_group",
    "rater_group_label",
    "lead_role",
    "suppressed",
    "suppression_reason",
}
TOP_FIELDS = {
    "cycle",
    "published",
    "level",
    "code",
    "name",
    "built_at",
    "suppression_min_base",
    "items",
    "self_vs_others",
    "comments",
}


def _get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def _publish(cycle):
    cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
    return cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)


@pytest.fixture
def seeded(organisations):
    """The hand-computed 2014 cycle of test_figures (open, scorecards built)."""
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    import_responses(cycle, RESPONSES_2014)
    recompute_and_publish(cycle)
    return cycle


def _item(body, kind, code, rater_group=""):
    (item,) = [i for i in body["items"] if (i["kind"], i["code"], i["rater_group"]) == (kind, code, rater_group)]
    return item


# --- contract -------------------------------------------------------------------------------------


def test_an_area_teams_scorecard_has_every_item_with_its_figures(client, seeded, analyst):
    # When an analyst reads Q46's scorecard
    response = _get(client, analyst, SCORECARDS, level="area_team", code="q46")

    # Then it has the documented fields, every item for all leads and each lead role, and the figures
    assert response.status_code == 200
    body = response.json()
    assert set(body) == TOP_FIELDS
    assert (body["cycle"], body["published"], body["level"], body["code"], body["suppression_min_base"]) == (
        2014,
        False,
        "area_team",
        "Q46",
        5,
    )
    assert body["name"] == "Greater Manchester"
    assert body["self_vs_others"] is None  # a cycle without a self-assessment
    assert len(body["items"]) == 6 * 4  # overall, T-B, T-R, T-POS, T-NEG, T-RW × all leads + 3 roles
    item = _item(body, "question", "T-POS")
    assert set(item) == ITEM_FIELDS | set(SCORECARD_NUMBER_FIELDS)
    assert (item["base"], item["n5"], item["n4"], item["n3"], item["n2"], item["n1"], item["dont_know"]) == (
        15,
        4,
        6,
        2,
        2,
        1,
        0,
    )
    assert item["pct_positive"] == pytest.approx(200 / 3, abs=1e-9)
    assert item["score_low"] == pytest.approx(4.957659726, abs=1e-6)
    assert (item["suppressed"], item["suppression_reason"], item["positively_worded"]) == (False, "", True)
    assert (item["behaviour"], item["role"]) == ("T-B", "T-R")
    # And the managerial cell (base 2) is hidden, and the clinical (8) with it, so that Q46's total minus its
    # visible roles cannot give the managerial one away (scorecards/tests/test_figures.py works the set out)
    managerial, clinical = (
        _item(body, "question", "T-POS", "managerial"),
        _item(body, "question", "T-POS", "clinical"),
    )
    assert set(managerial) == ITEM_FIELDS
    # Why each is hidden (its own small base, or to protect another) is not said: that alone tells a base is 1–4.
    assert (managerial["suppressed"], managerial["suppression_reason"]) == (True, "hidden")
    assert (clinical["suppressed"], clinical["suppression_reason"]) == (True, "hidden")
    assert "base" not in managerial and "base" not in clinical


def test_england_is_the_default_level_and_a_region_is_read_by_its_code(client, seeded, admin_user):
    england = _get(client, admin_user, SCORECARDS).json()
    region = _get(client, admin_user, SCORECARDS, level="region", code="Y54").json()

    assert (england["level"], england["code"], england["name"]) == ("england", ENGLAND_CODE, "England")
    assert _item(england, "question", "T-POS")["base"] == 29
    assert (region["level"], region["code"]) == ("region", "Y54")
    assert _item(region, "question", "T-POS")["base"] == 24


def test_a_bad_level_is_a_400_and_an_unknown_code_or_year_a_404_in_json(client, seeded, analyst):
    bad_level = _get(client, analyst, SCORECARDS, level="ccg")
    unknown_team = _get(client, analyst, SCORECARDS, level="area_team", code="Q99")
    unknown_region = _get(client, analyst, SCORECARDS, level="region", code="Q44")
    unknown_year = _get(client, analyst, "/api/v1/cycles/2099/scorecards/")

    assert bad_level.status_code == 400
    assert bad_level.json()["error"]["code"] == "invalid"
    assert "level" in bad_level.json()["error"]["details"]
    for response in (unknown_team, unknown_region, unknown_year):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"


def test_anonymous_callers_get_401_with_a_challenge(client, seeded):
    for url in (SCORECARDS, RATES):
        response = client.get(url)

        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
        assert response.json()["error"]["code"] == "not_authenticated"


def test_before_the_first_build_the_scorecard_is_empty(client, organisations, analyst):
    make_cycle(2014, CycleState.CLOSED, QUESTIONS_2014)

    body = _get(client, analyst, SCORECARDS).json()

    assert (body["items"], body["built_at"], body["suppression_min_base"]) == ([], None, None)


# --- who may read what, and when ------------------------------------------------------------------


def test_nhscc_staff_read_any_time_but_leads_and_area_teams_only_once_published(
    client, seeded, analyst, admin_user, lead, area_team_member
):
    # Given the cycle is still open
    for user in (analyst, admin_user):
        for url in (SCORECARDS, RATES):
            assert _get(client, user, url).status_code == 200, (user.role, url)
    for user in (lead, area_team_member):
        for url in (SCORECARDS, RATES):
            response = _get(client, user, url)
            assert response.status_code == 403, (user.role, url)
            assert response.json()["error"]["code"] == "permission_denied"

    # When it is published
    _publish(seeded)

    # Then leads and area team members can read it too
    for user in (lead, area_team_member, analyst):
        for url in (SCORECARDS, RATES):
            assert _get(client, user, url).status_code == 200, (user.role, url)
    assert _get(client, lead, SCORECARDS).json()["published"] is True


def test_area_team_members_see_england_their_region_and_their_own_area_team_only(
    client, seeded, area_team_member, lead
):
    # Given a published cycle and a member of Q44 (in Y54)
    _publish(seeded)

    allowed = [{}, {"level": "region", "code": "Y54"}, {"level": "area_team", "code": "Q44"}]
    refused = [
        {"level": "region", "code": "Y55"},
        {"level": "area_team", "code": "Q45"},
        {"level": "area_team", "code": "Q53"},
    ]

    for params in allowed:
        assert _get(client, area_team_member, SCORECARDS, **params).status_code == 200, params
    for params in refused:
        response = _get(client, area_team_member, SCORECARDS, **params)
        assert response.status_code == 403, params
        assert response.json()["error"]["code"] == "permission_denied"
    # And their response rates are England, their region and their area team only
    rates = _get(client, area_team_member, RATES).json()
    assert [r["code"] for r in rates["regions"]] == ["Y54"]
    assert [a["code"] for a in rates["area_teams"]] == ["Q44"]
    # While a lead sees every organisation
    assert _get(client, lead, SCORECARDS, level="area_team", code="Q53").status_code == 200
    assert len(_get(client, lead, RATES).json()["area_teams"]) == 27


# --- suppression ----------------------------------------------------------------------------------


def _numbers(value) -> list:
    """Every number (int or float, not bool) anywhere inside ``value``."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


def test_no_api_response_ever_contains_a_number_for_a_suppressed_cell(client, seeded, analyst):
    # Given every organisation at every level of the seeded cycle
    from organisations.models import AreaTeam, Region

    targets = [{"level": "england"}]
    targets += [{"level": "region", "code": code} for code in Region.objects.values_list("ods_code", flat=True)]
    targets += [{"level": "area_team", "code": code} for code in AreaTeam.objects.values_list("ods_code", flat=True)]
    assert len(targets) == 1 + 4 + 27

    suppressed_seen = shown_seen = 0
    for params in targets:
        # When each scorecard is read
        body = _get(client, analyst, SCORECARDS, **params).json()
        assert len(body["items"]) == 24, params
        for item in body["items"]:
            if item["suppressed"]:
                # Then a suppressed item has no numeric field at all (not even a null one)
                suppressed_seen += 1
                assert set(item) == ITEM_FIELDS, (params, item)
                assert _numbers(item) == [], (params, item)
                assert item["suppression_reason"] == "hidden"
            else:
                shown_seen += 1
                assert set(SCORECARD_NUMBER_FIELDS) <= set(item)
    # And the walk did meet both kinds (7 hidden cells × 6 items)
    assert suppressed_seen == 7 * 6
    assert shown_seen == 32 * 24 - 7 * 6


def test_the_scorecard_read_takes_a_bounded_number_of_queries(
    client, seeded, area_team_member, django_assert_max_num_queries
):
    _publish(seeded)
    client.force_login(area_team_member)
    client.get(SCORECARDS)  # warm up (session, content types)

    for params in ({}, {"level": "region", "code": "Y54"}, {"level": "area_team", "code": "Q44"}):
        # session, user, cycle, org check, own area team + region, current set (twice), rows: not per row;
        # and for an area team its published comments (one query).
        with django_assert_max_num_queries(10 if params.get("level") == "area_team" else 9):
            assert client.get(SCORECARDS, params).status_code == 200


# --- response rates -------------------------------------------------------------------------------


@pytest.fixture
def rates_cycle(organisations):
    """Six invitations: 01C clinical ×2 (one submitted), 01R managerial (not), 00C financial (submitted),
    05A clinical (submitted), 05F clinical (not)."""
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    submitted = [invite(cycle, "01C", "clinical"), invite(cycle, "00C", "financial"), invite(cycle, "05A", "clinical")]
    for ccg, role in (("01C", "clinical"), ("01R", "managerial"), ("05F", "clinical")):
        invite(cycle, ccg, role)
    import_for(cycle, [(invitation, {"T-POS": 4}) for invitation in submitted])
    return cycle


def _rate(invited, responded, rate, ccgs, responding):
    return {
        "invited": invited,
        "responded": responded,
        "rate": rate,
        "ccgs_in_scope": ccgs,
        "ccgs_responding": responding,
    }


def test_response_rates_match_the_hand_counts(client, rates_cycle, analyst):
    # When an analyst reads the response rates
    body = _get(client, analyst, RATES).json()

    def numbers(entry):
        return {k: entry[k] for k in ("invited", "responded", "rate", "ccgs_in_scope", "ccgs_responding")}

    # Then: England 6 invited, 3 responded (50 %), CCGs 01C, 01R, 00C, 05A, 05F in scope, 3 responding
    assert body["cycle"] == 2014
    assert numbers(body["england"]) == _rate(6, 3, 50.0, 5, 3)
    regions = {r["code"]: numbers(r) for r in body["regions"]}
    # Y54: 01C ×2, 01R, 00C → 4 invited, 2 responded; CCGs 01C, 01R, 00C; responding 01C, 00C
    assert regions["Y54"] == _rate(4, 2, 50.0, 3, 2)
    # Y55: 05A, 05F → 2 invited, 1 responded
    assert regions["Y55"] == _rate(2, 1, 50.0, 2, 1)
    assert regions["Y56"] == _rate(0, 0, None, 0, 0)
    teams = {a["code"]: numbers(a) for a in body["area_teams"]}
    assert len(teams) == 27
    # Q44: 01C ×2 (one responded), 01R → 1/3 = 33.3 %; Q45: 00C 1/1; Q53: 05A, 05F 1/2
    assert teams["Q44"] == _rate(3, 1, 33.3, 2, 1)
    assert teams["Q45"] == _rate(1, 1, 100.0, 1, 1)
    assert teams["Q53"] == _rate(2, 1, 50.0, 2, 1)
    assert teams["Q46"] == _rate(0, 0, None, 0, 0)
    assert next(a for a in body["area_teams"] if a["code"] == "Q44")["region"] == "Y54"
    roles = {r["code"]: numbers(r) for r in body["lead_roles"]}
    # clinical: 01C ×2, 05A, 05F → 4 invited, 2 responded (01C, 05A), CCGs 01C, 05A, 05F
    assert roles == {
        "clinical": _rate(4, 2, 50.0, 3, 2),
        "managerial": _rate(1, 0, 0.0, 1, 0),
        "financial": _rate(1, 1, 100.0, 1, 1),
    }
