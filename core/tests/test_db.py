"""core.db: plain rows written in bulk (COPY on PostgreSQL) come back exactly as the ORM would have stored them."""

import datetime as dt

import pytest
from django.db import connection

from core import db
from core.models import OutboxTask

pytestmark = pytest.mark.django_db

AWKWARD = ["", "tab\there", "two\nlines\r\n", "back\\slash", r"\N", "quote \" and 'single'", "Zoë, “curly”"]


def test_rows_come_back_as_written_whatever_their_characters():
    # Given rows whose text holds COPY's separators, escapes and its NULL marker, JSON, datetimes and NULLs,
    # in batches smaller than the rows (so more than one COPY runs)
    when = dt.datetime(2014, 6, 30, 13, 5, 7, 123456, tzinfo=dt.UTC)
    rows = [
        (text, {"text": text, "n": i, "list": [1, None]}, when + dt.timedelta(days=i), i, None if i % 2 else when, text)
        for i, text in enumerate(AWKWARD)
    ]
    columns = ["task", "kwargs", "created_at", "attempts", "last_attempt_at", "last_error"]

    # When they are inserted in bulk
    with connection.cursor() as cursor:
        count = db.rows_insert(cursor, table=OutboxTask._meta.db_table, columns=columns, rows=iter(rows), batch_size=3)

    # Then every value reads back unchanged through the ORM
    assert count == len(AWKWARD)
    stored = list(OutboxTask.objects.order_by("attempts").values_list(*columns))
    assert stored == rows
