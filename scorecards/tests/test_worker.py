"""Scorecards through Redis and real Celery worker processes (PostgreSQL + Redis only).

(a) A submission's refresh task goes through the broker to a worker, which applies and publishes it.
(b) A worker killed (SIGKILL) part-way through a full recompute loses nothing: the task was not
    acknowledged (acks late), so after the visibility timeout a new worker gets it again, and the
    figures end up complete and equal to a fresh in-process recompute.
"""

import os
import signal
import threading
import time

import pytest
from django.db import DatabaseError, transaction

from core.tests.workers import celery_worker, purge_queues, wait_for
from scorecards.models import AppliedResponse, ItemKind, Level, ScorecardAggregate, ScorecardState
from scorecards.services import scorecards_publish, scorecards_recompute
from scorecards.tasks import scorecards_recompute_task
from scorecards.tests.factories import (
    QUESTIONS_2014,
    RESPONSES_2014,
    aggregate_snapshot,
    cell,
    close_fieldwork,
    import_responses,
    invite,
    make_cycle,
    scorecard_snapshot,
)
from surveys.models import CycleState
from surveys.services import cycle_set_state, response_get_or_create_draft, response_save_draft, response_submit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 5  # seconds; a killed worker's task is restored this long after its delivery


def _drain(process) -> list[str]:
    """Read the worker's output in the background (so a full pipe never blocks it); return the lines."""
    lines: list[str] = []

    def read():
        for line in process.stdout:
            lines.append(line.rstrip())

    threading.Thread(target=read, daemon=True).start()
    return lines


def _published(cycle, responses: int):
    state = ScorecardState.objects.select_related("current_set").filter(cycle=cycle).first()
    if state and state.current_set and state.current_set.responses == responses:
        return state
    return None


def test_a_submission_goes_through_redis_to_a_worker_that_refreshes_the_scorecard(organisations):
    purge_queues()
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    with celery_worker(visibility_timeout=VISIBILITY_TIMEOUT) as worker:
        log = _drain(worker)
        # Given six Q46 responses already imported (their rebuild task goes through Redis to the worker)
        import_responses(cycle, [row for row in RESPONSES_2014 if row[0] in ("00T",)][:6])
        assert wait_for(lambda: _applied(cycle) == 6, timeout=60), "\n".join(log[-40:])

        # When a lead submits on the web (the task is sent after commit, not run in this process)
        draft = response_get_or_create_draft(invitation=invite(cycle, "00T", "clinical"))
        response_save_draft(response=draft, answers={"T-POS": 5, "T-NEG": 1, "T-RW": 4})
        response_submit(response=draft)

        # Then the worker applies it, but nothing is published while fieldwork is open
        assert wait_for(lambda: _applied(cycle) == 7, timeout=60), "\n".join(log[-40:])
        assert ScorecardState.objects.get(cycle=cycle).current_set_id is None

        # When fieldwork closes, the worker builds the results: a set with Q46's base of 7
        with transaction.atomic():
            cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
        state = wait_for(lambda: _published(cycle, 7), timeout=60)
        assert state is not None, "\n".join(log[-40:])
        assert worker.poll() is None, "the worker process died"
    q46 = cell(cycle, Level.AREA_TEAM, "Q46", ItemKind.QUESTION, "T-POS")
    assert (q46.base, q46.n5) == (7, 3)
    assert state.published_version == state.aggregates_version


def _applied(cycle) -> int:
    """Return how many of the cycle's responses are in its aggregates."""
    return AppliedResponse.objects.filter(cycle=cycle).count()


def _recompute_in_progress(cycle) -> bool:
    """True while another session holds the cycle's scorecard lock (the recompute's transaction)."""
    try:
        with transaction.atomic():
            list(ScorecardState.objects.select_for_update(nowait=True).filter(cycle=cycle))
    except DatabaseError:
        return True
    return False


def test_a_worker_killed_mid_recompute_is_replaced_and_the_figures_end_up_complete(organisations):
    # Given a cycle of 29 responses whose figures were never built (the refresh tasks are dropped)
    purge_queues()
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    import_responses(cycle, RESPONSES_2014)
    purge_queues()
    close_fieldwork(cycle)  # results are built once fieldwork has closed
    ScorecardState.objects.create(cycle=cycle)
    slow = {"DJANGO_SETTINGS_MODULE": "scorecards.tests.worker_settings", "TEST_RECOMPUTE_PAUSE_SECONDS": "120"}

    # When a worker that pauses inside the recompute (before commit) takes the recompute task ...
    with celery_worker(visibility_timeout=VISIBILITY_TIMEOUT, extra_env=slow) as first:
        log = _drain(first)
        scorecards_recompute_task.delay(cycle.pk)
        assert wait_for(lambda: any("test pause" in line for line in log), timeout=60), "\n".join(log[-40:])
        assert _recompute_in_progress(cycle)
        delivered = time.monotonic()
        # ... and is killed there
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    # Nothing of the half-done recompute was committed
    assert wait_for(lambda: not _recompute_in_progress(cycle), timeout=30)
    assert not ScorecardAggregate.objects.filter(cycle=cycle).exists()
    assert ScorecardState.objects.get(cycle=cycle).current_set_id is None

    # Once the visibility timeout has passed, a new worker starts: it restores the unacknowledged task
    time.sleep(max(0.0, delivered + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    started = time.monotonic()
    with celery_worker(visibility_timeout=VISIBILITY_TIMEOUT) as second:
        log = _drain(second)
        state = wait_for(lambda: _published(cycle, 29), timeout=180, interval=0.5)
        assert state is not None, "the task was not redelivered within 180 s:\n" + "\n".join(log[-40:])
        assert any("scorecards_recompute_task" in line and "received" in line.lower() for line in log), log[-40:]
    redelivered_after = time.monotonic() - started

    # Then the figures are complete and equal to a fresh in-process recompute
    worker_aggregates = aggregate_snapshot(cycle)
    worker_rows = scorecard_snapshot(state.current_set)
    scorecards_recompute(cycle_id=cycle.pk, rescore=True)
    fresh = scorecards_publish(cycle_id=cycle.pk, force=True)
    assert aggregate_snapshot(cycle) == worker_aggregates
    assert scorecard_snapshot(fresh) == worker_rows
    assert cell(cycle, Level.ENGLAND, "ENG", ItemKind.QUESTION, "T-POS").base == 29
    assert redelivered_after < 180
