"""Sweeps that span apps, kept in the project package (above every app) so no app imports one above it.

``scorecards_publish_catch_up_task`` (beat, every minute) queues the publication of every cycle whose
published figures are behind its aggregates and whose queued publish is overdue: a worker killed with
a publish pending then delays the figures by about a minute, not the broker's visibility timeout.
It belongs with the scorecards app; when that app moves, move it there (and its schedule entry's name).
"""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone


@shared_task
def scorecards_publish_catch_up_task() -> int:
    """Queue the publish of each cycle whose figures are behind and not about to be published; return how many."""
    from scorecards.models import ScorecardState
    from scorecards.tasks import scorecards_publish_task

    # A publish queued this long ago that has not run is taken as lost (the refresh's own delay is seconds).
    overdue = timezone.now() - dt.timedelta(seconds=settings.SCORECARD_PUBLISH_OVERDUE_SECONDS)
    cycle_ids = list(
        ScorecardState.objects.filter(published_version__lt=F("aggregates_version"))
        .filter(Q(publish_queued_at__isnull=True) | Q(publish_queued_at__lt=overdue))
        .values_list("cycle_id", flat=True)
    )
    for cycle_id in cycle_ids:
        scorecards_publish_task.delay(cycle_id)
    return len(cycle_ids)
