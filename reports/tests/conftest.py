"""Fixtures of the reports tests: in-process Celery (except real-worker tests) and small cycles."""

import pytest

from appraisal_portal.celery import app as celery_app
from surveys.models import CycleState
from surveys.services import cycle_create, cycle_set_state


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run tasks in-process even when REDIS_URL is set, except in tests marked ``services`` (real worker)."""
    if request.node.get_closest_marker("services"):
        yield
        return
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


@pytest.fixture
def default_cycle(organisations):
    """An open 2014 cycle with the default questionnaire."""
    cycle = cycle_create(year=2014)
    return cycle_set_state(cycle=cycle, state=CycleState.OPEN)
