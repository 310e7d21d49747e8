"""What the surveys commands share: finding a cycle, reading a file and reporting refused input."""

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError

from core.errors import DomainError
from surveys.models import Cycle


def cycle_get(year: int) -> Cycle:
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise CommandError(f"There is no cycle for {year}. Create it first: python manage.py create_cycle {year}")
    return cycle


def file_read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None


def date_parse(value: str) -> dt.date:
    """Parse an ISO date for argparse (``--opens 2014-05-01``)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD.") from None


def domain_error_to_command_error(exc: DomainError) -> CommandError:
    """Return a ``CommandError`` listing every problem of a refused request, one per line."""
    lines = [exc.message]
    lines += [f"  {problem}" for problem in exc.details if isinstance(problem, str)]
    if exc.details:
        lines.append("Nothing was written.")
    return CommandError("\n".join(lines))
