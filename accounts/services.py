"""Writes about people: accounts, demo accounts and API tokens."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from accounts.models import LeadRole, User, UserRole
from accounts.tasks import user_welcome_email_send_task
from core.errors import Conflict, DomainError, NotFound
from core.services import audit_act, audit_record
from organisations.models import CCG, AreaTeam

# Local-use-only demo accounts, shown in the README. Created only by `make run`'s demo step.
DEMO_PASSWORD = "appraise-demo-2013"  # noqa: S105 - published in the README on purpose


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    full_name: str
    ccg_code: str = ""
    lead_role: str = ""
    area_team_code: str = ""


DEMO_ACCOUNTS = (
    DemoAccount("lead@example.nhs.uk", UserRole.CCG_LEAD, "Dr Demo Lead", ccg_code="01C", lead_role=LeadRole.CLINICAL),
    DemoAccount("analyst@example.nhs.uk", UserRole.ANALYST, "Demo Analyst"),
    DemoAccount("admin@example.nhs.uk", UserRole.ADMIN, "Demo Admin"),
    DemoAccount("areateam@example.nhs.uk", UserRole.AREA_TEAM_MEMBER, "Demo Area Team Member", area_team_code="Q44"),
)


@transaction.atomic
def user_create(
    *,
    email: str,
    role: str,
    password: str | None = None,
    full_name: str = "",
    ccg: CCG | None = None,
    lead_role: str = "",
    area_team: AreaTeam | None = None,
    actor=None,
) -> User:
    """Create a user in one role; a lead needs a CCG and lead role, an area team member an area team."""
    if role == UserRole.CCG_LEAD and (ccg is None or lead_role not in LeadRole.values):
        raise DomainError("A CCG lead needs a CCG and a lead role (clinical, managerial or financial).")
    if role == UserRole.AREA_TEAM_MEMBER and area_team is None:
        raise DomainError("An area team member needs an area team.")
    if role == UserRole.PARTNER and (area_team is None or lead_role):
        raise DomainError("A partner needs the area team they appraise, and no lead role.")
    user = User(
        email=email.strip().lower(),
        role=role,
        full_name=full_name,
        ccg=ccg,
        lead_role=lead_role,
        area_team=area_team,
        is_staff=role == UserRole.ADMIN,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    audit_act(actor=actor, action="user_created", obj=user, detail={"role": role})
    return user


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing and reset their passwords; return (account, created)."""
    result = []
    for account in DEMO_ACCOUNTS:
        ccg = CCG.objects.get(ods_code=account.ccg_code) if account.ccg_code else None
        area_team = AreaTeam.objects.get(ods_code=account.area_team_code) if account.area_team_code else None
        user = User.objects.filter(email=account.email).first()
        created = user is None
        if created:
            user_create(
                email=account.email,
                role=account.role,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                ccg=ccg,
                lead_role=account.lead_role,
                area_team=area_team,
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        result.append((account, created))
    return result


@transaction.atomic
def api_token_issue(*, email: str, rotate: bool = False, actor=None) -> str:
    """Return the API token of the user with ``email``, creating it (or replacing it if ``rotate``)."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        raise NotFound(f"No active user with the email address {email}.")
    if rotate:
        return api_token_rotate(user=user, actor=actor).key
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_act(actor=actor, action="api_token_issued", obj=user)
    return token.key


@transaction.atomic
def api_token_rotate(*, user: User, actor=None, ip: str | None = None) -> Token:
    """Replace ``user``'s API token with a new one (the old one stops working at once); return the new token."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_act(actor=actor, action="api_token_rotated", obj=user, ip=ip)
    return token


@transaction.atomic
def api_token_revoke(*, user: User, actor=None, ip: str | None = None) -> bool:
    """Delete ``user``'s API token; return whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_act(actor=actor, action="api_token_revoked", obj=user, ip=ip)
    return bool(deleted)


# People: NHSCC staff and area team members, managed by admins ---------------------------------------

STAFF_ROLES = (UserRole.ANALYST, UserRole.ADMIN, UserRole.AREA_TEAM_MEMBER)
WELCOME_SUBJECT = "Your Appraise account: choose a password"

MSG_EMAIL_TAKEN = "There is already an account for {email}"
MSG_ROLE_NOT_STAFF = "Choose NHSCC analyst, NHSCC admin or area team member: CCG leads come from invitation files"
MSG_AREA_TEAM_NEEDED = "Choose the area team this person belongs to"
MSG_NOT_YOURSELF = "You cannot {action} your own account: ask another admin"
MSG_LAST_ADMIN = "{email} is the last active admin: make someone else an admin first"
MSG_LEAD_ROLE_FIXED = "A CCG lead's role comes from the invitation file and cannot be changed here"
MSG_ALREADY_INACTIVE = "{email} is already deactivated"
MSG_HAS_PASSWORD = "{email} has already chosen a password: they can reset it from the sign-in page"  # noqa: S105 - a message, not a password

_WELCOME_BODY = """Dear {name},

{inviter} has given you an account on Appraise, NHS Clinical Commissioners' appraisal of NHS England,
as {role}{where}.

To choose your password and sign in, open this link:

  {link}

The link works once and expires in {days} days. If it has expired, ask for a new one at
{site}/password-reset/ with this email address.

NHS Clinical Commissioners
"""


def _check_role(role: str, area_team: AreaTeam | None) -> None:
    if role not in STAFF_ROLES:
        raise DomainError(MSG_ROLE_NOT_STAFF, code="invalid_role")
    if role == UserRole.AREA_TEAM_MEMBER and area_team is None:
        raise DomainError(MSG_AREA_TEAM_NEEDED, code="area_team_needed")


def _refuse_if_last_admin(user: User) -> None:
    if user.role != UserRole.ADMIN or not user.is_active:
        return
    # Lock every active admin row (in a fixed order) so that two admins demoting each other cannot both win.
    admins = list(User.objects.select_for_update().filter(role=UserRole.ADMIN, is_active=True).order_by("pk"))
    if len(admins) <= 1:
        raise Conflict(MSG_LAST_ADMIN.format(email=user.email), code="last_admin")


def welcome_link(user: User) -> str:
    """Return the set-password link for ``user``: Django's password-reset token, valid once."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.SITE_URL}{reverse('welcome', kwargs={'uidb64': uid, 'token': token})}"


def user_welcome_email_deliver(*, user_id: int, inviter: str = "NHS Clinical Commissioners") -> bool:
    """Send the welcome email with a set-password link; return whether sent (not once the password is set)."""
    user = User.objects.select_related("area_team").filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    body = _WELCOME_BODY.format(
        name=user.full_name or user.email,
        inviter=inviter,
        role=f"{'an' if user.get_role_display()[0] in 'AEIOU' else 'a'} {user.get_role_display()}",
        where=f" for {user.area_team.name}" if user.area_team else "",
        link=welcome_link(user),
        days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        site=settings.SITE_URL,
    )
    send_mail(WELCOME_SUBJECT, body, None, [user.email])
    return True


@transaction.atomic(durable=True)
def user_invite(
    *, actor, email: str, full_name: str, role: str, area_team: AreaTeam | None = None, ip: str | None = None
) -> User:
    """Create an NHSCC staff or area team account without a password, and email its set-password link."""
    _check_role(role, area_team)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(MSG_EMAIL_TAKEN.format(email=email), code="email_taken")
    user = user_create(
        email=email,
        role=role,
        full_name=full_name.strip(),
        area_team=area_team if role == UserRole.AREA_TEAM_MEMBER else None,
    )
    audit_record(actor=actor, action="user_invited", obj=user, detail={"email": email, "role": role}, ip=ip)
    inviter = actor.full_name or actor.email
    transaction.on_commit(lambda: user_welcome_email_send_task.delay(user.pk, inviter))
    return user


@transaction.atomic(durable=True)
def user_change_role(*, actor, user: User, role: str, area_team: AreaTeam | None = None, ip: str | None = None) -> User:
    """Give an NHSCC staff or area team account another role (admins are staff in the Django admin)."""
    if user.pk == actor.pk:
        raise DomainError(MSG_NOT_YOURSELF.format(action="change the role of"), code="not_yourself")
    if user.role == UserRole.CCG_LEAD:
        raise DomainError(MSG_LEAD_ROLE_FIXED, code="lead_role_fixed")
    _check_role(role, area_team)
    if role != UserRole.ADMIN:
        _refuse_if_last_admin(user)
    before = {"role": user.role, "area_team": user.area_team.ods_code if user.area_team else None}
    user.role = role
    user.area_team = area_team if role == UserRole.AREA_TEAM_MEMBER else None
    user.is_staff = role == UserRole.ADMIN
    user.save(update_fields=["role", "area_team", "is_staff"])
    after = {"role": role, "area_team": area_team.ods_code if user.area_team else None}
    audit_record(actor=actor, action="user_role_changed", obj=user, detail={"before": before, "after": after}, ip=ip)
    return user


@transaction.atomic(durable=True)
def user_deactivate(*, actor, user: User, ip: str | None = None) -> User:
    """Stop ``user`` signing in (their sessions stop working and their API token goes); nothing is deleted."""
    if user.pk == actor.pk:
        raise DomainError(MSG_NOT_YOURSELF.format(action="deactivate"), code="not_yourself")
    if not user.is_active:
        raise Conflict(MSG_ALREADY_INACTIVE.format(email=user.email), code="already_inactive")
    _refuse_if_last_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user_deactivated", obj=user, detail={"email": user.email}, ip=ip)
    return user


@transaction.atomic(durable=True)
def user_reactivate(*, actor, user: User, ip: str | None = None) -> User:
    """Let a deactivated user sign in again."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user_reactivated", obj=user, detail={"email": user.email}, ip=ip)
    return user


@transaction.atomic(durable=True)
def user_welcome_resend(*, actor, user: User, ip: str | None = None) -> User:
    """Email an invited person a new set-password link (the earlier one may have expired)."""
    if not user.is_active:
        raise Conflict(MSG_ALREADY_INACTIVE.format(email=user.email), code="already_inactive")
    if user.has_usable_password():
        raise Conflict(MSG_HAS_PASSWORD.format(email=user.email), code="has_password")
    audit_record(actor=actor, action="user_welcome_resent", obj=user, detail={"email": user.email}, ip=ip)
    inviter = actor.full_name or actor.email
    transaction.on_commit(lambda: user_welcome_email_send_task.delay(user.pk, inviter))
    return user
