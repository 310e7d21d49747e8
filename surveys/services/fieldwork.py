"""Writes of the fieldwork workspace: chasing everyone (in every rater group) who has not responded yet.

Reminders go only within the limits (``REMINDER_MAX_COUNT`` reminders, ``REMINDER_MIN_DAYS`` between
contacts), whether sent to everyone due (the "send all due" button, and beat's daily run) or to the people
an analyst chose; a choice is previewed with its count before anything is sent.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.errors import Conflict, DomainError
from core.services import audit_act
from surveys.models import Cycle, CycleState, Invitation
from surveys.services.invitations import PENDING_REMINDER, _queue_email, reminders_count_due, reminders_due

MSG_REMIND_NONE_CHOSEN = "Choose at least one person to remind."
MSG_REMIND_NOT_OPEN = "Reminders are sent only while the {year} appraisal is open."
MSG_REMIND_NONE_DUE = "None of the people chosen can be reminded now (see why beside each)."
# Why a chosen invitation is not reminded, most decisive first.
WHY_SUBMITTED = "submitted already"
WHY_NOT_SENT = "not sent the invitation yet"
WHY_SENDING = "an email to them is being sent"
WHY_ALL_REMINDERS = "had every reminder ({max})"
WHY_RECENT = "contacted in the last {days} days"
WHY_INACTIVE = "account deactivated"


def reminders_queue_now() -> int:
    """Queue the surveys reminder task after commit; return how many reminders it will send now."""
    from surveys.tasks import reminders_send_due_task

    count = reminders_count_due(now=timezone.now())
    if count:
        transaction.on_commit(reminders_send_due_task.delay)
    return count


@dataclass
class ReminderPreview:
    """What reminding the chosen invitations would do: who gets one now, and why the others do not."""

    due_ids: list[int]
    not_due: dict[str, int] = field(default_factory=dict)  # reason -> how many

    @property
    def due(self) -> int:
        return len(self.due_ids)

    @property
    def not_due_total(self) -> int:
        return sum(self.not_due.values())


def _why_not(invitation: Invitation, now: dt.datetime) -> str:
    if invitation.submitted_at is not None:
        return WHY_SUBMITTED
    if not invitation.user.is_active:
        return WHY_INACTIVE
    if invitation.pending_email:
        return WHY_SENDING
    if invitation.sent_at is None:
        return WHY_NOT_SENT
    if invitation.reminder_count >= settings.REMINDER_MAX_COUNT:
        return WHY_ALL_REMINDERS.format(max=settings.REMINDER_MAX_COUNT)
    return WHY_RECENT.format(days=settings.REMINDER_MIN_DAYS)


def _chosen(cycle: Cycle, invitation_ids) -> list[int]:
    ids = sorted({int(i) for i in invitation_ids})
    if not ids:
        raise DomainError(MSG_REMIND_NONE_CHOSEN, code="none_chosen")
    if cycle.state != CycleState.OPEN:
        raise Conflict(MSG_REMIND_NOT_OPEN.format(year=cycle.year), code="cycle_state")
    return ids


def reminders_preview(*, cycle: Cycle, invitation_ids, now: dt.datetime | None = None) -> ReminderPreview:
    """Return which of the chosen invitations of ``cycle`` would be reminded now, and why the rest would not.

    Ids of other cycles are ignored. Refused, with nothing counted, if none is chosen or the cycle is not open.
    """
    now = now or timezone.now()
    ids = _chosen(cycle, invitation_ids)
    due = set(reminders_due(now=now, cycle=cycle).filter(pk__in=ids).values_list("pk", flat=True))
    preview = ReminderPreview(due_ids=sorted(due))
    others = Invitation.objects.filter(cycle=cycle, pk__in=ids).exclude(pk__in=due).select_related("user")
    for invitation in others:
        reason = _why_not(invitation, now)
        preview.not_due[reason] = preview.not_due.get(reason, 0) + 1
    return preview


@transaction.atomic(durable=True)
def reminders_send_chosen(*, cycle: Cycle, invitation_ids, actor, now: dt.datetime | None = None) -> int:
    """Remind those of the chosen invitations who are due a reminder now; return how many were queued.

    The limits are checked again under row locks, so a reminder sent meanwhile (by beat or another
    analyst) is not sent twice. Refused if none is chosen, the cycle is not open, or none is due.
    """
    now = now or timezone.now()
    ids = _chosen(cycle, invitation_ids)
    due = list(
        reminders_due(now=now, cycle=cycle)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not due:
        raise Conflict(MSG_REMIND_NONE_DUE, code="none_due")
    Invitation.objects.filter(pk__in=due).update(reminder_count=F("reminder_count") + 1, last_reminded_at=now)
    _queue_email(due, PENDING_REMINDER)
    audit_act(actor=actor, action="reminders_sent", obj=cycle, detail={"count": len(due), "chosen": len(ids)})
    return len(due)
