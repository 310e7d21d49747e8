"""Real-browser tests: each role signs in through the form and lands on its NHS.UK-styled home page."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal_portal.home import HOME_DESTINATIONS
from core.tests.browser import BrowserProblems, axe_violations, save_screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["ccg_lead", "analyst", "admin", "area_team_member"]


def assert_nhsuk_page(page, problems):
    """Assert the page has the NHS.UK header and service name, loaded cleanly and has no serious axe violations."""
    expect(page.locator("header.nhsuk-header")).to_be_visible()
    expect(page.locator("header.nhsuk-header .nhsuk-header__service-name")).to_have_text("Appraise")
    expect(page.locator("footer.nhsuk-footer")).to_be_visible()
    # The NHS.UK JavaScript loaded and ran: initAll() marks each component it starts.
    expect(page.locator("body")).to_have_class("nhsuk-template__body js-enabled nhsuk-frontend-supported")
    expect(page.locator("header.nhsuk-header[data-nhsuk-header-init]")).to_have_count(1)
    # The NHS.UK stylesheet applied (its header is blue, not the browser's default transparent).
    header_colour = page.locator("header.nhsuk-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(0, 94, 184)"
    assert problems.errors() == []
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_lands_on_its_home_page(page, live_server, users_by_role, role):
    user = users_by_role[role]
    problems = BrowserProblems(page)

    sign_in(page, live_server.url, email=user.email, password=TEST_PASSWORD)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_test_id("home-title")).to_have_text(HOME_DESTINATIONS[role]["title"])
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("link", name="Change your password")).to_be_visible()
    assert_nhsuk_page(page, problems)
    save_screenshot(page, f"home-{role}")


def test_admin_home_links_to_django_admin_and_others_do_not(page, live_server, admin_user, analyst):
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)
    django_admin = page.get_by_role("link", name="Look up records (Django admin, read-only)")
    expect(django_admin).to_have_attribute("href", "/admin/")
    sign_out(page)

    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)
    expect(page.get_by_role("link", name="Look up records (Django admin, read-only)")).to_have_count(0)


def test_sign_out_is_a_post_and_ends_the_session(page, live_server, analyst):
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)
    expect(page.locator("form.nhsuk-header__account-form")).to_have_attribute("method", "post")

    sign_out(page)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    page.goto(f"{live_server.url}/account/")
    assert page.url.startswith(f"{live_server.url}/sign-in/")
    assert problems.errors() == []


def test_wrong_password_shows_the_error_summary(page, live_server, lead):
    problems = BrowserProblems(page)

    sign_in(page, live_server.url, email=lead.email, password="not-the-password-at-all")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        "Enter a correct email address and password. If you have forgotten your password, you can reset it."
    )
    expect(page).to_have_title("Error: Sign in – Appraise – NHS Clinical Commissioners")
    # NHS.UK's error summary script moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    save_screenshot(page, "sign-in-error")
    # The summary's link takes the user to the field to correct.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_nhsuk_page(page, problems)


def test_sign_in_page_loads_cleanly(page, live_server, db):
    problems = BrowserProblems(page)
    responses = []
    page.on("response", lambda response: responses.append(response.url))

    page.goto(f"{live_server.url}/sign-in/")

    expect(page.locator("h1")).to_have_text("Sign in to Appraise")
    # The stylesheet, the frontend module and app.js all came from our own server.
    assert any(url.endswith("/static/nhsuk/nhsuk-frontend.min.css") for url in responses)
    assert any(url.endswith("/static/nhsuk/nhsuk-frontend.min.js") for url in responses)
    assert any(url.endswith("/static/js/app.js") for url in responses)
    assert_nhsuk_page(page, problems)
    save_screenshot(page, "sign-in")


def test_nhsuk_icons_the_stylesheet_asks_for_are_served(page, live_server, db):
    # The NHS.UK stylesheet refers to its icons at absolute /assets/... paths (WHITENOISE_ROOT).
    for icon in ("nhsuk-icon-cross.svg", "nhsuk-icon-arrow-down.svg"):
        response = page.request.get(f"{live_server.url}/assets/images/{icon}")

        assert response.status == 200, icon
        assert "<svg" in response.text()
