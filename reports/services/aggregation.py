"""Turn answers into integer sufficient statistics, one response at a time or all at once.

Both paths hold the cycle's ``ScorecardState`` row lock and produce identical aggregates: the
question-level figures come from answer counts per scale point, and the behaviour, role and overall
figures from each response's ``ResponseScore`` (computed once, by the same SQL, from its answers).
All aggregation runs in the database; Python only handles the small grouped results.
"""

import logging

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.utils import OperationalError
from django.utils import timezone

from reports.models import (
    OVERALL_CODE,
    AppliedResponse,
    ItemKind,
    ResponseScore,
    ScorecardAggregate,
    ScorecardState,
)
from surveys.models import Answer, Question, QuestionType, Response, ResponseStatus
from ways_of_working.models import Behaviour, Role

logger = logging.getLogger(__name__)

SCALE = (5, 4, 3, 2, 1)
MILLI_PER_UNIT = 2500  # one step on the 0–10 scale (10, 7.5, 5, 2.5, 0) in milli-points
COUNT_FIELDS = ("n5", "n4", "n3", "n2", "n1", "dk", "favourable", "unfavourable")
SUM_FIELDS = (*COUNT_FIELDS, "people", "score_sum", "score_sumsq", "answers")


def item_milli(choice: int, positively_worded: bool) -> int:
    """Return the item score of an agreement choice (5 strongly agree … 1 strongly disagree) in milli-points."""
    units = choice - 1 if positively_worded else 5 - choice
    return units * MILLI_PER_UNIT


def question_stats(counts: dict, positively_worded: bool) -> dict:
    """Return a question's sufficient statistics from its counts per scale point and don't know."""
    agree, disagree = counts["n5"] + counts["n4"], counts["n2"] + counts["n1"]
    people = sum(counts[f"n{c}"] for c in SCALE)
    return {
        **{f"n{c}": counts[f"n{c}"] for c in SCALE},
        "dk": counts["dk"],
        "favourable": agree if positively_worded else disagree,
        "unfavourable": disagree if positively_worded else agree,
        "people": people,
        "answers": people,
        "score_sum": sum(counts[f"n{c}"] * item_milli(c, positively_worded) for c in SCALE),
        "score_sumsq": sum(counts[f"n{c}"] * item_milli(c, positively_worded) ** 2 for c in SCALE),
    }


def _count_annotations() -> dict:
    counts = {f"n{c}": Count("pk", filter=Q(choice=c)) for c in SCALE}
    counts["dk"] = Count("pk", filter=Q(choice=0))
    return counts


def _agreement_questions(cycle_id: int) -> dict[int, Question]:
    return {
        q.pk: q
        for q in Question.objects.filter(questionnaire__cycle_id=cycle_id, type=QuestionType.AGREEMENT).only(
            "pk", "code", "positively_worded"
        )
    }


def _response_scores_sql(where: str) -> str:
    """Return the INSERT … SELECT that scores responses per behaviour, role and overall, for ``where``."""
    answer, question = Answer._meta.db_table, Question._meta.db_table
    behaviour, role, score = Behaviour._meta.db_table, Role._meta.db_table, ResponseScore._meta.db_table
    on_scale = "a.choice >= 1"
    units = "CASE WHEN q.positively_worded THEN a.choice - 1 ELSE 5 - a.choice END"
    favourable = "CASE WHEN q.positively_worded THEN a.choice >= 4 ELSE a.choice BETWEEN 1 AND 2 END"
    unfavourable = "CASE WHEN q.positively_worded THEN a.choice BETWEEN 1 AND 2 ELSE a.choice >= 4 END"
    answered = f"SUM(CASE WHEN {on_scale} THEN 1 ELSE 0 END)"
    return f"""
        INSERT INTO {score} (response_id, cycle_id, area_team_id, lead_role, kind, code, answered, score_milli,
                             n5, n4, n3, n2, n1, dk, favourable, unfavourable)
        SELECT a.response_id, a.cycle_id, a.area_team_id, a.lead_role, g.kind, g.code, {answered},
               CAST(ROUND(SUM(CASE WHEN {on_scale} THEN {units} ELSE 0 END) * {MILLI_PER_UNIT}.0
                          / NULLIF({answered}, 0)) AS INTEGER),
               SUM(CASE WHEN a.choice = 5 THEN 1 ELSE 0 END), SUM(CASE WHEN a.choice = 4 THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.choice = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN a.choice = 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.choice = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN a.choice = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN {favourable} THEN 1 ELSE 0 END), SUM(CASE WHEN {unfavourable} THEN 1 ELSE 0 END)
        FROM {answer} a
        JOIN {question} q ON q.id = a.question_id
        JOIN (
            SELECT q2.id AS question_id, '{ItemKind.BEHAVIOUR}' AS kind, b.code AS code
              FROM {question} q2 JOIN {behaviour} b ON b.id = q2.behaviour_id
            UNION ALL
            SELECT q2.id, '{ItemKind.ROLE}', r.code FROM {question} q2 JOIN {role} r ON r.id = q2.role_id
            UNION ALL
            SELECT q2.id, '{ItemKind.OVERALL}', '{OVERALL_CODE}' FROM {question} q2
        ) g ON g.question_id = a.question_id
        WHERE q.type = '{QuestionType.AGREEMENT}' AND a.choice IS NOT NULL AND {where}
        GROUP BY a.response_id, a.cycle_id, a.area_team_id, a.lead_role, g.kind, g.code
    """  # noqa: S608 - table names and constants only; values are parameters


def _group_stats_sql(where: str) -> str:
    """Return the SELECT that rolls response scores up to area team × lead role × item."""
    score = ResponseScore._meta.db_table
    return f"""
        SELECT s.area_team_id, s.lead_role, s.kind, s.code,
               SUM(s.n5), SUM(s.n4), SUM(s.n3), SUM(s.n2), SUM(s.n1), SUM(s.dk),
               SUM(s.favourable), SUM(s.unfavourable),
               COUNT(s.score_milli), COALESCE(SUM(s.score_milli), 0),
               COALESCE(SUM(CAST(s.score_milli AS BIGINT) * s.score_milli), 0), SUM(s.answered)
        FROM {score} s WHERE {where}
        GROUP BY s.area_team_id, s.lead_role, s.kind, s.code
    """  # noqa: S608 - table names only; values are parameters


# Submitted responses of a cycle (parameters: cycle id, status) that have no scores yet.
_UNSCORED_RESPONSES = (
    f"a.response_id IN (SELECT r.id FROM {Response._meta.db_table} r WHERE r.cycle_id = %s AND r.status = %s"  # noqa: S608
    f" AND NOT EXISTS (SELECT 1 FROM {ResponseScore._meta.db_table} s WHERE s.response_id = r.id))"
)


def _state_lock(cycle_id: int) -> ScorecardState:
    ScorecardState.objects.get_or_create(cycle_id=cycle_id)
    return ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)


def _add_to_aggregates(cycle_id: int, rows: list[tuple]) -> None:
    """Add (area_team_id, lead_role, kind, code, {field: value}) deltas to the aggregates (an upsert)."""
    if not rows:
        return
    table = ScorecardAggregate._meta.db_table
    columns = ["cycle_id", "area_team_id", "lead_role", "kind", "code", *SUM_FIELDS]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in SUM_FIELDS)
    params = []
    # A fixed order, so that two writers never lock the same rows in different orders.
    for area_team_id, lead_role, kind, code, stats in sorted(rows, key=lambda r: r[:4]):
        params.extend([cycle_id, area_team_id, lead_role, kind, code, *(stats[f] for f in SUM_FIELDS)])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(rows))} "  # noqa: S608
        f"ON CONFLICT (cycle_id, area_team_id, lead_role, kind, code) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _group_rows(cursor) -> list[tuple]:
    rows = []
    for area_team_id, lead_role, kind, code, *values in cursor.fetchall():
        stats = dict(
            zip(
                (
                    "n5",
                    "n4",
                    "n3",
                    "n2",
                    "n1",
                    "dk",
                    "favourable",
                    "unfavourable",
                    "people",
                    "score_sum",
                    "score_sumsq",
                    "answers",
                ),
                (int(v or 0) for v in values),
                strict=True,
            )
        )
        rows.append((area_team_id, lead_role, kind, code, stats))
    return rows


def _question_rows(cycle_id: int, answers_qs, questions: dict[int, Question]) -> list[tuple]:
    grouped = (
        answers_qs.filter(question_id__in=list(questions), choice__isnull=False)
        .values("area_team_id", "lead_role", "question_id")
        .annotate(**_count_annotations())
        .order_by()
    )
    rows = []
    for row in grouped:
        question = questions[row["question_id"]]
        stats = question_stats(row, question.positively_worded)
        rows.append((row["area_team_id"], row["lead_role"], ItemKind.QUESTION, question.code, stats))
    return rows


@transaction.atomic
def scorecard_apply_response(*, response_id: int) -> bool:
    """Add one submitted response to its cycle's aggregates; return False if there was nothing to do.

    Idempotent: a response already applied (or not submitted) is left alone, so the task that calls
    this is safe to run twice.
    """
    response = Response.objects.filter(pk=response_id, status=ResponseStatus.SUBMITTED).first()
    if response is None:
        return False
    state = _state_lock(response.cycle_id)
    if AppliedResponse.objects.filter(response_id=response_id).exists():
        return False
    cycle_id = response.cycle_id
    questions = _agreement_questions(cycle_id)
    rows = _question_rows(cycle_id, Answer.objects.filter(response_id=response_id), questions)
    ResponseScore.objects.filter(response_id=response_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(_response_scores_sql("a.response_id = %s"), [response_id])
        cursor.execute(_group_stats_sql("s.response_id = %s"), [response_id])
        rows += _group_rows(cursor)
    # Each response adds to its own lead role's rows; "all leads" is their sum, made when publishing.
    _add_to_aggregates(cycle_id, rows)
    AppliedResponse.objects.create(response_id=response_id, cycle_id=cycle_id)
    state.aggregates_version += 1
    state.save(update_fields=["aggregates_version"])
    return True


def _recompute_once(cycle_id: int, rescore: bool) -> int:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One snapshot for every statement below, so aggregates and the applied list agree.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        state = _state_lock(cycle_id)
        submitted = Response.objects.filter(cycle_id=cycle_id, status=ResponseStatus.SUBMITTED)
        with connection.cursor() as cursor:
            if rescore:
                ResponseScore.objects.filter(cycle_id=cycle_id).delete()
            cursor.execute(_response_scores_sql(_UNSCORED_RESPONSES), [cycle_id, ResponseStatus.SUBMITTED])
            cursor.execute(_group_stats_sql("s.cycle_id = %s"), [cycle_id])
            group_rows = _group_rows(cursor)
        question_rows = _question_rows(
            cycle_id, Answer.objects.filter(cycle_id=cycle_id), _agreement_questions(cycle_id)
        )
        ScorecardAggregate.objects.filter(cycle_id=cycle_id).delete()
        ScorecardAggregate.objects.bulk_create(
            ScorecardAggregate(cycle_id=cycle_id, area_team_id=a, lead_role=lr, kind=k, code=c, **stats)
            for a, lr, k, c, stats in question_rows + group_rows
        )
        AppliedResponse.objects.filter(cycle_id=cycle_id).delete()
        AppliedResponse.objects.bulk_create(
            (AppliedResponse(response_id=pk, cycle_id=cycle_id) for pk in submitted.values_list("pk", flat=True)),
            batch_size=5000,
        )
        state.aggregates_version += 1
        state.last_full_recompute_at = timezone.now()
        state.save(update_fields=["aggregates_version", "last_full_recompute_at"])
        return state.aggregates_version


def scorecards_recompute(*, cycle_id: int, rescore: bool = False, attempts: int = 5) -> int:
    """Rebuild a cycle's aggregates from all its submitted answers; return the new aggregates version.

    ``rescore`` also recomputes every response's behaviour, role and overall scores from its answers
    (normally computed once, when the response is applied). On PostgreSQL the rebuild reads one
    snapshot; if a concurrent refresh changed the state meanwhile, it simply runs again.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _recompute_once(cycle_id, rescore)
        except OperationalError as exc:
            if getattr(exc.__cause__, "pgcode", None) != "40001" or attempt == attempts:
                raise
            logger.info("scorecard recompute retried after a concurrent refresh", extra={"task": "recompute"})
    raise AssertionError("unreachable")
