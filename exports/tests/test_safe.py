"""The neutraliser: text a spreadsheet would run as a formula gets a quote in front, other text is left alone."""

import pytest

from exports.renderers.safe import is_formula_like, neutralise
from exports.tests.factories import EVIL

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", EVIL])
def test_text_that_a_spreadsheet_would_run_gets_a_quote_in_front(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["NHS England", "", "1 + 1", "'quoted", " =spaced", "Q44"])
def test_plain_text_is_left_alone(text):
    assert neutralise(text) == text
