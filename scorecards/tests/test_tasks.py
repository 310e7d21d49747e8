"""A submission refreshes the published scorecards through the signal and the task (tasks run eagerly here)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scorecards.models import ItemKind, Level, ScorecardAggregate, ScorecardCcgAggregate, ScorecardSet, ScorecardState
from scorecards.services import scorecard_apply_response
from scorecards.tasks import scorecard_refresh_task, scorecards_nightly_task, scorecards_publish_task
from scorecards.tests.factories import (
    QUESTIONS_2014,
    RESPONSES_2014,
    aggregate_snapshot,
    ccg_aggregate_snapshot,
    cell,
    import_responses,
    invite,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import Cycle, CycleState
from surveys.services import cycle_set_state, response_get_or_create_draft, response_save_draft, response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(organisations):
    """2014 with 29 responses, published as of an earlier close, and open again for more (fieldwork extended)."""
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    import_responses(cycle, RESPONSES_2014)
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def closed(seeded):
    """The same cycle with fieldwork closed again (results are built only then)."""
    Cycle.objects.filter(pk=seeded.pk).update(state=CycleState.CLOSED)
    seeded.refresh_from_db()
    return seeded


def _aggregate(cycle, area_team: str, code: str, field: str) -> int:
    """Return one statistic of a question in an area team, summed over lead roles (the aggregates, unpublished)."""
    rows = ScorecardAggregate.objects.filter(cycle=cycle, area_team__ods_code=area_team, code=code)
    return sum(getattr(row, field) for row in rows)


def _draft(cycle, ccg, rater_group, answers):
    response = response_get_or_create_draft(invitation=invite(cycle, ccg, rater_group))
    return response_save_draft(response=response, answers=answers)


def test_a_submission_refreshes_its_area_teams_published_figures_after_commit(
    seeded, django_capture_on_commit_callbacks
):
    # Given Q46's published T-POS base is 15, and a Q46 lead with a draft
    cycle = seeded
    before_set = ScorecardState.objects.get(cycle=cycle).current_set_id
    assert cell(cycle, Level.AREA_TEAM, "Q46", ItemKind.QUESTION, "T-POS").base == 15
    draft = _draft(cycle, "00T", "clinical", {"T-POS": 5, "T-NEG": 1, "T-RW": 4})

    # When the lead submits (the signal queues the refresh task after commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response_submit(response=draft)

    # Then the aggregates take it in at once, but the published figures do not move during fieldwork
    assert len(callbacks) >= 1
    assert _aggregate(cycle, "Q46", "T-POS", "people") == 16
    assert ScorecardState.objects.get(cycle=cycle).current_set_id == before_set

    # When fieldwork closes
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_state(cycle=cycle, state=CycleState.CLOSED)

    # Then a new set is current, with Q46, Y54 and England each one more (and 5 more strongly agree)
    state = ScorecardState.objects.get(cycle=cycle)
    assert state.current_set_id != before_set
    assert state.published_version == state.aggregates_version
    assert state.current_set.responses == 30
    q46 = cell(cycle, Level.AREA_TEAM, "Q46", ItemKind.QUESTION, "T-POS")
    assert (q46.base, q46.n5) == (16, 5)
    assert cell(cycle, Level.REGION, "Y54", ItemKind.QUESTION, "T-POS").base == 25
    assert cell(cycle, Level.ENGLAND, "ENG", ItemKind.QUESTION, "T-POS").base == 30
    # (Q46 clinical, now 9, is hidden to protect its 2 managerial leads: see test_figures)
    assert cell(cycle, Level.AREA_TEAM, "Q46", ItemKind.QUESTION, "T-POS", "clinical").suppressed


def test_nothing_is_queued_until_the_submission_commits(seeded, django_capture_on_commit_callbacks):
    cycle = seeded
    draft = _draft(cycle, "00T", "clinical", {"T-POS": 5})

    with django_capture_on_commit_callbacks(execute=False):
        response_submit(response=draft)

    # The callbacks were captured but not run: the aggregates are unchanged
    assert _aggregate(cycle, "Q46", "T-POS", "people") == 15


def test_the_refresh_task_run_twice_counts_the_response_once(seeded, django_capture_on_commit_callbacks):
    # Given a response submitted (but not yet applied)
    cycle = seeded
    draft = _draft(cycle, "00T", "clinical", {"T-POS": 2})
    response = response_submit(response=draft)

    # When its task runs twice (a redelivery), each queueing the publish after its commit
    with django_capture_on_commit_callbacks(execute=True):
        first = scorecard_refresh_task.delay(response.pk, cycle.pk).get()
    once = aggregate_snapshot(cycle)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = scorecard_refresh_task.delay(response.pk, cycle.pk).get()

    # Then the second run changes nothing and queues nothing
    assert (first, second) == (True, False)
    assert aggregate_snapshot(cycle) == once
    assert second_callbacks == []
    assert _aggregate(cycle, "Q46", "T-POS", "n2") == 3


def test_a_burst_of_refreshes_queues_one_publish_until_it_starts(seeded, django_capture_on_commit_callbacks):
    # Given no publish queued, and three submitted responses not yet applied
    cycle = seeded
    ScorecardState.objects.filter(cycle=cycle).update(publish_queued_at=None)
    responses = [
        response_submit(response=_draft(cycle, ccg, "clinical", {"T-POS": 4})) for ccg in ("00T", "00V", "00X")
    ]

    # When two are refreshed one after the other
    with django_capture_on_commit_callbacks(execute=False) as first:
        scorecard_apply_response(response_id=responses[0].pk)
    with django_capture_on_commit_callbacks(execute=False) as second:
        scorecard_apply_response(response_id=responses[1].pk)

    # Then only the first queued a publish (it will take in the second too)
    assert (len(first), len(second)) == (1, 0)
    assert ScorecardState.objects.get(cycle=cycle).publish_queued_at is not None

    # When fieldwork has closed and that publish starts, the next refresh queues the next one
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    scorecards_publish_task.delay(cycle.pk).get()
    state = ScorecardState.objects.get(cycle=cycle)
    assert state.publish_queued_at is None
    assert state.published_version == state.aggregates_version
    with django_capture_on_commit_callbacks(execute=False) as third:
        scorecard_apply_response(response_id=responses[2].pk)
    assert len(third) == 1


def test_a_publish_queued_long_ago_and_never_started_is_queued_again(seeded, django_capture_on_commit_callbacks):
    # Given a publish marked queued two hours ago (its task lost)
    cycle = seeded
    ScorecardState.objects.filter(cycle=cycle).update(publish_queued_at=timezone.now() - timedelta(hours=2))
    response = response_submit(response=_draft(cycle, "00T", "clinical", {"T-POS": 4}))

    # When a refresh runs, it queues a publish again
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scorecard_apply_response(response_id=response.pk)
    assert len(callbacks) == 1


def test_the_nightly_task_recomputes_every_cycle_with_responses(closed):
    seeded = closed
    # Given aggregates that have drifted (lost)
    ScorecardAggregate.objects.filter(cycle=seeded).delete()

    # When the nightly task runs
    queued = scorecards_nightly_task.delay().get()

    # Then the cycle is rebuilt and republished
    assert queued == 1
    assert cell(seeded, Level.ENGLAND, "ENG", ItemKind.QUESTION, "T-POS").base == 29


# --- the management command -------------------------------------------------------------------------


def test_recompute_scorecards_rebuilds_and_prints_the_counts(closed):
    seeded = closed
    # Given the aggregates lost and the current set at some version
    ScorecardAggregate.objects.filter(cycle=seeded).delete()
    before = ScorecardState.objects.get(cycle=seeded).current_set.version
    out = io.StringIO()

    # When the command runs
    call_command("recompute_scorecards", "--cycle", "2014", stdout=out)

    # Then it says what it did, and a new complete set is current
    state = ScorecardState.objects.get(cycle=seeded)
    assert state.current_set.version == before + 1
    # 6 items × (England + 4 regions + 27 area teams) × (all leads, each CCG once, 3 roles) = 960 figures
    assert state.current_set.rows.count() == 960
    text = out.getvalue()
    assert text.startswith("Recomputed 2014: 29 responses, 960 published figures")
    assert cell(seeded, Level.AREA_TEAM, "Q46", ItemKind.QUESTION, "T-POS").base == 15
    assert ScorecardSet.objects.filter(cycle=seeded).count() == 2  # the new set and the one before


def test_recompute_scorecards_with_rescore_gives_the_same_figures(seeded):
    before = aggregate_snapshot(seeded)

    call_command("recompute_scorecards", "--cycle", "2014", "--rescore", stdout=io.StringIO())

    assert aggregate_snapshot(seeded) == before


def test_recompute_scorecards_for_an_unknown_year_is_an_error(seeded):
    with pytest.raises(CommandError, match="There is no cycle for 2099"):
        call_command("recompute_scorecards", "--cycle", "2099", stdout=io.StringIO())


def test_a_recompute_writes_nothing_when_the_figures_are_right_and_repairs_one_wrong_number(seeded):
    from scorecards.services import scorecards_recompute

    # Given right aggregates: a recompute keeps them and their version (nothing to publish again)
    before, version = aggregate_snapshot(seeded), ScorecardState.objects.get(cycle=seeded).aggregates_version
    assert scorecards_recompute(cycle_id=seeded.pk) == version
    assert aggregate_snapshot(seeded) == before

    # When one number in one row goes wrong (same rows, same keys: only a value differs)
    row = ScorecardAggregate.objects.filter(cycle=seeded, kind=ItemKind.QUESTION).order_by("pk").first()
    ScorecardAggregate.objects.filter(pk=row.pk).update(score_sumsq=row.score_sumsq + 1)

    # Then the recompute finds it, puts it right and moves the version on
    assert scorecards_recompute(cycle_id=seeded.pk) > version
    assert aggregate_snapshot(seeded) == before

    # And the same for a CCG's aggregates ("each CCG counts once"): a row lost, and one number wrong
    ccgs, version = ccg_aggregate_snapshot(seeded), ScorecardState.objects.get(cycle=seeded).aggregates_version
    assert ccgs and scorecards_recompute(cycle_id=seeded.pk) == version
    lost, wrong = ScorecardCcgAggregate.objects.filter(cycle=seeded).order_by("pk")[:2]
    lost.delete()
    ScorecardCcgAggregate.objects.filter(pk=wrong.pk).update(people=wrong.people + 1)
    assert scorecards_recompute(cycle_id=seeded.pk) > version
    assert ccg_aggregate_snapshot(seeded) == ccgs
    assert aggregate_snapshot(seeded) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's")
def test_on_postgresql_the_planner_knows_how_few_groups_the_recompute_counts_answers_in(seeded):
    """Without statistics on the four columns together, PostgreSQL takes the recompute's tens of thousands of
    groups for millions and sorts every answer (13 s at 10M answers, not 4): migrate creates them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_statistic_ext s JOIN pg_attribute a "
            "ON a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys) "
            "WHERE s.stxrelid = 'surveys_answer'::regclass AND 'd' = ANY (s.stxkind)"
        )
        columns = {name for (name,) in cursor.fetchall()}
    assert columns == {"area_team_id", "ccg_id", "rater_group", "question_id"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="heap-only updates are PostgreSQL's")
def test_on_postgresql_a_refresh_updates_aggregate_rows_in_place_after_a_recompute_rewrote_them(seeded):
    """A refresh adds to about fifty aggregate rows. On pages packed full (as a full recompute writes them) each
    new row version goes to another page with an entry in every index; with room left on the page (the tables'
    fill factor) PostgreSQL updates in place, touching no index."""
    from scorecards.services import scorecards_recompute

    # Given aggregates a full recompute has just rewritten (one row lost, so it writes both tables again)
    cycle = seeded
    ScorecardAggregate.objects.filter(pk=ScorecardAggregate.objects.filter(cycle=cycle).order_by("pk")[0].pk).delete()
    lost = ScorecardCcgAggregate.objects.filter(cycle=cycle).order_by("pk")[0]
    ScorecardCcgAggregate.objects.filter(pk=lost.pk).delete()
    scorecards_recompute(cycle_id=cycle.pk)

    # When a lead's submission is refreshed into them
    response = response_submit(response=_draft(cycle, "00T", "clinical", {"T-POS": 2, "T-NEG": 5, "T-RW": 4}))
    assert scorecard_apply_response(response_id=response.pk)

    # Then every row it added to was updated in place (this transaction's own counts)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
            "WHERE relname IN ('reports_scorecardaggregate', 'scorecards_scorecardccgaggregate') ORDER BY relname"
        )
        counts = cursor.fetchall()
    assert [name for name, _, _ in counts] == ["reports_scorecardaggregate", "scorecards_scorecardccgaggregate"]
    assert all(updated > 0 and in_place == updated for _, updated, in_place in counts), counts


def test_an_imported_file_is_one_rebuild_and_one_registration_not_one_per_response(
    organisations, django_capture_on_commit_callbacks
):
    from core.models import OutboxTask
    from scorecards.tests.factories import import_for, invite
    from surveys.services import cycle_create, cycle_set_state

    cycle = cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)
    invitations = [invite(cycle, ccg, role) for ccg in ("01C", "01R", "02D") for role in ("clinical", "financial")]
    before = set(OutboxTask.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=False):
        import_for(cycle, [(inv, {"AT-EFFECTIVE": 4, "SUPPORT": 2}) for inv in invitations])

    queued = OutboxTask.objects.exclude(pk__in=before)
    assert sorted(queued.values_list("task", flat=True)) == [
        "reports.tasks.comments_register_task",
        "reports.tasks.scorecards_recompute_task",
    ]
    assert {tuple(row.kwargs.items()) for row in queued} == {(("cycle_id", cycle.pk),)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the refresh's SQL function is PostgreSQL's")
def test_on_postgresql_a_refresh_is_one_call_of_the_function_migrate_installed_and_matches_a_recompute(seeded):
    from scorecards.services import scorecards_recompute
    from scorecards.services.aggregation.refresh import APPLY_FUNCTION

    # Given a CCG lead's response and a partner's, submitted but not yet applied
    cycle = seeded
    lead = response_submit(response=_draft(cycle, "00T", "clinical", {"T-POS": 2, "T-NEG": 5}))
    partner = response_submit(response=_draft(cycle, "00T", "practice", {"T-POS": 4}))

    # When each is refreshed
    with CaptureQueriesContext(connection) as queries:
        applied = [scorecard_apply_response(response_id=r.pk) for r in (lead, partner, lead)]

    # Then each refresh is one call of the installed function (no SQL of its own), a repeat applies nothing,
    # and the aggregates are exactly what a full recompute builds from the answers
    assert applied == [True, True, False]
    calls = [q["sql"] for q in queries.captured_queries if APPLY_FUNCTION in q["sql"]]
    assert len(calls) == 3
    assert not [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    refreshed = aggregate_snapshot(cycle)
    version = ScorecardState.objects.get(cycle=cycle).aggregates_version
    assert scorecards_recompute(cycle_id=cycle.pk) == version  # nothing to put right
    assert aggregate_snapshot(cycle) == refreshed
