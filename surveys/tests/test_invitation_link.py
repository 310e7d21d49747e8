"""The invitation link: a new lead chooses a password and lands signed in; used, expired and unknown links."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY

from accounts.tests.factories import TEST_PASSWORD
from surveys.services import invitation_send
from surveys.tests.conftest import tokens_in_outbox
from surveys.tests.pages import NEW_PASSWORD, START, YEAR, text, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_lead_link(make_invitation, make_lead, django_capture_on_commit_callbacks):
    """An invitation for a lead whose account came from an import (no password yet), emailed."""
    user = make_lead(ccg_code="02N")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitation = make_invitation(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    (token,) = tokens_in_outbox()
    return invitation, f"/invitations/{token}/"


def test_a_new_lead_sets_a_password_and_lands_signed_in_on_the_start_page(client, new_lead_link):
    invitation, link = new_lead_link

    # When the lead follows the link: the password page, and the link is not used up by looking
    page = client.get(link)
    assert page.status_code == 200
    assert title(page).startswith("Create a password")
    assert invitation.user.email in text(page)
    invitation.refresh_from_db()
    assert invitation.token_used_at is None

    # And chooses a password
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)

    # Then they are signed in on the start page, the link is used up and the password works
    assert response.redirect_chain == [(START, 302)]
    assert client.session[SESSION_KEY] == str(invitation.user.pk)
    assert "Your password has been set and you are signed in." in text(response)
    invitation.refresh_from_db()
    assert invitation.token_used_at is not None and invitation.opened_at is not None
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(NEW_PASSWORD)
    # And the link cannot be used again
    assert client.get(link).status_code == 410


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(client, new_lead_link):
    invitation, link = new_lead_link

    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    mismatched = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert title(weak).startswith("Error: Create a password")
    assert "This password is too short" in text(weak)
    assert "The passwords do not match" in text(mismatched)
    assert SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.token_used_at is None
    assert not invitation.user.has_usable_password()


def test_a_lead_with_a_password_is_sent_to_sign_in_and_then_to_the_start_page(
    client, invitation, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(invitation=invitation)
    (token,) = tokens_in_outbox()

    response = client.get(f"/invitations/{token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next=%2Fappraisal%2F{YEAR}%2F"
    invitation.refresh_from_db()
    assert invitation.token_used_at is not None
    signed_in = client.post(response["Location"], {"username": lead.email, "password": TEST_PASSWORD})
    assert signed_in["Location"] == START


def test_an_unknown_link_says_what_to_do(client, db):
    response = client.get("/invitations/made-up-token-that-is-long-enough/")

    assert response.status_code == 404
    page = text(response)
    assert "This link is not valid" in page
    assert "sign in to carry on with your appraisal" in page
    assert "ask NHS Clinical Commissioners to send you a new invitation link" in page


def test_a_used_link_is_gone(client, new_lead_link):
    _, link = new_lead_link
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "This link has already been used" in text(response)


def test_an_expired_link_is_gone_and_sets_no_password(client, new_lead_link):
    invitation, link = new_lead_link
    later = invitation.__class__.objects.get(pk=invitation.pk).token_expires_at + dt.timedelta(minutes=1)

    with time_machine.travel(later, tick=False):
        page = client.get(link)
        posted = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert (page.status_code, posted.status_code) == (410, 410)
    assert "This link has expired" in text(page)
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()
