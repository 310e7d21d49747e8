"""The periodic schedule, in one place. Each entry expires so that a backlog cannot run it twice."""

from zoneinfo import ZoneInfo

from django_celery_beat.tzcrontab import TzAwareCrontab

UK = ZoneInfo("Europe/London")

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Tasks the broker refused (it was down) wait in the outbox: sent within a minute of its return.
    "core-outbox-sweep": {
        "task": "core.tasks.outbox_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A publish that is behind (its worker was killed, its task lost) is queued again within a minute
    # (scorecards/tasks.py; the task keeps the name it had in the project package).
    "scorecards-publish-catch-up": {
        "task": "appraisal_portal.tasks.scorecards_publish_catch_up_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The rate limits' old events (core/ratelimit.py), early each morning.
    "core-rate-events-purge": {
        "task": "core.tasks.rate_events_purge_task",
        "schedule": TzAwareCrontab(minute=45, hour=3, tz=UK),
        "options": {"expires": 60 * 60},
    },
    # Reminders go out in the working day, UK time; a run missed by more than an hour waits for tomorrow.
    "surveys-reminders-send-due": {
        "task": "surveys.tasks.reminders_send_due_task",
        "schedule": TzAwareCrontab(minute=0, hour=9, tz=UK),
        "options": {"expires": 60 * 60},
    },
    # The scorecards and exports tasks keep the names they had in the reports app (see scorecards/tasks.py).
    # The nightly reconcile: a full recompute of every cycle's scorecards, quietly at 02:30.
    "reports-scorecards-nightly": {
        "task": "reports.tasks.scorecards_nightly_task",
        "schedule": TzAwareCrontab(minute=30, hour=2, tz=UK),
        "options": {"expires": 60 * 60},
    },
    # Exports: a stuck export is failed (so it can be retried) within five minutes of its time limit.
    "reports-exports-fail-stuck": {
        "task": "reports.tasks.exports_fail_stuck_task",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
    # Export files are kept EXPORT_KEEP_DAYS days, then removed, early each morning.
    "reports-exports-remove-expired": {
        "task": "reports.tasks.exports_remove_expired_task",
        "schedule": TzAwareCrontab(minute=15, hour=3, tz=UK),
        "options": {"expires": 60 * 60},
    },
}
