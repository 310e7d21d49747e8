"""Benchmarks (make bench): scorecard computation at 100k, 1M and 10M answers on PostgreSQL.

Generates cycles in SQL, then times, in the same run:
  (a) the floor: one bare SQL GROUP BY with FILTER counts over the project's own answer table;
  (b) the full recompute (scorecards_recompute), steady state and first run, and the publish step;
  (c) the per-submission refresh (scorecard_apply_response) over 500+ submissions: median and p99
      of database time and of wall time, and submissions per second in process and on one real
      Celery worker (the Procfile's, and one with a single process);
  (d) the worker's memory growth over a full recompute and the refreshes.
Then the time to build each annual-report format (issue 6) for the demo year and for the 1M-answer
cycle. Prints a summary and writes bench/results.md. Nothing here is asserted: results are for reading.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/appraise_bench; the
database is created if missing and its bench cycles replaced), BENCH_SIZES (default
100000,1000000,10000000), BENCH_SUBMISSIONS (default 500).
"""

import io
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from report import write_section  # bench/report.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/appraise_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="appraisal_portal.settings",
    DATABASE_URL=DATABASE_URL,
    DEBUG="false",  # DEBUG would keep every query in memory
    TESTING="true",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-secret"),
    ALLOWED_HOSTS="127.0.0.1",
    LOG_LEVEL="WARNING",
)
os.environ.pop("REDIS_URL", None)

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,1000000,10000000").split(",")]
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "500"))
EXPORT_SIZE = int(os.environ.get("BENCH_EXPORT_SIZE", "1000000"))
REPEATS = 3
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
BENCH_YEAR0 = 2090  # bench cycles live far from real years (cycle years run to 2100)


def ensure_database():
    import psycopg2
    from psycopg2 import sql

    name = DATABASE_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def db_timer():
    """Collect the database time of every query run inside the block (seconds, in ``spent[0]``)."""
    from django.db import connection

    spent = [0.0]

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    with connection.execute_wrapper(wrapper):
        yield spent


def timed(fn, repeats=REPEATS):
    """Return the best of ``repeats`` wall times of ``fn()`` (and its last result)."""
    best, result = None, None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


GENERATE = """
WITH ccgs AS (SELECT array_agg(c.id ORDER BY c.id) AS ids, array_agg(c.area_team_id ORDER BY c.id) AS ats
              FROM organisations_ccg c)
INSERT INTO accounts_user (password, is_superuser, email, full_name, role, ccg_id, lead_role, is_active, is_staff,
                           date_joined)
SELECT '!', false, 'bench-' || %(tag)s || '-' || g || '@example.nhs.uk', '', 'ccg_lead', ccgs.ids[1 + g %% 211],
       (ARRAY['clinical','managerial','financial'])[1 + (g / 211) %% 3], true, false, now()
FROM generate_series(1, %(n)s) g, ccgs;

INSERT INTO surveys_invitation (cycle_id, user_id, ccg_id, lead_role, token_hash, pending_email, sent_at,
                                reminder_count, submitted_at, created_at)
SELECT %(cycle)s, u.id, u.ccg_id, u.lead_role, '', '', now(), 0, now(), now()
FROM accounts_user u WHERE u.email LIKE 'bench-' || %(tag)s || '-%%';

INSERT INTO surveys_response (invitation_id, cycle_id, ccg_id, area_team_id, lead_role, status, draft, source,
                              reference_code, created_at, submitted_at, updated_at)
SELECT i.id, i.cycle_id, i.ccg_id, c.area_team_id, i.lead_role, %(status)s, '{}', 'import',
       'B' || lpad(i.id::text, 7, '0'), now(), now(), now()
FROM surveys_invitation i JOIN organisations_ccg c ON c.id = i.ccg_id
JOIN accounts_user u ON u.id = i.user_id
WHERE i.cycle_id = %(cycle)s AND u.email LIKE 'bench-' || %(tag)s || '-%%';

INSERT INTO surveys_answer (response_id, question_id, cycle_id, area_team_id, lead_role, choice, text)
SELECT r.id, q.id, r.cycle_id, r.area_team_id, r.lead_role,
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
SELECT area_team_id, lead_role, question_id,
       COUNT(*) FILTER (WHERE choice = 5), COUNT(*) FILTER (WHERE choice = 4), COUNT(*) FILTER (WHERE choice = 3),
       COUNT(*) FILTER (WHERE choice = 2), COUNT(*) FILTER (WHERE choice = 1), COUNT(*) FILTER (WHERE choice = 0)
FROM surveys_answer WHERE cycle_id = %s AND choice IS NOT NULL
GROUP BY area_team_id, lead_role, question_id
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


def fresh_cycle(year: int):
    from django.db import connection

    from surveys.models import Cycle, CycleState
    from surveys.services import cycle_create

    old = Cycle.objects.filter(year=year).first()
    if old is not None:
        with connection.cursor() as cursor:
            for table in (
                "reports_scorecard WHERE scorecard_set_id IN (SELECT id FROM reports_scorecardset WHERE cycle_id = %s)",
                "reports_scorecardstate WHERE cycle_id = %s",
                "reports_scorecardset WHERE cycle_id = %s",
                "reports_scorecardaggregate WHERE cycle_id = %s",
                "reports_responsescore WHERE cycle_id = %s",
                "reports_appliedresponse WHERE cycle_id = %s",
                "surveys_answer WHERE cycle_id = %s",
                "surveys_response WHERE cycle_id = %s",
                "surveys_invitation WHERE cycle_id = %s",
            ):
                cursor.execute(f"DELETE FROM {table}", [old.pk])  # noqa: S608 - fixed table names
            cursor.execute("DELETE FROM accounts_user WHERE email LIKE %s", [f"bench-{year}%"])
    cycle = old or cycle_create(year=year)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    return Cycle.objects.get(pk=cycle.pk)


# The worker as the Procfile runs it: one `celery worker` with two processes (one per core here).
WORKER_CONCURRENCY = 2


def worker_drain(cycle, tag: str, concurrency: int = WORKER_CONCURRENCY) -> dict | None:
    """Return how fast one real Celery worker (Redis broker) applies ``SUBMISSIONS`` new submissions.

    ``concurrency`` is the worker's number of processes: the Procfile's by default.

    The refresh tasks are queued as submissions queue them; the worker runs them and the coalesced
    publish tasks. *per second* counts until the last one is in the aggregates (the worker's
    capacity); *published* is how long after that the published set shows them all (the publish
    delay, SCORECARD_PUBLISH_DELAY_SECONDS, then the build). None when Redis is not there.
    """
    import signal
    import subprocess

    from scorecards.models import ScorecardState
    from surveys.models import Response, ResponseStatus

    try:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    except Exception as exc:  # noqa: BLE001 - any failure means: no broker to measure with
        print(f"   (no real-worker measurement: Redis at {REDIS_URL}: {exc})", flush=True)
        return None
    generate(cycle, SUBMISSIONS * 40, tag, ResponseStatus.SUBMITTED)
    settle()
    ids = list(
        Response.objects.filter(cycle=cycle, invitation__user__email__startswith=f"bench-{tag}-").values_list(
            "pk", flat=True
        )
    )
    env = {**os.environ, "REDIS_URL": REDIS_URL}
    worker = subprocess.Popen(  # noqa: S603 - our own virtualenv's celery
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "appraisal_portal",
            "worker",
            # The aggregation worker of the Procfile: its queues (refreshes, publishes).
            "-Q",
            "aggregation,default",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        from celery import Celery

        app = Celery(broker=REDIS_URL)
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
        time.sleep(5)  # the worker starts
        # Each refresh that adds a response bumps the cycle's aggregates version once (and a refresh
        # that adds nothing rolls its bump back): reading that one row is the cheapest way to follow
        # the drain. (Counting the cycle's applied responses, as this did before, read all of them 50
        # times a second: a quarter of a million at 10M answers, competing with the worker for the cores.)
        version_before = ScorecardState.objects.get(cycle=cycle).aggregates_version
        started = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for response_id in ids:
                app.send_task(
                    "reports.tasks.scorecard_refresh_task",
                    (response_id, cycle.pk),
                    producer=producer,
                    queue="aggregation",
                )
        applied_at = published_at = None
        while published_at is None and time.perf_counter() - started < 600:
            state = ScorecardState.objects.get(cycle=cycle)
            if applied_at is None and state.aggregates_version >= version_before + len(ids):
                applied_at = time.perf_counter()
            if applied_at is not None and state.published_version == state.aggregates_version:
                published_at = time.perf_counter()
            time.sleep(0.02)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    if published_at is None:
        print("   (real worker did not finish within 10 minutes)", flush=True)
        return None
    result = {"worker_per_second": len(ids) / (applied_at - started), "worker_published_s": published_at - applied_at}
    print(
        f"   real worker ({concurrency} process{'es' if concurrency > 1 else ''}): {len(ids)} submissions applied at "
        f"{result['worker_per_second']:.0f}/s; "
        f"published {result['worker_published_s']:.1f} s after the last",
        flush=True,
    )
    return result


def bench_size(size: int, year: int) -> dict:
    from django.db import connection

    from scorecards.services import scorecard_apply_response, scorecards_publish, scorecards_recompute
    from surveys.models import Response, ResponseStatus

    print(f"\n== {size:,} answers (cycle {year})", flush=True)
    cycle = fresh_cycle(year)
    started = time.perf_counter()
    answers = generate(cycle, size, str(year), ResponseStatus.SUBMITTED)
    print(f"   generated {answers:,} answers in {time.perf_counter() - started:.1f} s", flush=True)
    settle()

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, [cycle.pk])
            return len(cursor.fetchall())

    floor()  # warm the cache, as every timing below runs warm
    rss_before = rss_mb()
    first_recompute, _ = timed(lambda: scorecards_recompute(cycle_id=cycle.pk), repeats=1)
    with connection.cursor() as cursor:
        # What autovacuum does between nightly runs: the rows the first recompute replaced are dead.
        cursor.execute("VACUUM ANALYZE reports_scorecardaggregate")
    floor_s, groups = timed(floor)
    recompute_s, _ = timed(lambda: scorecards_recompute(cycle_id=cycle.pk))
    rescore_s, _ = timed(lambda: scorecards_recompute(cycle_id=cycle.pk, rescore=True), repeats=1)
    publish_s, _ = timed(lambda: scorecards_publish(cycle_id=cycle.pk, force=True), repeats=2)
    rss_after_recompute = rss_mb()

    # (c) new submissions arriving: generate them as submitted but not yet applied, then refresh each.
    extra = generate(cycle, SUBMISSIONS * 40, f"{year}s", ResponseStatus.SUBMITTED)
    settle()
    new_ids = list(
        Response.objects.filter(cycle=cycle, invitation__user__email__startswith=f"bench-{year}s-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    walls, dbs = [], []
    # In this process tasks run eagerly: a publish queued by a refresh would run inside the next
    # timing. Here the refreshes are timed alone, and the publishes called below, as a worker drains
    # them; worker_drain measures the real thing.
    from scorecards.services.aggregation import refresh

    queue_publish, refresh._publish_after_commit = refresh._publish_after_commit, lambda cycle_id: None
    started_all = time.perf_counter()
    for response_id in new_ids:
        with db_timer() as spent:
            started = time.perf_counter()
            scorecard_apply_response(response_id=response_id)
            walls.append(time.perf_counter() - started)
        dbs.append(spent[0])
    # One worker drains the queue in order: all the refreshes, then the coalesced publish tasks
    # (the first builds the set, the rest find it current and return).
    for _ in new_ids:
        scorecards_publish(cycle_id=cycle.pk)
    drain_s = time.perf_counter() - started_all
    refresh._publish_after_commit = queue_publish
    rss_end = rss_mb()
    worker = worker_drain(cycle, f"{year}w") or {"worker_per_second": None, "worker_published_s": None}
    single = worker_drain(cycle, f"{year}v", concurrency=1) or {"worker_per_second": None}
    worker["worker_1_per_second"] = single["worker_per_second"]
    result = {
        **worker,
        "size": size,
        "answers": answers,
        "groups": groups,
        "floor_s": floor_s,
        "recompute_s": recompute_s,
        "ratio": recompute_s / floor_s,
        "first_recompute_s": first_recompute,
        "rescore_s": rescore_s,
        "publish_s": publish_s,
        "submissions": len(new_ids),
        "submission_answers": extra,
        "apply_db_median_ms": 1000 * statistics.median(dbs),
        "apply_db_p99_ms": 1000 * percentile(dbs, 99),
        "apply_wall_median_ms": 1000 * statistics.median(walls),
        "apply_wall_p99_ms": 1000 * percentile(walls, 99),
        "per_second": len(new_ids) / drain_s,
        "rss_before_mb": rss_before,
        "rss_growth_recompute_mb": rss_after_recompute - rss_before,
        "rss_growth_total_mb": rss_end - rss_before,
    }
    print(
        f"   floor {floor_s:.3f} s; recompute {recompute_s:.3f} s (ratio {result['ratio']:.2f}); first recompute "
        f"{first_recompute:.2f} s; rescore {rescore_s:.2f} s; publish {publish_s:.2f} s\n"
        f"   refresh: db median {result['apply_db_median_ms']:.2f} ms, p99 {result['apply_db_p99_ms']:.2f} ms; "
        f"wall p99 {result['apply_wall_p99_ms']:.2f} ms; {result['per_second']:.0f} submissions/s in-process\n"
        f"   memory growth: {result['rss_growth_recompute_mb']:.1f} MB over recomputes, "
        f"{result['rss_growth_total_mb']:.1f} MB in all",
        flush=True,
    )
    return result


def bench_exports(cycle, label: str) -> dict:
    """Return the seconds to build each annual-report format of ``cycle`` (published figures first)."""
    from exports.models import ExportFormat
    from exports.services import export_render, pack_render
    from organisations.models import AreaTeam
    from scorecards.services import scorecards_publish

    scorecards_publish(cycle_id=cycle.pk)
    timings = {"label": label, "responses": cycle.responses.count()}
    for fmt in ExportFormat.values:
        buffer = io.BytesIO()
        started = time.perf_counter()
        export_render(cycle=cycle, format=fmt, out=buffer)
        timings[fmt] = (time.perf_counter() - started, len(buffer.getvalue()))
    # One area team's report pack (issue 15: at most 2 s), the first area team by code.
    buffer = io.BytesIO()
    started = time.perf_counter()
    pack_render(cycle=cycle, area_team=AreaTeam.objects.order_by("ods_code").first().ods_code, out=buffer)
    timings["pack"] = (time.perf_counter() - started, len(buffer.getvalue()))
    print(
        f"   exports of {label}: "
        + ", ".join(
            f"{fmt} {timings[fmt][0]:.1f} s ({timings[fmt][1] / 1024:.0f} KiB)"
            for fmt in [*ExportFormat.values, "pack"]
        ),
        flush=True,
    )
    return timings


def _or_dash(value, spec: str, unit: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{unit}"


def scorecard_section(results: list[dict]) -> str:
    import django

    lines = [
        "## Scorecards (issue 4)",
        "",
        f"Run by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL "
        f"{server_version()}. Timings are the best of {REPEATS} warm runs unless noted. "
        "Each timed part starts from a settled database: the tables just written vacuumed and analysed, "
        "a checkpoint, and no autovacuum worker running.",
        "",
        "- (a) **floor**: one bare SQL `GROUP BY area_team, lead_role, question` with `FILTER` counts over "
        "`surveys_answer` for the cycle.",
        "- (b) **full recompute**: `scorecards_recompute`, as the nightly job runs it: in one PostgreSQL snapshot, "
        "the question rows from the answers and the behaviour, role and overall rows from the per-response "
        "scores, built in the database and compared with the stored aggregates (written only where they "
        "differ: here they never do). *First run* also scores every response (as after a bulk load or the "
        "migration to one score row per response) and writes everything; *rescore* recomputes every "
        "response's scores from its answers too. *Publish* builds the published set (intervals, suppression, "
        "change) from the aggregates; its cost does not depend on the number of answers.",
        "- (c) **per-submission refresh**: `scorecard_apply_response` for each of the new submissions, one at a "
        "time, database time measured around every query (the commit does not wait for the disk: see "
        "`scorecards/services/aggregation/refresh.py`); *per second* is one worker draining the refreshes and their "
        "coalesced publish tasks (one publish builds the set, the rest find it current). *Real worker*: the same "
        f"number of new submissions queued through Redis to one Celery worker as the `Procfile` runs it "
        f"(`--concurrency={WORKER_CONCURRENCY}`: a process per core), which runs the refresh tasks and the publish "
        "they schedule; the rate counts until the last is in the aggregates, *published after* until the "
        "published set shows it (the publish delay, `SCORECARD_PUBLISH_DELAY_SECONDS`, then the build). "
        "*One process*: the same again with `--concurrency=1` (refreshes of one cycle take its lock in turn, "
        "so a second process overlaps only what is outside the database: Celery's own work and the round "
        "trips to Redis).",
        "- (d) **memory**: growth of this process's resident set over the recomputes and the refreshes.",
        "",
        "| answers | floor (a) | recompute (b) | (b)/(a) | first recompute | rescore | publish | refresh DB median | "
        "refresh DB p99 | refresh wall p99 | submissions/s in-process | submissions/s, real worker | one process | "
        "published after | memory growth |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['answers']:,} | {r['floor_s']:.3f} s | {r['recompute_s']:.3f} s | **{r['ratio']:.2f}** | "
            f"{r['first_recompute_s']:.2f} s | {r['rescore_s']:.2f} s | {r['publish_s']:.2f} s | "
            f"{r['apply_db_median_ms']:.2f} ms | {r['apply_db_p99_ms']:.2f} ms | {r['apply_wall_p99_ms']:.2f} ms | "
            f"{r['per_second']:.0f} | {_or_dash(r['worker_per_second'], '.0f')} | "
            f"{_or_dash(r.get('worker_1_per_second'), '.0f')} | "
            f"{_or_dash(r['worker_published_s'], '.1f', ' s')} | {r['rss_growth_total_mb']:.1f} MB |"
        )
    goals = [
        ("(b)/(a) ≤ 1.5 at every size", all(r["ratio"] <= 1.5 for r in results)),
        ("refresh ≤ 5 ms p99 database time", all(r["apply_db_p99_ms"] <= 5 for r in results)),
        (
            f"≥ 200 submissions/s on one worker (the real worker's rate, {WORKER_CONCURRENCY} processes)",
            all((r["worker_per_second"] or 0) >= 200 for r in results),
        ),
        (
            "memory growth ≤ 50 MB at 10M answers",
            all(r["rss_growth_total_mb"] <= 50 for r in results if r["size"] >= 10_000_000),
        ),
    ]
    lines += ["", "Goals (issue 4), as measured in this run:", ""]
    lines += [f"- {goal}: {'met' if met else '**not met**'}" for goal, met in goals]
    return "\n".join(lines) + "\n"


def export_section(exports: list[dict]) -> str:
    from exports.models import ExportFormat

    lines = [
        f"Run by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Annual report exports (issue 6)",
        "",
        "Time to build each file with the renderer the export task uses (`export_render`), from the "
        "published figures; file size in brackets. `pack` is one area team's report pack (`pack_render`, "
        "issue 15: goal ≤ 2 s; the national `pdf` ≤ 10 s for the demo year).",
        "",
        "| cycle | responses | " + " | ".join([*ExportFormat.values, "pack"]) + " |",
        "|---|---:|" + "---:|" * (len(ExportFormat.values) + 1),
    ]
    for e in exports:
        cells = " | ".join(f"{e[f][0]:.1f} s ({e[f][1] / 1024:.0f} KiB)" for f in [*ExportFormat.values, "pack"])
        lines.append(f"| {e['label']} | {e['responses']:,} | {cells} |")
    return "\n".join(lines) + "\n"


def server_version() -> str:
    from django.db import connection

    return ".".join(str(part) for part in divmod(connection.pg_version, 10000))


def main():
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_organisations", verbosity=0)
    only_exports = os.environ.get("BENCH_ONLY") == "exports"
    results = []
    for i, size in enumerate([] if only_exports else SIZES):
        results.append(bench_size(size, BENCH_YEAR0 + i))
        write_section("scorecards", scorecard_section(results))  # after every size: a long run keeps what it has
    if os.environ.get("BENCH_EXPORTS", "1") == "1":
        from demo.services import demo_results_ensure
        from surveys.models import Cycle

        print("\n== annual report exports", flush=True)
        # The demo year is a past year (its synthetic submissions are dated in it): 2013, the first.
        exports = [bench_exports(demo_results_ensure(year=2013), "demo year (make run's)")]
        large = (
            Cycle.objects.filter(year=BENCH_YEAR0 + SIZES.index(EXPORT_SIZE)).first() if EXPORT_SIZE in SIZES else None
        )
        if large is not None:
            exports.append(bench_exports(large, f"{EXPORT_SIZE:,} answers"))
        write_section("exports", export_section(exports))
    print("\nWrote bench/results.md")


if __name__ == "__main__":
    main()
