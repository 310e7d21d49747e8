"""Every template's source: mistakes Django renders as text instead of refusing."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _templates() -> list[Path]:
    # The project's own: templates/ and each app's templates/ (not the virtualenv's or node_modules').
    return [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]


def test_there_are_templates_to_check():
    assert len(_templates()) > 20


def test_no_comment_runs_over_a_line():
    # {# ... #} is a one-line comment: one that runs on is printed on the page, braces and all.
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert unclosed == []
