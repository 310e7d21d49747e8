"""Aggregation, exports and email on their own queues; a publish that fell behind is caught up every minute."""

import datetime as dt

import pytest
from django.utils import timezone

from appraisal_portal.celery import app
from scorecards.tasks import scorecards_publish_catch_up_task


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("reports.tasks.scorecard_refresh_task", "aggregation"),
        ("reports.tasks.scorecards_publish_task", "aggregation"),
        ("reports.tasks.scorecards_recompute_task", "aggregation"),
        ("reports.tasks.comments_register_task", "aggregation"),
        ("appraisal_portal.tasks.scorecards_publish_catch_up_task", "aggregation"),
        ("reports.tasks.export_run_task", "exports"),
        ("reports.tasks.exports_fail_stuck_task", "exports"),
        ("surveys.tasks.import_job_run_task", "exports"),
        ("surveys.tasks.response_receipt_send_task", "email"),
        ("surveys.tasks.invitation_email_send_task", "email"),
        ("core.tasks.outbox_sweep_task", "default"),
        ("core.tasks.worker_heartbeat_task", "default"),
        # The names after the reports split are routed already.
        ("scorecards.tasks.scorecard_refresh_task", "aggregation"),
        ("exports.tasks.export_run_task", "exports"),
    ],
)
def test_each_kind_of_task_goes_to_its_own_queue(task_name, queue):
    assert _queue(task_name) == queue


def test_the_procfile_runs_a_worker_for_every_queue(settings):
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    consumed = set()
    for line in procfile.splitlines():
        if " worker " in line:
            consumed |= set(line.split(" -Q ")[1].split()[0].split(","))

    assert consumed == set(settings.TASK_QUEUE_NAMES)


def test_the_catch_up_runs_every_minute_with_an_expiry(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["scorecards-publish-catch-up"]

    assert entry["task"] == "appraisal_portal.tasks.scorecards_publish_catch_up_task"
    # The name beat sends is the scorecards task's registered name (it kept the one it had before the move).
    assert scorecards_publish_catch_up_task.name == entry["task"] and entry["task"] in app.tasks
    assert entry["schedule"] == 60.0 and entry["options"]["expires"] < 60


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.django_db
@pytest.mark.usefixtures("eager")
def test_a_publish_lost_with_its_worker_is_caught_up_and_a_current_or_pending_one_left_alone(organisations):
    from scorecards.models import ScorecardState
    from surveys.models import Cycle, CycleState
    from surveys.services import cycle_create

    behind, current, pending = (cycle_create(year=year) for year in (2014, 2015, 2016))
    # Fieldwork over in each (results are built only then).
    Cycle.objects.filter(pk__in=[behind.pk, current.pk, pending.pk]).update(state=CycleState.CLOSED)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    ScorecardState.objects.create(cycle=behind, aggregates_version=3, published_version=1, publish_queued_at=long_ago)
    ScorecardState.objects.create(cycle=current, aggregates_version=2, published_version=2)
    ScorecardState.objects.create(
        cycle=pending, aggregates_version=2, published_version=1, publish_queued_at=timezone.now()
    )

    queued = scorecards_publish_catch_up_task.apply().get()  # the publish tasks run eagerly in tests

    assert queued == 1
    state = ScorecardState.objects.get(cycle=behind)
    assert state.published_version == state.aggregates_version == 3
    assert state.current_set_id is not None
    assert ScorecardState.objects.get(cycle=pending).published_version == 1
