"""The per-submission refresh: one submitted response added to its cycle's aggregates, in its own
durable transaction, and the cycle's publication queued at most once per burst."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from scorecards.models import ScorecardState
from scorecards.services.aggregation.queries import (
    _ADD_ON_CONFLICT,
    _AGG,
    _ALL_SLOT_COLUMNS,
    _APPLIED,
    _CCG_ADD_ON_CONFLICT,
    _CCG_AGG,
    _CCG_COLUMNS,
    _COLUMNS,
    _LEADS,
    _NEGATIVE_COLUMNS,
    _POSITIVE_COLUMNS,
    _RESPONSE,
    _SLOT_COLUMNS,
    COUNT_FIELDS,
    SUM_FIELDS,
    _ccg_group_rows,
    _ccg_group_sums_sql,
    _ccg_question_sql,
    _cycle_slots,
    _group_rows,
    _group_sums_sql,
    _question_sql,
    _response_scores_sql,
    _slots_sql,
)
from surveys.models import Response, ResponseStatus


def _state_lock(cycle_id: int) -> ScorecardState:
    """Lock (creating it the first time) the cycle's state row: refreshes and recomputes queue on it."""
    state = ScorecardState.objects.select_for_update().filter(cycle_id=cycle_id).first()
    if state is None:
        ScorecardState.objects.get_or_create(cycle_id=cycle_id)
        state = ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)
    return state


def _bump(state: ScorecardState, *, full: bool) -> int:
    state.aggregates_version += 1
    fields = ["aggregates_version"]
    if full:
        state.last_full_recompute_at = timezone.now()
        fields.append("last_full_recompute_at")
    state.save(update_fields=fields)
    return state.aggregates_version


@transaction.atomic(durable=True)
def scorecard_apply_response(*, response_id: int) -> bool:
    """Add one submitted response to its cycle's aggregates; return False if there was nothing to do.

    Idempotent: a response already applied (or not submitted) is left alone, so the task that calls
    this is safe to run twice. Its own transaction (durable: never folded into a caller's), so that
    not waiting for its commit to reach the disk (PostgreSQL) concerns derived figures only.
    """
    if connection.vendor == "postgresql":
        applied = _apply_postgresql(response_id)
        if applied is not None:
            return applied
    response = Response.objects.filter(pk=response_id, status=ResponseStatus.SUBMITTED).only("cycle_id").first()
    if response is None:
        return False
    state = _state_lock(response.cycle_id)
    with connection.cursor() as cursor:
        # Claim the response first: under the state lock, a response already applied claims nothing.
        cursor.execute(
            f"INSERT INTO {_APPLIED} (response_id, cycle_id) VALUES (%s, %s) ON CONFLICT (response_id) DO NOTHING",  # noqa: S608
            [response_id, response.cycle_id],
        )
        if cursor.rowcount == 0:
            return False
        # Each response adds to its own lead role's rows; "all leads" is their sum, made when publishing.
        cursor.execute(
            f"INSERT INTO {_AGG} ({_COLUMNS}) {_question_sql('a.response_id = %s')} {_ADD_ON_CONFLICT}",  # noqa: S608
            [response.cycle_id, response_id],
        )
        # An unapplied response has no scores yet: scores and the claim are written together, here or
        # by the full recompute (which also removes both when rescoring).
        cursor.execute(_response_scores_sql("a.response_id = %s"), [response.cycle_id, response_id])
        slots = _cycle_slots(cursor, response.cycle_id)
        cursor.execute(_group_sums_sql("s.response_id = %s", len(slots)), [response_id])
        rows = _group_rows(response.cycle_id, cursor.fetchall(), slots)
        placeholders = ", ".join(["%s"] * (5 + len(SUM_FIELDS)))
        cursor.executemany(
            f"INSERT INTO {_AGG} ({_COLUMNS}) VALUES ({placeholders}) {_ADD_ON_CONFLICT}",  # noqa: S608
            rows,
        )
        # A CCG lead's sums go to their CCG's rows too (nothing for anyone else).
        cursor.execute(
            f"INSERT INTO {_CCG_AGG} ({_CCG_COLUMNS}) {_ccg_question_sql('a.response_id = %s')} {_CCG_ADD_ON_CONFLICT}",  # noqa: S608
            [response.cycle_id, response_id],
        )
        cursor.execute(_ccg_group_sums_sql("s.response_id = %s", len(slots)), [response_id])
        ccg_rows = _ccg_group_rows(response.cycle_id, cursor.fetchall(), slots)
        placeholders = ", ".join(["%s"] * len(_CCG_COLUMNS.split(", ")))
        cursor.executemany(
            f"INSERT INTO {_CCG_AGG} ({_CCG_COLUMNS}) VALUES ({placeholders}) {_CCG_ADD_ON_CONFLICT}",  # noqa: S608
            ccg_rows,
        )
    now = timezone.now()
    stale = now - timedelta(seconds=_publish_queue_stale_seconds())
    queue_publish = state.publish_queued_at is None or state.publish_queued_at < stale
    if queue_publish:
        state.publish_queued_at = now
        state.save(update_fields=["publish_queued_at"])
        _publish_after_commit(state.cycle_id)
    _bump(state, full=False)
    return True


def _apply_sql() -> str:
    """Return the one statement that claims a response and adds it to the aggregates (PostgreSQL).

    Data-modifying CTEs all read the statement's snapshot and run whatever the outer query reads,
    so every step is driven from ``claimed``: a response applied already adds nothing. The scores
    inserted are fed straight to the group rows (a CTE cannot read rows its own statement wrote).
    Parameters: ``response``, the response id, and ``cycle``, its cycle id. It is a statement of
    ``APPLY_FUNCTION``'s body: the number of responses claimed goes into its variable ``v_applied``.
    """
    columns = ", ".join(SUM_FIELDS)
    zeros = ", ".join(["0"] * len(COUNT_FIELDS))
    unpivot = ", ".join(
        f"({slot}, s.{score}, s.{positive}, s.{negative})"
        for slot, (score, positive, negative) in enumerate(
            zip(_SLOT_COLUMNS, _POSITIVE_COLUMNS, _NEGATIVE_COLUMNS, strict=True), start=1
        )
    )
    return f"""
        WITH claimed AS (
            INSERT INTO {_APPLIED} (response_id, cycle_id) VALUES (%(response)s, %(cycle)s)
            ON CONFLICT (response_id) DO NOTHING RETURNING response_id
        ),
        questions AS (
            INSERT INTO {_AGG} ({_COLUMNS})
            {_question_sql("a.response_id = (SELECT response_id FROM claimed)", cycle="%(cycle)s")}
            {_ADD_ON_CONFLICT}
        ),
        scores AS (
            {_response_scores_sql("a.response_id = (SELECT response_id FROM claimed)", cycle="%(cycle)s")}
            RETURNING cycle_id, area_team_id, ccg_id, rater_group, {", ".join(_ALL_SLOT_COLUMNS)}
        ),
        ccg_questions AS (
            INSERT INTO {_CCG_AGG} ({_CCG_COLUMNS})
            {_ccg_question_sql("a.response_id = (SELECT response_id FROM claimed)", cycle="%(cycle)s")}
            {_CCG_ADD_ON_CONFLICT}
        ),
        ccg_groups AS (
            INSERT INTO {_CCG_AGG} ({_CCG_COLUMNS})
            SELECT s.cycle_id, s.area_team_id, s.ccg_id, m.kind, m.code, 1, v.score,
                   CAST(v.score AS BIGINT) * v.score, v.positive, CAST(v.positive AS BIGINT) * v.positive, v.negative
            FROM scores s
            CROSS JOIN LATERAL (VALUES {unpivot}) v (slot, score, positive, negative)
            JOIN (SELECT DISTINCT slot, kind, code FROM ({_slots_sql("%(cycle)s")}) g) m ON m.slot = v.slot
            WHERE v.score IS NOT NULL AND s.rater_group IN {_LEADS} AND s.ccg_id IS NOT NULL
            {_CCG_ADD_ON_CONFLICT}
        ),
        groups AS (
            INSERT INTO {_AGG} (cycle_id, area_team_id, rater_group, kind, code, {columns})
            SELECT s.cycle_id, s.area_team_id, s.rater_group, m.kind, m.code, {zeros}, 1, v.score,
                   CAST(v.score AS BIGINT) * v.score, 0, v.positive, CAST(v.positive AS BIGINT) * v.positive,
                   v.negative
            FROM scores s
            CROSS JOIN LATERAL (VALUES {unpivot}) v (slot, score, positive, negative)
            JOIN (SELECT DISTINCT slot, kind, code FROM ({_slots_sql("%(cycle)s")}) g) m ON m.slot = v.slot
            WHERE v.score IS NOT NULL
            {_ADD_ON_CONFLICT}
        )
        SELECT COUNT(*) INTO v_applied FROM claimed
    """  # noqa: S608 - table names and constants only; values are parameters


def _apply_postgresql(response_id: int) -> bool | None:
    """Apply one response by calling ``APPLY_FUNCTION`` (PostgreSQL); return None when the general path must run.

    The function takes the cycle's state-row lock by bumping its version (only for a submitted
    response), then does all the rest. Nothing applied: the transaction rolls back, bump and all.
    """
    with connection.cursor() as cursor:
        # Not waiting for the commit to reach the disk is safe here: a crash can lose only whole
        # refreshes (the claim goes with the figures), and the nightly recompute applies them.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            f"SELECT cycle_id, queue_publish, applied FROM {APPLY_FUNCTION}(%s, %s, %s)",  # noqa: S608 - a constant name
            [response_id, ResponseStatus.SUBMITTED.value, _publish_queue_stale_seconds()],
        )
        row = cursor.fetchone()
        if row is None:
            return None  # not submitted, or the cycle's first response (no state row yet)
        cycle_id, queue_publish, applied = row
        if applied == 0:
            transaction.set_rollback(True)
            return False
    if queue_publish:
        _publish_after_commit(cycle_id)
    return True


# Bump the version (taking the lock) and mark a publish queued unless one is (and not stale): the second
# value returned says whether this refresh must queue it. (clock_timestamp(), not now(): a marker set by
# this very call is the only one not older than the call's start, even inside a longer transaction.)
_APPLY_LOCK_SQL = (
    f"UPDATE {ScorecardState._meta.db_table} s "  # noqa: S608 - table names only; values are parameters
    "SET aggregates_version = s.aggregates_version + 1, publish_queued_at = CASE "
    "WHEN s.publish_queued_at IS NULL OR s.publish_queued_at < clock_timestamp() - make_interval(secs => %(stale)s) "
    f"THEN clock_timestamp() ELSE s.publish_queued_at END FROM {_RESPONSE} r "
    "WHERE r.id = %(response)s AND r.status = %(status)s AND s.cycle_id = r.cycle_id "
    "RETURNING s.cycle_id, s.publish_queued_at >= statement_timestamp()"
)

# The refresh as a PL/pgSQL function: PL/pgSQL keeps its statements' plans for the connection's life, so
# a refresh is not planned afresh each time (planning the statement above cost more than running it).
# Nothing protocol-level is prepared, so it is safe behind a transaction-pooling PgBouncer. It is
# (re)created from this module after every ``migrate`` (``install_apply_function``), so it always
# matches the code.
APPLY_FUNCTION = "scorecards_apply_response"
_PARAMETERS = {"%(response)s": "p_response", "%(cycle)s": "v_cycle", "%(status)s": "p_status", "%(stale)s": "p_stale"}


def _plpgsql(sql: str) -> str:
    for placeholder, name in _PARAMETERS.items():
        sql = sql.replace(placeholder, name)
    return sql


def apply_function_sql() -> str:
    """Return the DDL that (re)creates ``APPLY_FUNCTION``; it returns no row when the general path must run."""
    return f"""
        DROP FUNCTION IF EXISTS {APPLY_FUNCTION}(bigint, text, integer);
        CREATE FUNCTION {APPLY_FUNCTION}(p_response bigint, p_status text, p_stale integer)
        RETURNS TABLE (cycle_id bigint, queue_publish boolean, applied bigint)
        LANGUAGE plpgsql
        AS $body$
        #variable_conflict use_column
        DECLARE
            v_cycle bigint;
            v_queue boolean;
            v_applied bigint;
        BEGIN
            {_plpgsql(_APPLY_LOCK_SQL)} INTO v_cycle, v_queue;
            IF NOT FOUND THEN
                RETURN;
            END IF;
            {_plpgsql(_apply_sql().strip())};
            RETURN QUERY SELECT v_cycle, v_queue, v_applied;
        END
        $body$;
    """


def install_apply_function(using: str = "default") -> None:
    """(Re)create ``APPLY_FUNCTION`` on a PostgreSQL database (nothing elsewhere); run after every migrate."""
    target = connections[using]
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        cursor.execute(apply_function_sql())


def _publish_queue_stale_seconds() -> int:
    # A queued publish not started after this long is taken as lost, and queued again.
    return settings.SCORECARD_PUBLISH_DELAY_SECONDS + 60


def _publish_after_commit(cycle_id: int) -> None:
    """Queue the cycle's publish, a moment after this transaction commits, to take in what follows.

    Refreshes queue one only when none is queued (``ScorecardState.publish_queued_at``), so a burst
    of submissions builds the published set about once per SCORECARD_PUBLISH_DELAY_SECONDS.
    """
    from scorecards.tasks import scorecards_publish_task

    delay = settings.SCORECARD_PUBLISH_DELAY_SECONDS
    transaction.on_commit(lambda: scorecards_publish_task.apply_async((cycle_id,), countdown=delay))
