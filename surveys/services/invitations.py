"""Writes of invitations: the CSV import, sending, redeeming the emailed token, and reminders."""

import csv
import datetime as dt
import hashlib
import io
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
from organisations.models import CCG, AreaTeam
from surveys.groups import CCG_GROUPS, GROUP_LABELS, SELF, cycle_rater_groups
from surveys.models import LEAD_GROUPS, Cycle, CycleState, Invitation, RaterGroup
from surveys.services.files import (
    ImportFileError,
    csv_value_rows,
    file_decode,
    length_problem,
)

# The file CCG leads have always been invited with; a file without ``rater_group`` means CCG leads.
INVITATION_COLUMNS = ("email", "name", "ccg_code", "lead_role")
# With ``rater_group``, any group the cycle asks: ``ccg_code`` for leads and GP member practices,
# ``area_team_code`` for patients' representatives, local government and the area team's self-assessment.
RATER_GROUP_COLUMNS = ("email", "name", "rater_group", "ccg_code", "lead_role", "area_team_code")
RATER_GROUP_REQUIRED = ("email", "name", "rater_group")
# What each column's database field holds.
COLUMN_LIMITS = {
    "email": User._meta.get_field("email").max_length,
    "name": User._meta.get_field("full_name").max_length,
    "ccg_code": CCG._meta.get_field("ods_code").max_length,
    "lead_role": User._meta.get_field("lead_role").max_length,
    "rater_group": Invitation._meta.get_field("rater_group").max_length,
    "area_team_code": AreaTeam._meta.get_field("ods_code").max_length,
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
MSG_COLUMN_EMPTY = 'Line {line}, column {column} ("{name}"): empty; a {group} needs it.'
MSG_UNKNOWN_GROUP = (
    'Line {line}, column {column} ("rater_group"): unknown rater group {group!r} (use clinical, managerial, '
    "financial, practice, patients, local_government or self)."
)
MSG_GROUP_OFF = (
    'Line {line}, column {column} ("rater_group"): the {year} cycle does not ask {label} ({group}). '
    "Switch the group on on the cycle's page first, or remove the line."
)
MSG_ROLE_NOT_GROUP = (
    'Line {line}, column {column} ("lead_role"): {role!r} differs from the rater group {group!r}. '
    "Give the lead role once, or the same in both columns."
)
MSG_ROLE_NOT_LEAD = (
    'Line {line}, column {column} ("lead_role"): only CCG leads have a lead role; a {label} does not. Leave it empty.'
)
MSG_CCG_NOT_FOR_GROUP = (
    'Line {line}, column {column} ("ccg_code"): a {label} appraises an area team, not through a CCG. '
    "Leave ccg_code empty and give area_team_code."
)
MSG_UNKNOWN_AREA_TEAM = 'Line {line}, column {column} ("area_team_code"): unknown area team code {code!r}.'
MSG_AREA_TEAM_NOT_CCGS = (
    'Line {line}, column {column} ("area_team_code"): CCG {ccg} is in area team {ccg_team}, not {code}. '
    "Leave area_team_code empty for a CCG's leads and practices (it comes from the CCG), or correct it."
)
MSG_SELF_NOT_MEMBER = (
    "Line {line}: {email} already has an account that is not an area team member's; "
    "a self-assessment is given by a member of the area team."
)
MSG_SELF_OTHER_TEAM = "Line {line}: {email} is a member of area team {other}, not {code}."
MSG_SECOND_SELF_IN_FILE = (
    "Line {line}: a second self-assessment for area team {code} ({email}; the first is {first_email}, on line "
    "{first}). An area team gives one self-assessment a cycle, which all its members can fill in: keep one line."
)
MSG_SECOND_SELF_INVITED = (
    "Line {line}: area team {code} already has its {year} self-assessment, named to {email_invited}; {email} "
    "would be a second. All the area team's members can fill in the one self-assessment: remove the line."
)
MSG_INVITED_OTHER_GROUP = "Line {line}: {email} is already invited to the {year} cycle as {other}."
MSG_NOT_A_PARTNER = "Line {line}: {email} already has an account that is not a partner's."
MSG_OTHER_PARTNER = "Line {line}: {email} is a partner of {other}, not {here}."
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
    rater_group: str
    ccg: CCG | None
    area_team: AreaTeam
    user: User | None


def token_hash(token: str) -> str:
    """Return the SHA-256 (hex) of an invitation token: only this is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    """Return the absolute link an invitation email carries."""
    return f"{settings.SITE_URL.rstrip('/')}/invitations/{token}/"


def _header(text: str) -> list[str]:
    return [(h or "").strip().lower() for h in next(csv.reader(io.StringIO(text, newline="")), [])]


def _where(place: CCG | AreaTeam | None) -> str:
    if isinstance(place, CCG):
        return f"CCG {place.ods_code}"
    return f"area team {place.ods_code}" if place is not None else "no area team"


def _invitations_parse(cycle: Cycle, text: str, progress: Callable[[int], None] | None = None) -> list[_Row]:
    """Check every line of an invitations file; return its rows, or raise ``ImportFileError`` with every problem.

    Without a ``rater_group`` column every line is a CCG lead (``lead_role``), as files always were.
    """
    grouped = "rater_group" in _header(text)
    header, raw_rows = csv_value_rows(
        text,
        columns=RATER_GROUP_COLUMNS,
        required=RATER_GROUP_REQUIRED if grouped else INVITATION_COLUMNS,
    )

    def column(name: str) -> int:
        return header.index(name) + 1 if name in header else 0

    required_values = ("email",) if grouped else ("email", "ccg_code", "lead_role")
    ccgs = {c.ods_code: c for c in CCG.objects.select_related("area_team")}
    area_teams = {at.ods_code: at for at in AreaTeam.objects.all()}
    asked = cycle_rater_groups(cycle)
    emails = {values["email"].lower() for _, values in raw_rows}
    users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("ccg", "area_team")}
    # Each area team's one self-assessment: whom it is named to already, and the first line naming it here.
    self_invited = dict(
        Invitation.objects.filter(cycle=cycle, rater_group=SELF).values_list("area_team__ods_code", "user__email")
    )
    first_self: dict[str, tuple[int, str]] = {}
    invited_as = dict(
        Invitation.objects.filter(cycle=cycle, user__email__in=emails).values_list("user__email", "rater_group")
    )
    problems: list[str] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, values in raw_rows:
        if progress is not None:
            progress(line)
        # An old file's codes were always looked up (a long one is an unknown code, as it always said).
        too_long = [
            length_problem(line=line, column=column(c), name=c, value=values[c], limit=limit)
            for c, limit in COLUMN_LIMITS.items()
            if column(c) and (grouped or c in ("email", "name"))
        ]
        if any(too_long):
            problems.extend(
                [MSG_EMPTY.format(line=line, column=c) for c in required_values if not values[c]]
                + [problem for problem in too_long if problem]
            )
            continue
        email, code = values["email"].lower(), values["ccg_code"].upper()
        role, group = values["lead_role"].lower(), values["rater_group"].lower()
        team_code = values["area_team_code"].upper()
        if not grouped:
            row_problems = [
                MSG_EMPTY.format(line=line, column=c) for c in ("email", "ccg_code", "lead_role") if not values[c]
            ]
            group = role
        else:
            row_problems = [MSG_EMPTY.format(line=line, column="email")] if not email else []
            group = group or role
            if not group:
                row_problems.append(MSG_EMPTY.format(line=line, column="rater_group"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(MSG_BAD_EMAIL.format(line=line, email=values["email"]))
            if email in first_line:
                row_problems.append(MSG_DUPLICATE_EMAIL.format(line=line, email=email, first=first_line[email]))
            else:
                first_line[email] = line
        ccg, area_team = ccgs.get(code), area_teams.get(team_code)
        if not grouped:
            if code and ccg is None:
                row_problems.append(MSG_UNKNOWN_CCG.format(line=line, code=values["ccg_code"]))
            if role and role not in LeadRole.values:
                row_problems.append(MSG_UNKNOWN_LEAD_ROLE.format(line=line, role=values["lead_role"]))
        elif group:
            row_problems += _group_problems(cycle, line, values, group, role, ccg, area_team, asked, column)
        user = users.get(email)
        if not row_problems:
            area_team = ccg.area_team if group in CCG_GROUPS else area_team
            row_problems += _account_problems(line, email, group, ccg, area_team, user)
        if not row_problems and invited_as.get(email, group) != group:
            row_problems.append(
                MSG_INVITED_OTHER_GROUP.format(
                    line=line, email=email, year=cycle.year, other=GROUP_LABELS[invited_as[email]].lower()
                )
            )
        if not row_problems and group == SELF:
            row_problems += _self_problems(cycle, line, email, area_team, self_invited, first_self)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(_Row(line, email, values["name"], group, ccg if group in CCG_GROUPS else None, area_team, user))
    if problems:
        raise ImportFileError(problems)
    return rows


def _group_problems(cycle, line, values, group, role, ccg, area_team, asked, column) -> list[str]:
    """Return the problems of a line's rater group and where it points (CCG or area team)."""
    if group not in RaterGroup.values:
        return [MSG_UNKNOWN_GROUP.format(line=line, column=column("rater_group"), group=values["rater_group"])]
    label = GROUP_LABELS[group].lower()
    problems = []
    if group not in asked:
        problems.append(
            MSG_GROUP_OFF.format(line=line, column=column("rater_group"), year=cycle.year, label=label, group=group)
        )
    if role and group in LEAD_GROUPS and role != group:
        problems.append(MSG_ROLE_NOT_GROUP.format(line=line, column=column("lead_role"), role=role, group=group))
    if role and group not in LEAD_GROUPS:
        problems.append(MSG_ROLE_NOT_LEAD.format(line=line, column=column("lead_role"), label=label))
    code, team_code = values["ccg_code"], values["area_team_code"]
    if group in CCG_GROUPS:
        if not code:
            where = column("ccg_code") or len(values)
            problems.append(MSG_COLUMN_EMPTY.format(line=line, column=where, name="ccg_code", group=label))
        elif ccg is None:
            problems.append(MSG_UNKNOWN_CCG.format(line=line, code=code))
        if team_code and area_team is None:
            problems.append(MSG_UNKNOWN_AREA_TEAM.format(line=line, column=column("area_team_code"), code=team_code))
        elif team_code and ccg is not None and ccg.area_team_id != area_team.pk:
            problems.append(
                MSG_AREA_TEAM_NOT_CCGS.format(
                    line=line,
                    column=column("area_team_code"),
                    ccg=ccg.ods_code,
                    ccg_team=ccg.area_team.ods_code,
                    code=area_team.ods_code,
                )
            )
        return problems
    if code:
        problems.append(MSG_CCG_NOT_FOR_GROUP.format(line=line, column=column("ccg_code"), label=label))
    if not team_code:
        where = column("area_team_code") or len(values)
        problems.append(MSG_COLUMN_EMPTY.format(line=line, column=where, name="area_team_code", group=label))
    elif area_team is None:
        problems.append(MSG_UNKNOWN_AREA_TEAM.format(line=line, column=column("area_team_code"), code=team_code))
    return problems


def _account_problems(line, email, group, ccg, area_team, user) -> list[str]:
    """Return why an existing account cannot be invited on this line (none for a new email)."""
    if user is None:
        return []
    if group in LEAD_GROUPS:
        if user.role != UserRole.CCG_LEAD:
            return [MSG_NOT_A_LEAD.format(line=line, email=email)]
        if user.ccg.ods_code != ccg.ods_code:
            return [MSG_OTHER_CCG.format(line=line, email=email, other=user.ccg.ods_code, code=ccg.ods_code)]
        if user.lead_role != group:
            return [
                MSG_OTHER_LEAD_ROLE.format(line=line, email=email, other=user.lead_role, code=ccg.ods_code, role=group)
            ]
        return []
    if group == SELF:
        if user.role != UserRole.AREA_TEAM_MEMBER:
            return [MSG_SELF_NOT_MEMBER.format(line=line, email=email)]
        if user.area_team_id != area_team.pk:
            return [
                MSG_SELF_OTHER_TEAM.format(
                    line=line, email=email, other=user.area_team.ods_code, code=area_team.ods_code
                )
            ]
        return []
    if user.role != UserRole.PARTNER:
        return [MSG_NOT_A_PARTNER.format(line=line, email=email)]
    here = ccg if group == RaterGroup.PRACTICE else area_team
    there = user.ccg or user.area_team
    if user.area_team_id != area_team.pk or (user.ccg_id != (ccg.pk if group == RaterGroup.PRACTICE else None)):
        return [MSG_OTHER_PARTNER.format(line=line, email=email, other=_where(there), here=_where(here))]
    return []


def _account_for(row: _Row) -> dict:
    """Return the role and place of the account a new email gets: lead, area team member (self) or partner."""
    if row.rater_group in LEAD_GROUPS:
        return {"role": UserRole.CCG_LEAD, "ccg": row.ccg, "lead_role": row.rater_group}
    if row.rater_group == SELF:
        return {"role": UserRole.AREA_TEAM_MEMBER, "area_team": row.area_team}
    return {"role": UserRole.PARTNER, "area_team": row.area_team, "ccg": row.ccg}


def _self_problems(cycle, line, email, area_team, self_invited, first_self) -> list[str]:
    """Return the problem of a second self-assessment for an area team (in the file, or invited already)."""
    code = area_team.ods_code
    if code in first_self and first_self[code][1] != email:
        first, first_email = first_self[code]
        return [MSG_SECOND_SELF_IN_FILE.format(line=line, code=code, email=email, first_email=first_email, first=first)]
    first_self.setdefault(code, (line, email))
    if code in self_invited and self_invited[code] != email:
        return [
            MSG_SECOND_SELF_INVITED.format(
                line=line, code=code, year=cycle.year, email_invited=self_invited[code], email=email
            )
        ]
    return []


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
    return len(_invitations_parse(cycle, file_decode(raw), progress))


@transaction.atomic
def invitations_import(*, cycle: Cycle, raw: bytes, send: bool = False, actor=None) -> InvitationImportResult:
    """Create accounts and one invitation per person from a CSV, in any rater group the cycle asks.

    ``email,name,ccg_code,lead_role`` (CCG leads, as files always were), or with a ``rater_group`` column
    (``email,name,rater_group,ccg_code,lead_role,area_team_code``): leads and GP member practices name their
    CCG (the area team is the CCG's), patients' representatives, local government and the self-assessment
    name the area team. New emails become leads, partners, or (self) members of the area team.

    The whole file is checked first; any problem raises ``ImportFileError`` listing every problem with
    its line number, and nothing is written. Importing the same file again changes nothing. With
    ``send``, invitations never sent before are emailed (after commit).
    """
    invitations_import_allowed(cycle=cycle, send=send)
    rows = _invitations_parse(cycle, file_decode(raw))
    invited = set(Invitation.objects.filter(cycle=cycle).values_list("user_id", flat=True))
    users_created = 0
    new_invitations = []
    for row in rows:
        user = row.user
        if user is None:
            user = user_create(email=row.email, full_name=row.name, actor=actor, **_account_for(row))
            users_created += 1
        if user.pk not in invited:
            invited.add(user.pk)
            new_invitations.append(
                Invitation(cycle=cycle, user=user, ccg=row.ccg, area_team=row.area_team, rater_group=row.rater_group)
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
        # Only this row: the default ordering joins the (nullable) CCG, which PostgreSQL cannot lock.
        Invitation.objects.select_for_update(of=("self",))
        .filter(token_hash=token_hash(token or ""))
        .exclude(token_hash="")
        .first()
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
