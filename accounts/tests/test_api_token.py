"""API tokens: `api_token_issue` and the `manage.py api_token EMAIL` command scripts use."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from accounts.services import api_token_issue
from core.errors import NotFound

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_issuing_twice_returns_the_same_token(analyst):
    first = api_token_issue(email=analyst.email)

    assert api_token_issue(email=analyst.email.upper()) == first
    assert Token.objects.get(user=analyst).key == first


def test_rotating_replaces_the_token(analyst):
    first = api_token_issue(email=analyst.email)

    second = api_token_issue(email=analyst.email, rotate=True)

    assert second != first
    assert list(Token.objects.filter(user=analyst).values_list("key", flat=True)) == [second]


def test_an_unknown_or_inactive_user_gets_no_token(analyst):
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])

    with pytest.raises(NotFound, match="No active user with the email address"):
        api_token_issue(email=analyst.email)
    with pytest.raises(NotFound):
        api_token_issue(email="nobody@example.nhs.uk")
    assert Token.objects.count() == 0


def test_the_command_prints_a_token_that_authenticates_the_api(client, lead):
    key = run(lead.email)

    response = client.get("/api/v1/ccgs/", HTTP_AUTHORIZATION=f"Token {key}")

    assert key == Token.objects.get(user=lead).key
    assert response.status_code == 200
    assert response.json()["count"] == 211


def test_the_command_prints_the_same_token_again_unless_rotated(lead):
    first = run(lead.email)

    assert run(lead.email) == first
    assert run(lead.email, "--rotate") != first


def test_the_command_fails_clearly_for_an_unknown_email(organisations):
    with pytest.raises(CommandError, match="No active user with the email address nobody@example.nhs.uk"):
        run("nobody@example.nhs.uk")
