"""The comments API for moderators and the comments in the scorecard API: contract, permissions, refusals."""

import pytest

from comments.models import CommentStatus
from comments.services import MSG_TEXT_EMPTY
from comments.tests.factories import COMMENTS, NAMED, REDACTED, answer_text, comment, moderate, seed_comments
from core.models import AuditEvent
from surveys.models import Cycle, CycleState
from surveys.services import cycle_set_state

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cycles/2014/comments/"
SCORECARD = "/api/v1/cycles/2014/scorecards/"
BELOW = COMMENTS["Q53"][0][1]
FIELDS = {
    "id",
    "section",
    "area_team",
    "status",
    "text",
    "redacted",
    "above_threshold",
    "moderated_at",
    "moderated_by",
    "url",
}
ABOVE = sorted(text for area_team in ("Q44", "Q45") for _, text in COMMENTS[area_team])


@pytest.fixture(scope="module")
def comments_cycle_id(module_db):
    """The cycle with comments most tests here read, built once for the module."""
    return seed_comments().pk


@pytest.fixture
def cycle(comments_cycle_id, db):
    return Cycle.objects.get(pk=comments_cycle_id)


@pytest.fixture
def people(users_by_role, make_user):
    return {**users_by_role, "other_area_team_member": make_user(role="area_team_member", area_team_code="Q53")}


def detail(written: str, year: int = 2014) -> str:
    return f"/api/v1/cycles/{year}/comments/{comment(written).pk}/"


def publish(cycle):
    return cycle_set_state(cycle=cycle_set_state(cycle=cycle, state=CycleState.CLOSED), state=CycleState.PUBLISHED)


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


# --- who may call what -----------------------------------------------------------------------------

ROLES = ("anonymous", "ccg_lead", "analyst", "admin", "area_team_member", "other_area_team_member")
# call                     anonymous  ccg_lead  analyst  admin  area_team_member  other_area_team_member
MATRIX = {
    "list": (401, 403, 200, 200, 403, 403),
    "detail": (401, 403, 200, 200, 403, 403),
    "detail below": (401, 403, 404, 200, 403, 403),
    "patch": (401, 403, 200, 200, 403, 403),
    "patch below": (401, 403, 404, 409, 403, 403),
}


@pytest.mark.parametrize("published", [False, True], ids=["closed", "published"])
def test_who_can_call_the_comments_api_before_and_after_publication(client, people, cycle, published):
    if published:
        publish(cycle)
    calls = {
        "list": lambda c: c.get(LIST),
        "detail": lambda c: c.get(detail(NAMED)),
        "detail below": lambda c: c.get(detail(BELOW)),
        "patch": lambda c: c.patch(detail(NAMED), {"status": "pending"}, content_type="application/json"),
        "patch below": lambda c: c.patch(detail(BELOW), {"status": "approved"}, content_type="application/json"),
    }
    got = {}
    for call, send in calls.items():
        for role in ROLES:
            response = send(as_user(client, people.get(role)))
            got[(call, role)] = response.status_code
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
    assert got == {(call, role): MATRIX[call][i] for call in calls for i, role in enumerate(ROLES)}
    assert comment(BELOW).status == CommentStatus.PENDING


# --- listing ---------------------------------------------------------------------------------------


def test_an_analyst_lists_comments_above_the_threshold_without_attribution_or_originals(client, analyst, cycle):
    moderate(analyst, NAMED, text=REDACTED)

    body = as_user(client, analyst).get(LIST).json()

    assert body["count"] == len(ABOVE)
    items = body["results"]
    assert all(set(item) == FIELDS for item in items)  # no original_text, no CCG, lead or lead role
    assert sorted(i["text"] for i in items) == sorted([REDACTED if t == NAMED else t for t in ABOVE])
    assert "Helen Marsh" not in str(body)
    redacted = next(i for i in items if i["redacted"])
    assert redacted["section"] == {"code": "COMMON-PURPOSE", "title": "Common purpose"}
    assert redacted["area_team"] == {"code": "Q44", "name": "Cheshire, Warrington and Wirral"}
    assert (redacted["status"], redacted["above_threshold"], redacted["moderated_by"]) == (
        "pending",
        True,
        analyst.email,
    )
    assert redacted["url"] == detail(NAMED)


def test_an_admin_lists_every_comment_with_its_original(client, admin_user, analyst, cycle):
    moderate(analyst, NAMED, text=REDACTED)

    items = as_user(client, admin_user).get(LIST).json()["results"]

    assert all(set(item) == FIELDS | {"original_text"} for item in items)
    by_original = {i["original_text"]: i for i in items}
    assert by_original[NAMED]["text"] == REDACTED
    assert by_original[BELOW]["above_threshold"] is False
    assert sorted(by_original) == sorted([*ABOVE, BELOW])


def test_the_list_filters_and_refuses_bad_filters(client, analyst, cycle):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)
    as_user(client, analyst)

    def texts(**params):
        return sorted(i["text"] for i in client.get(LIST, params).json()["results"])

    assert texts(status="approved") == [NAMED]
    assert len(texts(status="pending")) == len(ABOVE) - 1
    assert texts(area_team="q45") == [COMMENTS["Q45"][0][1]]
    assert texts(area_team="Q53") == []  # below the threshold: as if it had none
    assert texts(section="HONESTY") == sorted(t for a in ("Q44", "Q45") for s, t in COMMENTS[a] if s == "HONESTY")
    bad = client.get(LIST, {"status": "published"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["details"]
    assert client.get(LIST, {"area_team": "ZZZ"}).status_code == 404
    assert client.get(LIST, {"section": "NOPE"}).status_code == 404
    assert client.get("/api/v1/cycles/2031/comments/").status_code == 404


def test_the_list_makes_a_fixed_number_of_queries(
    client, analyst, no_cycles, organisations, django_assert_max_num_queries
):
    many = {"Q44": [("HONESTY", f"Comment {i}.") for i in range(8)]}
    seed_comments(responses={"Q44": 8}, comments=many)
    as_user(client, analyst).get("/")

    with django_assert_max_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 8


# --- moderating ------------------------------------------------------------------------------------


def test_an_analyst_redacts_and_approves_with_patch(client, analyst, cycle):
    response = as_user(client, analyst).patch(
        detail(NAMED), {"status": "approved", "text": REDACTED}, content_type="application/json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["text"], body["redacted"]) == ("approved", REDACTED, True)
    assert "original_text" not in body
    assert answer_text(comment(NAMED)) == NAMED
    assert AuditEvent.objects.get().detail["new_status"] == "approved"
    # status alone keeps the redaction; text alone keeps the status
    assert client.patch(detail(NAMED), {"status": "hidden"}, content_type="application/json").json()["text"] == REDACTED
    assert (
        client.patch(detail(NAMED), {"text": "[removed]."}, content_type="application/json").json()["status"]
        == "hidden"
    )
    assert AuditEvent.objects.count() == 3


def test_an_admin_reads_the_original_of_a_redacted_comment(client, admin_user, analyst, cycle):
    moderate(analyst, NAMED, text=REDACTED)

    body = as_user(client, admin_user).get(detail(NAMED)).json()

    assert (body["text"], body["original_text"]) == (REDACTED, NAMED)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"status": "published"}, "invalid"),
        ({"status": None}, "invalid"),
        ({}, "nothing_to_change"),
        ({"text": ""}, "comment_text_empty"),
        ({"text": "   "}, "comment_text_empty"),
        ({"text": "x" * 1000}, "comment_text_too_long"),
        ({"text": 42, "status": ["approved"]}, "invalid"),
    ],
    ids=["unknown status", "null status", "nothing", "empty text", "blank text", "too long", "wrong types"],
)
def test_bad_moderation_is_a_400_and_writes_nothing(client, analyst, cycle, data, code):
    response = as_user(client, analyst).patch(detail(NAMED), data, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    record = comment(NAMED)
    assert (record.status, record.redacted_text) == ("pending", "")
    assert AuditEvent.objects.count() == 0


def test_the_empty_text_message_is_the_pages_message(client, analyst, cycle):
    response = as_user(client, analyst).patch(detail(NAMED), {"text": ""}, content_type="application/json")

    assert response.json()["error"]["message"] == MSG_TEXT_EMPTY


def test_a_comment_is_found_only_under_its_own_year(client, analyst, cycle):
    cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
    seed_comments(2015, comments={})
    as_user(client, analyst)

    assert client.get(detail(NAMED, year=2015)).status_code == 404
    assert client.get("/api/v1/cycles/2014/comments/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/api/v1/cycles/2014/comments/not-a-uuid/").status_code == 404


def test_post_and_put_are_not_allowed(client, analyst, cycle):
    as_user(client, analyst)

    assert client.post(detail(NAMED), {"status": "approved"}).status_code == 405
    assert client.put(detail(NAMED), {"status": "approved"}, content_type="application/json").status_code == 405
    assert client.post(LIST, {}).status_code == 405


# --- the scorecard API ---------------------------------------------------------------------------


def test_the_scorecard_api_has_approved_comments_for_area_teams_only(client, people, cycle):
    moderate(people["analyst"], NAMED, status=CommentStatus.APPROVED, text=REDACTED)
    moderate(people["analyst"], COMMENTS["Q44"][2][1], status=CommentStatus.APPROVED)
    moderate(people["analyst"], COMMENTS["Q44"][3][1], status=CommentStatus.HIDDEN)
    publish(cycle)

    body = as_user(client, people["area_team_member"]).get(SCORECARD, {"level": "area_team", "code": "Q44"}).json()

    assert body["comments"] == [
        {"section": {"code": "COMMON-PURPOSE", "title": "Common purpose"}, "text": REDACTED},
        {"section": {"code": "HONESTY", "title": "Honesty and transparency"}, "text": COMMENTS["Q44"][2][1]},
    ]
    assert client.get(SCORECARD, {"level": "england"}).json()["comments"] is None
    assert client.get(SCORECARD, {"level": "region", "code": "Y54"}).json()["comments"] is None


def test_the_scorecard_api_follows_the_scorecards_rules_for_comments(client, people, cycle):
    moderate(people["analyst"], NAMED, status=CommentStatus.APPROVED)
    params = {"level": "area_team", "code": "Q44"}

    # Before publication: NHSCC staff only
    assert as_user(client, people["ccg_lead"]).get(SCORECARD, params).status_code == 403
    assert as_user(client, people["area_team_member"]).get(SCORECARD, params).status_code == 403
    assert as_user(client, people["analyst"]).get(SCORECARD, params).json()["comments"][0]["text"] == NAMED
    assert as_user(client, None).get(SCORECARD, params).status_code == 401
    publish(cycle)
    # After: leads and the area team's own members; another area team's members never
    assert as_user(client, people["ccg_lead"]).get(SCORECARD, params).json()["comments"][0]["text"] == NAMED
    assert as_user(client, people["area_team_member"]).get(SCORECARD, params).status_code == 200
    assert as_user(client, people["other_area_team_member"]).get(SCORECARD, params).status_code == 403


def test_unmoderated_and_below_threshold_comments_never_reach_the_scorecard_api(client, analyst, admin_user, cycle):
    publish(cycle)

    for user in (analyst, admin_user):
        for code in ("Q44", "Q45", "Q53"):
            body = as_user(client, user).get(SCORECARD, {"level": "area_team", "code": code}).json()
            assert body["comments"] == [], (user.role, code)


def test_the_schema_documents_the_comments_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()

    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/cycles/{year}/comments/{id}/"])
    assert "get" in schema["paths"]["/api/v1/cycles/{year}/comments/"]
    comment_schema = schema["components"]["schemas"]["Comment"]["properties"]
    assert "Admins only" in comment_schema["original_text"]["description"]
    assert "comments" in schema["components"]["schemas"]["ScorecardResponse"]["properties"]
