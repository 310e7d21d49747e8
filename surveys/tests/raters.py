"""Respondents of every rater group for the journey tests: partners, and an area team with its self-assessment.

Cheshire, Warrington and Wirral (Q44) is the area team of NHS Eastern Cheshire CCG (01C); West Yorkshire
(Q52) is another area team.
"""

import datetime as dt
import secrets

from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.models import CCG, AreaTeam
from surveys.models import Invitation
from surveys.services.invitations import token_hash
from surveys.tests.factories import InvitationFactory

AREA_TEAM = "Q44"
AREA_TEAM_NAME = "Cheshire, Warrington and Wirral"
OTHER_AREA_TEAM = "Q52"
CCG_CODE = "01C"
CCG_NAME = "NHS Eastern Cheshire CCG"


def partner_invitation(cycle, rater_group: str = "practice", *, email: str | None = None) -> Invitation:
    """Invite a new partner in ``rater_group`` to appraise Q44 (a GP member practice through its CCG, 01C)."""
    extra = {"email": email} if email else {}
    user = UserFactory(
        role="partner", area_team_code=AREA_TEAM, ccg_code=CCG_CODE if rater_group == "practice" else None, **extra
    )
    ccg = CCG.objects.get(ods_code=CCG_CODE) if rater_group == "practice" else None
    area_team = AreaTeam.objects.get(ods_code=AREA_TEAM)
    return InvitationFactory(cycle=cycle, user=user, ccg=ccg, area_team=area_team, rater_group=rater_group)


def member(area_team_code: str = AREA_TEAM, **kwargs):
    """Return a new active member of the area team."""
    return UserFactory(role="area_team_member", area_team_code=area_team_code, **kwargs)


def self_invitation(cycle, named=None, area_team_code: str = AREA_TEAM) -> Invitation:
    """Invite the area team's self-assessment, naming ``named`` (a new member by default)."""
    named = named or member(area_team_code)
    area_team = AreaTeam.objects.get(ods_code=area_team_code)
    return InvitationFactory(cycle=cycle, user=named, ccg=None, area_team=area_team, rater_group="self")


def give_link(invitation: Invitation, *, days: int = 14) -> str:
    """Give the invitation a fresh single-use link, as sending it does; return the link's path."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=token_hash(token), token_expires_at=timezone.now() + dt.timedelta(days=days), token_used_at=None
    )
    return f"/invitations/{token}/"
