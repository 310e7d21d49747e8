"""core.db: statements prepared once per PostgreSQL session, whatever the transactions around them do."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.db import prepare_once

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
STATEMENTS = {"core_test_double": "(integer) AS SELECT $1 * 2"}


def double(number: int) -> int:
    with connection.cursor() as cursor:
        prepare_once(cursor, STATEMENTS)
        cursor.execute("EXECUTE core_test_double (%s)", [number])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_per_session_and_again_in_a_new_one():
    with transaction.atomic():
        assert double(2) == 4
        transaction.set_rollback(True)  # a rollback does not take the statement with it

    with CaptureQueriesContext(connection) as queries:
        assert double(3) == 6
    assert [query["sql"] for query in queries] == ["EXECUTE core_test_double (3)"]

    connection.close()  # a new session has none: it is prepared again
    assert double(5) == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'core_test_double'")
        assert cursor.fetchone()[0] == 1
