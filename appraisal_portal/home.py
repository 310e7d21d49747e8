"""The home page per role: what each role does and the pages it uses.

It lives at the top (in the project package, not in an app) because its links name pages of every
app: surveys, comments, scorecards, exports and the admin.
"""

from django.shortcuts import render
from django.urls import reverse

from accounts.models import UserRole

# Pages more than one role uses, each written once.
FIELDWORK = {"text": "Response rates and non-responders", "url_name": "results-fieldwork-latest"}
MODERATION = {"text": "Moderate free-text comments", "url_name": "results-comments-latest"}
LEAGUE_TABLE = {"text": "League table of area teams", "url_name": "results-league-table-latest"}
ALL_RESULTS = {"text": "All results and scorecards", "url_name": "results"}
API_DOCS = {"text": "API documentation", "url_name": "api-docs"}

# What each role does in the service, and the pages it uses. Links name URL patterns, resolved per
# request; list only pages that exist. ``staff_only`` links need Django's is_staff as well.
HOME_DESTINATIONS = {
    UserRole.CCG_LEAD: {
        "title": "Your appraisal of NHS England",
        "summary": "Fill in this year's appraisal for your CCG, save as you go and submit once.",
        "duties": [
            "Rate how your NHS England area team and its national functions work with your CCG.",
            "Answer in sections and save as you go; check your answers before you submit.",
            "Submit once; no one else can see which answers are yours.",
            "Read the published results for your area team, your region and England.",
        ],
        "links": [
            {"text": "Published results", "url_name": "results"},
            LEAGUE_TABLE,
        ],
    },
    UserRole.PARTNER: {
        "title": "Your appraisal of NHS England",
        "summary": "Fill in this year's appraisal of how NHS England's area team works with you, save as you go "
        "and submit once.",
        "duties": [
            "Rate how the NHS England area team named in your invitation works with you.",
            "Answer in sections and save as you go; check your answers before you submit.",
            "Submit once; no one else can see which answers are yours.",
            "Read the published results for the area team, its region and England.",
        ],
        "links": [
            {"text": "Published results", "url_name": "results"},
            LEAGUE_TABLE,
        ],
    },
    UserRole.ANALYST: {
        "title": "Fieldwork and results",
        "summary": "Watch response rates, chase non-responders, read league tables and moderate comments.",
        "duties": [
            "Watch response rates by area team, region and lead role while the appraisal is open.",
            "Send reminders to leads who have not yet responded.",
            "Read league tables and area team scorecards, with their bases and intervals.",
            "Moderate free-text comments before they are published.",
        ],
        "links": [
            FIELDWORK,
            MODERATION,
            LEAGUE_TABLE,
            ALL_RESULTS,
            {"text": "Appraisal cycles and response counts", "url_name": "manage-cycles"},
            API_DOCS,
        ],
    },
    UserRole.ADMIN: {
        "title": "Run the appraisal",
        "summary": "Open, close and publish cycles, import organisations and invitations, export the annual report.",
        "duties": [
            "Edit the questionnaire before fieldwork, then open, close and publish each year's cycle.",
            "Import organisations and invite CCG leads.",
            "Manage who can sign in and what role each person holds.",
            "Export the annual report as PDF, spreadsheet or CSV.",
            "Moderate free-text comments; only admins can read a redacted comment as it was written.",
        ],
        "links": [
            {"text": "Run appraisal cycles and import invitations", "url_name": "manage-cycles"},
            FIELDWORK,
            MODERATION,
            ALL_RESULTS,
            {"text": "Export the annual report (PDF, spreadsheet, CSV)", "url_name": "exports"},
            {"text": "Manage people", "url_name": "manage-people"},
            {"text": "Audit log", "url_name": "manage-audit"},
            {"text": "Look up records (Django admin, read-only)", "url_name": "admin:index", "staff_only": True},
            API_DOCS,
        ],
    },
    UserRole.AREA_TEAM_MEMBER: {
        "title": "Your area team's results",
        "summary": "Complete your area team's self-assessment, read its published scorecard and write your "
        "response and action plan.",
        "duties": [
            "Complete your area team's self-assessment with your colleagues: one shared set of answers, "
            "published under the area team's name.",
            "Read your area team's published scorecard beside your region and England.",
            "See where you have improved or fallen back since last year.",
            "Write your area team's response and action plan for the CCGs you work with.",
        ],
        "links": [
            {"text": "Your area team's scorecard", "url_name": "results-my-scorecard"},
            {"text": "All results you can see", "url_name": "results"},
        ],
    },
}

# Every role can look after its own account.
ACCOUNT_LINKS = [
    {"text": "Your account", "url_name": "account"},
    {"text": "Change your password", "url_name": "password_change"},
]


def home_for_user(*, user) -> dict:
    """Return what the home page shows ``user``: their role's heading, what they do and where they go."""
    destination = HOME_DESTINATIONS[UserRole(user.role)]
    home = {
        "title": destination["title"],
        "summary": destination["summary"],
        "duties": list(destination["duties"]),
        "role": user.get_role_display(),
        "links": [
            {"text": link["text"], "href": reverse(link["url_name"])}
            for link in [*destination["links"], *ACCOUNT_LINKS]
            if user.is_staff or not link.get("staff_only")
        ],
    }
    if user.is_lead and user.ccg_id:
        home["organisation"] = user.ccg.name
        home["lead_role"] = user.get_lead_role_display()
    elif user.is_area_team_member and user.area_team_id:
        home["organisation"] = user.area_team.name
    return home


def home(request):
    """Send each role to what it does; anonymous visitors see what the service is and sign in."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    return render(request, "home.html", {"home": home_for_user(user=request.user)})
