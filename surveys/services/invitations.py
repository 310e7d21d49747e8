"""Writes of invitations: the CSV import, sending, redeeming the emailed token, and reminders."""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import LeadRole, User, UserRole
from accounts.services import user_create
from core.errors import Conflict, DomainError, PermissionDenied
from core.outbox import enqueue_on_commit
from core.services import audit_act
from organisations.models import CCG
from surveys.models import Cycle, CycleState, Invitation
from surveys.services.files import (
    ImportFileError,
    csv_value_rows,
    file_decode,
    length_problem,
)

INVITATION_COLUMNS = ("email", "name", "ccg_code", "lead_role")
# What each column's database field holds (the user's email and full name).
COLUMN_LIMITS = {
    "email": User._meta.get_field("email").max_length,
    "name": User._meta.get_field("full_name").max_length,
}
PENDING_INVITATION, PENDING_REMINDER = "invitation", "reminder"

MSG_EMPTY = "Line {line}: {column} is empty."
MSG_BAD_EMAIL = "Line {line}: {email!r} is not a valid email address."
MSG_UNKNOWN_CCG = "Line {line}: unknown CCG code {code!r}."
MSG_UNKNOWN_LEAD_ROLE = "Line {line}: unknown lead role {role!r} (use clinical, managerial or financial)."
MSG_DUPLICATE_EMAIL = "Line {line}: {email} appears again (first on line {first})."
MSG_NOT_A_LEAD = "Line {line}: {email} already has an account that is not a CCG lead's."
MSG_OTHER_CCG = "Line {line}: {email} is a lead of CCG {other}, not {code}."
MSG_OTHER_LEAD_ROLE = "Line {line}: {email} is the {other} lead of {code}, not the {role} lead."
MSG_IMPORT_STATE = "Invitations can only be imported into a draft or open cycle; the {year} cycle is {state}."
MSG_SEND_NOT_OPEN = "Invitations can only be sent once the cycle is open; the {year} cycle is {state}."
MSG_ALREADY_SUBMITTED = "This lead has already submitted a response."
MSG_LINK_UNKNOWN = "This invitation link is not valid. Check you copied the whole link, or sign in instead."
MSG_LINK_USED = "This invitation link has already been used. Sign in to carry on with your appraisal."
MSG_LINK_EXPIRED = "This invitation link has expired. Sign in, or ask NHSCC for a new link."
MSG_ACCOUNT_INACTIVE = "This account has been switched off. Contact NHSCC."


@dataclass(frozen=True)
class InvitationImportResult:
    rows: int
    users_created: int
    invitations_created: int
    invitations_unchanged: int
    emails_queued: int


@dataclass(frozen=True)
class _Row:
    line: int
    email: str
    name: str
    ccg: CCG
    lead_role: str
    user: User | None


def token_hash(token: str) -> str:
    """Return the SHA-256 (hex) of an invitation token: only this is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    """Return the absolute link an invitation email carries."""
    return f"{settings.SITE_URL.rstrip('/')}/invitations/{token}/"


def _invitations_parse(text: str, progress: Callable[[int], None] | None = None) -> list[_Row]:
    header, raw_rows = csv_value_rows(text, columns=INVITATION_COLUMNS, required=INVITATION_COLUMNS)
    ccgs = {c.ods_code: c for c in CCG.objects.all()}
    emails = {values["email"].lower() for _, values in raw_rows}
    users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("ccg")}
    problems: list[str] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, values in raw_rows:
        if progress is not None:
            progress(line)
        row_problems = [
            MSG_EMPTY.format(line=line, column=c) for c in ("email", "ccg_code", "lead_role") if not values[c]
        ]
        email, code, role = values["email"].lower(), values["ccg_code"].upper(), values["lead_role"].lower()
        too_long = [
            length_problem(line=line, column=header.index(c) + 1, name=c, value=values[c], limit=limit)
            for c, limit in COLUMN_LIMITS.items()
        ]
        row_problems.extend(problem for problem in too_long if problem)
        if any(too_long):
            problems.extend(row_problems)
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(MSG_BAD_EMAIL.format(line=line, email=values["email"]))
            if email in first_line:
                row_problems.append(MSG_DUPLICATE_EMAIL.format(line=line, email=email, first=first_line[email]))
            else:
                first_line[email] = line
        if code and code not in ccgs:
            row_problems.append(MSG_UNKNOWN_CCG.format(line=line, code=values["ccg_code"]))
        if role and role not in LeadRole.values:
            row_problems.append(MSG_UNKNOWN_LEAD_ROLE.format(line=line, role=values["lead_role"]))
        user = users.get(email)
        if user is not None and not row_problems:
            if user.role != UserRole.CCG_LEAD:
                row_problems.append(MSG_NOT_A_LEAD.format(line=line, email=email))
            elif user.ccg.ods_code != code:
                row_problems.append(MSG_OTHER_CCG.format(line=line, email=email, other=user.ccg.ods_code, code=code))
            elif user.lead_role != role:
                row_problems.append(
                    MSG_OTHER_LEAD_ROLE.format(line=line, email=email, other=user.lead_role, code=code, role=role)
                )
        problems.extend(row_problems)
        if not row_problems:
            rows.append(_Row(line, email, values["name"], ccgs[code], role, user))
    if problems:
        raise ImportFileError(problems)
    return rows


def _queue_email(invitation_ids: list[int], kind: str) -> None:
    """Mark the invitations' email as pending and enqueue its sending once the transaction commits."""
    Invitation.objects.filter(pk__in=invitation_ids).update(pending_email=kind)
    for invitation_id in invitation_ids:
        enqueue_on_commit("surveys.tasks.invitation_email_send_task", {"invitation_id": invitation_id})


def invitations_import_allowed(*, cycle: Cycle, send: bool = False) -> None:
    """Refuse (``Conflict``) an invitations import that the cycle's state rules out, before any file is read."""
    if cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        raise Conflict(MSG_IMPORT_STATE.format(year=cycle.year, state=cycle.state), code="cycle_state")
    if send and cycle.state != CycleState.OPEN:
        raise Conflict(MSG_SEND_NOT_OPEN.format(year=cycle.year, state=cycle.state), code="cycle_state")


def invitations_file_check(
    *, cycle: Cycle, raw: bytes, send: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Check an invitations file as ``invitations_import`` does, writing nothing; return how many rows it holds.

    ``progress`` is called with each line number as it is checked. Raises ``ImportFileError`` (every
    problem, by line) or ``Conflict`` (the cycle's state).
    """
    invitations_import_allowed(cycle=cycle, send=send)
    return len(_invitations_parse(file_decode(raw), progress))


@transaction.atomic
def invitations_import(*, cycle: Cycle, raw: bytes, send: bool = False, actor=None) -> InvitationImportResult:
    """Create lead accounts and one invitation per lead from a CSV (``email,name,ccg_code,lead_role``).

    The whole file is checked first; any problem raises ``ImportFileError`` listing every problem with
    its line number, and nothing is written. Importing the same file again changes nothing. With
    ``send``, invitations never sent before are emailed (after commit).
    """
    invitations_import_allowed(cycle=cycle, send=send)
    rows = _invitations_parse(file_decode(raw))
    invited = set(Invitation.objects.filter(cycle=cycle).values_list("user_id", flat=True))
    users_created = 0
    new_invitations = []
    for row in rows:
        user = row.user
        if user is None:
            user = user_create(
                email=row.email,
                role=UserRole.CCG_LEAD,
                full_name=row.name,
                ccg=row.ccg,
                lead_role=row.lead_role,
                actor=actor,
            )
            users_created += 1
        if user.pk not in invited:
            invited.add(user.pk)
            new_invitations.append(
                Invitation(cycle=cycle, user=user, ccg=row.ccg, area_team=row.ccg.area_team, rater_group=row.lead_role)
            )
    Invitation.objects.bulk_create(new_invitations)
    queued = invitations_send_unsent(cycle=cycle, actor=actor) if send else 0
    result = InvitationImportResult(
        rows=len(rows),
        users_created=users_created,
        invitations_created=len(new_invitations),
        invitations_unchanged=len(rows) - len(new_invitations),
        emails_queued=queued,
    )
    audit_act(actor=actor, action="invitations_imported", obj=cycle, detail=vars(result))
    return result


@transaction.atomic
def invitations_send_unsent(*, cycle: Cycle, actor=None) -> int:
    """Email every invitation of an open cycle that has never been sent; return how many were queued."""
    if cycle.state != CycleState.OPEN:
        raise Conflict(MSG_SEND_NOT_OPEN.format(year=cycle.year, state=cycle.state), code="cycle_state")
    ids = list(
        Invitation.objects.select_for_update()
        .filter(cycle=cycle, sent_at__isnull=True, pending_email="", submitted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _queue_email(ids, PENDING_INVITATION)
    if ids:
        audit_act(actor=actor, action="invitations_sent", obj=cycle, detail={"count": len(ids)})
    return len(ids)


@transaction.atomic
def invitation_send(*, invitation: Invitation, actor=None) -> Invitation:
    """Email the lead a fresh single-use link (after commit); any earlier link stops working when it is sent.

    The token is made by the sending task, under a row lock, so the raw token never passes through
    the broker or the database: only its hash is stored.
    """
    invitation = Invitation.objects.select_for_update().select_related("cycle").get(pk=invitation.pk)
    if invitation.cycle.state != CycleState.OPEN:
        raise Conflict(
            MSG_SEND_NOT_OPEN.format(year=invitation.cycle.year, state=invitation.cycle.state), code="cycle_state"
        )
    if invitation.submitted_at is not None:
        raise Conflict(MSG_ALREADY_SUBMITTED, code="already_submitted")
    _queue_email([invitation.pk], PENDING_INVITATION)
    audit_act(actor=actor, action="invitation_sent", obj=invitation)
    invitation.refresh_from_db(fields=["pending_email"])
    return invitation


def invitation_link_check(invitation: Invitation | None, *, now) -> None:
    """Refuse the link of an unknown, used or expired token, each with its own message (on GET and on redeeming)."""
    if invitation is None:
        raise DomainError(MSG_LINK_UNKNOWN, code="token_unknown", status=404)
    if invitation.token_used_at is not None:
        raise DomainError(MSG_LINK_USED, code="token_used", status=410)
    if invitation.token_expires_at is None or invitation.token_expires_at <= now:
        raise DomainError(MSG_LINK_EXPIRED, code="token_expired", status=410)


@transaction.atomic
def invitation_redeem(*, token: str) -> Invitation:
    """Return the invitation an emailed token belongs to, and use the token up (it works once).

    Unknown, used and expired tokens are refused, each with its own message.
    """
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=token_hash(token or "")).exclude(token_hash="").first()
        if token and len(token) <= 200
        else None
    )
    now = timezone.now()
    invitation_link_check(invitation, now=now)
    if not invitation.user.is_active:
        raise PermissionDenied(MSG_ACCOUNT_INACTIVE)
    invitation.token_used_at = now
    changed = ["token_used_at"]
    if invitation.opened_at is None:
        invitation.opened_at = now
        changed.append("opened_at")
    invitation.save(update_fields=changed)
    return invitation


def _reminders_due(now: dt.datetime):
    cutoff = now - dt.timedelta(days=settings.REMINDER_MIN_DAYS)
    return (
        Invitation.objects.filter(
            cycle__state=CycleState.OPEN,
            submitted_at__isnull=True,
            sent_at__isnull=False,
            pending_email="",
            reminder_count__lt=settings.REMINDER_MAX_COUNT,
            user__is_active=True,
        )
        .filter(Q(cycle__closes_on__isnull=True) | Q(cycle__closes_on__gte=timezone.localdate(now)))
        .annotate(last_contact=Coalesce("last_reminded_at", "sent_at"))
        .filter(last_contact__lte=cutoff)
    )


def reminders_due(*, now: dt.datetime | None = None, cycle: Cycle | None = None):
    """Return the invitations due a reminder now (of ``cycle`` if given): see ``reminders_send_due``."""
    due = _reminders_due(now or timezone.now())
    return due.filter(cycle=cycle) if cycle is not None else due


def reminders_count_due(*, now: dt.datetime | None = None) -> int:
    """Return how many reminders ``reminders_send_due`` would send now (for a "will send N" preview)."""
    return _reminders_due(now or timezone.now()).count()


@transaction.atomic
def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Remind every lead who is due one and return how many were queued.

    Due: invited to an open cycle that has not passed its closing date, sent the invitation, not
    submitted, reminded fewer than ``REMINDER_MAX_COUNT`` times, and last contacted at least
    ``REMINDER_MIN_DAYS`` ago.
    """
    now = now or timezone.now()
    ids = list(
        _reminders_due(now)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Invitation.objects.filter(pk__in=ids).update(reminder_count=F("reminder_count") + 1, last_reminded_at=now)
    _queue_email(ids, PENDING_REMINDER)
    return len(ids)
