"""Reads of the fieldwork workspace: every invitation with its status, the chase card, responses over time.

Invitations and their progress only (sent, bounced, opened, started, submitted): never an answer. A bounce is
recorded when the mail server refuses an address for good, or from a bounce report (``services.bounces``).
"""

import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from surveys.models import Cycle, Invitation, Response
from surveys.services.invitations import reminders_due

NOT_SENT, SENT, BOUNCED, OPENED, STARTED, SUBMITTED = "not_sent", "sent", "bounced", "opened", "started", "submitted"
STATUSES = [
    (NOT_SENT, "Not sent"),
    (SENT, "Sent"),
    (BOUNCED, "Bounced"),
    (OPENED, "Opened"),
    (STARTED, "Started"),
    (SUBMITTED, "Submitted"),
]
STATUS_LABELS = dict(STATUSES)
# A filter value beside the statuses: everyone who has not submitted.
NOT_RESPONDED = "not_responded"


def invitations_with_status(*, cycle: Cycle) -> QuerySet:
    """Return the cycle's invitations, each annotated with ``status`` and ``last_contact``, in list order."""
    started = Exists(Response.objects.filter(invitation=OuterRef("pk")))
    return (
        Invitation.objects.filter(cycle=cycle)
        .select_related("user", "ccg", "area_team__region")
        .annotate(
            last_contact=Coalesce("last_reminded_at", "sent_at"),
            status=Case(
                When(submitted_at__isnull=False, then=Value(SUBMITTED)),
                When(started, then=Value(STARTED)),
                When(opened_at__isnull=False, then=Value(OPENED)),
                # The last email did not arrive (until one does): whether sent before or not.
                When(bounced_at__isnull=False, then=Value(BOUNCED)),
                When(sent_at__isnull=False, then=Value(SENT)),
                default=Value(NOT_SENT),
                output_field=CharField(),
            ),
        )
        # By the area team appraised (partners and self have no CCG), then CCG, group and id.
        .order_by("area_team__name", "ccg__name", "rater_group", "pk")
    )


def fieldwork_invitations(
    *, cycle: Cycle, region=None, area_team=None, ccg=None, rater_group: str = "", status: str = ""
) -> QuerySet:
    """Return the cycle's invitations with their status, filtered (any filter left empty is not applied)."""
    invitations = invitations_with_status(cycle=cycle)
    if region is not None:
        invitations = invitations.filter(area_team__region=region)
    if area_team is not None:
        invitations = invitations.filter(area_team=area_team)
    if ccg is not None:
        invitations = invitations.filter(ccg=ccg)
    if rater_group:
        invitations = invitations.filter(rater_group=rater_group)
    if status == NOT_RESPONDED:
        invitations = invitations.exclude(status=SUBMITTED)
    elif status:
        invitations = invitations.filter(status=status)
    return invitations


def fieldwork_status_counts(*, cycle: Cycle) -> dict[str, int]:
    """Return how many of the cycle's invitations are at each status (every status listed, zeros too)."""
    counts = dict(
        invitations_with_status(cycle=cycle)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status, _ in STATUSES}


def chase_summary(*, cycle: Cycle, now: dt.datetime | None = None) -> dict[str, int]:
    """Return the chase card's counts among those who have not submitted: each says why they are or are not due.

    ``not_sent``: never sent the invitation; ``sending``: an email is on its way; ``due``: may be reminded
    now; ``recent``: contacted within ``REMINDER_MIN_DAYS``; ``exhausted``: had ``REMINDER_MAX_COUNT``
    reminders. Every non-responder is in exactly one (inactive accounts are left out of all).
    """
    now = now or timezone.now()
    waiting = Invitation.objects.filter(cycle=cycle, submitted_at__isnull=True, user__is_active=True)
    due = reminders_due(now=now, cycle=cycle).count()
    counts = waiting.aggregate(
        not_sent=Count("pk", filter=Q(sent_at__isnull=True, pending_email="")),
        sending=Count("pk", filter=~Q(pending_email="")),
        exhausted=Count(
            "pk", filter=Q(sent_at__isnull=False, pending_email="", reminder_count__gte=settings.REMINDER_MAX_COUNT)
        ),
        waiting=Count("pk"),
    )
    waiting_total = counts.pop("waiting")
    counts["due"] = due if cycle.state == "open" else 0
    counts["recent"] = max(waiting_total - sum(counts.values()), 0) if cycle.state == "open" else 0
    counts["waiting"] = waiting_total
    return counts


def responses_over_time(*, cycle: Cycle) -> list[dict]:
    """Return, per day with a submission, how many were submitted that day and in all by its end."""
    per_day = (
        Invitation.objects.filter(cycle=cycle, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    total = 0
    days = []
    for row in per_day:
        total += row["n"]
        days.append({"day": row["day"], "submitted": row["n"], "cumulative": total})
    return days
