"""Reads about people: where each role starts."""

from accounts.models import UserRole

HOME_DESTINATIONS = {
    UserRole.CCG_LEAD: {
        "title": "Your appraisal of NHS England",
        "summary": "Fill in this year's appraisal for your CCG, save as you go and submit once.",
    },
    UserRole.ANALYST: {
        "title": "Fieldwork and results",
        "summary": "Watch response rates, chase non-responders, read league tables and moderate comments.",
    },
    UserRole.ADMIN: {
        "title": "Run the appraisal",
        "summary": "Open, close and publish cycles, import organisations and invitations, export the annual report.",
    },
    UserRole.AREA_TEAM_MEMBER: {
        "title": "Your area team's results",
        "summary": "Read your area team's published scorecard and write your response and action plan.",
    },
}


def home_for_user(*, user) -> dict:
    """Return what the home page shows ``user``: their role's heading, summary and where they belong."""
    destination = dict(HOME_DESTINATIONS[UserRole(user.role)])
    destination["role"] = user.get_role_display()
    if user.is_lead and user.ccg_id:
        destination["organisation"] = user.ccg.name
        destination["lead_role"] = user.get_lead_role_display()
    elif user.is_area_team_member and user.area_team_id:
        destination["organisation"] = user.area_team.name
    return destination
