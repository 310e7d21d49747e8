"""Bulk writes of plain rows, in each database's fastest documented way.

A contractor's file is a million answers, and a full recompute rewrites thousands of aggregate rows:
building a model instance per row and compiling an INSERT for it cost several times what the database
spends storing the rows. These take rows as tuples: PostgreSQL loads them with ``COPY … FROM STDIN``
(psycopg2's ``copy_expert``), SQLite with one prepared INSERT run for every row (``executemany``).
"""

import datetime as dt
import io
import json
import re

from django.db import connection

# How many rows go to the database in one COPY (or executemany): bounds the memory a buffer takes.
ROWS_PER_COPY = 50_000


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    r"""Return ``value`` as a field of COPY's text format (``\N`` is NULL; backslash, tab and newlines escaped)."""
    kind = type(value)  # exact types first: a million answers go through here
    if kind is int or kind is float:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = str(value)
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _sqlite_value(value):
    # As the ORM stores them: JSON as text, datetimes as naive UTC text.
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def rows_insert(cursor, *, table: str, columns: list[str], rows, batch_size: int = ROWS_PER_COPY) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``, ``batch_size`` at a time; return how many
    were inserted.

    ``table`` and ``columns`` are this project's own names, never input. Values are passed as data
    (COPY's text format, or parameters), never spliced into SQL. Dicts and lists are written as JSON.
    """
    names = ", ".join(columns)
    count = 0
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == batch_size:
            count += _insert_batch(cursor, table, names, batch)
            batch = []
    if batch:
        count += _insert_batch(cursor, table, names, batch)
    return count


def _insert_batch(cursor, table: str, names: str, batch: list[tuple]) -> int:
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(_copy_value, row)) + "\n" for row in batch)
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
        return len(batch)
    placeholders = ", ".join(["%s"] * len(batch[0]))
    values = [tuple(map(_sqlite_value, row)) for row in batch]
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values)  # noqa: S608
    return len(batch)
