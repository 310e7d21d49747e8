"""Writes of a contractor's file as plain rows: its answers, and its responses marked submitted.

The import checks the whole file first and writes in one transaction (``responses_import``); these are
its bulk statements, so that a million answers cost about what loading them into the table costs, not a
model instance and a compiled INSERT each.
"""

import datetime as dt
import json

from django.db import connection

from core.db import rows_insert
from surveys.answers import answer_columns
from surveys.models import Answer, Invitation, Question, Response, ResponseSource, ResponseStatus

ANSWER_COLUMNS = [
    *("response_id", "question_id", "cycle_id", "area_team_id", "ccg_id", "rater_group", "choice", "text"),
]


def answer_row(response: Response, question: Question, value) -> tuple:
    """Return an answer as a row in ``ANSWER_COLUMNS`` order, with the columns a submission gives it."""
    columns = answer_columns(question, value)
    return (
        response.pk,
        question.pk,
        response.cycle_id,
        response.area_team_id,
        response.ccg_id,
        response.rater_group,
        columns["choice"],
        columns["text"],
    )


def responses_mark_imported(cursor, submitted: list[tuple[int, dict, dt.datetime]], now: dt.datetime) -> None:
    """Mark each ``(response id, answers, submitted at)`` submitted from a file, and stamp its invitation.

    One statement for all the responses on PostgreSQL (their values as arrays), one prepared statement run
    for each elsewhere; the invitations take their responses' times in one more.
    """
    table, invitations = Response._meta.db_table, Invitation._meta.db_table
    constants = [ResponseStatus.SUBMITTED, ResponseSource.IMPORT]
    if connection.vendor == "postgresql":
        ids, drafts, times = zip(*submitted, strict=True)
        cursor.execute(
            f"UPDATE {table} r SET status = %s, source = %s, updated_at = %s, "  # noqa: S608
            "draft = CAST(v.draft AS jsonb), submitted_at = v.submitted_at "
            "FROM unnest(CAST(%s AS bigint[]), CAST(%s AS text[]), CAST(%s AS timestamptz[])) "
            "AS v (id, draft, submitted_at) WHERE r.id = v.id",
            [*constants, now, list(ids), [json.dumps(d) for d in drafts], list(times)],
        )
    else:
        adapt = connection.ops.adapt_datetimefield_value
        cursor.executemany(
            f"UPDATE {table} SET status = %s, source = %s, updated_at = %s, draft = %s, submitted_at = %s "  # noqa: S608
            "WHERE id = %s",
            [(*constants, adapt(now), json.dumps(d), adapt(t), pk) for pk, d, t in submitted],
        )
    placeholders = ", ".join(["%s"] * len(submitted))
    cursor.execute(
        f"UPDATE {invitations} SET submitted_at = (SELECT r.submitted_at FROM {table} r "  # noqa: S608
        f"WHERE r.invitation_id = {invitations}.id) "
        f"WHERE id IN (SELECT invitation_id FROM {table} WHERE id IN ({placeholders}))",
        [pk for pk, _, _ in submitted],
    )


def answer_rows_insert(cursor, rows: list[tuple]) -> None:
    """Insert answers given as ``answer_row`` rows (COPY on PostgreSQL)."""
    rows_insert(cursor, table=Answer._meta.db_table, columns=ANSWER_COLUMNS, rows=rows)
