"""Settings of the appraisal itself (disclosure control, invitations, reminders)."""

from .env import env

SUPPRESSION_MIN_BASE = env.int("SUPPRESSION_MIN_BASE", default=5)
# A rater group's own threshold where it needs a higher (or lower) one, e.g. "practice=8,patients=6";
# every other group, and every pool of groups, uses SUPPRESSION_MIN_BASE.
SUPPRESSION_MIN_BASE_BY_GROUP = {
    group: int(base) for group, base in env.dict("SUPPRESSION_MIN_BASE_BY_GROUP", default={}).items()
}
COMMENTS_MIN_BASE = env.int("COMMENTS_MIN_BASE", default=8)
INVITATION_TOKEN_DAYS = env.int("INVITATION_TOKEN_DAYS", default=60)
REMINDER_MAX_COUNT = env.int("REMINDER_MAX_COUNT", default=3)
REMINDER_MIN_DAYS = env.int("REMINDER_MIN_DAYS", default=7)
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=300)
# Exports of the annual report: a queued or running export older than this is marked failed (it can be
# retried); finished files are removed after this many days.
EXPORT_TIME_LIMIT_SECONDS = env.int("EXPORT_TIME_LIMIT_SECONDS", default=900)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=30)
# Submissions arriving together are published together: the published set is rebuilt at most once
# in this many seconds while refreshes keep coming (pages and API then lag by about this much).
SCORECARD_PUBLISH_DELAY_SECONDS = env.int("SCORECARD_PUBLISH_DELAY_SECONDS", default=5)
# A queued publish that has not run after this many seconds is taken as lost with its worker, and queued
# again by beat's catch-up (scorecards/tasks.py).
SCORECARD_PUBLISH_OVERDUE_SECONDS = env.int("SCORECARD_PUBLISH_OVERDUE_SECONDS", default=60)
