"""Fixtures of the results pages' tests: a published cycle built once per module, an open one, a cache to read."""

import pytest
from django.core.cache import cache

from scorecards.tests.factories import SMALL, seed_cycle
from scorecards.tests.pages import KEYS_SEEN
from surveys.models import Cycle, CycleState


@pytest.fixture
def pages_cache(settings):
    """Use an empty in-process cache whose keys these tests can list (Redis's client cannot be iterated)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "KEY_FUNCTION": "scorecards.tests.pages.recording_key",
        }
    }
    cache.clear()  # the module's scorecard set is the same in every test, and so are its keys
    KEYS_SEEN.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def published_cycle_id(module_db):
    """The published 2014 cycle most tests here read, built once for the module."""
    return seed_cycle(2014, SMALL, state=CycleState.PUBLISHED).pk


@pytest.fixture
def open_cycle(no_cycles, organisations):
    return seed_cycle(2014, SMALL, state=CycleState.OPEN, silent_ccgs=4)


@pytest.fixture
def published_cycle(published_cycle_id, db):
    return Cycle.objects.get(pk=published_cycle_id)
