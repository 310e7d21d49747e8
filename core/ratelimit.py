"""Rate limits counted in the database per client address: sign-in failures across usernames (spraying),
password reset requests and invitation links opened.

django-axes locks an account after repeated failures for that username; this is the other half: an
address that fails across many usernames is paused, whichever accounts it tries. Each limit is
``(events, seconds)`` in ``settings.RATE_LIMITS``; the page names what is paused and for how long.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.models import RateEvent

SIGN_IN_FAILURE = "sign-in-failure"
PASSWORD_RESET = "password-reset"  # noqa: S105 - a kind of event, not a password
INVITATION_LINK = "invitation-link"

MSG_PAUSED = {
    SIGN_IN_FAILURE: (
        "There have been too many failed sign-ins from your network address, for several accounts. "
        "Signing in from this address is paused for {minutes}. Your account itself is not locked."
    ),
    PASSWORD_RESET: "Too many password reset requests from your network address. Try again in {minutes}.",
    INVITATION_LINK: "Too many invitation links opened from your network address. Try again in {minutes}.",
}


@dataclass(frozen=True)
class Paused:
    kind: str
    retry_after: int  # seconds

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return MSG_PAUSED[self.kind].format(minutes=f"{minutes} minute{'s' if minutes != 1 else ''}")


def rate_event_record(*, kind: str, key: str | None) -> None:
    """Count one event of ``kind`` for ``key`` (a client address) now."""
    if key:
        RateEvent.objects.create(kind=kind, key=key[:100], at=timezone.now())


def rate_paused(*, kind: str, key: str | None, now: dt.datetime | None = None) -> Paused | None:
    """Return how long ``key`` is paused for ``kind`` (its limit reached within the window), or None."""
    if not key:
        return None
    limit, seconds = settings.RATE_LIMITS[kind]
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=seconds)
    recent = list(
        RateEvent.objects.filter(kind=kind, key=key[:100], at__gt=since)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    # Paused until the oldest of the last ``limit`` events leaves the window.
    until = recent[-1] + dt.timedelta(seconds=seconds)
    return Paused(kind=kind, retry_after=max(1, math.ceil((until - now).total_seconds())))


def rate_events_purge(*, now: dt.datetime | None = None) -> int:
    """Delete events older than the longest window (and a day); return how many."""
    now = now or timezone.now()
    longest = max(seconds for _, seconds in settings.RATE_LIMITS.values())
    deleted, _ = RateEvent.objects.filter(at__lt=now - dt.timedelta(seconds=longest, days=1)).delete()
    return deleted
