"""A request that finds the database unreachable (a restart) gets 503 with a retry message, never a bare 500."""

import pytest
from django.db import OperationalError
from django.test import Client

from core.views import DATABASE_RETRY_AFTER_SECONDS, MSG_DATABASE_UNAVAILABLE

pytestmark = pytest.mark.django_db


def _unreachable(**kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_submission_while_the_database_restarts_is_refused_with_a_retry_message(monkeypatch, lead):
    from surveys.models import Response

    monkeypatch.setattr("surveys.views.journey.selectors.respondent_appraisal", _unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(lead)

    response = client.post("/appraisal/2014/check/")

    assert response.status_code == 503
    assert MSG_DATABASE_UNAVAILABLE in response.text
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert Response.objects.count() == 0


def test_the_api_answers_the_same_as_json(monkeypatch, lead):
    monkeypatch.setattr("surveys.api.selectors.cycle_for_user", _unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(lead)

    response = client.post("/api/v1/cycles/2014/my-response/submit/")

    assert response.status_code == 503
    assert response.json() == {
        "error": {"code": "database_unavailable", "message": MSG_DATABASE_UNAVAILABLE, "details": []}
    }
