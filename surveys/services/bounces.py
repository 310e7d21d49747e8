"""Bounces: an invitation whose email was refused for good, from the mail server's answer or a bounce report.

The fieldwork workspace shows a bounced invitation as "Bounced" with its reason; the next email to it that
goes through (sending again, say after the address is corrected) clears it (``emails.invitation_email_deliver``).
"""

import datetime as dt
from smtplib import SMTPRecipientsRefused

from django.db import transaction
from django.utils import timezone

from core.csv_delimiter import csv_delimiter_problem
from core.errors import Conflict
from core.services import audit_act
from surveys.models import Cycle, CycleState, Invitation
from surveys.services.files import (
    ImportFileError,
    csv_value_rows,
    file_decode,
    length_problem,
)

BOUNCE_COLUMNS = ("email", "reason")
REASON_LIMIT = Invitation._meta.get_field("bounce_reason").max_length
MSG_BOUNCE_NO_EMAIL = "Line {line}: the email address is empty."
MSG_BOUNCE_UNKNOWN = "Line {line}: {email} has no invitation to the {year} cycle."
MSG_BOUNCE_DUPLICATE = "Line {line}: {email} is already on line {first}."
MSG_BOUNCE_STATE = "The {year} cycle is a draft: nothing has been sent, so nothing can have bounced."
DEFAULT_REASON = "Reported in a bounce report (no reason given)."


def permanent_refusal(error: SMTPRecipientsRefused, email: str) -> str | None:
    """Return the reason the mail server refused ``email`` for good (a 5xx answer), or None if it was temporary."""
    answers = {address.lower(): answer for address, answer in error.recipients.items()}
    code, message = answers.get(email.lower()) or next(iter(answers.values()), (0, b""))
    if not 500 <= int(code) < 600:
        return None
    text = message.decode("utf-8", errors="replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()[:REASON_LIMIT]


def invitation_bounce_record(
    *, invitation_id: int, reason: str, at: dt.datetime | None = None, email_done: bool = False
) -> None:
    """Mark an invitation bounced with ``reason``; ``email_done``: the email that bounced is no longer pending."""
    changes = {"bounced_at": at or timezone.now(), "bounce_reason": reason[:REASON_LIMIT]}
    if email_done:
        changes["pending_email"] = ""
    Invitation.objects.filter(pk=invitation_id).update(**changes)


def _bounces_parse(text: str, *, cycle: Cycle) -> list[tuple[int, str]]:
    """Return [(invitation id, reason)] from a bounce report, or refuse it listing every problem."""
    header, rows = csv_value_rows(text, columns=BOUNCE_COLUMNS, required=("email",))
    emails = {values["email"].lower() for _, values in rows}
    invitations = {
        email.lower(): pk
        for pk, email in Invitation.objects.filter(cycle=cycle, user__email__in=emails).values_list("pk", "user__email")
    }
    problems, out, first_line = [], [], {}
    for line, values in rows:
        email = values["email"].lower()
        if "reason" in header:
            too_long = length_problem(
                line=line, column=header.index("reason") + 1, name="reason", value=values["reason"], limit=REASON_LIMIT
            )
            if too_long:
                problems.append(too_long)
        if not email:
            problems.append(MSG_BOUNCE_NO_EMAIL.format(line=line))
        elif email in first_line:
            problems.append(MSG_BOUNCE_DUPLICATE.format(line=line, email=email, first=first_line[email]))
        elif email not in invitations:
            problems.append(MSG_BOUNCE_UNKNOWN.format(line=line, email=values["email"], year=cycle.year))
        else:
            first_line[email] = line
            out.append((invitations[email], values["reason"] or DEFAULT_REASON))
    if problems:
        raise ImportFileError(problems)
    return out


@transaction.atomic(durable=True)
def invitations_bounces_import(*, cycle: Cycle, raw: bytes, actor) -> int:
    """Mark bounced the invitations of ``cycle`` named in a bounce report (CSV ``email,reason``); return how many.

    The whole file is checked first: any unknown or repeated address, or other problem, is listed with its
    line number and nothing is written. Audited.
    """
    if cycle.state == CycleState.DRAFT:
        raise Conflict(MSG_BOUNCE_STATE.format(year=cycle.year), code="cycle_state")
    problem = csv_delimiter_problem(raw)
    if problem:
        raise ImportFileError([problem])
    bounces = _bounces_parse(file_decode(raw), cycle=cycle)
    now = timezone.now()
    for invitation_id, reason in bounces:
        invitation_bounce_record(invitation_id=invitation_id, reason=reason, at=now)
    audit_act(actor=actor, action="bounces_imported", obj=cycle, detail={"rows": len(bounces)})
    return len(bounces)
