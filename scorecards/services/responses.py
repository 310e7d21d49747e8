"""Writes of area teams' replies to their published scorecards ("what we heard, what we will do")."""

from django.db import transaction

from core.errors import DomainError, PermissionDenied
from organisations.models import AreaTeam
from scorecards.models import AreaTeamResponse
from surveys.models import Cycle, CycleState

RESPONSE_MAX_LENGTH = 3000
MSG_RESPONSE_NOT_MEMBER = "Only members of {area_team} can write its response."
MSG_RESPONSE_NOT_PUBLISHED = "You can respond once the {year} results are published."
MSG_RESPONSE_EMPTY = "Enter your area team's response."
MSG_RESPONSE_TOO_LONG = f"Your response must be {RESPONSE_MAX_LENGTH} characters or fewer."


@transaction.atomic
def area_team_response_save(*, user, cycle: Cycle, area_team: AreaTeam, text: str) -> AreaTeamResponse:
    """Create or replace ``area_team``'s published response to its ``cycle`` scorecard, written by ``user``.

    Only members of that area team may write it, and only once the cycle's results are published.
    """
    if not (user.is_area_team_member and user.area_team_id == area_team.pk):
        raise PermissionDenied(MSG_RESPONSE_NOT_MEMBER.format(area_team=area_team.name))
    if cycle.state != CycleState.PUBLISHED:
        raise PermissionDenied(MSG_RESPONSE_NOT_PUBLISHED.format(year=cycle.year))
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise DomainError(MSG_RESPONSE_EMPTY, code="response_empty")
    if len(text) > RESPONSE_MAX_LENGTH:
        raise DomainError(MSG_RESPONSE_TOO_LONG, code="response_too_long")
    response, _ = AreaTeamResponse.objects.select_for_update().update_or_create(
        cycle=cycle, area_team=area_team, defaults={"text": text, "author": user}
    )
    return response
