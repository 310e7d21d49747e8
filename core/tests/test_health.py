import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_as_json(client):
    from core.services import worker_heartbeat_record

    worker_heartbeat_record(worker="celery@test")  # a worker is running
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["degraded"] == []


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_names_the_broker_and_workers_degraded_but_answers_200_when_redis_is_down(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": False, "kind": "redis", "error": "ConnectionError"}
    assert body["degraded"] == ["broker", "workers"]


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
)
def test_healthz_names_the_cache_degraded_when_it_is_down(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["cache"] == {"ok": False, "kind": "redis", "error": "ConnectionError"}
    assert "cache" in body["degraded"]


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
