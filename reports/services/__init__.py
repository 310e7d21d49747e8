"""Writes of the reports app: aggregation (incremental and full), publishing scorecard sets, area teams'
responses to their scorecards, moderating free-text comments and chasing non-responders."""

from reports.services.aggregation import scorecard_apply_response, scorecards_recompute
from reports.services.comments import comment_moderate, comments_register
from reports.services.exports import (
    export_download,
    export_request,
    export_retry,
    export_run,
    exports_fail_stuck,
    exports_remove_expired,
)
from reports.services.fieldwork import reminders_queue_now
from reports.services.publishing import scorecards_publish
from reports.services.responses import area_team_response_save

__all__ = [
    "comment_moderate",
    "comments_register",
    "export_download",
    "export_request",
    "export_retry",
    "export_run",
    "exports_fail_stuck",
    "exports_remove_expired",
    "area_team_response_save",
    "reminders_queue_now",
    "scorecard_apply_response",
    "scorecards_publish",
    "scorecards_recompute",
]
