"""The bench cycles' data, made in SQL for bench/run.py: respondents, invitations, submitted responses and about
the answers asked for (40 agreement questions, 3% blank); the floor query; a settled database before each timed run.

Respondents are in rater groups as a cycle with partners has them (issue 14): seven in ten are CCG leads (the
three lead roles in turn), one in ten each a GP member practice (of a CCG), a patients' representative and local
government (of an area team). Self-assessments (one per area team) are too few to change a timing: none here.
"""

import time

GENERATE = """
WITH ccgs AS (SELECT array_agg(c.id ORDER BY c.id) AS ids, array_agg(c.area_team_id ORDER BY c.id) AS ats
              FROM organisations_ccg c)
INSERT INTO accounts_user (password, is_superuser, email, full_name, role, ccg_id, lead_role, area_team_id,
                           is_active, is_staff, date_joined)
SELECT '!', false, 'bench-' || %(tag)s || '-' || g || '@example.nhs.uk', '',
       CASE WHEN g %% 10 < 3 THEN 'partner' ELSE 'ccg_lead' END,
       CASE WHEN g %% 10 < 3 AND g %% 10 > 0 THEN NULL ELSE ccgs.ids[1 + g %% 211] END,
       CASE WHEN g %% 10 < 3 THEN '' ELSE (ARRAY['clinical','managerial','financial'])[1 + (g / 211) %% 3] END,
       CASE WHEN g %% 10 < 3 THEN ccgs.ats[1 + g %% 211] END, true, false, now()
FROM generate_series(1, %(n)s) g, ccgs;

INSERT INTO surveys_invitation (cycle_id, user_id, ccg_id, area_team_id, rater_group, token_hash, pending_email,
                                bounce_reason, sent_at, reminder_count, submitted_at, created_at)
SELECT %(cycle)s, u.id, u.ccg_id, COALESCE(c.area_team_id, u.area_team_id),
       CASE WHEN u.role = 'ccg_lead' THEN u.lead_role
            ELSE (ARRAY['practice','patients','local_government'])[
                1 + substring(u.email from '-([0-9]+)@')::int %% 10] END,
       '', '', '', now(), 0, now(), now()
FROM accounts_user u LEFT JOIN organisations_ccg c ON c.id = u.ccg_id WHERE u.email LIKE 'bench-' || %(tag)s || '-%%';

INSERT INTO surveys_response (invitation_id, cycle_id, ccg_id, area_team_id, rater_group, status, draft, source,
                              reference_code, created_at, submitted_at, updated_at)
SELECT i.id, i.cycle_id, i.ccg_id, i.area_team_id, i.rater_group, %(status)s, '{}', 'import',
       'B' || lpad(i.id::text, 7, '0'), now(), now(), now()
FROM surveys_invitation i
JOIN accounts_user u ON u.id = i.user_id
WHERE i.cycle_id = %(cycle)s AND u.email LIKE 'bench-' || %(tag)s || '-%%';

INSERT INTO surveys_answer (response_id, question_id, cycle_id, area_team_id, ccg_id, rater_group, choice, text)
SELECT r.id, q.id, r.cycle_id, r.area_team_id, r.ccg_id, r.rater_group,
       CASE WHEN random() < 0.08 THEN 0 ELSE 1 + floor(random() * 5)::int END, ''
FROM surveys_response r
JOIN surveys_invitation i ON i.id = r.invitation_id
JOIN accounts_user u ON u.id = i.user_id
CROSS JOIN (SELECT q.id FROM surveys_question q JOIN surveys_questionnaire qn ON qn.id = q.questionnaire_id
            WHERE qn.cycle_id = %(cycle)s AND q.type = 'agreement') q
WHERE r.cycle_id = %(cycle)s AND u.email LIKE 'bench-' || %(tag)s || '-%%' AND random() > 0.03;
"""

ANALYZED_AFTER = ("accounts_user", "surveys_invitation", "surveys_response", "surveys_answer")

FLOOR = """
SELECT area_team_id, rater_group, question_id,
       COUNT(*) FILTER (WHERE choice = 5), COUNT(*) FILTER (WHERE choice = 4), COUNT(*) FILTER (WHERE choice = 3),
       COUNT(*) FILTER (WHERE choice = 2), COUNT(*) FILTER (WHERE choice = 1), COUNT(*) FILTER (WHERE choice = 0)
FROM surveys_answer WHERE cycle_id = %s AND choice IS NOT NULL
GROUP BY area_team_id, rater_group, question_id
"""


def generate(cycle, answers: int, tag: str, status: str) -> int:
    """Generate about ``answers`` answers (40 agreement questions, 3% blank) in SQL; return the count."""
    from django.db import connection

    from surveys.models import Question, QuestionType

    questions = Question.objects.filter(questionnaire__cycle=cycle, type=QuestionType.AGREEMENT).count()
    responses = max(1, round(answers / (questions * 0.97)))
    with connection.cursor() as cursor:
        # Foreign keys are checked by construction here; skipping their triggers makes 10M rows quick.
        cursor.execute("SET session_replication_role = replica")
        params = {"tag": tag, "n": responses, "cycle": cycle.pk, "status": status}
        for statement, table in zip(GENERATE.split(";")[:4], ANALYZED_AFTER, strict=True):
            cursor.execute(statement, params)
            # Fresh statistics, or the next statement plans for the table as it was (nested loops).
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE surveys_answer")
        cursor.execute("ANALYZE surveys_response")
        cursor.execute(
            "SELECT COUNT(*) FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
            "JOIN surveys_invitation i ON i.id = r.invitation_id JOIN accounts_user u ON u.id = i.user_id "
            "WHERE a.cycle_id = %s AND u.email LIKE %s",
            [cycle.pk, f"bench-{tag}-%"],
        )
        return cursor.fetchone()[0]


# The tables a generation or a drain writes: settle() vacuums them before a timed run.
WRITTEN = (
    "accounts_user",
    "surveys_invitation",
    "surveys_response",
    "surveys_answer",
    "reports_appliedresponse",
    "reports_responsescore",
    "reports_scorecardaggregate",
    "reports_scorecardstate",
    "scorecards_scorecardccgaggregate",
    # The cycle's questionnaire is new too: without statistics the refresh's plans take its 80 questions
    # for 1 and read the response's answers once per question (half the refresh's time at 100k answers).
    "surveys_questionnaire",
    "surveys_question",
)


def settle() -> None:
    """Vacuum and analyse the tables just written, write the dirty buffers out, and wait for autovacuum to be idle.

    After millions of rows are written, autovacuum comes round within a minute and takes most of a core
    for a while, and the checkpoint they set off goes on writing them to disk for minutes (with a small
    buffer pool, queries write dirty pages out themselves): on two cores, a timed run beside either
    measures them too. A database in use catches up between bursts; this makes every
    timed run start from that state. (Waits five minutes at most for autovacuum.)
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(WRITTEN)}")
        cursor.execute("CHECKPOINT")  # the bench connects as a superuser (or a member of pg_checkpoint)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(1)


# A cycle's rows derived from its answers (and the sets published from them), in an order that deletes cleanly.
DERIVED = (
    "reports_scorecard WHERE scorecard_set_id IN (SELECT id FROM reports_scorecardset WHERE cycle_id = %s)",
    "reports_scorecardstate WHERE cycle_id = %s",
    "reports_scorecardset WHERE cycle_id = %s",
    "reports_scorecardaggregate WHERE cycle_id = %s",
    "scorecards_scorecardccgaggregate WHERE cycle_id = %s",
    "reports_responsescore WHERE cycle_id = %s",
    "reports_appliedresponse WHERE cycle_id = %s",
)


def fresh_cycle(year: int):
    from django.db import connection

    from surveys.models import Cycle, CycleState
    from surveys.services import cycle_create

    old = Cycle.objects.filter(year=year).first()
    if old is not None:
        with connection.cursor() as cursor:
            for table in (
                *DERIVED,
                "surveys_answer WHERE cycle_id = %s",
                "surveys_response WHERE cycle_id = %s",
                "surveys_invitation WHERE cycle_id = %s",
            ):
                cursor.execute(f"DELETE FROM {table}", [old.pk])  # noqa: S608 - fixed table names
            cursor.execute("DELETE FROM accounts_user WHERE email LIKE %s", [f"bench-{year}%"])
    cycle = old or cycle_create(year=year)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    return Cycle.objects.get(pk=cycle.pk)


def reused_cycle(year: int, answers: int):
    """Return the bench cycle of ``year`` as a first recompute finds it, if it already holds about ``answers``
    answers from an earlier run (``BENCH_REUSE=1``: generating 100M answers takes over half an hour); else None.

    What a run adds after generating is taken away: the later submissions' respondents (tags ``s``, ``w``, ``v``)
    and every score, claim, aggregate and published set of the cycle, so the first recompute scores everything.
    """
    from django.db import connection

    from surveys.models import Cycle

    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        return None
    extras = [f"bench-{year}{tag}-%" for tag in ("s", "w", "v")]
    later = (
        "SELECT r.id FROM surveys_response r JOIN surveys_invitation i ON i.id = r.invitation_id "
        "JOIN accounts_user u ON u.id = i.user_id WHERE r.cycle_id = %s AND u.email LIKE ANY (%s)"
    )
    with connection.cursor() as cursor:
        for table in DERIVED:
            cursor.execute(f"DELETE FROM {table}", [cycle.pk])  # noqa: S608 - fixed table names
        cursor.execute(f"DELETE FROM surveys_answer WHERE response_id IN ({later})", [cycle.pk, extras])  # noqa: S608
        cursor.execute(f"DELETE FROM surveys_response WHERE id IN ({later})", [cycle.pk, extras])  # noqa: S608
        cursor.execute(
            "DELETE FROM surveys_invitation WHERE cycle_id = %s AND user_id IN "
            "(SELECT id FROM accounts_user WHERE email LIKE ANY (%s))",
            [cycle.pk, extras],
        )
        cursor.execute("DELETE FROM accounts_user WHERE email LIKE ANY (%s)", [extras])
        cursor.execute("SELECT COUNT(*) FROM surveys_answer WHERE cycle_id = %s", [cycle.pk])
        found = cursor.fetchone()[0]
    return (cycle, found) if abs(found - answers) <= answers * 0.05 else None
