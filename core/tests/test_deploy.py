"""The production configuration: `check --deploy` is clean, and a missing secret stops the process.

Each test runs manage.py in a fresh process with production settings (appraisal_portal.settings,
DEBUG and TESTING off), since settings are read once at start-up.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_HOST = "appraise.example.nhs.uk"
# Variables that would turn the production settings into development or test ones.
NOT_INHERITED = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "TESTING",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    # set by the browser tests in this process (conftest.py); never in production
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def production_env(**overrides: str) -> dict[str, str]:
    """Return the environment of a production process; set explicitly so a developer's .env cannot leak in."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="appraisal_portal.settings",
        DEBUG="false",
        TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=PRODUCTION_HOST,
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)"
    )

    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"False True True True True ['{PRODUCTION_HOST}']"


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off."),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(variable, message):
    # Set empty rather than unset, so a value in a developer's .env cannot stand in for it.
    result = manage("check", env=production_env(**{variable: ""}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
