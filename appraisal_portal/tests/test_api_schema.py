"""Schemathesis over every operation of /api/schema/, through the WSGI application (SQLite is enough).

Bounded: at least 1,000 requests in all, under 3 minutes. Every response must be no server error, have a
status code the schema documents for its operation, the documented content type, and a body that
matches the documented schema. Skipped only when schemathesis is not installed.
"""

import time

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis.specs.openapi import checks as openapi_checks  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES_PER_OPERATION = 80
MIN_REQUESTS = 1_000
MAX_SECONDS = 180
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def tokens(organisations, settings, tmp_path, make_user):
    """An admin's and a lead's API tokens, with a published cycle (2014 over 2013) and an open one (2016)."""
    from rest_framework.authtoken.models import Token

    from exports.tests.factories import seed_small_cycle
    from surveys.models import CycleState
    from surveys.services import cycle_create, cycle_set_state
    from surveys.tests.factories import InvitationFactory

    seed_small_cycle(settings, tmp_path)
    admin = make_user(role="admin")
    lead = make_user(role="ccg_lead", ccg_code="01C", lead_role="clinical")
    # The lead is invited to an open cycle, so that the my-response operations read and write a draft.
    open_cycle = cycle_set_state(cycle=cycle_create(year=2016), state=CycleState.OPEN)
    InvitationFactory(cycle=open_cycle, user=lead)
    return {"admin": Token.objects.create(user=admin).key, "lead": Token.objects.create(user=lead).key}


@pytest.fixture
def connections_kept():
    """Keep the test's database connection across requests, as Django's test client does: the WSGI handler
    closes a connection whose autocommit is off at the end of each request, and inside the test's transaction
    it is off (on SQLite's in-memory database closing does nothing, on PostgreSQL it ends the transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_api_operation_answers_as_its_schema_says(tokens, connections_kept):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    started, sent, failures, operations = time.monotonic(), [], [], []

    for result in schema.get_all_operations():
        operation = result.ok()
        operations.append(operation.label)
        token = tokens["lead"] if "my-response" in operation.path else tokens["admin"]
        try:
            examples(operation, token, sent)()
        except (Exception, BaseExceptionGroup) as error:  # collected, so that one run names every failing operation
            failures.append(f"{operation.label}: {str(error)[:1500]}")

    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {len(sent)} requests, {elapsed:.1f} s")
    assert failures == [], "\n\n".join(failures)
    assert len(operations) >= 15
    assert len(sent) >= MIN_REQUESTS and elapsed < MAX_SECONDS


def examples(operation, token: str, sent: list):
    """Return a hypothesis test that sends ``operation``'s generated cases as ``token``'s holder."""
    from django.core.cache import cache

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        sent.append(operation.label)
        # Thousands of requests a minute from one user: the throttles count in the cache (local memory
        # here), emptied so that they do not answer for the views; their own tests are in accounts and core.
        cache.clear()
        # Most generated years have no cycle (404): half the cases go to a cycle that exists instead.
        year = (case.path_parameters or {}).get("year")
        if isinstance(year, int) and year % 2 == 0:
            case.path_parameters["year"] = 2016 if "my-response" in operation.path else 2014
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    return run
