"""Prepared statements on PostgreSQL, made once per database session.

Planning a short statement can cost PostgreSQL more than running it: a statement run on every request
or every refresh is worth preparing. A prepared statement lasts as long as its session, whatever the
transactions around it do (a rollback does not undo ``PREPARE``), so each is prepared once per
connection and run with ``EXECUTE name (…)``.
"""

import weakref

from django.db import connection

# The statements already prepared, per raw connection: a new connection (after a reconnect, a fork, or
# CONN_MAX_AGE running out) starts with none.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def prepare_once(cursor, statements: dict[str, str]) -> None:
    """Prepare on this connection each of ``statements`` (name → ``"(types) AS query"``) not prepared yet.

    The names are this project's own constants, never input. Only for PostgreSQL.
    """
    raw = connection.connection
    done = _prepared.setdefault(raw, set())
    missing = [name for name in statements if name not in done]
    if not missing:
        return
    # The session may hold one already: prepared just before a later one in this loop failed, say.
    cursor.execute("SELECT name FROM pg_prepared_statements WHERE name = ANY(%s)", [missing])
    existing = {name for (name,) in cursor.fetchall()}
    for name in missing:
        if name not in existing:
            cursor.execute(f"PREPARE {name} {statements[name]}")
        done.add(name)
