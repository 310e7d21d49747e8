"""Sign-in that one person cannot lock for all: the account that failed is locked, an address that sprays is paused."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from core.models import RateEvent
from core.ratelimit import MSG_PAUSED, SIGN_IN_FAILURE

pytestmark = pytest.mark.django_db
OFFICE = {"REMOTE_ADDR": "10.20.30.40", "HTTP_USER_AGENT": "Managed Browser 1.0"}


def sign_in(client, email, password, **meta):
    return client.post(reverse("login"), {"username": email, "password": password}, **{**OFFICE, **meta})


def test_five_wrong_passwords_lock_that_account_only_and_the_same_client_signs_in_to_another_at_once(client, make_user):
    typist, colleague = make_user(role="analyst"), make_user(role="admin")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, typist.email, "typo").status_code == 200

    locked = sign_in(client, typist.email, "typo")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "This account is locked" in page
    assert typist.email in page and "1 hour" in page and "Other accounts are not affected" in page
    assert sign_in(client, typist.email, TEST_PASSWORD).status_code == 429  # locked even with the right password
    # The same office, the same browser, at once: a colleague signs in.
    assert sign_in(client, colleague.email, TEST_PASSWORD).status_code == 302
    assert client.get("/").wsgi_request.user == colleague
    assert AccessAttempt.objects.filter(username=typist.email).count() == 1
    assert not AccessAttempt.objects.filter(username=colleague.email).exists()


def test_forty_failures_across_forty_usernames_from_one_address_are_blocked_whatever_the_browser(client, make_user):
    victim = make_user(role="analyst")
    limit, window = settings.RATE_LIMITS[SIGN_IN_FAILURE]
    statuses = [
        sign_in(client, f"person{n}@example.nhs.uk", "Winter2013!", HTTP_USER_AGENT=f"Browser {n}").status_code
        for n in range(40)
    ]

    assert statuses[:limit] == [200] * limit  # told "wrong email or password"
    assert set(statuses[limit:]) == {429}  # paused, with no password checked
    paused = sign_in(client, victim.email, TEST_PASSWORD)
    assert paused.status_code == 429
    assert int(paused["Retry-After"]) <= window
    assert "Signing in from this address is paused for 15 minutes" in paused.content.decode()
    assert "_auth_user_id" not in client.session
    assert RateEvent.objects.filter(kind=SIGN_IN_FAILURE, key="10.20.30.40").count() == limit
    # Another address is not affected.
    assert sign_in(client, victim.email, TEST_PASSWORD, REMOTE_ADDR="10.20.30.41").status_code == 302


def test_behind_a_trusted_proxy_the_address_is_the_forwarded_one(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user(role="analyst")
    limit, _ = settings.RATE_LIMITS[SIGN_IN_FAILURE]
    for n in range(limit):
        sign_in(client, f"x{n}@example.nhs.uk", "nope", HTTP_X_FORWARDED_FOR="81.2.69.160")

    # The proxy's other clients sign in; the sprayer, even adding an address of its own in front, does not.
    assert sign_in(client, user.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="81.2.69.161").status_code == 302
    assert RateEvent.objects.filter(key="81.2.69.160").count() == limit
    client.post(reverse("logout"))
    spoofed = sign_in(client, "y@example.nhs.uk", "nope", HTTP_X_FORWARDED_FOR="1.1.1.1, 81.2.69.160")
    assert spoofed.status_code == 200  # not believed: counted against the proxy's own address instead
    assert RateEvent.objects.filter(key=OFFICE["REMOTE_ADDR"]).count() == 1


def test_password_reset_requests_are_limited_per_address(client, analyst):
    limit, _ = settings.RATE_LIMITS["password-reset"]
    for _ in range(limit):
        assert client.post(reverse("password_reset"), {"email": analyst.email}, **OFFICE).status_code == 302

    refused = client.post(reverse("password_reset"), {"email": analyst.email}, **OFFICE)

    assert refused.status_code == 429
    assert MSG_PAUSED["password-reset"].split(".")[0] in refused.content.decode()


def test_invitation_links_are_limited_per_address(client, organisations):
    limit, _ = settings.RATE_LIMITS["invitation-link"]
    for n in range(limit):
        assert client.get(f"/invitations/made-up-token-number-{n:04d}/", **OFFICE).status_code != 429

    refused = client.get("/invitations/made-up-token-number-9999/", **OFFICE)

    assert refused.status_code == 429
    assert "Too many invitation links" in refused.content.decode()


def test_the_api_is_throttled_per_user(client, analyst, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    assert "rest_framework.throttling.UserRateThrottle" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"anon": "60/minute", "user": "600/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": "5/minute"})
    client.force_login(analyst)

    statuses = [client.get("/api/v1/cycles/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
