"""The emails (invitation, reminder, receipt), sent by tasks: each locks its row and does only missing work."""

import datetime as dt
import secrets
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from surveys.groups import confidentiality, invitation_intro, rater_group_as
from surveys.models import CycleState, Invitation, Response, ResponseStatus
from surveys.services.bounces import invitation_bounce_record, permanent_refusal
from surveys.services.invitations import PENDING_INVITATION, invitation_link, token_hash

INVITATION_SUBJECT = "Your invitation to appraise NHS England ({year})"
REMINDER_SUBJECT = "Reminder: your appraisal of NHS England ({year})"
RECEIPT_SUBJECT = "We have received your appraisal of NHS England ({year})"

_INVITATION_BODY = """Dear {name},

{intro}

{opening}

  {link}

It takes about 15 minutes. You can save your answers and come back later. {confidentiality}

This link is personal to you, works once and expires on {expires}. After using it, sign in at
{site}/ to carry on.{closes}

NHS Clinical Commissioners
"""

_RECEIPT_BODY = """Dear {name},

Thank you. We received your {year} appraisal of NHS England, which you gave as {as_whom}, on {when}.

Your reference number is {reference}. Keep it in case you need to contact us about your response.

{confidentiality} Once the appraisal has closed and the results are published, you can read them at {site}/.

NHS Clinical Commissioners
"""


def _min_base(rater_group: str) -> int:
    return settings.SUPPRESSION_MIN_BASE_BY_GROUP.get(rater_group, settings.SUPPRESSION_MIN_BASE)


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")


@transaction.atomic
def invitation_email_deliver(*, invitation_id: int) -> bool:
    """Send an invitation's pending email (invitation or reminder) with a fresh token; return whether sent.

    Safe to run twice: the pending flag is cleared under the row lock, so a second run finds nothing
    to do. If sending fails the transaction rolls back and the earlier link keeps working. If the mail
    server refuses the address for good (5xx), the invitation is marked bounced with the reason and not
    retried; a temporary refusal (4xx) raises, so the task retries. An email that goes through clears a bounce.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("cycle", "user", "ccg", "area_team")
        .filter(pk=invitation_id)
        .exclude(pending_email="")
        .first()
    )
    if invitation is None:
        return False
    kind = invitation.pending_email
    invitation.pending_email = ""
    changed = ["pending_email"]
    if invitation.submitted_at is not None or invitation.cycle.state != CycleState.OPEN:
        invitation.save(update_fields=changed)
        return False
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.token_expires_at = now + dt.timedelta(days=settings.INVITATION_TOKEN_DAYS)
    invitation.token_used_at = None
    changed += ["token_hash", "token_expires_at", "token_used_at"]
    if kind == PENDING_INVITATION:
        invitation.sent_at = now
        changed.append("sent_at")
    invitation.bounced_at, invitation.bounce_reason = None, ""
    changed += ["bounced_at", "bounce_reason"]
    cycle, user = invitation.cycle, invitation.user
    closes = f"\n\nThe appraisal closes on {cycle.closes_on:%-d %B %Y}." if cycle.closes_on else ""
    body = _INVITATION_BODY.format(
        name=user.full_name or "colleague",
        intro=invitation_intro(
            rater_group=invitation.rater_group,
            year=cycle.year,
            ccg_name=invitation.ccg.name if invitation.ccg else "",
            area_team_name=invitation.area_team.name,
        ),
        opening=(
            "Please fill in the appraisal using this link:"
            if kind == PENDING_INVITATION
            else "We have not yet received your appraisal. Please fill it in using this link:"
        ),
        link=invitation_link(token),
        confidentiality=confidentiality(rater_group=invitation.rater_group, min_base=_min_base(invitation.rater_group)),
        expires=f"{timezone.localdate(invitation.token_expires_at):%-d %B %Y}",
        site=settings.SITE_URL.rstrip("/"),
        closes=closes,
    )
    subject = (INVITATION_SUBJECT if kind == PENDING_INVITATION else REMINDER_SUBJECT).format(year=cycle.year)
    try:
        with transaction.atomic():
            invitation.save(update_fields=changed)
            send_mail(subject, body, None, [user.email])
    except SMTPRecipientsRefused as error:
        reason = permanent_refusal(error, user.email)
        if reason is None:
            raise  # temporary: the task retries with backoff
        # Refused for good: nothing of this email is kept (the earlier link, if any, still works).
        invitation_bounce_record(invitation_id=invitation.pk, reason=reason, at=now, email_done=True)
        return False
    return True


@transaction.atomic
def response_receipt_deliver(*, response_id: int) -> bool:
    """Email the lead a receipt for a submitted response, once; return whether it was sent now."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("cycle", "ccg", "area_team", "invitation__user")
        .filter(pk=response_id, status=ResponseStatus.SUBMITTED, receipt_sent_at__isnull=True)
        .first()
    )
    if response is None:
        return False
    user = response.invitation.user
    body = _RECEIPT_BODY.format(
        name=user.full_name or "colleague",
        year=response.cycle.year,
        as_whom=rater_group_as(
            rater_group=response.rater_group,
            ccg_name=response.ccg.name if response.ccg else "",
            area_team_name=response.area_team.name,
        ),
        when=_when(response.submitted_at),
        confidentiality=confidentiality(rater_group=response.rater_group, min_base=_min_base(response.rater_group)),
        site=settings.SITE_URL.rstrip("/"),
        reference=response.reference,
    )
    response.receipt_sent_at = timezone.now()
    response.save(update_fields=["receipt_sent_at"])
    send_mail(RECEIPT_SUBJECT.format(year=response.cycle.year), body, None, [user.email])
    return True
