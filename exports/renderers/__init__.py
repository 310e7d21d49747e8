"""Renderers of the annual report's files: PDF, XLSX, the data CSV and the respondent-level CSV.

Each renderer takes what it needs, writes bytes to a binary file and reports progress through a
callback ``progress(percent, message)``; none writes to the database. The same data always gives the
same bytes (XLSX, CSV) or the same text (PDF), so a file's SHA-256 identifies what it shows.
"""

from collections.abc import Callable

Progress = Callable[[int, str], None]


def no_progress(percent: int, message: str) -> None:
    """Ignore progress (the management command and tests that do not watch it)."""
