"""The moderation pages and the comments on published scorecards: who sees what, redaction, errors, speed."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache

from comments.models import CommentStatus
from comments.services import MSG_TEXT_EMPTY, MSG_TEXT_TOO_LONG
from comments.tests.factories import COMMENTS, NAMED, REDACTED, answer_text, comment, moderate, seed_comments
from core.models import AuditEvent
from organisations.models import CCG
from scorecards.tests.factories import text_of
from surveys.models import Cycle, CycleState
from surveys.services import cycle_set_state

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "ccg_lead", "analyst", "admin", "area_team_member", "other_area_team_member")
BELOW = COMMENTS["Q53"][0][1]
SECOND = COMMENTS["Q44"][1][1]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "comments"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(users_by_role, make_user):
    return {**users_by_role, "other_area_team_member": make_user(role="area_team_member", area_team_code="Q53")}


@pytest.fixture(scope="module")
def comments_cycle_id(module_db):
    """The cycle with comments most tests here read, built once for the module."""
    return seed_comments().pk


@pytest.fixture
def cycle(comments_cycle_id, db):
    return Cycle.objects.get(pk=comments_cycle_id)


def publish(cycle):
    return cycle_set_state(cycle=cycle_set_state(cycle=cycle, state=CycleState.CLOSED), state=CycleState.PUBLISHED)


def get_as(client, user, path):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(path)


def outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/sign-in/"):
        return "sign in"
    return response.status_code


# --- who may open what -----------------------------------------------------------------------------

# page                anonymous   ccg_lead  analyst  admin  area_team_member  other_area_team_member
QUEUE_MATRIX = {
    "queue": ("sign in", 403, 200, 200, 403, 403),
    "moderate": ("sign in", 403, 200, 200, 403, 403),
    "moderate below": ("sign in", 403, 404, 200, 403, 403),
    "latest": ("sign in", 403, 302, 302, 403, 403),
}


@pytest.mark.parametrize("published", [False, True], ids=["open", "published"])
def test_who_can_open_the_moderation_pages_before_and_after_publication(client, people, cycle, published):
    if published:
        cycle = publish(cycle)
    paths = {
        "queue": "/results/2014/comments/",
        "moderate": f"/results/2014/comments/{comment(NAMED).pk}/",
        "moderate below": f"/results/2014/comments/{comment(BELOW).pk}/",
        "latest": "/results/comments/",
    }
    got = {
        (page, role): outcome(get_as(client, people.get(role), path)) for page, path in paths.items() for role in ROLES
    }

    assert got == {(page, role): QUEUE_MATRIX[page][i] for page in paths for i, role in enumerate(ROLES)}
    for role in ("ccg_lead", "area_team_member", "other_area_team_member"):
        client.force_login(people[role])
        assert client.post(paths["moderate"], {"text": "x", "status": "approved"}).status_code == 403
    assert comment(NAMED).status == CommentStatus.PENDING


# scorecard of Q44     anonymous   ccg_lead  analyst  admin  area_team_member  other_area_team_member
SCORECARD_BEFORE = ("sign in", 403, 200, 200, 403, 403)
SCORECARD_AFTER = ("sign in", 200, 200, 200, 200, 403)


@pytest.mark.parametrize("published", [False, True], ids=["open", "published"])
def test_approved_comments_are_on_the_area_team_scorecard_for_whoever_may_read_it(client, people, cycle, published):
    moderate(people["analyst"], NAMED, status=CommentStatus.APPROVED, text=REDACTED)
    if published:
        cycle = publish(cycle)

    for i, role in enumerate(ROLES):
        response = get_as(client, people.get(role), "/results/2014/area-team/Q44/")
        expected = (SCORECARD_AFTER if published else SCORECARD_BEFORE)[i]
        assert outcome(response) == expected, role
        if expected == 200:
            assert REDACTED in text_of(response.text)
            assert "Helen Marsh" not in response.text


def test_the_home_page_and_results_index_link_nhscc_staff_to_the_queue(client, people, cycle):
    for role in ("analyst", "admin"):
        client.force_login(people[role])
        assert 'href="/results/comments/"' in client.get("/").text
        assert 'href="/results/2014/comments/"' in client.get("/results/").text
        assert client.get("/results/comments/")["Location"] == "/results/2014/comments/"
    for role in ("ccg_lead", "area_team_member"):
        client.force_login(people[role])
        assert "/comments/" not in client.get("/").text
        assert "/comments/" not in client.get("/results/").text


def test_the_latest_link_leads_to_the_latest_year_with_comments_waiting(client, analyst, cycle):
    publish(cycle)
    later = seed_comments(2015, comments={})

    client.force_login(analyst)
    assert client.get("/results/comments/")["Location"] == "/results/2014/comments/"
    assert later.year == 2015
    for record in [comment(text) for area_team in ("Q44", "Q45") for _, text in COMMENTS[area_team]]:
        moderate(analyst, answer_text(record), status=CommentStatus.HIDDEN)
    assert client.get("/results/comments/")["Location"] == "/results/2015/comments/"  # nothing waiting: the latest


# --- the queue -------------------------------------------------------------------------------------


def comment_cards(html: str) -> list[str]:
    return re.findall(r'<li data-testid="comment".*?</li>\s*(?=<li data-testid="comment"|</ul>)', html, re.S)


def test_the_queue_shows_waiting_comments_above_the_threshold_with_section_and_area_team_only(client, analyst, cycle):
    client.force_login(analyst)

    html = client.get("/results/2014/comments/").text

    cards = [text_of(card) for card in comment_cards(html)]
    assert len(cards) == 5  # Q44's four and Q45's one; never Q53's
    assert any("Common purpose: Cheshire, Warrington and Wirral" in card and NAMED in card for card in cards)
    assert BELOW not in html
    assert not any("Arden, Herefordshire and Worcestershire" in card for card in cards)  # Q53
    assert "5 waiting for moderation, 0 approved, 0 hidden." in text_of(html)
    # No attribution: no CCG, no lead, no lead role, no email
    ccg_names = CCG.objects.filter(area_team__ods_code__in=["Q44", "Q45"]).values_list("name", flat=True)
    for card in cards:
        assert not any(name in card for name in ccg_names)
        assert not re.search(r"clinical|managerial|financial|@", card, re.I)
    assert "Original (admins only)" not in html


def test_the_queue_filters_by_status_area_team_and_section(client, analyst, cycle):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)
    client.force_login(analyst)

    def shown(query):
        return sorted(re.findall(r'data-status="(\w+)"', client.get(f"/results/2014/comments/?{query}").text))

    assert shown("") == ["pending"] * 4
    assert shown("status=approved") == ["approved"]
    assert shown("status=all") == ["approved"] + ["pending"] * 4
    assert shown("status=all&area_team=Q45") == ["pending"]
    assert shown("status=all&section=HONESTY") == ["pending"] * 2
    assert shown("status=all&area_team=Q53") == []
    assert shown("status=nonsense&area_team=ZZZ&section=NOPE") == ["pending"] * 4  # invalid filters fall back


def test_admins_see_comments_below_the_threshold_and_originals(client, admin_user, analyst, cycle):
    moderate(analyst, NAMED, text=REDACTED)
    client.force_login(admin_user)

    html = client.get("/results/2014/comments/").text

    assert BELOW in html and "Below the threshold" in html
    assert "Original (admins only)" in html and NAMED in html
    page = client.get(f"/results/2014/comments/{comment(NAMED).pk}/").text
    assert "Original (admins only)" in page and NAMED in page and REDACTED in page
    below = client.get(f"/results/2014/comments/{comment(BELOW).pk}/").text
    assert 'data-testid="below-threshold"' in below and 'data-testid="moderation-form"' not in below


def test_the_queue_makes_a_fixed_number_of_queries(
    client, analyst, no_cycles, organisations, django_assert_max_num_queries
):
    many = {"Q44": [("COMMON-PURPOSE", f"Comment number {i}.") for i in range(8)]}
    seed_comments(responses={"Q44": 8}, comments=many)
    client.force_login(analyst)
    client.get("/")

    with django_assert_max_num_queries(10):
        assert client.get("/results/2014/comments/?status=all").status_code == 200


# --- moderating ------------------------------------------------------------------------------------


def test_an_analyst_redacts_a_name_and_approves_and_never_sees_the_original_again(client, analyst, cycle):
    client.force_login(analyst)
    path = f"/results/2014/comments/{comment(NAMED).pk}/?area_team=Q44"
    form = client.get(path).text
    assert NAMED in form  # the analyst moderating it reads it once, to redact it

    response = client.post(path, {"text": REDACTED, "status": "approved"})

    # On to the next comment waiting in the same list (Q44), with the message of the decision.
    assert response.status_code == 302
    assert re.fullmatch(r"/results/2014/comments/[0-9a-f-]{36}/\?area_team=Q44", response["Location"])
    after = client.get(response["Location"]).text
    assert (
        "The comment is approved. It is shown on the Cheshire, Warrington and Wirral scorecard once the 2014 "
        in text_of(after)
    )
    assert "Here is the next comment in the list." in text_of(after)
    assert answer_text(comment(NAMED)) == NAMED
    event = AuditEvent.objects.get()
    assert (event.actor, event.detail["new_status"]) == (analyst, "approved")
    for page in (
        "/results/2014/comments/?status=all",
        "/results/2014/comments/?status=approved",
        f"/results/2014/comments/{comment(NAMED).pk}/",
        "/results/2014/area-team/Q44/",
        "/api/v1/cycles/2014/comments/",
        f"/api/v1/cycles/2014/comments/{comment(NAMED).pk}/",
        "/api/v1/cycles/2014/scorecards/?level=area_team&code=Q44",
    ):
        body = client.get(page).content.decode()
        assert "Helen Marsh" not in body, page
    assert REDACTED in text_of(client.get(f"/results/2014/comments/{comment(NAMED).pk}/").text)


def test_a_moderator_changes_their_mind(client, analyst, cycle):
    client.force_login(analyst)
    path = f"/results/2014/comments/{comment(SECOND).pk}/"

    client.post(path, {"text": SECOND, "status": "approved"})
    hidden = client.post(path, {"text": SECOND, "status": "hidden"}, follow=True)

    assert "The comment is hidden. It will not be shown on any scorecard." in text_of(hidden.text)
    assert comment(SECOND).status == CommentStatus.HIDDEN
    assert [e.detail["new_status"] for e in AuditEvent.objects.order_by("pk")] == ["approved", "hidden"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   ", "status": "approved"}, MSG_TEXT_EMPTY),
        ({"text": "x" * 500, "status": "approved"}, MSG_TEXT_TOO_LONG),
        ({"text": REDACTED, "status": "published"}, "Choose whether to approve or hide the comment."),
        ({"text": REDACTED}, "Choose whether to approve or hide the comment."),
    ],
    ids=["blank", "too long", "bad status", "no status"],
)
def test_a_bad_moderation_shows_an_error_summary_and_writes_nothing(client, analyst, cycle, data, message):
    client.force_login(analyst)

    response = client.post(f"/results/2014/comments/{comment(NAMED).pk}/", data)

    assert response.status_code == 400
    html = response.text
    summary = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, re.S).group(0)
    assert "There is a problem" in summary and message in text_of(summary)
    assert re.search(r'href="#id_(text|status_0)"', summary)
    assert "<title>Error: " in html
    assert comment(NAMED).status == CommentStatus.PENDING and comment(NAMED).redacted_text == ""
    assert AuditEvent.objects.count() == 0


def test_html_in_a_redaction_is_escaped_on_every_page(client, analyst, cycle):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> [name removed]'
    moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=hostile)
    client.force_login(analyst)

    for path in (
        "/results/2014/comments/?status=all",
        f"/results/2014/comments/{comment(NAMED).pk}/",
        "/results/2014/area-team/Q44/",
    ):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, path


def test_admins_cannot_moderate_a_comment_below_the_threshold(client, admin_user, cycle):
    client.force_login(admin_user)

    response = client.post(f"/results/2014/comments/{comment(BELOW).pk}/", {"text": BELOW, "status": "approved"})

    assert response.status_code == 400
    assert "fewer than 8 responses" in text_of(response.text)
    assert comment(BELOW).status == CommentStatus.PENDING


# --- the published scorecard ----------------------------------------------------------------------


def test_the_scorecard_shows_approved_comments_by_section_without_attribution(client, people, cycle):
    analyst = people["analyst"]
    moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=REDACTED)
    moderate(analyst, COMMENTS["Q44"][2][1], status=CommentStatus.APPROVED)
    moderate(analyst, COMMENTS["Q44"][3][1], status=CommentStatus.HIDDEN)
    publish(cycle)
    client.force_login(people["area_team_member"])

    html = client.get("/results/2014/area-team/Q44/").text

    section = html.split('id="comments"', 1)[1].split('id="response"', 1)[0]
    assert [text_of(t) for t in re.findall(r"<h3[^>]*>(.*?)</h3>", section)] == [
        "Common purpose",
        "Honesty and transparency",
    ]
    assert [text_of(q) for q in re.findall(r"<blockquote.*?</blockquote>", section, re.S)] == [
        REDACTED,
        COMMENTS["Q44"][2][1],
    ]
    assert SECOND not in html  # waiting
    assert COMMENTS["Q44"][3][1] not in html  # hidden
    ccg_names = CCG.objects.filter(area_team__ods_code="Q44").values_list("name", flat=True)
    assert not any(name in section for name in ccg_names)
    assert not re.search(r"clinical lead|managerial lead|financial lead|@", section, re.I)
    assert "Moderate the comments" not in html  # NHSCC staff only


def test_below_the_threshold_nothing_is_published_even_if_it_was_approved(client, lead, analyst, cycle, settings):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)
    publish(cycle)
    settings.COMMENTS_MIN_BASE = 9  # Q44 has 8 responses
    client.force_login(lead)

    html = client.get("/results/2014/area-team/Q44/").text

    assert NAMED not in html
    assert "No comments about Cheshire, Warrington and Wirral have been published." in text_of(html)


def test_england_and_region_scorecards_show_no_comments(client, lead, analyst, cycle):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)
    publish(cycle)
    client.force_login(lead)

    for path in ("/results/2014/england/", "/results/2014/region/Y54/"):
        html = client.get(path).text
        assert NAMED not in html and 'id="comments"' not in html


def test_the_scorecard_with_comments_makes_a_fixed_number_of_queries(
    client, analyst, no_cycles, organisations, django_assert_max_num_queries
):
    many = {
        "Q44": [(section, f"Comment {i} about {section}.") for i, section in enumerate(["HONESTY", "AREA-TEAM"] * 4)]
    }
    cycle = seed_comments(responses={"Q44": 8}, comments=many, figures=True)
    for record in comment_records(cycle):
        moderate(analyst, answer_text(record), status=CommentStatus.APPROVED)
    client.force_login(analyst)
    client.get("/")

    # 9 queries before comments (scorecards/tests/test_results_cache.py), plus one for any number of comments
    with django_assert_max_num_queries(10):
        html = client.get("/results/2014/area-team/Q44/").text
    assert html.count("<blockquote") == 8


def comment_records(cycle):
    from comments.models import CommentModeration

    return list(CommentModeration.objects.filter(cycle=cycle))


def test_sign_in_redirect_keeps_the_queue_address(client, cycle):
    response = client.get("/results/2014/comments/")

    assert response["Location"] == f"/sign-in/?next={quote('/results/2014/comments/')}"
