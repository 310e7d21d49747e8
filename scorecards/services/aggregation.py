"""Turn answers into integer sufficient statistics, one response at a time or all at once.

Both paths run the same SQL over different rows and hold the cycle's ``ScorecardState`` row lock:

- question items: counts per scale point (one GROUP BY over answers, the shape of the floor query),
  with the score sums derived from the counts;
- behaviour, role and overall items: each response's mean item score there and its shares of
  favourable and unfavourable answers there (``ResponseScore``, computed once from its immutable
  answers), summed per area team and lead role, so that a group's figures are means over the people
  who answered it (DESIGN.md §4: never an interval whose n counts answers).

Everything is an integer, so adding responses one at a time (incremental) and one pass over all
of them (full) give identical aggregates. All aggregation runs in the database.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from core.db import rows_insert
from scorecards.models import (
    OVERALL_CODE,
    SCORE_SLOTS,
    AppliedResponse,
    ItemKind,
    ResponseScore,
    ScorecardAggregate,
    ScorecardState,
    negative_column,
    positive_column,
    score_column,
)
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response, ResponseStatus
from ways_of_working.models import Behaviour, Role

logger = logging.getLogger(__name__)

SCALE = (5, 4, 3, 2, 1)
MILLI_PER_UNIT = 2500  # one step on the 0–10 scale (10, 7.5, 5, 2.5, 0) in milli-points
COUNT_FIELDS = ("n5", "n4", "n3", "n2", "n1", "dk", "favourable", "unfavourable")
SUM_FIELDS = (
    *COUNT_FIELDS,
    *("people", "score_sum", "score_sumsq", "answers"),
    *("positive_sum", "positive_sumsq", "negative_sum"),
)
SHARE_UNIT = 10_000  # a respondent's share of favourable answers in a group, in hundredths of a percent
# The columns a group row fills from its slot sums (questions fill the counts and leave these 0).
GROUP_FIELDS = ("people", "score_sum", "score_sumsq", "positive_sum", "positive_sumsq", "negative_sum")

_AGG = ScorecardAggregate._meta.db_table
_SCORE = ResponseScore._meta.db_table
_ANSWER = Answer._meta.db_table
_QUESTION = Question._meta.db_table
_QUESTIONNAIRE = Questionnaire._meta.db_table
_RESPONSE = Response._meta.db_table
_APPLIED = AppliedResponse._meta.db_table
ANALYZE_AFTER_SCORING = 10_000  # responses scored at once after which the scores' statistics are refreshed
_COLUMNS = "cycle_id, area_team_id, lead_role, kind, code, " + ", ".join(SUM_FIELDS)
# Two aggregate rows (aliases ``a`` and ``n``) of one cycle equal in every column; none is nullable.
_SAME_ROW = " AND ".join(f"a.{column} = n.{column}" for column in _COLUMNS.split(", ") if column != "cycle_id")
_ADD_ON_CONFLICT = "ON CONFLICT (cycle_id, area_team_id, lead_role, kind, code) DO UPDATE SET " + ", ".join(
    f"{f} = {_AGG}.{f} + excluded.{f}" for f in SUM_FIELDS
)


def item_milli(choice: int, positively_worded: bool) -> int:
    """Return the item score of an agreement choice (5 strongly agree … 1 strongly disagree) in milli-points."""
    units = choice - 1 if positively_worded else 5 - choice
    return units * MILLI_PER_UNIT


def _weighted(power: int, positively_worded: bool) -> str:
    terms = [f"{item_milli(c, positively_worded) ** power} * f.n{c}" for c in SCALE if item_milli(c, positively_worded)]
    return " + ".join(terms)


def _question_sql(where: str, cycle: str = "%s") -> str:
    """Return SELECT rows (cycle, area team, lead role, 'question', code, SUM_FIELDS…) for answers matching ``where``.

    The inner query is the floor: one GROUP BY with FILTER counts per scale point. ``where`` keeps to
    one cycle, whose id ``cycle`` gives (a placeholder, before those of ``where``): grouping by the
    cycle too would only slow the hash aggregate down.
    """
    counts = ", ".join(f"COUNT(*) FILTER (WHERE a.choice = {c}) AS n{c}" for c in SCALE)
    people = " + ".join(f"f.n{c}" for c in SCALE)
    return f"""
        SELECT {cycle}, f.area_team_id, f.lead_role, '{ItemKind.QUESTION}', q.code,
               f.n5, f.n4, f.n3, f.n2, f.n1, f.dk,
               CASE WHEN q.positively_worded THEN f.n5 + f.n4 ELSE f.n2 + f.n1 END,
               CASE WHEN q.positively_worded THEN f.n2 + f.n1 ELSE f.n5 + f.n4 END,
               {people},
               CASE WHEN q.positively_worded THEN {_weighted(1, True)} ELSE {_weighted(1, False)} END,
               CASE WHEN q.positively_worded THEN {_weighted(2, True)} ELSE {_weighted(2, False)} END,
               {people}, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT)
        FROM (
            SELECT a.area_team_id, a.lead_role, a.question_id, {counts},
                   COUNT(*) FILTER (WHERE a.choice = 0) AS dk
            FROM {_ANSWER} a
            WHERE a.choice IS NOT NULL AND {where}
            GROUP BY a.area_team_id, a.lead_role, a.question_id
        ) f
        JOIN {_QUESTION} q ON q.id = f.question_id
        WHERE q.type = '{QuestionType.AGREEMENT}'
    """  # noqa: S608 - table names and constants only; values are parameters


def _slots_sql(cycle: str) -> str:
    """Return a subquery (question_id, positively_worded, kind, code, slot) of a cycle's agreement questions.

    Each question appears once per group it counts in (its behaviour, its role, overall); ``slot``
    numbers the cycle's groups from 1 in order of kind and code, naming the ``ResponseScore`` column
    that holds a response's score there. ``cycle`` is the cycle id's placeholder.
    """
    behaviour, role = Behaviour._meta.db_table, Role._meta.db_table
    return f"""
        SELECT m.question_id, m.positively_worded, m.kind, m.code,
               DENSE_RANK() OVER (ORDER BY m.kind, m.code) AS slot
        FROM (
            SELECT q.id AS question_id, q.positively_worded, k.kind,
                   CASE k.kind WHEN '{ItemKind.BEHAVIOUR}' THEN b.code WHEN '{ItemKind.ROLE}' THEN r.code
                               ELSE '{OVERALL_CODE}' END AS code
            FROM {_QUESTION} q
            JOIN {_QUESTIONNAIRE} qn ON qn.id = q.questionnaire_id
            LEFT JOIN {behaviour} b ON b.id = q.behaviour_id
            LEFT JOIN {role} r ON r.id = q.role_id
            CROSS JOIN (SELECT '{ItemKind.BEHAVIOUR}' AS kind UNION ALL SELECT '{ItemKind.ROLE}'
                        UNION ALL SELECT '{ItemKind.OVERALL}') k
            WHERE qn.cycle_id = {cycle} AND q.type = '{QuestionType.AGREEMENT}'
              AND (k.kind = '{ItemKind.OVERALL}' OR (k.kind = '{ItemKind.BEHAVIOUR}' AND b.code IS NOT NULL)
                   OR (k.kind = '{ItemKind.ROLE}' AND r.code IS NOT NULL))
        ) m
    """  # noqa: S608 - table names and constants only


_SLOT_COLUMNS = [score_column(slot) for slot in range(1, SCORE_SLOTS + 1)]
_POSITIVE_COLUMNS = [positive_column(slot) for slot in range(1, SCORE_SLOTS + 1)]
_NEGATIVE_COLUMNS = [negative_column(slot) for slot in range(1, SCORE_SLOTS + 1)]
_ALL_SLOT_COLUMNS = [*_SLOT_COLUMNS, *_POSITIVE_COLUMNS, *_NEGATIVE_COLUMNS]
_FAVOURABLE = "CASE WHEN g.positively_worded THEN a.choice >= 4 ELSE a.choice <= 2 END"
_UNFAVOURABLE = "CASE WHEN g.positively_worded THEN a.choice <= 2 ELSE a.choice >= 4 END"


def _response_scores_sql(where: str, cycle: str = "%s") -> str:
    """Return the INSERT … SELECT scoring the cycle's responses matching ``where``: one row each.

    A response's score in a group is the mean of its item scores there, in milli-points; its shares of
    favourable and unfavourable answers there are in ``SHARE_UNIT`` (don't know is not an answer on the
    scale, so it counts in neither). Parameters: the cycle id (``cycle``), then those of ``where``.
    """
    units = "CASE WHEN g.positively_worded THEN a.choice - 1 ELSE 5 - a.choice END"

    def mean(value: str, scale: str, slot: int) -> str:
        return (
            f"CAST(ROUND(SUM({value}) FILTER (WHERE g.slot = {slot}) * {scale}.0"
            f" / NULLIF(COUNT(*) FILTER (WHERE g.slot = {slot}), 0)) AS INTEGER)"
        )

    slots = range(1, SCORE_SLOTS + 1)
    scores = ",\n".join(
        [
            *(mean(units, str(MILLI_PER_UNIT), slot) for slot in slots),
            *(mean(f"CASE WHEN {_FAVOURABLE} THEN 1 ELSE 0 END", str(SHARE_UNIT), slot) for slot in slots),
            *(mean(f"CASE WHEN {_UNFAVOURABLE} THEN 1 ELSE 0 END", str(SHARE_UNIT), slot) for slot in slots),
        ]
    )
    return f"""
        INSERT INTO {_SCORE} (response_id, cycle_id, area_team_id, lead_role, {", ".join(_ALL_SLOT_COLUMNS)})
        SELECT a.response_id, a.cycle_id, a.area_team_id, a.lead_role, {scores}
        FROM {_ANSWER} a
        JOIN ({_slots_sql(cycle)}) g ON g.question_id = a.question_id
        WHERE a.choice BETWEEN 1 AND 5 AND {where}
        GROUP BY a.response_id, a.cycle_id, a.area_team_id, a.lead_role
    """  # noqa: S608 - table names and constants only; values are parameters


def _cycle_slots(cursor, cycle_id: int) -> list[tuple[str, str]]:
    """Return the cycle's groups as (kind, code) in slot order (slot 1 first)."""
    cursor.execute(f"SELECT DISTINCT slot, kind, code FROM ({_slots_sql('%s')}) g ORDER BY slot", [cycle_id])  # noqa: S608
    slots = [(kind, code) for _, kind, code in cursor.fetchall()]
    if len(slots) > SCORE_SLOTS:
        raise ValueError(f"cycle {cycle_id} has {len(slots)} behaviour, role and overall groups; at most {SCORE_SLOTS}")
    return slots


def _group_sums_sql(where: str, slots: int) -> str:
    """Return SELECT rows (area team, lead role, then ``GROUP_FIELDS`` for each of ``slots`` slots)."""
    # A score is at most 10,000 milli-points and a share at most 10,000, so their squares fit an integer,
    # and SUM over integers adds in 64 bits (over bigints PostgreSQL adds in numeric, several times slower).
    sums = ", ".join(
        f"COUNT(s.{c}), SUM(s.{c}), SUM(s.{c} * s.{c}), SUM(s.{p}), SUM(s.{p} * s.{p}), SUM(s.{u})"
        for c, p, u in zip(_SLOT_COLUMNS[:slots], _POSITIVE_COLUMNS, _NEGATIVE_COLUMNS, strict=False)
    )
    return f"""
        SELECT s.area_team_id, s.lead_role, {sums}
        FROM {_SCORE} s WHERE {where}
        GROUP BY s.area_team_id, s.lead_role
    """  # noqa: S608 - table names and constants only; values are parameters


def _group_rows(cycle_id: int, sums: list[tuple], slots: list[tuple[str, str]]) -> list[tuple]:
    """Return aggregate rows (in ``_COLUMNS`` order) for behaviours, roles and overall from slot sums.

    Only people and their sums: a group publishes no answer counts (they would be its questions' sums,
    a relation that would give suppressed questions away).
    """
    zeros = (0,) * len(COUNT_FIELDS)
    width = len(GROUP_FIELDS)
    rows = []
    for area_team_id, lead_role, *values in sums:
        for i, (kind, code) in enumerate(slots):
            people, total, total_sq, positive, positive_sq, negative = values[width * i : width * i + width]
            if people:
                key = (cycle_id, area_team_id, lead_role, kind, code)
                sums_ = (int(total), int(total_sq), 0, int(positive), int(positive_sq), int(negative))
                rows.append((*key, *zeros, people, *sums_))
    return rows


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
    Parameters: ``response``, the response id, and ``cycle``, its cycle id.
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
            RETURNING cycle_id, area_team_id, lead_role, {", ".join(_ALL_SLOT_COLUMNS)}
        ),
        groups AS (
            INSERT INTO {_AGG} (cycle_id, area_team_id, lead_role, kind, code, {columns})
            SELECT s.cycle_id, s.area_team_id, s.lead_role, m.kind, m.code, {zeros}, 1, v.score,
                   CAST(v.score AS BIGINT) * v.score, 0, v.positive, CAST(v.positive AS BIGINT) * v.positive,
                   v.negative
            FROM scores s
            CROSS JOIN LATERAL (VALUES {unpivot}) v (slot, score, positive, negative)
            JOIN (SELECT DISTINCT slot, kind, code FROM ({_slots_sql("%(cycle)s")}) g) m ON m.slot = v.slot
            WHERE v.score IS NOT NULL
            {_ADD_ON_CONFLICT}
        )
        SELECT COUNT(*) FROM claimed
    """  # noqa: S608 - table names and constants only; values are parameters


def _apply_postgresql(response_id: int) -> bool | None:
    """Apply one response in two statements (PostgreSQL); return None when the general path must run.

    The first takes the cycle's state-row lock by bumping its version (only for a submitted
    response); the second does all the rest. Nothing applied: the transaction rolls back, bump and all.
    """
    with connection.cursor() as cursor:
        # Not waiting for the commit to reach the disk is safe here: a crash can lose only whole
        # refreshes (the claim goes with the figures), and the nightly recompute applies them.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            _APPLY_LOCK_SQL,
            {"response": response_id, "status": ResponseStatus.SUBMITTED, "stale": _publish_queue_stale_seconds()},
        )
        row = cursor.fetchone()
        if row is None:
            return None  # not submitted, or the cycle's first response (no state row yet)
        cycle_id, queue_publish = row
        cursor.execute(_APPLY_SQL, {"response": response_id, "cycle": cycle_id})
        if cursor.fetchone()[0] == 0:
            transaction.set_rollback(True)
            return False
    if queue_publish:
        _publish_after_commit(cycle_id)
    return True


# Bump the version (taking the lock) and mark a publish queued unless one is (and not stale): the second
# value returned says whether this refresh must queue it. (clock_timestamp(), not now(): a marker set by
# this very statement is the only one not older than the statement's start, even inside a longer
# transaction.)
_APPLY_LOCK_SQL = (
    f"UPDATE {ScorecardState._meta.db_table} s "  # noqa: S608 - table names only; values are parameters
    "SET aggregates_version = s.aggregates_version + 1, publish_queued_at = CASE "
    "WHEN s.publish_queued_at IS NULL OR s.publish_queued_at < clock_timestamp() - make_interval(secs => %(stale)s) "
    f"THEN clock_timestamp() ELSE s.publish_queued_at END FROM {_RESPONSE} r "
    "WHERE r.id = %(response)s AND r.status = %(status)s AND s.cycle_id = r.cycle_id "
    "RETURNING s.cycle_id, s.publish_queued_at >= statement_timestamp()"
)
_APPLY_SQL = _apply_sql()


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
                cursor.execute(isolation + "SET LOCAL synchronous_commit = off")
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
                changed = _aggregates_replace(cursor, cycle_id, cursor.fetchall() + group_rows)
        if not changed:
            # Right already (the usual nightly case): the published figures stay current too.
            state.last_full_recompute_at = timezone.now()
            state.save(update_fields=["last_full_recompute_at"])
            return state.aggregates_version
        return _bump(state, full=True)


def _score_unapplied(cursor, cycle_id: int) -> None:
    """Score and mark applied the cycle's submitted responses not yet applied (after a bulk load,
    a rescore, or a lost task). Applied responses are always submitted ones, so equal counts mean none.
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
        f"CREATE TEMPORARY TABLE reports_unapplied AS SELECT r.id FROM {_RESPONSE} r "  # noqa: S608
        f"WHERE r.cycle_id = %s AND r.status = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {_APPLIED} p WHERE p.response_id = r.id)",
        [cycle_id, ResponseStatus.SUBMITTED],
    )
    cursor.execute(f"DELETE FROM {_SCORE} WHERE response_id IN (SELECT id FROM reports_unapplied)")  # noqa: S608
    cursor.execute(_response_scores_sql("a.response_id IN (SELECT id FROM reports_unapplied)"), [cycle_id])
    cursor.execute(
        f"INSERT INTO {_APPLIED} (response_id, cycle_id) SELECT id, %s FROM reports_unapplied",  # noqa: S608
        [cycle_id],
    )
    cursor.execute("DROP TABLE reports_unapplied")
    if connection.vendor == "postgresql" and submitted - applied > ANALYZE_AFTER_SCORING:
        # Statistics from before a bulk load would plan the read of the scores below serially.
        cursor.execute(f"ANALYZE {_SCORE}")


def _aggregates_rebuild_postgresql(cursor, cycle_id: int, slots: list[tuple[str, str]]) -> bool:
    """Rebuild the cycle's aggregates in the database; return False if they were right already.

    Nothing is fetched into Python. The question rows go into a temporary table by CREATE TABLE … AS,
    whose SELECT runs in parallel (an INSERT … SELECT never does); the group rows are the slot sums
    turned into one row per group. Then the new rows are compared with the old (the two sets, each
    with unique keys, are equal when as many rows are the same in both as either holds), so that a
    recompute that finds everything right writes nothing.
    """
    new = "reports_new_aggregates"
    cursor.execute(
        f"CREATE TEMPORARY TABLE {new} ({_COLUMNS}) AS {_question_sql('a.cycle_id = %s')}",  # noqa: S608
        [cycle_id, cycle_id],
    )
    sums = ", ".join(f"c{i}, t{i}, q{i}, p{i}, pq{i}, u{i}" for i in range(len(slots)))
    unpivot = ", ".join(f"(%s, %s, g.c{i}, g.t{i}, g.q{i}, g.p{i}, g.pq{i}, g.u{i})" for i in range(len(slots)))
    zeros = ", ".join(["0"] * len(COUNT_FIELDS))
    cursor.execute(
        f"INSERT INTO {new} SELECT %s, g.area_team_id, g.lead_role, v.kind, v.code, {zeros}, "  # noqa: S608
        f"v.people, v.total, v.total_sq, 0, v.positive, v.positive_sq, v.negative "
        f"FROM ({_group_sums_sql('s.cycle_id = %s', len(slots))}) g (area_team_id, lead_role, {sums}) "
        f"CROSS JOIN LATERAL (VALUES {unpivot}) v (kind, code, people, total, total_sq, positive, positive_sq, "
        f"negative) WHERE v.people > 0",
        [cycle_id, cycle_id, *(value for slot in slots for value in slot)],
    )
    # Rows equal in every column, counted by one hash join on them (a UNION would hash both sets whole).
    cursor.execute(
        f"SELECT (SELECT COUNT(*) FROM {new}), (SELECT COUNT(*) FROM {_AGG} WHERE cycle_id = %s), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {new} n JOIN {_AGG} a ON a.cycle_id = %s AND {_SAME_ROW})",
        [cycle_id, cycle_id],
    )
    new_rows, current_rows, same_rows = cursor.fetchone()
    changed = not (new_rows == current_rows == same_rows)
    if changed:
        cursor.execute(f"DELETE FROM {_AGG} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
        cursor.execute(f"INSERT INTO {_AGG} ({_COLUMNS}) SELECT * FROM {new}")  # noqa: S608
    cursor.execute(f"DROP TABLE {new}")
    return changed


def _aggregates_replace(cursor, cycle_id: int, rows: list[tuple]) -> bool:
    """Make the cycle's aggregates exactly ``rows``; return False if they were already.

    Comparing first means a recompute that finds everything right writes nothing.
    """
    cursor.execute(f"SELECT {_COLUMNS} FROM {_AGG} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
    if set(cursor.fetchall()) == set(rows):
        return False
    cursor.execute(f"DELETE FROM {_AGG} WHERE cycle_id = %s", [cycle_id])  # noqa: S608
    rows_insert(cursor, table=_AGG, columns=_COLUMNS.split(", "), rows=rows)
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
