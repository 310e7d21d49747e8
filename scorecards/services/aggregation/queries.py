"""The aggregation engine's SQL: integer sums per scale point, per response and per group, for one
response or a whole cycle (the same statements over different rows; see the package's docstring).

Table names and constants only are written into the SQL; every value is a parameter.
"""

from scorecards.models import (
    OVERALL_CODE,
    SCORE_SLOTS,
    AppliedResponse,
    ItemKind,
    ResponseScore,
    ScorecardAggregate,
    ScorecardCcgAggregate,
    negative_column,
    positive_column,
    score_column,
)
from surveys.models import LEAD_GROUPS, Answer, Question, Questionnaire, QuestionType, Response
from ways_of_working.models import Behaviour, Role

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
_CCG_AGG = ScorecardCcgAggregate._meta.db_table
_SCORE = ResponseScore._meta.db_table
_ANSWER = Answer._meta.db_table
_QUESTION = Question._meta.db_table
_QUESTIONNAIRE = Questionnaire._meta.db_table
_RESPONSE = Response._meta.db_table
_APPLIED = AppliedResponse._meta.db_table
_COLUMNS = "cycle_id, area_team_id, rater_group, kind, code, " + ", ".join(SUM_FIELDS)
# Two aggregate rows (aliases ``a`` and ``n``) of one cycle equal in every column; none is nullable.
_SAME_ROW = " AND ".join(f"a.{column} = n.{column}" for column in _COLUMNS.split(", ") if column != "cycle_id")
_ADD_ON_CONFLICT = "ON CONFLICT (cycle_id, area_team_id, rater_group, kind, code) DO UPDATE SET " + ", ".join(
    f"{f} = {_AGG}.{f} + excluded.{f}" for f in SUM_FIELDS
)


# The CCGs' aggregates ("each CCG counts once"): the CCG leads' sums per CCG, all three roles together.
CCG_FIELDS = GROUP_FIELDS
_CCG_COLUMNS = "cycle_id, area_team_id, ccg_id, kind, code, " + ", ".join(CCG_FIELDS)
_CCG_SAME_ROW = " AND ".join(f"a.{column} = n.{column}" for column in _CCG_COLUMNS.split(", ") if column != "cycle_id")
_CCG_ADD_ON_CONFLICT = "ON CONFLICT (cycle_id, ccg_id, kind, code) DO UPDATE SET " + ", ".join(
    f"{f} = {_CCG_AGG}.{f} + excluded.{f}" for f in CCG_FIELDS
)
_LEADS = "(" + ", ".join(f"'{group}'" for group in LEAD_GROUPS) + ")"
# A CCG lead's rows: the condition (on alias ``a`` or ``s``) that keeps answers or scores to the CCGs' view.
_LEAD_ANSWER = f"a.rater_group IN {_LEADS} AND a.ccg_id IS NOT NULL"
_LEAD_SCORE = f"s.rater_group IN {_LEADS} AND s.ccg_id IS NOT NULL"
_LEAD_FINE = f"f.rater_group IN {_LEADS} AND f.ccg_id IS NOT NULL"
# The finest grouping of answers the engine reads: both kinds of aggregate rows are sums of these rows.
FINE_KEYS = ("area_team_id", "ccg_id", "rater_group")


def item_milli(choice: int, positively_worded: bool) -> int:
    """Return the item score of an agreement choice (5 strongly agree … 1 strongly disagree) in milli-points."""
    units = choice - 1 if positively_worded else 5 - choice
    return units * MILLI_PER_UNIT


def _weighted(power: int, positively_worded: bool) -> str:
    terms = [f"{item_milli(c, positively_worded) ** power} * f.n{c}" for c in SCALE if item_milli(c, positively_worded)]
    return " + ".join(terms)


def _counts_sql(where: str, keys: tuple[str, ...] = ("area_team_id", "rater_group")) -> str:
    """Return SELECT (``keys``…, question_id, n5 … n1, dk) of answers matching ``where``: the floor's shape,
    one GROUP BY with FILTER counts per scale point."""
    # Integers, not COUNT's bigints: their sums (``_counts_regrouped``) then stay integers, where SUM over
    # bigints gives numerics, several times slower to add up and compare.
    counts = ", ".join(f"CAST(COUNT(*) FILTER (WHERE a.choice = {c}) AS INTEGER) AS n{c}" for c in SCALE)
    columns = ", ".join(f"a.{key}" for key in (*keys, "question_id"))
    return f"""
        SELECT {columns}, {counts}, CAST(COUNT(*) FILTER (WHERE a.choice = 0) AS INTEGER) AS dk
        FROM {_ANSWER} a
        WHERE a.choice IS NOT NULL AND {where}
        GROUP BY {columns}
    """  # noqa: S608 - table names and constants only; values are parameters


def _counts_regrouped(table: str, keys: tuple[str, ...], where: str = "TRUE") -> str:
    """Return ``_counts_sql``'s columns for ``keys`` from a table of finer counts (``FINE_KEYS``) summed up."""
    sums = ", ".join(f"SUM(a.n{c}) AS n{c}" for c in SCALE)
    columns = ", ".join(f"a.{key}" for key in (*keys, "question_id"))
    return f"SELECT {columns}, {sums}, SUM(a.dk) AS dk FROM {table} a WHERE {where} GROUP BY {columns}"  # noqa: S608


def _question_sql(where: str, cycle: str = "%s", counts: str | None = None) -> str:
    """Return SELECT rows (cycle, area team, rater group, 'question', code, SUM_FIELDS…) for answers matching ``where``.

    The inner query (``counts``, by default ``_counts_sql(where)``) is the floor: one GROUP BY with FILTER
    counts per scale point. ``where`` keeps to one cycle, whose id ``cycle`` gives (a placeholder, before
    those of ``where``): grouping by the cycle too would only slow the hash aggregate down.
    """
    people = " + ".join(f"f.n{c}" for c in SCALE)
    return f"""
        SELECT {cycle}, f.area_team_id, f.rater_group, '{ItemKind.QUESTION}', q.code,
               f.n5, f.n4, f.n3, f.n2, f.n1, f.dk,
               CASE WHEN q.positively_worded THEN f.n5 + f.n4 ELSE f.n2 + f.n1 END,
               CASE WHEN q.positively_worded THEN f.n2 + f.n1 ELSE f.n5 + f.n4 END,
               {people},
               CASE WHEN q.positively_worded THEN {_weighted(1, True)} ELSE {_weighted(1, False)} END,
               CASE WHEN q.positively_worded THEN {_weighted(2, True)} ELSE {_weighted(2, False)} END,
               {people}, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT)
        FROM ({counts or _counts_sql(where)}) f
        JOIN {_QUESTION} q ON q.id = f.question_id
        WHERE q.type = '{QuestionType.AGREEMENT}'
    """  # noqa: S608 - table names and constants only; values are parameters


def _ccg_question_sql(where: str, cycle: str = "%s", counts: str | None = None) -> str:
    """Return SELECT rows (cycle, area team, CCG, 'question', code, ``CCG_FIELDS``…): each CCG's leads' sums
    for each question, from the CCG leads' answers matching ``where`` (or from ``counts``, by CCG).

    A lead's share of favourable answers in one question is all (``SHARE_UNIT``) or nothing, so the sums of
    shares and of their squares are both the favourable count times the unit (times it again).
    """
    people = " + ".join(f"f.n{c}" for c in SCALE)
    favourable = "CASE WHEN q.positively_worded THEN f.n5 + f.n4 ELSE f.n2 + f.n1 END"
    unfavourable = "CASE WHEN q.positively_worded THEN f.n2 + f.n1 ELSE f.n5 + f.n4 END"
    counts = counts or _counts_sql(f"{_LEAD_ANSWER} AND {where}", keys=("area_team_id", "ccg_id"))
    return f"""
        SELECT {cycle}, f.area_team_id, f.ccg_id, '{ItemKind.QUESTION}', q.code,
               {people},
               CASE WHEN q.positively_worded THEN {_weighted(1, True)} ELSE {_weighted(1, False)} END,
               CASE WHEN q.positively_worded THEN {_weighted(2, True)} ELSE {_weighted(2, False)} END,
               CAST({SHARE_UNIT} AS BIGINT) * ({favourable}),
               CAST({SHARE_UNIT * SHARE_UNIT} AS BIGINT) * ({favourable}),
               CAST({SHARE_UNIT} AS BIGINT) * ({unfavourable})
        FROM ({counts}) f
        JOIN {_QUESTION} q ON q.id = f.question_id
        WHERE q.type = '{QuestionType.AGREEMENT}' AND {people} > 0
    """  # noqa: S608 - table names and constants only; values are parameters


def _slots_sql(cycle: str) -> str:
    """Return a subquery (question_id, positively_worded, kind, code, slot) of a cycle's agreement questions.

    Each question appears once per group it counts in (its behaviour, its role, overall); ``slot``
    numbers the cycle's groups from 1 in order of kind and the group's primary key (overall has none),
    naming the ``ResponseScore`` column that holds a response's score there. Never by code: a stored
    score must keep its meaning if a code were ever changed, and the frozen questionnaire fixes the
    set of ids. ``code`` is the group's code now (aggregate rows carry it). ``cycle`` is the cycle
    id's placeholder.
    """
    behaviour, role = Behaviour._meta.db_table, Role._meta.db_table
    return f"""
        SELECT m.question_id, m.positively_worded, m.kind, m.code,
               DENSE_RANK() OVER (ORDER BY m.kind, m.group_id) AS slot
        FROM (
            SELECT q.id AS question_id, q.positively_worded, k.kind,
                   CASE k.kind WHEN '{ItemKind.BEHAVIOUR}' THEN b.code WHEN '{ItemKind.ROLE}' THEN r.code
                               ELSE '{OVERALL_CODE}' END AS code,
                   CASE k.kind WHEN '{ItemKind.BEHAVIOUR}' THEN b.id WHEN '{ItemKind.ROLE}' THEN r.id
                               ELSE 0 END AS group_id
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
        INSERT INTO {_SCORE} (response_id, cycle_id, area_team_id, ccg_id, rater_group, {", ".join(_ALL_SLOT_COLUMNS)})
        SELECT a.response_id, a.cycle_id, a.area_team_id, a.ccg_id, a.rater_group, {scores}
        FROM {_ANSWER} a
        JOIN ({_slots_sql(cycle)}) g ON g.question_id = a.question_id
        WHERE a.choice BETWEEN 1 AND 5 AND {where}
        GROUP BY a.response_id, a.cycle_id, a.area_team_id, a.ccg_id, a.rater_group
    """  # noqa: S608 - table names and constants only; values are parameters


def _cycle_slots(cursor, cycle_id: int) -> list[tuple[str, str]]:
    """Return the cycle's groups as (kind, code) in slot order (slot 1 first)."""
    cursor.execute(f"SELECT DISTINCT slot, kind, code FROM ({_slots_sql('%s')}) g ORDER BY slot", [cycle_id])  # noqa: S608
    slots = [(kind, code) for _, kind, code in cursor.fetchall()]
    if len(slots) > SCORE_SLOTS:
        raise ValueError(f"cycle {cycle_id} has {len(slots)} behaviour, role and overall groups; at most {SCORE_SLOTS}")
    return slots


def _group_sums_sql(where: str, slots: int, by: str = "s.area_team_id, s.rater_group") -> str:
    """Return SELECT rows (area team, rater group (or what ``by`` names), then ``GROUP_FIELDS`` for each of
    ``slots`` slots)."""
    # A score is at most 10,000 milli-points and a share at most 10,000, so their squares fit an integer,
    # and SUM over integers adds in 64 bits (over bigints PostgreSQL adds in numeric, several times slower).
    sums = ", ".join(
        f"COUNT(s.{c}), SUM(s.{c}), SUM(s.{c} * s.{c}), SUM(s.{p}), SUM(s.{p} * s.{p}), SUM(s.{u})"
        for c, p, u in zip(_SLOT_COLUMNS[:slots], _POSITIVE_COLUMNS, _NEGATIVE_COLUMNS, strict=False)
    )
    return f"""
        SELECT {by}, {sums}
        FROM {_SCORE} s WHERE {where}
        GROUP BY {by}
    """  # noqa: S608 - table names and constants only; values are parameters


def _group_rows(cycle_id: int, sums: list[tuple], slots: list[tuple[str, str]]) -> list[tuple]:
    """Return aggregate rows (in ``_COLUMNS`` order) for behaviours, roles and overall from slot sums.

    Only people and their sums: a group publishes no answer counts (they would be its questions' sums,
    a relation that would give suppressed questions away).
    """
    zeros = (0,) * len(COUNT_FIELDS)
    width = len(GROUP_FIELDS)
    rows = []
    for area_team_id, rater_group, *values in sums:
        for i, (kind, code) in enumerate(slots):
            people, total, total_sq, positive, positive_sq, negative = values[width * i : width * i + width]
            if people:
                key = (cycle_id, area_team_id, rater_group, kind, code)
                sums_ = (int(total), int(total_sq), 0, int(positive), int(positive_sq), int(negative))
                rows.append((*key, *zeros, people, *sums_))
    return rows


_BY_CCG = "s.area_team_id, s.ccg_id"


def _ccg_group_sums_sql(where: str, slots: int) -> str:
    """Return SELECT rows (area team, CCG, then ``GROUP_FIELDS`` for each of ``slots`` slots): each CCG's
    leads' sums of their scores."""
    return _group_sums_sql(f"{_LEAD_SCORE} AND {where}", slots, by=_BY_CCG)


def _ccg_group_rows(cycle_id: int, sums: list[tuple], slots: list[tuple[str, str]]) -> list[tuple]:
    """Return CCG aggregate rows (in ``_CCG_COLUMNS`` order) for behaviours, roles and overall from slot sums."""
    width = len(GROUP_FIELDS)
    rows = []
    for area_team_id, ccg_id, *values in sums:
        for i, (kind, code) in enumerate(slots):
            people, *totals = values[width * i : width * i + width]
            if people:
                rows.append((cycle_id, area_team_id, ccg_id, kind, code, people, *(int(t) for t in totals)))
    return rows
