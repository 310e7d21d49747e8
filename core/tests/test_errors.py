import logging

import pytest
from django.test import override_settings
from django.urls import include, path

from core.logging import JsonFormatter, RedactSecretsFilter, redact


def boom(request):
    raise RuntimeError("secret internals that must not reach the page")


urlpatterns = [path("boom/", boom), path("", include("appraisal_portal.urls"))]
handler500 = "core.views.server_error"


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404_without_internals(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "nhsuk-header" in content
    assert "Traceback" not in content


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "404"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_is_a_friendly_500_without_a_stack_trace(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content
    assert "secret internals" not in content
    assert "Traceback" not in content


def test_logs_are_json_with_utc_timestamps_and_no_secrets():
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "login password=hunter2hunter2 token: abc123", None, None
    )
    RedactSecretsFilter().filter(record)

    line = JsonFormatter().format(record)

    assert "hunter2" not in line
    assert "abc123" not in line
    assert '"ts": "' in line and "+00:00" in line


def test_invitation_tokens_in_paths_are_redacted():
    assert redact("/invitations/AbCdEfGhIjKlMnOpQrStUv123/") == "/invitations/[redacted]/"
