"""A worker SIGKILLed while a publish is pending (PostgreSQL + Redis + real workers): the lost publish would
come back only after the visibility timeout (an hour); beat's catch-up makes the figures current within two
minutes of a new worker starting."""

import os
import signal
import threading
import time

import pytest

from core.tests.workers import celery_worker, purge_queues, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _drain(process) -> list[str]:
    lines: list[str] = []

    def read():
        for line in process.stdout:
            lines.append(line.rstrip())

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_figures_are_current_within_two_minutes_of_a_new_worker_after_one_is_killed_with_a_publish_pending(
    organisations,
):
    from scorecards.models import ScorecardState
    from scorecards.tasks import scorecards_publish_catch_up_task
    from surveys.models import Cycle, CycleState
    from surveys.services import (
        cycle_create,
        cycle_set_state,
        response_get_or_create_draft,
        response_save_draft,
        response_submit,
    )
    from surveys.tests.factories import InvitationFactory, LeadFactory

    purge_queues()
    cycle = cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)
    # An hour's visibility timeout, as in production: the lost publish does not come back during the test.
    hour = {"CELERY_VISIBILITY_TIMEOUT": "3600", "SCORECARD_PUBLISH_DELAY_SECONDS": "20"}
    with celery_worker(visibility_timeout=3600, extra_env=hour) as first:
        log = _drain(first)
        draft = response_get_or_create_draft(invitation=InvitationFactory(cycle=cycle, user=LeadFactory()))
        response_save_draft(response=draft, answers={"CP-SHARED-GOALS": 5})
        response_submit(response=draft)

        def applied_not_published():
            state = ScorecardState.objects.filter(cycle=cycle).first()
            return state is not None and state.aggregates_version > state.published_version

        # The refresh is applied and its publish queued (20 s later), held unacknowledged by this worker ...
        assert wait_for(applied_not_published, timeout=60), "\n".join(log[-40:])
        # (fieldwork then closes, without its own rebuild, so that the pending publish is the one that counts)
        Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
        # ... which is killed there.
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    time.sleep(3)
    assert applied_not_published()

    started = time.monotonic()
    quick = {"CELERY_VISIBILITY_TIMEOUT": "3600", "SCORECARD_PUBLISH_OVERDUE_SECONDS": "5"}
    with celery_worker(visibility_timeout=3600, extra_env=quick) as second:
        log = _drain(second)

        def current():
            scorecards_publish_catch_up_task.delay()  # as beat does every minute
            state = ScorecardState.objects.get(cycle=cycle)
            return state.current_set_id is not None and state.published_version == state.aggregates_version

        assert wait_for(current, timeout=120, interval=10), "\n".join(log[-40:])
    assert time.monotonic() - started < 120
