"""Who can reach what: every page and API endpoint × every role, as one table.

The routes are collected from the URL conf, so a new page fails
``test_every_route_in_the_url_conf_is_in_the_matrix`` until it gets a row here saying who may see it.
"""

from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# What a caller gets, besides a plain status code.
OK = 200
SIGN_IN = "redirect to sign in"
ADMIN_SIGN_IN = "redirect to the admin sign in"
HOME = "redirect home"
API_401 = "401 JSON"

ROLES = ("anonymous", "ccg_lead", "analyst", "admin", "area_team_member")

# fmt: off
# route in the URL conf              anonymous      ccg_lead       analyst        admin  area_team_member
MATRIX = [
    ("",                                 OK,            OK,            OK,            OK,    OK),
    ("account/",                         SIGN_IN,       OK,            OK,            OK,    OK),
    ("sign-in/",                         OK,            HOME,          HOME,          HOME,  HOME),
    ("sign-out/",                        405,           405,           405,           405,   405),
    ("password-reset/",                  OK,            OK,            OK,            OK,    OK),
    ("password-reset/sent/",             OK,            OK,            OK,            OK,    OK),
    ("password-reset/<uidb64>/<token>/", OK,            OK,            OK,            OK,    OK),
    ("password-reset/done/",             OK,            OK,            OK,            OK,    OK),
    ("password-change/",                 SIGN_IN,       OK,            OK,            OK,    OK),
    ("password-change/done/",            SIGN_IN,       OK,            OK,            OK,    OK),
    ("admin/",                           ADMIN_SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, OK,    ADMIN_SIGN_IN),
    ("api/schema/",                      OK,            OK,            OK,            OK,    OK),
    ("api/docs/",                        OK,            OK,            OK,            OK,    OK),
    ("api/v1/regions/",                  API_401,       OK,            OK,            OK,    OK),
    ("api/v1/area-teams/",               API_401,       OK,            OK,            OK,    OK),
    ("api/v1/ccgs/",                     API_401,       OK,            OK,            OK,    OK),
    ("api/v1/me/token/",                 API_401,       OK,            OK,            OK,    OK),
    ("healthz",                          OK,            OK,            OK,            OK,    OK),
    ("robots.txt",                       OK,            OK,            OK,            OK,    OK),
    ("manage/audit/",                    SIGN_IN,       403,           403,           OK,    403),
    # public pages (core/tests/test_public_pages.py)
    ("status/",                          OK,            OK,            OK,            OK,    OK),
    ("accessibility/",                   OK,            OK,            OK,            OK,    OK),
    ("privacy/",                         OK,            OK,            OK,            OK,    OK),
    ("cookies/",                         OK,            OK,            OK,            OK,    OK),
    ("contact/",                         OK,            OK,            OK,            OK,    OK),
    ("results/method/",                  OK,            OK,            OK,            OK,    OK),
    # people (accounts/tests/test_people.py): admins only; the welcome link's page is for its holder.
    ("manage/people/",                   SIGN_IN,       403,           403,           OK,    403),
    ("manage/people/invite/",            SIGN_IN,       403,           403,           OK,    403),
    ("manage/people/<int:pk>/",          SIGN_IN,       403,           403,           404,   403),
    ("welcome/<uidb64>/<token>/",        OK,            OK,            OK,            OK,    OK),
    # surveys API. No cycle exists here, so a permitted caller gets 404 for a year; the role gate comes first.
    ("api/v1/cycles/",                   API_401,       OK,            OK,            OK,    OK),
    ("api/v1/cycles/<int:year>/questionnaire/", API_401, 404,          404,           404,   404),
    ("api/v1/cycles/<int:year>/my-response/",   API_401, 404,          403,           403,   404),
    ("api/v1/cycles/<int:year>/my-response/submit/", API_401, 405,     403,           403,   405),
    # scorecards API: no cycle here either (scorecards/tests/test_api.py covers published and unpublished cycles).
    ("api/v1/cycles/<int:year>/scorecards/",     API_401, 404,         404,           404,   404),
    ("api/v1/cycles/<int:year>/response-rates/", API_401, 404,         404,           404,   404),
    # surveys pages. No cycle exists: a lead gets 404 (never a hint that a year exists); the role gate comes first.
    ("invitations/<str:token>/",         404,           404,           404,           404,   404),
    ("appraisal/<int:year>/",            SIGN_IN,       404,           403,           403,   404),
    ("appraisal/<int:year>/section/<str:code>/", SIGN_IN, 404,         403,           403,   404),
    ("appraisal/<int:year>/check/",      SIGN_IN,       404,           403,           403,   404),
    ("appraisal/<int:year>/submitted/",  SIGN_IN,       404,           403,           403,   404),
    ("manage/cycles/",                   SIGN_IN,       403,           OK,            OK,    403),
    ("manage/cycles/<int:year>/",        SIGN_IN,       403,           404,           404,   403),
    ("manage/cycles/<int:year>/state/",  SIGN_IN,       403,           403,           405,   403),
    ("manage/cycles/<int:year>/invitations/", SIGN_IN,  403,           403,           405,   403),
    # background imports (surveys/tests/test_import_pages.py): admins only; no import exists here.
    ("manage/cycles/<int:year>/responses/", SIGN_IN,    403,           403,           405,   403),
    ("manage/cycles/<int:year>/imports/<int:pk>/", SIGN_IN, 403,       403,           404,   403),
    ("manage/cycles/<int:year>/imports/<int:pk>/progress/", SIGN_IN, 403, 403,        404,   403),
    ("manage/cycles/<int:year>/state/<str:state>/", SIGN_IN, 403,      403,           404,   403),
    ("manage/cycles/<int:year>/dates/",  SIGN_IN,       403,           403,           404,   403),
    ("manage/cycles/<int:year>/rater-groups/", SIGN_IN, 403,           403,           404,   403),
    # provisional snapshots of an open cycle (scorecards/tests/test_provisional_pages.py): admins only.
    ("manage/cycles/<int:year>/provisional/", SIGN_IN,  403,           403,           404,   403),
    ("manage/cycles/<int:year>/provisional/build/", SIGN_IN, 403,      403,           404,   403),
    ("manage/cycles/<int:year>/provisional/<int:pk>/", SIGN_IN, 403,   403,           404,   403),
    ("manage/cycles/<int:year>/provisional/<int:pk>/provisional.csv", SIGN_IN, 403, 403, 404, 403),
    ("manage/cycles/<int:year>/provisional/<int:pk>/region/<str:code>/", SIGN_IN, 403, 403, 404, 403),
    ("manage/cycles/<int:year>/provisional/<int:pk>/area-team/<str:code>/", SIGN_IN, 403, 403, 404, 403),
    # CSV templates beside each import (surveys/tests/test_import_checks.py): NHSCC staff.
    ("manage/templates/invitations.csv", SIGN_IN,       403,           OK,            OK,    403),
    ("manage/templates/organisations.csv", SIGN_IN,     403,           OK,            OK,    403),
    ("manage/cycles/<int:year>/responses-template.csv", SIGN_IN, 403,  404,           404,   403),
    # the questionnaire editor (surveys/tests/test_editor_pages.py): analysts read, admins change a draft.
    ("manage/cycles/<int:year>/questionnaire/", SIGN_IN, 403,          404,           404,   403),
    ("manage/cycles/<int:year>/questionnaire/sections/add/", SIGN_IN, 403, 403,       404,   403),
    ("manage/cycles/<int:year>/questionnaire/sections/<str:code>/", SIGN_IN, 403, 403, 404,  403),
    ("manage/cycles/<int:year>/questionnaire/sections/<str:code>/move/", SIGN_IN, 403, 403, 405, 403),
    ("manage/cycles/<int:year>/questionnaire/sections/<str:code>/remove/", SIGN_IN, 403, 403, 405, 403),
    ("manage/cycles/<int:year>/questionnaire/sections/<str:code>/add-statement/", SIGN_IN, 403, 403, 404, 403),
    ("manage/cycles/<int:year>/questionnaire/sections/<str:code>/preview/", SIGN_IN, 403, 404, 404, 403),
    ("manage/cycles/<int:year>/questionnaire/questions/<str:code>/", SIGN_IN, 403, 403, 404, 403),
    ("manage/cycles/<int:year>/questionnaire/questions/<str:code>/move/", SIGN_IN, 403, 403, 405, 403),
    ("manage/cycles/<int:year>/questionnaire/questions/<str:code>/remove/", SIGN_IN, 403, 403, 405, 403),
    # results pages. No cycle exists here (scorecards/tests/test_results_access.py: published and unpublished).
    ("results/",                         SIGN_IN,       OK,            OK,            OK,    OK),
    ("results/fieldwork/",               SIGN_IN,       403,           OK,            OK,    403),
    ("results/league-table/",            SIGN_IN,       OK,            OK,            OK,    OK),
    ("results/my-scorecard/",            SIGN_IN,       403,           403,           403,   OK),
    ("results/<int:year>/fieldwork/",    SIGN_IN,       403,           404,           404,   403),
    ("results/<int:year>/fieldwork/send-invitations/", SIGN_IN, 403,   405,           405,   403),
    ("results/<int:year>/fieldwork/remind/", SIGN_IN,   403,           405,           405,   403),
    ("results/<int:year>/fieldwork/non-responders.csv", SIGN_IN, 403,  404,           404,   403),
    ("results/<int:year>/fieldwork/bounces/", SIGN_IN,   403,           405,           405,   403),
    ("results/<int:year>/fieldwork/bounces-template.csv", SIGN_IN, 403, 404,          404,   403),
    ("results/<int:year>/league-table/", SIGN_IN,       404,           404,           404,   404),
    ("results/<int:year>/england/",      SIGN_IN,       404,           404,           404,   404),
    ("results/<int:year>/blind-spots/",  SIGN_IN,       404,           404,           404,   404),
    ("results/<int:year>/region/<str:code>/", SIGN_IN,  404,           404,           404,   404),
    ("results/<int:year>/area-team/<str:code>/", SIGN_IN, 404,         404,           404,   404),
    ("api/v1/cycles/<int:year>/league-table/",   API_401, 404,         404,           404,   404),
    # comment moderation (comments/tests/test_comments_pages.py, test_comments_api.py): NHSCC staff only.
    ("results/comments/",                SIGN_IN,       403,           OK,            OK,    403),
    ("results/<int:year>/comments/",     SIGN_IN,       403,           404,           404,   403),
    ("results/<int:year>/comments/bulk/", SIGN_IN,      403,           405,           405,   403),
    ("results/<int:year>/comments/<uuid:pk>/", SIGN_IN, 403,           404,           404,   403),
    ("api/v1/cycles/<int:year>/comments/",       API_401, 403,         404,           404,   403),
    ("api/v1/cycles/<int:year>/comments/<uuid:pk>/", API_401, 403,     404,           404,   403),
    # exports of the annual report (exports/tests/test_exports_api.py): NHSCC staff only; no export exists here.
    ("api/v1/cycles/<int:year>/exports/", API_401,      403,           405,           405,   403),
    ("api/v1/exports/<int:pk>/",         API_401,       403,           404,           404,   403),
    ("api/v1/exports/<int:pk>/download/", API_401,      403,           404,           404,   403),
    ("manage/exports/",                  SIGN_IN,       403,           OK,            OK,    403),
    ("manage/exports/<int:pk>/",         SIGN_IN,       403,           404,           404,   403),
    ("manage/exports/<int:pk>/retry/",   SIGN_IN,       403,           405,           405,   403),
    ("manage/exports/<int:pk>/download/", SIGN_IN,      403,           404,           404,   403),
    # area teams' board packs (exports/tests/test_pack_api.py): NHSCC staff and area team members; no export here.
    ("results/<int:year>/area-team/<str:code>/board-pack/", SIGN_IN, 403, 405,        405,   405),
    ("results/board-packs/<int:pk>/",    SIGN_IN,       403,           404,           404,   404),
    ("results/board-packs/<int:pk>/download/", SIGN_IN, 403,           404,           404,   404),
    ("api/v1/cycles/<int:year>/area-teams/<str:code>/board-pack/", API_401, 403, 405, 405,   405),
    ("api/v1/board-packs/<int:pk>/",     API_401,       403,           404,           404,   404),
    ("api/v1/board-packs/<int:pk>/download/", API_401,  403,           404,           404,   404),
]
# fmt: on

# Routes with parameters are requested at an example path; the rest at "/" + route.
A_UUID = "0b7c9e5e-3a4f-4c1e-9d2a-5f6b7c8d9e0f"
EXAMPLE_PATHS = {
    "password-reset/<uidb64>/<token>/": "/password-reset/MQ/not-a-valid-token/",
    "welcome/<uidb64>/<token>/": "/welcome/MQ/not-a-valid-token/",
    "manage/people/<int:pk>/": "/manage/people/999999/",
    "api/v1/cycles/<int:year>/questionnaire/": "/api/v1/cycles/2013/questionnaire/",
    "api/v1/cycles/<int:year>/my-response/": "/api/v1/cycles/2013/my-response/",
    "api/v1/cycles/<int:year>/my-response/submit/": "/api/v1/cycles/2013/my-response/submit/",
    "api/v1/cycles/<int:year>/scorecards/": "/api/v1/cycles/2013/scorecards/",
    "api/v1/cycles/<int:year>/response-rates/": "/api/v1/cycles/2013/response-rates/",
    "invitations/<str:token>/": "/invitations/not-a-real-invitation-token/",
    "appraisal/<int:year>/": "/appraisal/2013/",
    "appraisal/<int:year>/section/<str:code>/": "/appraisal/2013/section/COMMON-PURPOSE/",
    "appraisal/<int:year>/check/": "/appraisal/2013/check/",
    "appraisal/<int:year>/submitted/": "/appraisal/2013/submitted/",
    "manage/cycles/<int:year>/": "/manage/cycles/2013/",
    "manage/cycles/<int:year>/state/": "/manage/cycles/2013/state/",
    "manage/cycles/<int:year>/invitations/": "/manage/cycles/2013/invitations/",
    "manage/cycles/<int:year>/responses/": "/manage/cycles/2013/responses/",
    "manage/cycles/<int:year>/imports/<int:pk>/": "/manage/cycles/2013/imports/1/",
    "manage/cycles/<int:year>/imports/<int:pk>/progress/": "/manage/cycles/2013/imports/1/progress/",
    "manage/cycles/<int:year>/state/<str:state>/": "/manage/cycles/2013/state/open/",
    "manage/cycles/<int:year>/dates/": "/manage/cycles/2013/dates/",
    "manage/cycles/<int:year>/rater-groups/": "/manage/cycles/2013/rater-groups/",
    "manage/cycles/<int:year>/provisional/": "/manage/cycles/2013/provisional/",
    "manage/cycles/<int:year>/provisional/build/": "/manage/cycles/2013/provisional/build/",
    "manage/cycles/<int:year>/provisional/<int:pk>/": "/manage/cycles/2013/provisional/1/",
    "manage/cycles/<int:year>/provisional/<int:pk>/provisional.csv": (
        "/manage/cycles/2013/provisional/1/provisional.csv"
    ),
    "manage/cycles/<int:year>/provisional/<int:pk>/region/<str:code>/": "/manage/cycles/2013/provisional/1/region/Y54/",
    "manage/cycles/<int:year>/provisional/<int:pk>/area-team/<str:code>/": (
        "/manage/cycles/2013/provisional/1/area-team/Q44/"
    ),
    "manage/cycles/<int:year>/responses-template.csv": "/manage/cycles/2013/responses-template.csv",
    "results/<int:year>/fieldwork/": "/results/2013/fieldwork/",
    "results/<int:year>/fieldwork/send-invitations/": "/results/2013/fieldwork/send-invitations/",
    "results/<int:year>/fieldwork/remind/": "/results/2013/fieldwork/remind/",
    "results/<int:year>/fieldwork/non-responders.csv": "/results/2013/fieldwork/non-responders.csv",
    "results/<int:year>/fieldwork/bounces/": "/results/2013/fieldwork/bounces/",
    "results/<int:year>/fieldwork/bounces-template.csv": "/results/2013/fieldwork/bounces-template.csv",
    "results/<int:year>/league-table/": "/results/2013/league-table/",
    "results/<int:year>/england/": "/results/2013/england/",
    "results/<int:year>/blind-spots/": "/results/2013/blind-spots/",
    "results/<int:year>/region/<str:code>/": "/results/2013/region/Y54/",
    "results/<int:year>/area-team/<str:code>/": "/results/2013/area-team/Q44/",
    "api/v1/cycles/<int:year>/league-table/": "/api/v1/cycles/2013/league-table/",
    "results/<int:year>/comments/": "/results/2013/comments/",
    "results/<int:year>/comments/bulk/": "/results/2013/comments/bulk/",
    "results/<int:year>/comments/<uuid:pk>/": f"/results/2013/comments/{A_UUID}/",
    "api/v1/cycles/<int:year>/comments/": "/api/v1/cycles/2013/comments/",
    "api/v1/cycles/<int:year>/comments/<uuid:pk>/": f"/api/v1/cycles/2013/comments/{A_UUID}/",
    "api/v1/cycles/<int:year>/exports/": "/api/v1/cycles/2013/exports/",
    "api/v1/exports/<int:pk>/": "/api/v1/exports/1/",
    "api/v1/exports/<int:pk>/download/": "/api/v1/exports/1/download/",
    "manage/exports/<int:pk>/": "/manage/exports/1/",
    "manage/exports/<int:pk>/retry/": "/manage/exports/1/retry/",
    "manage/exports/<int:pk>/download/": "/manage/exports/1/download/",
    "results/<int:year>/area-team/<str:code>/board-pack/": "/results/2013/area-team/Q44/board-pack/",
    "results/board-packs/<int:pk>/": "/results/board-packs/1/",
    "results/board-packs/<int:pk>/download/": "/results/board-packs/1/download/",
    "api/v1/cycles/<int:year>/area-teams/<str:code>/board-pack/": "/api/v1/cycles/2013/area-teams/Q44/board-pack/",
    "api/v1/board-packs/<int:pk>/": "/api/v1/board-packs/1/",
    "api/v1/board-packs/<int:pk>/download/": "/api/v1/board-packs/1/download/",
}

# The questionnaire editor's routes, at a section and a question of the default questionnaire.
EXAMPLE_PATHS |= {
    route: "/"
    + route.replace("<int:year>", "2013")
    .replace("sections/<str:code>", "sections/HONESTY")
    .replace("questions/<str:code>", "questions/HT-OPEN")
    for route, *_ in MATRIX
    if route.startswith("manage/cycles/<int:year>/questionnaire/")
}

CASES = [
    pytest.param(EXAMPLE_PATHS.get(route, f"/{route}"), role, expected, id=f"/{route} {role}")
    for route, *outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]


def url_conf_routes(patterns=None, prefix: str = "") -> list[str]:
    """Return every route in the URL conf; the admin site counts as one route (its index)."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                routes.append(route)
            else:
                routes += url_conf_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


def test_every_route_in_the_url_conf_is_in_the_matrix():
    in_matrix = [route for route, *_ in MATRIX]

    assert sorted(set(url_conf_routes()) - set(in_matrix)) == [], "add a row to MATRIX for each new route"
    assert sorted(set(in_matrix) - set(url_conf_routes())) == [], "remove rows for routes that no longer exist"
    assert len(in_matrix) == len(set(in_matrix))


@pytest.mark.parametrize(("path", "role", "expected"), CASES)
def test_each_role_gets_what_the_matrix_says(client, users_by_role, path, role, expected):
    if role != "anonymous":
        client.force_login(users_by_role[role])

    response = client.get(path)

    _assert_outcome(response, path, expected)


# A partner (GP member practice, patients' representative, local government) is a respondent like a CCG lead:
# wherever a lead may go, a partner may, and nowhere else.
PARTNER_CASES = [
    pytest.param(EXAMPLE_PATHS.get(route, f"/{route}"), outcomes[1], id=f"/{route} partner")
    for route, *outcomes in MATRIX
]


@pytest.mark.parametrize(("path", "expected"), PARTNER_CASES)
def test_a_partner_gets_what_a_lead_gets(client, organisations, make_user, path, expected):
    client.force_login(make_user(role="partner", area_team_code="Q44"))

    _assert_outcome(client.get(path), path, expected)


def _assert_outcome(response, path, expected):
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"/sign-in/?next={quote(path)}"
    elif expected == ADMIN_SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={quote(path)}"
    elif expected == HOME:
        assert response.status_code == 302
        assert response["Location"] == "/"
    elif expected == API_401:
        assert response.status_code == 401
        assert set(response.json()["error"]) == {"code", "message", "details"}
    else:
        assert response.status_code == expected
    if path.startswith("/api/v1/") and response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}


def test_admins_are_staff_and_no_other_role_is(users_by_role):
    assert {role: user.is_staff for role, user in users_by_role.items()} == {
        "ccg_lead": False,
        "analyst": False,
        "admin": True,
        "area_team_member": False,
    }


def test_a_lead_is_sent_to_the_admin_sign_in_from_any_admin_page(client, lead):
    client.force_login(lead)

    response = client.get("/admin/organisations/ccg/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/organisations/ccg/"


def test_a_lead_following_the_admin_redirect_is_told_they_are_not_authorised(client, lead):
    client.force_login(lead)
    client.raise_request_exception = False

    response = client.get("/admin/organisations/ccg/", follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "not authorized to access this page" in content
    assert "NHS Eastern Cheshire CCG" not in content
