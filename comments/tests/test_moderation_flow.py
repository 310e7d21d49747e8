"""Moderating a list: on to the next comment after a decision, bulk approve or hide with a count first,
likely names marked for redaction."""

import re

import pytest

from comments.models import CommentModeration, CommentStatus
from comments.redaction import highlighted, likely_names
from comments.services import MSG_BULK_CHANGED, MSG_BULK_NONE, comments_moderate_bulk
from comments.tests.factories import COMMENTS, NAMED, comment, moderate, seed_comments
from core.errors import Conflict, PermissionDenied
from core.models import AuditEvent
from surveys.models import Cycle

pytestmark = pytest.mark.django_db

Q44 = [text for _, text in COMMENTS["Q44"]]


@pytest.fixture(scope="module")
def comments_cycle_id(module_db):
    return seed_comments().pk


@pytest.fixture
def cycle(comments_cycle_id, db):
    return Cycle.objects.get(pk=comments_cycle_id)


def statuses(cycle, area_team="Q44") -> dict[str, int]:
    rows = CommentModeration.objects.filter(cycle=cycle, area_team__ods_code=area_team).values_list("status", flat=True)
    return {s: list(rows).count(s) for s in set(rows)}


# --- likely names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (NAMED, [("Dr Helen Marsh", "name")]),
        ("We met John Smith twice.", [("John Smith", "name")]),
        ("Thanks to Sarah in the primary care team.", [("Sarah", "name")]),
        ("Ring 0161 496 0123 or +44 20 7946 0958.", [("0161 496 0123", "phone"), ("+44 20 7946 0958", "phone")]),
        ("Write to jo.bloggs@nhs.net today.", [("jo.bloggs@nhs.net", "email")]),
        ("Mrs Patel said no.", [("Mrs Patel", "name")]),
    ],
)
def test_likely_names_titles_emails_and_phone_numbers_are_found(text, marked):
    assert [(text[s.start : s.end], s.kind) for s in likely_names(text)] == marked


@pytest.mark.parametrize(
    "text",
    [
        "NHS England and the Area Team were helpful in March.",
        "Decisions on primary care arrive late. The CCG was not told.",
        "We would like earlier sight of national guidance.",
        "",
    ],
)
def test_sentence_starts_acronyms_and_the_services_own_words_are_not_names(text):
    assert likely_names(text) == []


def test_the_marked_text_is_escaped_html():
    html = highlighted('<script>alert("Dr Evil")</script> from Jane')
    assert "<script>" not in html
    assert '<mark class="app-likely-name" data-kind="name">Dr Evil</mark>' in html
    assert '<mark class="app-likely-name" data-kind="name">Jane</mark>' in html


def test_the_moderation_page_marks_the_likely_name(client, analyst, cycle):
    client.force_login(analyst)

    page = client.get(f"/results/2014/comments/{comment(NAMED).pk}/").text

    marks = re.findall(r'<mark class="app-likely-name" data-kind="(\w+)">([^<]*)</mark>', page)
    assert ("name", "Dr Helen Marsh") in marks


# --- on to the next ---------------------------------------------------------------------------------


def test_each_decision_goes_on_to_the_next_comment_of_the_list_until_the_last(client, analyst, cycle):
    client.force_login(analyst)
    url = f"/results/2014/comments/{comment(Q44[0]).pk}/?area_team=Q44"
    seen = []
    for _ in range(len(Q44)):
        seen.append(url)
        response = client.post(url, {"text": client.get(url).context["form"].initial["text"], "status": "approved"})
        assert response.status_code == 302
        url = response["Location"]
        if not re.search(r"/comments/[0-9a-f-]{36}/", url):
            break
    assert url == "/results/2014/comments/?area_team=Q44"
    assert "That was the last comment in this list." in client.get(url).text
    assert len(set(seen)) == len(Q44)
    assert statuses(cycle) == {"approved": len(Q44)}


# --- bulk -------------------------------------------------------------------------------------------


def test_bulk_approve_shows_the_count_first_then_changes_and_audits_each(client, analyst, cycle):
    client.force_login(analyst)
    moderate(analyst, Q44[1], status="hidden")

    confirm = client.post("/results/2014/comments/bulk/?area_team=Q44&status=all", {"status": "approved"})
    assert confirm.status_code == 200
    assert "Approve 4 comments?" in confirm.text
    assert statuses(cycle) == {"pending": 3, "hidden": 1}

    done = client.post(
        "/results/2014/comments/bulk/?area_team=Q44&status=all",
        {"status": "approved", "expected": "4", "confirm": "yes"},
        follow=True,
    )
    assert "4 comments approved." in done.text
    assert statuses(cycle) == {"approved": 4}
    assert statuses(cycle, "Q45") == {"pending": 1}  # another area team: not in the list
    bulk = AuditEvent.objects.filter(action="comment_moderate", detail__bulk=True)
    assert bulk.count() == 4


def test_bulk_refuses_when_the_list_changed_since_the_count_and_writes_nothing(cycle, analyst):
    filters = {"status": "pending", "area_team": "Q44", "section": None}
    moderate(analyst, Q44[0], status="hidden")  # someone else decided one meanwhile

    with pytest.raises(Conflict) as refused:
        comments_moderate_bulk(user=analyst, cycle=cycle, status="approved", filters=filters, expected=4)

    assert refused.value.message == MSG_BULK_CHANGED.format(count=3)
    assert statuses(cycle) == {"pending": 3, "hidden": 1}


def test_bulk_with_nothing_to_change_or_by_someone_else_is_refused(cycle, analyst, lead):
    filters = {"status": None, "area_team": "Q45", "section": None}
    comments_moderate_bulk(user=analyst, cycle=cycle, status="hidden", filters=filters, expected=1)

    with pytest.raises(Conflict) as nothing:
        comments_moderate_bulk(user=analyst, cycle=cycle, status="hidden", filters=filters, expected=0)
    assert nothing.value.message == MSG_BULK_NONE
    with pytest.raises(PermissionDenied):
        comments_moderate_bulk(user=lead, cycle=cycle, status="approved", filters=filters, expected=1)
    assert statuses(cycle, "Q45") == {"hidden": 1}


def test_bulk_leaves_comments_below_the_threshold_alone_even_for_an_admin(cycle, admin_user):
    filters = {"status": None, "area_team": None, "section": None}
    total = CommentModeration.objects.filter(cycle=cycle).exclude(area_team__ods_code="Q53").count()

    count = comments_moderate_bulk(user=admin_user, cycle=cycle, status="approved", filters=filters, expected=total)

    assert count == total
    assert statuses(cycle, "Q53") == {CommentStatus.PENDING: 1}
