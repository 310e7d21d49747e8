"""The periodic schedule, in one place. Each entry expires so that a backlog cannot run it twice."""

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
