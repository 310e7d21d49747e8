"""The auth pages through Django's test client: sign in and out, password reset and change, lockout, CSP."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accounts.forms import INVALID_LOGIN_MESSAGE, PASSWORD_HINT
from accounts.tests.factories import TEST_PASSWORD
from appraisal_portal.home import HOME_DESTINATIONS

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase-7"


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_sign_in_with_the_right_password_goes_home(client, lead):
    response = sign_in(client, lead.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert HOME_DESTINATIONS["ccg_lead"]["title"] in home.content.decode()


def test_sign_in_ignores_the_case_of_the_email_address(client, analyst):
    response = sign_in(client, analyst.email.upper(), TEST_PASSWORD)

    assert response.status_code == 302


def test_sign_in_follows_a_safe_next_and_ignores_an_offsite_one(client, analyst):
    data = {"username": analyst.email, "password": TEST_PASSWORD}

    response = client.post(f"{reverse('login')}?next=/account/", data)
    assert response["Location"] == "/account/"

    client.post(reverse("logout"))
    response = client.post(f"{reverse('login')}?next=https://evil.example/", data)
    assert response["Location"] == reverse("home")


def test_wrong_password_and_unknown_email_get_the_same_error_summary(client, lead):
    wrong_password = sign_in(client, lead.email, "not-the-password")
    unknown_email = sign_in(client, "nobody@example.nhs.uk", "not-the-password")

    for response in (wrong_password, unknown_email):
        content = response.content.decode()
        assert response.status_code == 200
        assert 'class="nhsuk-error-summary"' in content
        assert INVALID_LOGIN_MESSAGE in content
        assert '<a href="#id_username">' in content
        assert "<title>Error: Sign in" in content


def test_blank_sign_in_says_what_to_enter(client):
    content = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()

    assert '<a href="#id_username">Enter your email address</a>' in content
    assert '<a href="#id_password">Enter your password</a>' in content


def test_sign_in_page_links_to_password_reset(client):
    content = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in content


def test_sign_out_is_post_only(client, analyst):
    client.force_login(analyst)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("account")).status_code == 200

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("account")).status_code == 302


def test_lockout_after_the_failure_limit_even_with_the_right_password(client, lead):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, lead.email, "wrong-password").status_code == 200

    locked = sign_in(client, lead.email, "wrong-password")

    assert locked.status_code in (403, 429)
    content = locked.content.decode()
    assert "This account is locked" in content
    assert "1 hour" in content
    assert 'class="nhsuk-header"' in content
    assert sign_in(client, lead.email, TEST_PASSWORD).status_code == locked.status_code
    assert "_auth_user_id" not in client.session


def test_password_reset_flow(client, analyst):
    response = client.post(reverse("password_reset"), {"email": analyst.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [analyst.email]
    assert "Appraise" in email.subject
    assert "Appraise" in email.body
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", email.body).group(1)

    # Django swaps the token in the link for one kept in the session, then shows the form.
    form_url = client.get(link)["Location"]
    form_page = client.get(form_url)
    assert "Choose a new password" in form_page.content.decode()
    assert PASSWORD_HINT in form_page.content.decode()

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("password_reset_complete")
    assert sign_in(client, analyst.email, NEW_PASSWORD)["Location"] == reverse("home")
    # The link works once.
    assert "This link has expired" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_with_a_bad_link_says_it_has_expired(client, analyst):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))

    assert response.status_code == 200
    content = response.content.decode()
    assert "This link has expired" in content
    assert f'href="{reverse("password_reset")}"' in content


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("qwertyuiop123", "This password is too common."),
    ],
)
def test_password_change_rejects_short_and_common_passwords(client, analyst, password, message):
    client.force_login(analyst)

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert '<a href="#id_new_password1">' in content
    assert 'id="id_new_password1-error"' in content
    analyst.refresh_from_db()
    assert analyst.check_password(TEST_PASSWORD)


def test_password_change_shows_the_rule_as_a_hint_and_succeeds(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("password_change")).content.decode()
    assert f'<div class="nhsuk-hint" id="id_new_password1-hint">{PASSWORD_HINT}</div>' in page

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("password_change_done")
    analyst.refresh_from_db()
    assert analyst.check_password(NEW_PASSWORD)


def test_password_change_needs_the_current_password(client, analyst):
    client.force_login(analyst)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Your current password is not correct" in response.content.decode()


@pytest.mark.parametrize("role", ["ccg_lead", "analyst", "admin", "area_team_member"])
def test_home_page_shows_what_each_role_does(client, users_by_role, role):
    user = users_by_role[role]
    client.force_login(user)

    content = client.get(reverse("home")).content.decode()

    destination = HOME_DESTINATIONS[role]
    assert f'<h1 data-testid="home-title">{escape(destination["title"])}</h1>' in content
    for duty in destination["duties"]:
        assert escape(duty) in content
    assert f'href="{reverse("password_change")}"' in content
    assert ('href="/admin/"' in content) is (role == "admin")


def test_anonymous_home_page_invites_sign_in(client):
    content = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("login")}"' in content
    assert 'data-testid="sign-out"' not in content


def _page_urls(client, user):
    """Yield every page of this issue, signed out then signed in as ``user``."""
    yield from ("home", "login", "password_reset", "password_reset_done", "password_reset_complete")
    yield reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    client.force_login(user)
    yield from ("home", "account", "password_change", "password_change_done")


def test_every_page_has_a_csp_nonce_and_every_inline_script_carries_it(client, analyst):
    for name in _page_urls(client, analyst):
        url = name if name.startswith("/") else reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url

        policy = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", policy).group(1)
        nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
        assert "'unsafe-inline'" not in script_src
        scripts = re.findall(r"<script\b([^>]*)>", response.content.decode())
        inline = [attrs for attrs in scripts if "src=" not in attrs]
        assert inline, f"{url}: the base template's inline script is missing"
        for attrs in inline:
            assert f'nonce="{nonce}"' in attrs, f"{url}: inline script without the nonce: {attrs}"


def test_lockout_page_has_a_csp_nonce_too(client, lead):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, lead.email, "wrong-password")

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_the_admin_home_leads_to_exports_people_audit_and_the_read_only_django_admin(client, users_by_role):
    client.force_login(users_by_role["admin"])

    content = client.get(reverse("home")).content.decode()

    for url_name in ("exports", "manage-people", "manage-audit"):
        assert f'href="{reverse(url_name)}"' in content, url_name
    assert "Look up records (Django admin, read-only)" in content
    assert "Manage users and data" not in content
