"""Who answers which invitations: the one rule every page, API view and cycle list of a respondent uses."""

from django.db.models import Exists, OuterRef

from accounts.models import UserRole
from surveys.models import LEAD_GROUPS, PARTNER_GROUPS, Invitation, RaterGroup

# The rater groups each respondent role answers in: a lead in a lead role, a partner in a partner group, an
# area team member in its team's self-assessment. Any other role (NHSCC staff) answers in none.
_GROUPS_OF_ROLE = {
    UserRole.CCG_LEAD: LEAD_GROUPS,
    UserRole.PARTNER: PARTNER_GROUPS,
    UserRole.AREA_TEAM_MEMBER: (RaterGroup.SELF.value,),
}


def is_respondent(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in _GROUPS_OF_ROLE)


def invitations_for_respondent(*, user):
    """Return the invitations ``user`` answers: their own (a lead or partner), or their area team's self-assessment.

    An area team member reaches the self-assessment of the area team they belong to now, whoever the
    invitation names; never another team's, and never a lead's or partner's invitation.
    """
    if not is_respondent(user):
        return Invitation.objects.none()
    invitations = Invitation.objects.filter(rater_group__in=_GROUPS_OF_ROLE[user.role])
    if user.role == UserRole.AREA_TEAM_MEMBER:
        return invitations.filter(area_team_id=user.area_team_id) if user.area_team_id else invitations.none()
    return invitations.filter(user=user)


def cycles_answered_by(*, user) -> Exists:
    """Return an ``Exists`` over ``Cycle`` rows: the cycle has an invitation that ``user`` answers."""
    return Exists(invitations_for_respondent(user=user).filter(cycle=OuterRef("pk")))
