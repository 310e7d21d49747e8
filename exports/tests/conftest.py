"""Fixtures of the export tests: the small published cycle (exports/tests/factories.py), built once per module."""

import pytest

from exports.tests.factories import seed_small_cycle
from exports.tests.files import build, pdf_text
from surveys.models import Cycle


@pytest.fixture
def cycle(small_cycle_id, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=small_cycle_id)


@pytest.fixture(scope="module")
def small_cycle_id(module_db):
    """The small published cycle (2014, 2013 before it), built once for the module."""
    return seed_small_cycle().pk


@pytest.fixture(scope="module")
def report_pdf_text(small_cycle_id, tmp_path_factory) -> str:
    """The module cycle's annual report PDF read back as text, built once for the tests that only read it."""
    pdf_bytes = build(Cycle.objects.get(pk=small_cycle_id), "pdf")
    return pdf_text(pdf_bytes, tmp_path_factory.mktemp("report"))
