"""Moderating free-text comments: records at submission, the comments threshold, redaction, audit, refusals."""

import json

import pytest

from comments import selectors
from comments.models import CommentModeration, CommentStatus
from comments.services import (
    MSG_TEXT_EMPTY,
    MSG_TEXT_TOO_LONG,
    REDACTION_MARGIN,
    comments_register,
)
from comments.tests.factories import COMMENTS, NAMED, REDACTED, answer_text, comment, moderate, seed_comments
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent
from scorecards.tasks import scorecards_nightly_task
from scorecards.tests.factories import import_responses
from surveys.defaults import comment_code
from surveys.models import Answer, Cycle, CycleState, QuestionType
from surveys.services import cycle_create, cycle_set_state

pytestmark = pytest.mark.django_db

ABOVE = [text for area_team in ("Q44", "Q45") for _, text in COMMENTS[area_team]]
BELOW = [text for _, text in COMMENTS["Q53"]]


@pytest.fixture(scope="module")
def comments_cycle_id(module_db):
    """The cycle with comments most tests here read, built once for the module."""
    return seed_comments().pk


@pytest.fixture
def cycle(comments_cycle_id, db):
    return Cycle.objects.get(pk=comments_cycle_id)


def texts(comments) -> list[str]:
    return sorted(c.shown_text for c in comments)


# --- records ---------------------------------------------------------------------------------------


def test_each_submitted_comment_gets_one_record_waiting_for_moderation(
    no_cycles, organisations, django_capture_on_commit_callbacks
):
    # Given an open cycle
    cycle = cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)

    # When two leads submit, one with two comments and a blank one, the other with none (the receiver runs)
    with django_capture_on_commit_callbacks(execute=True):
        import_responses(
            cycle,
            [
                (
                    "01C",
                    "clinical",
                    {
                        "CP-SHARED-GOALS": 4,
                        comment_code("HONESTY"): "Open with us.",
                        comment_code("AREA-TEAM"): "Slow to reply.",
                        comment_code("LEADERSHIP"): "  ",
                    },
                ),
                ("01C", "managerial", {"CP-SHARED-GOALS": 2}),
            ],
        )

    # Then each comment has one record, waiting, with its area team and section, and nothing else has one
    records = CommentModeration.objects.select_related("question__section", "area_team").order_by("question__order")
    assert sorted((r.question.section.code, r.area_team.ods_code, r.status) for r in records) == [
        ("AREA-TEAM", "Q44", CommentStatus.PENDING),
        ("HONESTY", "Q44", CommentStatus.PENDING),
    ]
    assert all(r.question.type == QuestionType.FREE_TEXT and r.redacted_text == "" for r in records)
    # and registering again (the nightly reconcile) adds nothing
    assert comments_register(cycle_id=cycle.pk) == 0
    assert CommentModeration.objects.count() == 2


def test_the_nightly_reconcile_registers_comments_a_lost_task_missed(cycle):
    CommentModeration.objects.filter(answer__text=NAMED).delete()

    scorecards_nightly_task.delay().get()

    assert comment(NAMED).status == CommentStatus.PENDING
    assert CommentModeration.objects.count() == len(ABOVE) + len(BELOW)


# --- the threshold ---------------------------------------------------------------------------------


def test_comments_below_the_threshold_never_reach_an_analyst(cycle, analyst):
    # Q44 has exactly 8 responses (the threshold), Q45 9, Q53 7
    analysts = selectors.comments_for_moderator(user=analyst, cycle=cycle)

    assert texts(analysts) == sorted(ABOVE)
    for status in CommentStatus.values:
        assert not any(
            c.area_team.ods_code == "Q53"
            for c in selectors.comments_for_moderator(user=analyst, cycle=cycle, status=status)
        )
    assert list(selectors.comments_for_moderator(user=analyst, cycle=cycle, area_team="q53")) == []
    below = comment(BELOW[0])
    with pytest.raises(DomainError) as refused:
        selectors.comment_for_moderator(user=analyst, cycle=cycle, comment_id=below.pk)
    assert refused.value.status == 404


def test_the_threshold_is_a_setting(cycle, analyst, settings):
    settings.COMMENTS_MIN_BASE = 9

    analysts = selectors.comments_for_moderator(user=analyst, cycle=cycle)

    assert texts(analysts) == sorted(text for _, text in COMMENTS["Q45"])


def test_admins_read_every_comment_with_its_original_and_whether_it_is_above_the_threshold(cycle, admin_user, analyst):
    moderate(analyst, NAMED, text=REDACTED)

    admins = {c.original_text: c for c in selectors.comments_for_moderator(user=admin_user, cycle=cycle)}

    assert sorted(admins) == sorted(ABOVE + BELOW)
    assert admins[NAMED].shown_text == REDACTED
    assert {text: c.above_threshold for text, c in admins.items()} == {
        **dict.fromkeys(ABOVE, True),
        **dict.fromkeys(BELOW, False),
    }


def test_an_analyst_reads_the_redaction_and_never_the_original(cycle, analyst):
    moderate(analyst, NAMED, text=REDACTED)

    (redacted,) = [c for c in selectors.comments_for_moderator(user=analyst, cycle=cycle) if c.redacted_text]

    assert redacted.shown_text == REDACTED
    assert not hasattr(redacted, "original_text")
    assert "Helen Marsh" not in json.dumps(
        [c.shown_text for c in selectors.comments_for_moderator(user=analyst, cycle=cycle)]
    )


def test_only_nhscc_staff_read_the_queue(cycle, lead, area_team_member):
    for user in (lead, area_team_member):
        with pytest.raises(PermissionDenied):
            selectors.comments_for_moderator(user=user, cycle=cycle)


# --- moderating ------------------------------------------------------------------------------------


def test_a_redaction_keeps_the_original_and_is_audited_without_any_text(cycle, analyst):
    # When an analyst redacts a name and approves the comment
    moderated = moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=REDACTED, ip="10.0.0.7")

    # Then the answer is unchanged, the redaction is kept beside it and the change is audited
    assert answer_text(moderated) == NAMED
    assert (moderated.status, moderated.redacted_text, moderated.moderated_by) == (
        CommentStatus.APPROVED,
        REDACTED,
        analyst,
    )
    assert moderated.moderated_at is not None
    (event,) = AuditEvent.objects.all()
    assert (event.actor, event.action, event.object_type, event.object_id, event.ip) == (
        analyst,
        "comment_moderate",
        "comments.commentmoderation",
        str(moderated.pk),
        "10.0.0.7",
    )
    assert event.detail == {
        "cycle": 2014,
        "area_team": "Q44",
        "section": "COMMON-PURPOSE",
        "old_status": "pending",
        "new_status": "approved",
        "was_redacted": False,
        "redacted": True,
        "redaction_changed": True,
    }
    assert "Helen" not in json.dumps(event.detail) and "removed" not in json.dumps(event.detail)


def test_a_moderator_can_change_their_mind_and_each_change_is_audited(cycle, analyst, admin_user):
    steps = [
        (analyst, CommentStatus.APPROVED),
        (analyst, CommentStatus.HIDDEN),
        (admin_user, CommentStatus.APPROVED),
        (analyst, CommentStatus.PENDING),
        (admin_user, CommentStatus.HIDDEN),
    ]
    for user, status in steps:
        assert moderate(user, NAMED, status=status).status == status

    events = AuditEvent.objects.order_by("pk")
    assert [(e.actor, e.detail["old_status"], e.detail["new_status"]) for e in events] == [
        (analyst, "pending", "approved"),
        (analyst, "approved", "hidden"),
        (admin_user, "hidden", "approved"),
        (analyst, "approved", "pending"),
        (admin_user, "pending", "hidden"),
    ]


def test_nothing_is_written_when_nothing_changes(cycle, analyst):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=REDACTED)

    again = moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=f"  {REDACTED}\r\n")

    assert again.redacted_text == REDACTED
    assert AuditEvent.objects.count() == 1


def test_the_text_as_given_removes_the_redaction(cycle, analyst, admin_user):
    moderate(analyst, NAMED, text=REDACTED)

    restored = moderate(admin_user, NAMED, text=NAMED)

    assert restored.redacted_text == ""
    assert AuditEvent.objects.latest("pk").detail["redaction_changed"] is True


HOSTILE = [
    pytest.param({"status": "published"}, "invalid_status", id="unknown status"),
    pytest.param({"status": ""}, "invalid_status", id="blank status"),
    pytest.param({}, "nothing_to_change", id="nothing"),
    pytest.param({"text": ""}, "comment_text_empty", id="empty text"),
    pytest.param({"text": " \n\t "}, "comment_text_empty", id="blank text"),
    pytest.param({"text": "x" * (len(NAMED) + REDACTION_MARGIN + 1)}, "comment_text_too_long", id="too long"),
    pytest.param({"text": "name\x00removed"}, "comment_text_invalid", id="NUL"),
    pytest.param({"status": "approved", "text": ""}, "comment_text_empty", id="approve with empty text"),
]


@pytest.mark.parametrize(("changes", "code"), HOSTILE)
def test_bad_moderation_is_refused_and_writes_nothing(cycle, analyst, changes, code):
    before = list(CommentModeration.objects.values())

    with pytest.raises(DomainError) as refused:
        moderate(analyst, NAMED, **changes)

    assert (refused.value.code, refused.value.status) == (code, 400)
    assert list(CommentModeration.objects.values()) == before
    assert AuditEvent.objects.count() == 0
    assert answer_text(comment(NAMED)) == NAMED


def test_refusal_messages_say_what_to_do_without_giving_the_length_of_the_original(cycle, analyst):
    with pytest.raises(DomainError, match=MSG_TEXT_EMPTY):
        moderate(analyst, NAMED, text="")
    with pytest.raises(DomainError) as too_long:
        moderate(analyst, NAMED, text="x" * 5000)
    assert too_long.value.message == MSG_TEXT_TOO_LONG
    assert str(len(NAMED)) not in MSG_TEXT_TOO_LONG


def test_a_redaction_up_to_the_margin_is_accepted(cycle, analyst):
    text = "y" * (len(NAMED) + REDACTION_MARGIN)

    assert moderate(analyst, NAMED, text=text).redacted_text == text


def test_html_in_a_redaction_is_stored_as_text(cycle, analyst):
    hostile = '<script>alert("x")</script> [name removed]'

    assert moderate(analyst, NAMED, text=hostile).redacted_text == hostile


def test_only_nhscc_staff_moderate(cycle, lead, area_team_member):
    for user in (lead, area_team_member):
        with pytest.raises(PermissionDenied):
            moderate(user, NAMED, status=CommentStatus.APPROVED)
    assert comment(NAMED).status == CommentStatus.PENDING
    assert AuditEvent.objects.count() == 0


def test_a_comment_below_the_threshold_cannot_be_moderated_even_by_an_admin(cycle, admin_user):
    with pytest.raises(Conflict) as refused:
        moderate(admin_user, BELOW[0], status=CommentStatus.APPROVED)

    assert refused.value.code == "below_threshold"
    assert "fewer than 8 responses" in refused.value.message
    assert comment(BELOW[0]).status == CommentStatus.PENDING
    assert AuditEvent.objects.count() == 0


# --- published comments ----------------------------------------------------------------------------


def test_a_scorecard_shows_approved_comments_only_redacted_by_section_in_an_order_unrelated_to_submission(
    cycle, analyst
):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=REDACTED)
    moderate(analyst, COMMENTS["Q44"][1][1], status=CommentStatus.APPROVED)
    moderate(analyst, COMMENTS["Q44"][2][1], status=CommentStatus.APPROVED)
    moderate(analyst, COMMENTS["Q44"][3][1], status=CommentStatus.HIDDEN)
    moderate(analyst, COMMENTS["Q45"][0][1], status=CommentStatus.APPROVED)

    groups = selectors.published_comments(cycle=cycle, area_team="q44")

    assert [(g.code, g.title) for g in groups] == [
        ("COMMON-PURPOSE", "Common purpose"),
        ("HONESTY", "Honesty and transparency"),
    ]
    common = CommentModeration.objects.filter(answer__text__in=[NAMED, COMMENTS["Q44"][1][1]]).order_by("pk")
    by_id = [REDACTED if c.answer.text == NAMED else c.answer.text for c in common]
    assert groups[0].texts == by_id  # by random id, never by answer (submission) order
    assert groups[1].texts == [COMMENTS["Q44"][2][1]]
    assert selectors.published_comments(cycle=cycle, area_team=None) == []


def test_approved_comments_of_an_area_team_that_falls_below_the_threshold_are_not_shown(cycle, analyst, settings):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)
    assert selectors.published_comments(cycle=cycle, area_team="Q44")

    settings.COMMENTS_MIN_BASE = 9

    assert selectors.published_comments(cycle=cycle, area_team="Q44") == []


def test_published_comments_are_one_query(cycle, analyst, django_assert_num_queries):
    moderate(analyst, NAMED, status=CommentStatus.APPROVED)

    with django_assert_num_queries(1):
        selectors.published_comments(cycle=cycle, area_team="Q44")


def test_answers_themselves_are_never_changed(cycle, analyst, admin_user):
    before = list(Answer.objects.order_by("pk").values_list("pk", "text"))
    moderate(analyst, NAMED, status=CommentStatus.APPROVED, text=REDACTED)
    moderate(admin_user, COMMENTS["Q45"][0][1], status=CommentStatus.HIDDEN, text="[details removed]")

    assert list(Answer.objects.order_by("pk").values_list("pk", "text")) == before


def test_the_migration_gives_comments_submitted_before_moderation_their_records(cycle):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The models as that migration knew them (CommentModeration was still in the reports app then).
    apps = MigrationLoader(connection).project_state(("reports", "0004_commentmoderation")).apps
    migration = importlib.import_module("reports.migrations.0004_commentmoderation")
    CommentModeration.objects.filter(answer__text=NAMED).delete()

    migration.register_existing_comments(apps, None)
    migration.register_existing_comments(apps, None)  # safe to run twice

    assert comment(NAMED).status == CommentStatus.PENDING
    assert CommentModeration.objects.count() == len(ABOVE) + len(BELOW)
