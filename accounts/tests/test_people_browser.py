"""People in Chromium: an admin invites an area team member, who chooses a password and lands on their home page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from appraisal_portal.celery import app as celery_app
from appraisal_portal.home import HOME_DESTINATIONS
from core.tests.browser import BrowserProblems, axe_violations, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-77"


@pytest.fixture(autouse=True)
def celery_eager():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def test_an_admin_invites_an_area_team_member_who_sets_a_password_and_lands_home(page, live_server, admin_user):
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=admin_user.email, password=TEST_PASSWORD)

    page.goto(f"{live_server.url}/manage/people/")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Full name").fill("Nia Member")
    page.get_by_label("Email address").fill("nia.member@england.nhs.uk")
    page.get_by_role("radio", name="Area team member").check()
    page.get_by_label("Area team (for an area team member)").select_option(
        label="Cheshire, Warrington and Wirral (Q44)"
    )
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("nia.member@england.nhs.uk has been invited.")).to_be_visible()
    expect(page.locator("[data-email='nia.member@england.nhs.uk']")).to_contain_text("Invited")
    sign_out(page)

    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/welcome/\S+/)", message.body).group(1)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_have_text("Create a password")
    assert axe_violations(page) == []
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm new password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save password and continue").click()

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_test_id("home-title")).to_have_text(HOME_DESTINATIONS["area_team_member"]["title"])
    expect(page.get_by_text("Your password has been set and you are signed in.")).to_be_visible()
    assert problems.errors() == []
