"""Writes about people: accounts, demo accounts and API tokens."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import LeadRole, User, UserRole
from core.errors import DomainError, NotFound
from core.services import audit_act
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
