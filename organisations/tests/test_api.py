"""The organisations API (/api/v1/regions/, area-teams/, ccgs/), its authentication, and the API docs.

The OpenAPI schema (/api/schema/) and Swagger UI (/api/docs/) are deliberately public: they describe
the shape of the API and hold no data, and integrators need them before they have a token. Every
data endpoint still requires a signed-in session or an API token.
"""

import re

import pytest
from django.urls import reverse

from accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

REGIONS, AREA_TEAMS, CCGS = "/api/v1/regions/", "/api/v1/area-teams/", "/api/v1/ccgs/"
LIST_ENDPOINTS = [REGIONS, AREA_TEAMS, CCGS]
# Session (2) or token (1) lookup, then the page's count and rows. Independent of the page size.
MAX_LIST_QUERIES = 5


def assert_error_body(response, code: str):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


@pytest.fixture
def api(client, lead):
    client.force_login(lead)
    return client


def test_the_api_urls_are_named_as_the_schema_documents_them():
    assert [reverse(n) for n in ("api-regions", "api-area-teams", "api-ccgs")] == LIST_ENDPOINTS


# Regions and area teams


def test_regions_lists_the_four_regions_with_their_counts(api):
    response = api.get(REGIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert body["results"][0] == {
        "ods_code": "Y54",
        "gss_code": "E40000001",
        "name": "North of England",
        "area_team_count": 9,
        "ccg_count": 68,
    }
    assert [r["ods_code"] for r in body["results"]] == ["Y54", "Y55", "Y56", "Y57"]
    assert sum(r["area_team_count"] for r in body["results"]) == 27
    assert sum(r["ccg_count"] for r in body["results"]) == 211


def test_area_teams_lists_all_27(api):
    response = api.get(AREA_TEAMS)

    assert response.status_code == 200
    assert response.json()["count"] == 27


def test_area_teams_filtered_by_region(api):
    response = api.get(AREA_TEAMS, {"region": "Y54"})

    body = response.json()
    assert body["count"] == 9
    assert {r["region"] for r in body["results"]} == {"Y54"}
    q44 = next(r for r in body["results"] if r["ods_code"] == "Q44")
    assert q44 == {
        "ods_code": "Q44",
        "gss_code": "E39000001",
        "name": "Cheshire, Warrington and Wirral",
        "region": "Y54",
        "region_name": "North of England",
        "ccg_count": 6,
    }


def test_area_teams_filter_is_case_insensitive_and_an_unknown_region_is_empty(api):
    assert api.get(AREA_TEAMS, {"region": "y54"}).json()["count"] == 9
    assert api.get(AREA_TEAMS, {"region": "Y99"}).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


# CCGs


def test_ccgs_are_paginated_50_a_page_over_5_pages(api):
    first = api.get(CCGS).json()
    last = api.get(CCGS, {"page": 5}).json()

    assert first["count"] == 211
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/ccgs/?page=2"
    assert len(last["results"]) == 11
    assert last["next"] is None


def test_every_ccg_appears_once_across_the_pages(api):
    codes = []
    for page in range(1, 6):
        codes += [r["ods_code"] for r in api.get(CCGS, {"page": page}).json()["results"]]

    assert len(codes) == len(set(codes)) == 211
    assert codes == sorted(codes)


def test_a_page_past_the_end_is_a_json_404(api):
    response = api.get(CCGS, {"page": 6})

    assert response.status_code == 404
    assert_error_body(response, "not_found")


def test_a_known_ccg_has_its_codes_names_and_parents(api):
    results = api.get(CCGS, {"area_team": "Q44"}).json()["results"]

    assert next(r for r in results if r["ods_code"] == "01C") == {
        "ods_code": "01C",
        "gss_code": "E38000056",
        "name": "NHS Eastern Cheshire CCG",
        "area_team": "Q44",
        "area_team_name": "Cheshire, Warrington and Wirral",
        "region": "Y54",
    }


def test_ccgs_filtered_by_area_team(api):
    body = api.get(CCGS, {"area_team": "Q44"}).json()

    assert body["count"] == 6
    assert "01C" in {r["ods_code"] for r in body["results"]}
    assert {r["area_team"] for r in body["results"]} == {"Q44"}


def test_ccgs_filtered_by_region(api):
    body = api.get(CCGS, {"region": "Y54"}).json()

    assert body["count"] == 68
    assert {r["region"] for r in body["results"]} == {"Y54"}


def test_ccgs_filtered_by_region_and_an_area_team_outside_it_is_empty(api):
    assert api.get(CCGS, {"region": "Y54", "area_team": "Q44"}).json()["count"] == 6
    assert api.get(CCGS, {"region": "Y55", "area_team": "Q44"}).json()["count"] == 0


# Query counts


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
@pytest.mark.parametrize("page", [1, 2, 5])
def test_list_query_count_is_bounded_whatever_the_page(api, django_assert_max_num_queries, url, page):
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = api.get(url, {"page": page})

    # Regions and area teams fit on one page; their later pages are 404s, still bounded.
    assert response.status_code in (200, 404)
    if url == CCGS:
        assert response.status_code == 200


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_list_query_count_with_a_token_is_bounded(client, lead, django_assert_max_num_queries, url):
    key = api_token_issue(email=lead.email)

    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(url, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


# Authentication


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_every_role_can_read_the_organisation_structure_with_a_session(client, users_by_role, url):
    for role, user in users_by_role.items():
        client.force_login(user)

        response = client.get(url)

        assert response.status_code == 200, role
        client.logout()


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_a_token_authenticates_without_a_session(client, analyst, url):
    key = api_token_issue(email=analyst.email)

    response = client.get(url, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_anonymous_callers_get_a_json_401_with_a_token_challenge(client, organisations, url):
    response = client.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert response["Content-Type"] == "application/json"
    assert_error_body(response, "not_authenticated")


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_an_invalid_token_gets_a_json_401(client, organisations, url):
    response = client.get(url, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401
    assert_error_body(response, "authentication_failed")
    assert response.json()["error"]["message"] == "Invalid token."


def test_a_rotated_token_stops_working(client, lead):
    old = api_token_issue(email=lead.email)
    new = api_token_issue(email=lead.email, rotate=True)

    assert old != new
    assert client.get(CCGS, HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert client.get(CCGS, HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_a_deactivated_users_token_gets_a_json_401(client, lead):
    key = api_token_issue(email=lead.email)
    lead.is_active = False
    lead.save(update_fields=["is_active"])

    response = client.get(CCGS, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert_error_body(response, "authentication_failed")


def test_the_api_is_read_only(api):
    response = api.post(CCGS, {"ods_code": "99X"})

    assert response.status_code in (403, 405)
    assert "error" in response.json()


# Schema and docs: public by design (see the module docstring)


def test_the_schema_is_public_and_lists_the_three_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Appraise API"
    assert set(LIST_ENDPOINTS) <= set(schema["paths"])
    ccg_params = {p["name"] for p in schema["paths"][CCGS]["get"]["parameters"]}
    assert {"page", "region", "area_team"} <= ccg_params
    assert {"Region", "AreaTeam", "CCG"} <= set(schema["components"]["schemas"])
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_schema_defaults_to_openapi_yaml(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "/api/v1/ccgs/:" in response.content.decode()


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']", html)


def test_swagger_ui_is_public_and_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = _asset_urls(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets)
    assert any(url.endswith("swagger-ui.css") for url in assets)
    # Swagger UI's own files come from the sidecar; its start-up script from this view (no inline script).
    assert all(url.startswith(("/static/drf_spectacular_sidecar/", "/api/docs/?script=")) for url in assets), assets
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", html)
    script = client.get("/api/docs/?script=").content.decode()
    assert '"/api/schema/"' in script


def test_swagger_ui_assets_are_served(client):
    assets = _asset_urls(client.get("/api/docs/").content.decode())

    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_swagger_ui_has_no_inline_script_for_the_csp_to_block(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    inline_scripts = re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html)
    assert inline_scripts == []
