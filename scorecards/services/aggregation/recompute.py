"""The full recompute: a cycle's aggregates rebuilt from all its answers in one set-based pass (after a
contractor's file, at close, nightly), scoring on the way the responses not yet applied."""

import logging

from django.db import connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from core.db import rows_insert
from scorecards.services.aggregation.queries import (
    _AGG,
    _APPLIED,
    _CCG_AGG,
    _CCG_COLUMNS,
    _CCG_SAME_ROW,
    _COLUMNS,
    _LEAD_ANSWER,
    _LEAD_FINE,
    _RESPONSE,
    _SAME_ROW,
    _SCORE,
    COUNT_FIELDS,
    FINE_KEYS,
    _ccg_group_rows,
    _ccg_group_sums_sql,
    _ccg_question_sql,
    _counts_regrouped,
    _counts_sql,
    _cycle_slots,
    _group_rows,
    _group_sums_sql,
    _question_sql,
    _response_scores_sql,
)
from scorecards.services.aggregation.refresh import _bump, _state_lock
from surveys.models import ResponseStatus

logger = logging.getLogger("scorecards.services.aggregation")

ANALYZE_AFTER_SCORING = 10_000  # responses scored at once after which the scores' statistics are refreshed
SCORE_BATCH = 20_000  # responses scored by one statement (their groups then fit in the recompute's work_mem)


# The recompute's memory for hashing its groups (each parallel worker may use this, twice over for a hash).
_WORK_MEM = "32MB"


def _recompute_once(cycle_id: int, rescore: bool) -> int:
    # The isolation level can only be chosen by the statement that opens the transaction: inside a
    # transaction already begun (a test's) PostgreSQL refuses it, so that one's applies.
    outermost = not connection.in_atomic_block and connection.get_autocommit()
    # Its own transaction (durable: never folded into a caller's), for the same reason as a refresh's.
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One snapshot for every statement below, so aggregates and the applied list agree. A
                # crash before the commit reaches the disk loses the recompute as a whole: no need to wait.
                isolation = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; " if outermost else ""
                # The answers counted per CCG make tens of thousands of groups: with the default 4 MB the
                # planner sorts them on disk (630 ms at 1M answers) instead of hashing them (280 ms).
                cursor.execute(isolation + f"SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '{_WORK_MEM}'")
            state = _state_lock(cycle_id)
            if rescore:
                cursor.execute(f"DELETE FROM {_SCORE} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
                cursor.execute(f"DELETE FROM {_APPLIED} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
            _score_unapplied(cursor, cycle_id)
            slots = _cycle_slots(cursor, cycle_id)
            if connection.vendor == "postgresql":
                changed = _aggregates_rebuild_postgresql(cursor, cycle_id, slots)
            else:
                cursor.execute(_group_sums_sql("s.cycle_id = %s", len(slots)), [cycle_id])
                group_rows = _group_rows(cycle_id, cursor.fetchall(), slots)
                cursor.execute(_question_sql("a.cycle_id = %s"), [cycle_id, cycle_id])
                changed = _aggregates_replace(cursor, _AGG, _COLUMNS, cycle_id, cursor.fetchall() + group_rows)
                cursor.execute(_ccg_group_sums_sql("s.cycle_id = %s", len(slots)), [cycle_id])
                ccg_rows = _ccg_group_rows(cycle_id, cursor.fetchall(), slots)
                cursor.execute(_ccg_question_sql("a.cycle_id = %s"), [cycle_id, cycle_id])
                ccg_changed = _aggregates_replace(
                    cursor, _CCG_AGG, _CCG_COLUMNS, cycle_id, cursor.fetchall() + ccg_rows
                )
                changed = changed or ccg_changed
        if not changed:
            # Right already (the usual nightly case): the published figures stay current too.
            state.last_full_recompute_at = timezone.now()
            state.save(update_fields=["last_full_recompute_at"])
            return state.aggregates_version
        return _bump(state, full=True)


def _score_unapplied(cursor, cycle_id: int) -> None:
    """Score and mark applied the cycle's submitted responses not yet applied (after a bulk load,
    a rescore, or a lost task). Applied responses are always submitted ones, so equal counts mean none.

    ``SCORE_BATCH`` responses at a time, in order of id (the order their answers were stored in): scoring
    groups a response's answers, and millions of responses grouped at once spill the groups to disk (a
    rescore of 100M answers wrote over 13 GB of temporary files) where a batch's fit in memory.
    """
    cursor.execute(
        f"SELECT (SELECT COUNT(*) FROM {_RESPONSE} WHERE cycle_id = %s AND status = %s), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {_APPLIED} WHERE cycle_id = %s)",
        [cycle_id, ResponseStatus.SUBMITTED, cycle_id],
    )
    submitted, applied = cursor.fetchone()
    if submitted == applied:
        return
    cursor.execute("DROP TABLE IF EXISTS reports_unapplied")
    cursor.execute(
        f"CREATE TEMPORARY TABLE reports_unapplied AS "  # noqa: S608
        f"SELECT r.id, (ROW_NUMBER() OVER (ORDER BY r.id) - 1) / {SCORE_BATCH} AS batch FROM {_RESPONSE} r "
        f"WHERE r.cycle_id = %s AND r.status = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {_APPLIED} p WHERE p.response_id = r.id)",
        [cycle_id, ResponseStatus.SUBMITTED],
    )
    cursor.execute("CREATE INDEX reports_unapplied_batch ON reports_unapplied (batch)")
    cursor.execute(f"DELETE FROM {_SCORE} WHERE response_id IN (SELECT id FROM reports_unapplied)")  # noqa: S608
    cursor.execute("SELECT batch, MIN(id), MAX(id) FROM reports_unapplied GROUP BY batch ORDER BY batch")
    # A batch's ids are one range of ids: its answers are read by range, the unapplied kept by the batch.
    batch_sql = _response_scores_sql(
        "a.response_id BETWEEN %s AND %s AND a.response_id IN (SELECT id FROM reports_unapplied WHERE batch = %s)"
    )
    for batch, low, high in cursor.fetchall():
        cursor.execute(batch_sql, [cycle_id, low, high, batch])
    cursor.execute(
        f"INSERT INTO {_APPLIED} (response_id, cycle_id) SELECT id, %s FROM reports_unapplied",  # noqa: S608
        [cycle_id],
    )
    cursor.execute("DROP TABLE reports_unapplied")
    if connection.vendor == "postgresql" and submitted - applied > ANALYZE_AFTER_SCORING:
        # Statistics from before a bulk load would plan the read of the scores below serially.
        cursor.execute(f"ANALYZE {_SCORE}")


def _new_aggregates_sql(cycle_id: int, slots: list[tuple[str, str]]) -> tuple[str, list]:
    """Return a WITH clause naming the cycle's aggregates as they should be (``new``, and ``new_ccg`` for its
    CCGs), and its parameters.

    The answers are read once, counted per area team, CCG, rater group and question (``fine``, computed once
    and in parallel: it is a plain SELECT's), and the response scores once, summed per area team, CCG and
    rater group (``fine_scores``). Both sets' question rows are sums of ``fine``'s rows, and their group rows
    sums of ``fine_scores``' rows turned into one row per group.
    """
    coarse = _counts_regrouped("fine", ("area_team_id", "rater_group"))
    by_ccg = _counts_regrouped("fine", ("area_team_id", "ccg_id"), where=_LEAD_ANSWER)
    names = [f"{name}{i}" for i in range(len(slots)) for name in ("c", "t", "q", "p", "pq", "u")]
    resummed = ", ".join(f"SUM(f.{name})" for name in names)
    unpivot = ", ".join(f"(%s, %s, g.c{i}, g.t{i}, g.q{i}, g.p{i}, g.pq{i}, g.u{i})" for i in range(len(slots)))
    values = "v (kind, code, people, total, total_sq, positive, positive_sq, negative)"
    zeros = ", ".join(["0"] * len(COUNT_FIELDS))
    groups = (
        f"SELECT %s, g.area_team_id, g.rater_group, v.kind, v.code, {zeros}, "  # noqa: S608
        f"v.people, v.total, v.total_sq, 0, v.positive, v.positive_sq, v.negative "
        f"FROM (SELECT f.area_team_id, f.rater_group, {resummed} FROM fine_scores f "
        f"GROUP BY f.area_team_id, f.rater_group) g (area_team_id, rater_group, {', '.join(names)}) "
        f"CROSS JOIN LATERAL (VALUES {unpivot}) {values} WHERE v.people > 0"
    )
    ccg_groups = (
        f"SELECT %s, g.area_team_id, g.ccg_id, v.kind, v.code, "  # noqa: S608
        f"v.people, v.total, v.total_sq, v.positive, v.positive_sq, v.negative "
        f"FROM (SELECT f.area_team_id, f.ccg_id, {resummed} FROM fine_scores f WHERE {_LEAD_FINE} "
        f"GROUP BY f.area_team_id, f.ccg_id) g (area_team_id, ccg_id, {', '.join(names)}) "
        f"CROSS JOIN LATERAL (VALUES {unpivot}) {values} WHERE v.people > 0"
    )
    fine_scores = _group_sums_sql("s.cycle_id = %s", len(slots), by="s.area_team_id, s.ccg_id, s.rater_group")
    sql = f"""
        WITH fine AS MATERIALIZED ({_counts_sql("a.cycle_id = %s", keys=FINE_KEYS)}),
        fine_scores (area_team_id, ccg_id, rater_group, {", ".join(names)}) AS MATERIALIZED ({fine_scores}),
        new ({_COLUMNS}) AS ({_question_sql("", counts=coarse)} UNION ALL {groups}),
        new_ccg ({_CCG_COLUMNS}) AS ({_ccg_question_sql("", counts=by_ccg)} UNION ALL {ccg_groups})
    """  # noqa: S608 - table names and constants only; values are parameters
    # In the order the placeholders stand: fine's cycle, fine_scores' cycle; then for each set, its question
    # rows' cycle, its group rows' cycle and each slot's kind and code.
    set_params = [cycle_id, cycle_id, *(value for slot in slots for value in slot)]
    return sql, [cycle_id, cycle_id, *set_params, *set_params]


def _aggregates_rebuild_postgresql(cursor, cycle_id: int, slots: list[tuple[str, str]]) -> bool:
    """Rebuild the cycle's aggregates (and its CCGs') in the database; return False if they were right already.

    Nothing is fetched into Python. One read-only statement computes the aggregates as they should be and
    compares them with the stored ones (two sets, each with unique keys, are equal when as many rows are the
    same in both as either holds), so a recompute that finds everything right (the nightly case) writes
    nothing and reads the answers once, in parallel. A table that differs is replaced by an INSERT from the
    same statement (PostgreSQL runs an INSERT's SELECT in one process: slower, but only when there is a change).
    """
    with_new, params = _new_aggregates_sql(cycle_id, slots)
    cursor.execute(
        f"{with_new} SELECT (SELECT COUNT(*) FROM new), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {_AGG} WHERE cycle_id = %s), "
        f"(SELECT COUNT(*) FROM new n JOIN {_AGG} a ON a.cycle_id = %s AND {_SAME_ROW}), "
        f"(SELECT COUNT(*) FROM new_ccg), "
        f"(SELECT COUNT(*) FROM {_CCG_AGG} WHERE cycle_id = %s), "
        f"(SELECT COUNT(*) FROM new_ccg n JOIN {_CCG_AGG} a ON a.cycle_id = %s AND {_CCG_SAME_ROW})",
        [*params, cycle_id, cycle_id, cycle_id, cycle_id],
    )
    new_rows, current_rows, same_rows, new_ccg_rows, current_ccg_rows, same_ccg_rows = cursor.fetchone()
    changed = False
    for table, columns, source, counts in (
        (_AGG, _COLUMNS, "new", (new_rows, current_rows, same_rows)),
        (_CCG_AGG, _CCG_COLUMNS, "new_ccg", (new_ccg_rows, current_ccg_rows, same_ccg_rows)),
    ):
        if len(set(counts)) == 1:
            continue
        changed = True
        cursor.execute(f"DELETE FROM {table} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
        cursor.execute(f"{with_new} INSERT INTO {table} ({columns}) SELECT * FROM {source}", params)  # noqa: S608
    return changed


def _aggregates_replace(cursor, table: str, columns: str, cycle_id: int, rows: list[tuple]) -> bool:
    """Make the cycle's rows of ``table`` exactly ``rows``; return False if they were already.

    Comparing first means a recompute that finds everything right writes nothing.
    """
    cursor.execute(f"SELECT {columns} FROM {table} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
    if set(cursor.fetchall()) == set(rows):
        return False
    cursor.execute(f"DELETE FROM {table} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
    rows_insert(cursor, table=table, columns=columns.split(", "), rows=rows)
    return True


def scorecards_recompute(*, cycle_id: int, rescore: bool = False, attempts: int = 5) -> int:
    """Rebuild a cycle's aggregates from all its submitted answers; return the new aggregates version.

    Responses not yet applied are scored and marked applied on the way. ``rescore`` recomputes
    every response's scores from its answers too (they are normally computed once, when applied).
    On PostgreSQL the rebuild reads one snapshot; if a concurrent refresh changed the state
    meanwhile, it simply runs again.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _recompute_once(cycle_id, rescore)
        except OperationalError as exc:
            if getattr(exc.__cause__, "pgcode", None) != "40001" or attempt == attempts:
                raise
            logger.info("scorecard recompute retried after a concurrent refresh", extra={"task": "recompute"})
    raise AssertionError("unreachable")
