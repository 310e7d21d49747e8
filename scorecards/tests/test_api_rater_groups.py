"""The scorecards API with rater groups (issue 14): every item names its rater view, a validated filter, the
self-assessment beside the CCG leads at an area team, and nothing hidden recoverable from what it gives.

The cycles are ``scorecards.tests.raters``' (its docstring works the figures out by hand).
"""

import pytest

from organisations.models import AreaTeam, Region
from scorecards import presentation
from scorecards.models import ENGLAND_CODE, SCORECARD_NUMBER_FIELDS
from scorecards.services.publishing import RATER_VIEWS
from scorecards.tests import attack
from scorecards.tests.raters import SELF_YEAR, YEAR, seed_partner_cycle, seed_self_cycle

pytestmark = pytest.mark.django_db

URL = f"/api/v1/cycles/{YEAR}/scorecards/"
SELF_URL = f"/api/v1/cycles/{SELF_YEAR}/scorecards/"
LEAD_VIEWS = {"", "clinical", "managerial", "financial"}


@pytest.fixture(scope="module")
def partner_cycle_id(module_db):
    seed_self_cycle()
    return seed_partner_cycle().pk


@pytest.fixture
def reader(partner_cycle_id, analyst, client):
    client.force_login(analyst)
    return client


def _get(client, *views, url=URL, **params):
    query = {**params, **({"rater_group": list(views)} if views else {})}
    return client.get(url, query)


def _item(body, kind, code, view):
    (item,) = [i for i in body["items"] if (i["kind"], i["code"], i["rater_group"]) == (kind, code, view)]
    return item


def test_by_default_the_scorecard_gives_the_ccg_leads_views_as_before_with_a_label_and_the_old_field(reader):
    # When England's scorecard is read with no rater_group
    body = _get(reader).json()

    # Then it has the CCG leads' views only (all leads and each lead role), 4 items each, as before rater groups
    assert {i["rater_group"] for i in body["items"]} == LEAD_VIEWS
    assert len(body["items"]) == 4 * 4
    for item in body["items"]:
        # And each names its view in words, and keeps the deprecated lead_role (the same value for these views)
        assert item["rater_group_label"] == presentation.RATER_VIEW_LABELS[item["rater_group"]]
        assert item["lead_role"] == item["rater_group"]
    # And all leads agree with ONE: 5 + 6 leads, all strongly agree
    leads = _item(body, "question", "ONE", "")
    assert (leads["base"], leads["score"], leads["pct_positive"], leads["rater_group_label"]) == (
        11,
        10.0,
        100.0,
        "All leads",
    )
    # And there is no self beside others at England
    assert body["self_vs_others"] is None


def test_the_rater_group_filter_gives_the_views_asked_for_with_their_hand_worked_figures(reader):
    # When England's practices and everyone but self are asked for
    body = _get(reader, "practice", "others").json()

    # Then only those views come back
    assert {i["rater_group"] for i in body["items"]} == {"practice", "others"}
    # And England's practices on ONE: (2 × 10 + 6 × 5) / 8 = 6.25, 2 of 8 favourable
    practice = _item(body, "question", "ONE", "practice")
    assert (practice["base"], practice["score"], practice["pct_positive"]) == (8, 6.25, 25.0)
    assert (practice["rater_group_label"], practice["lead_role"]) == ("GP member practices", None)
    # And everyone but self (11 leads + 8 practices): (11 × 10 + 2 × 10 + 6 × 5) / 19 = 160 / 19, the
    # self-assessments left out
    others = _item(body, "question", "ONE", "others")
    assert others["base"] == 19
    assert others["score"] == pytest.approx(160 / 19)
    assert others["rater_group_label"] == "Everyone but the area team"
    # And an empty value is all CCG leads only
    only_leads = _get(reader, "").json()
    assert {i["rater_group"] for i in only_leads["items"]} == {""}


def test_a_small_partner_group_is_hidden_in_the_api_with_no_number_at_all(reader):
    body = _get(reader, "practice", "partners", "", level="area_team", code="Q44").json()

    for view in ("practice", "partners", ""):
        item = _item(body, "question", "ONE", view)
        assert (item["suppressed"], item["suppression_reason"]) == (True, "hidden"), view
        assert not set(SCORECARD_NUMBER_FIELDS) & set(item), view


@pytest.mark.parametrize("value", ["lead", "all", "Practice", " "])
def test_an_unknown_rater_group_is_a_400_with_a_short_json_error(reader, value):
    response = _get(reader, value)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["rater_group"]
    assert error["details"]["rater_group"] == [
        "Choose from: '' (empty: all CCG leads), " + ", ".join(v for v in RATER_VIEWS if v) + "."
    ]


def test_one_bad_value_among_good_ones_is_still_a_400_and_a_nul_byte_is_refused_before_the_view(reader):
    assert _get(reader, "practice", "nobody").status_code == 400
    nul = _get(reader, "self\x00")
    assert (nul.status_code, nul["Content-Type"]) == (400, "application/json")


def test_an_area_teams_self_assessment_sits_beside_its_leads_with_blind_spots_and_hidden_strengths(reader):
    # When Q53's scorecard is read (6 financial leads, shown; its own self-assessment)
    body = _get(reader, url=SELF_URL, level="area_team", code="Q53").json()

    # Then every item has self beside the CCG leads, and the gaps are as worked out by hand
    lines = {(line["kind"], line["code"]): line for line in body["self_vs_others"]}
    assert set(lines) == {("overall", "OVERALL"), ("behaviour", "T-B"), ("question", "ONE"), ("question", "TWO")}

    def triple(kind, code):
        line = lines[(kind, code)]
        return line["self_score"], line["leads_score"], line["gap"]

    assert triple("question", "ONE") == (0.0, 10.0, "hidden_strength")
    assert triple("question", "TWO") == (10.0, 2.5, "blind_spot")
    assert triple("behaviour", "T-B") == (5.0, 6.25, None)
    assert lines[("question", "TWO")]["gap_label"] == "Blind spot"
    assert lines[("behaviour", "T-B")]["gap_label"] == ""
    # And the items are still the CCG leads' views by default, with self there only when asked for
    assert {i["rater_group"] for i in body["items"]} == LEAD_VIEWS
    own = _item(_get(reader, "self", url=SELF_URL, level="area_team", code="Q53").json(), "question", "TWO", "self")
    assert (own["suppressed"], own["base"], own["score"]) == (False, 1, 10.0)


def test_an_area_team_without_a_self_assessment_has_no_self_score_and_no_gap(reader):
    body = _get(reader, url=SELF_URL, level="area_team", code="Q46").json()

    assert {line["self_score"] for line in body["self_vs_others"]} == {None}
    assert {line["gap"] for line in body["self_vs_others"]} == {None}
    assert _item(body, "question", "ONE", "")["score"] == 10.0


def test_where_the_leads_are_hidden_no_gap_is_claimed(reader):
    # Q44's leads are hidden (to protect its 2 practices): the self-assessment stands alone
    body = _get(reader, level="area_team", code="Q44").json()

    lines = {(line["kind"], line["code"]): line for line in body["self_vs_others"]}
    assert (lines[("question", "ONE")]["self_score"], lines[("question", "ONE")]["leads_score"]) == (0.0, None)
    assert {line["gap"] for line in body["self_vs_others"]} == {None}


def test_permissions_are_unchanged_an_area_team_member_reads_its_own_self_view_only(
    partner_cycle_id, client, make_user
):
    member = make_user(role="area_team_member", area_team_code="Q44")
    client.force_login(member)

    own = _get(client, "self", level="area_team", code="Q44")
    other = _get(client, "self", level="area_team", code="Q46")

    assert own.status_code == 200
    assert own.json()["self_vs_others"] is not None
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "permission_denied"
    assert client.logout() is None
    assert _get(client, "self").status_code == 401


def _api_rows(client) -> list[dict]:
    """Every published row the API gives, for every organisation and view, as the attacker reads rows."""
    targets = [("england", ENGLAND_CODE, "")]
    targets += [("region", code, ENGLAND_CODE) for code in Region.objects.values_list("ods_code", flat=True)]
    targets += [
        ("area_team", code, region) for code, region in AreaTeam.objects.values_list("ods_code", "region__ods_code")
    ]
    rows = []
    for level, code, parent in targets:
        params = {"level": level} if level == "england" else {"level": level, "code": code}
        body = _get(client, *RATER_VIEWS, **params).json()
        for item in body["items"]:
            rows.append(
                {
                    **item,
                    "level": level,
                    "org_code": body["code"],
                    "parent_code": parent,
                    "behaviour_code": item["behaviour"],
                    "role_code": item["role"],
                }
            )
    return rows


def test_the_attacker_recovers_nothing_from_everything_the_api_gives(reader):
    # Given every organisation's scorecard in every rater view, as the API gives them
    rows = _api_rows(reader)
    # (the rows carry rater_group as the attacker reads it, and every view and pool is there)
    assert {row["rater_group"] for row in rows} == set(RATER_VIEWS)
    assert any(row["suppressed"] and row["rater_group"] == "practice" for row in rows)

    # When the attacker applies every sum the outputs make true, Then no hidden figure comes out
    assert attack.recover(rows) == []
