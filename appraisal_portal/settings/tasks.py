"""Celery: real workers always; Redis when REDIS_URL is set, else kombu's filesystem transport on local disk.

With nothing set (``make run``), the web process, a worker and beat share a broker made of files in
``CELERY_BROKER_DIR`` (kombu's documented ``filesystem://`` transport), so tasks run outside the request
as in production and progress can be watched. Tasks run in the caller ("eager") only where a setting asks
for it: the test settings do, for tests without REDIS_URL.
"""

from pathlib import Path

from .database import REDIS_URL
from .env import BASE_DIR, env

CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # One folder for messages, read and written by every process (web, worker, beat): kombu needs the
    # folders to exist. Messages are files named by queue; a worker takes one by locking and removing it.
    CELERY_BROKER_URL = "filesystem://"
    for _folder in ("messages", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# A killed worker's task comes back: ack only after the task ran; tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Connections are kept across tasks and closed as Django closes them after requests
# (appraisal_portal/celery.py): Celery's own closing, every N tasks, never comes round.
CELERY_DB_REUSE_MAX = 10**9
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # With Redis down a request waits at most this long to learn it, then the task stays in the outbox.
        "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "messages"),
        "data_folder_out": str(CELERY_BROKER_DIR / "messages"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # How often an idle worker looks for new files (seconds).
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=0.5),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0)
# Publishing retries briefly (about a second), then gives up: core.outbox keeps the task for its sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
# Tasks kept in the outbox (core/outbox.py) are sent by the sweep once they are this old: younger ones
# are still being sent by their own on-commit hook.
OUTBOX_SWEEP_MIN_AGE_SECONDS = env.int("OUTBOX_SWEEP_MIN_AGE_SECONDS", default=10)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One queue per kind of work, each with its own workers (Procfile), so that twenty exports or a
# reminder run cannot hold up the aggregation of a submission. Routes are by task name; both the
# current app names and those after the reports split are listed. Anything else goes to "default"
# (heartbeat, sweeps), which the aggregation workers also consume.
CELERY_TASK_DEFAULT_QUEUE = "default"
TASK_QUEUE_NAMES = ["default", "aggregation", "exports", "email"]
CELERY_TASK_ROUTES = {
    "reports.tasks.export*": {"queue": "exports"},
    "exports.tasks.*": {"queue": "exports"},
    "reports.tasks.scorecard*": {"queue": "aggregation"},
    "reports.tasks.comments_*": {"queue": "aggregation"},
    "scorecards.tasks.*": {"queue": "aggregation"},
    "comments.tasks.*": {"queue": "aggregation"},
    # The publish catch-up (scorecards/tasks.py) keeps the name it had in the project package.
    "appraisal_portal.tasks.scorecards_*": {"queue": "aggregation"},
    # An uploaded import is bulk file work, like an export: it must not hold up aggregation or email.
    "surveys.tasks.import_*": {"queue": "exports"},
    "surveys.tasks.*": {"queue": "email"},
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The periodic schedule lives in one place: appraisal_portal/schedule.py.
from appraisal_portal.schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401
