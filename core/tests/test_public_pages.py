"""The pages a public NHS service has, linked from every page's footer; the readable status page."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGES = {
    "/accessibility/": "Accessibility statement for Appraise",
    "/privacy/": "Privacy notice",
    "/cookies/": "Cookies",
    "/contact/": "Contact us",
    "/status/": "Service status",
}


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_each_public_page_is_open_to_everyone_and_in_the_footer(client, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert re.search(rf"<h1>{heading}</h1>", response.content.decode())
    footer = client.get("/").content.decode().split('<footer class="nhsuk-footer"', 1)[1]
    assert f'href="{path}"' in footer


def test_the_privacy_notice_names_the_respondent_level_file_and_why(client):
    page = client.get("/privacy/").content.decode()

    assert "respondent-level file" in page
    assert "no name, email address, CCG or comment" in page
    assert "to check the published figures independently" in page


def test_the_status_page_says_in_words_what_healthz_says(client):
    from django.utils import timezone

    from core.models import WorkerHeartbeat

    # With a broker configured, "working normally" also needs a worker that has beaten recently.
    WorkerHeartbeat.objects.create(worker="celery@test", beat_at=timezone.now())
    page = client.get("/status/").content.decode()

    assert "Appraise is working normally." in page
    assert 'href="/healthz"' in page
    assert client.get("/healthz").json()["status"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_the_status_page_says_what_is_delayed_when_the_broker_is_down(client):
    response = client.get("/status/")

    assert response.status_code == 200  # the service still answers; only the database being down is a 503
    assert "Delayed: emails and exports are queued" in response.content.decode()


def test_the_link_not_valid_pages_give_contact_details(client):
    invitation = client.get("/invitations/not-a-real-token/").content.decode()
    reset = client.get("/password-reset/MQ/not-a-valid-token/", follow=True).content.decode()

    for page in (invitation, reset):
        assert 'data-testid="contact"' in page
        assert "mailto:appraise@nhscc.invalid" in page
