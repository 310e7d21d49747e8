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
100000,1000000,10000000), BENCH_SUBMISSIONS (default 500), BENCH_SECTION (default scorecards: the section of
bench/results.md the scorecard table goes to; a run at other sizes, such as the 100M-answer one, names its own so
the three-size table stays), BENCH_REUSE (1: a cycle of the same size left by an earlier run is used again, as a
first recompute finds it, instead of generated afresh).
"""

import gc
import io
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from generate import FLOOR, fresh_cycle, generate, reused_cycle, settle  # bench/generate.py, beside this file
from portal import ROOT, ensure_database
from report import write_section
from worker import WORKER_CONCURRENCY, worker_drain

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
SECTION = os.environ.get("BENCH_SECTION", "scorecards")
REUSE = os.environ.get("BENCH_REUSE") == "1"
EXPORT_SIZE = int(os.environ.get("BENCH_EXPORT_SIZE", "1000000"))
REPEATS = 3
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
BENCH_YEAR0 = 2090  # bench cycles live far from real years (cycle years run to 2100)


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


def bench_size(size: int, year: int) -> dict:
    from django.db import connection

    from scorecards.services import scorecard_apply_response, scorecards_publish, scorecards_recompute
    from surveys.models import Response, ResponseStatus

    print(f"\n== {size:,} answers (cycle {year})", flush=True)
    reused = reused_cycle(year, size) if REUSE else None
    if reused is not None:
        cycle, answers = reused
        print(f"   reusing the {answers:,} answers of an earlier run", flush=True)
    else:
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
    queued = {"submissions": SUBMISSIONS, "redis_url": REDIS_URL}
    worker = worker_drain(cycle, f"{year}w", **queued) or {"worker_per_second": None, "worker_published_s": None}
    single = worker_drain(cycle, f"{year}v", concurrency=1, **queued) or {"worker_per_second": None}
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


# The annual report's formats, each timed on its own; the board pack ("pack") is one area team's, timed after them.
REPORT_FORMATS = ["pdf", "xlsx", "csv", "respondents"]


def bench_exports(cycle, label: str) -> dict:
    """Return the seconds to build each annual-report format of ``cycle`` (published figures first)."""
    from exports.services import export_render, pack_render
    from organisations.models import AreaTeam
    from scorecards.services import scorecards_publish

    scorecards_publish(cycle_id=cycle.pk)
    timings = {"label": label, "responses": cycle.responses.count()}
    timings["load"] = os.getloadavg()[0]

    def timed(build, repeats: int = 1) -> tuple[float, int, float]:
        # Wall time, bytes, and this process's CPU time (the best of ``repeats`` runs): the renderers run on one
        # core, so on a machine shared with other work the CPU time is the steadier figure of the two. Garbage
        # is collected first, so that a run does not pay for the one before.
        runs = []
        for _ in range(repeats):
            gc.collect()
            buffer = io.BytesIO()
            started, cpu = time.perf_counter(), time.process_time()
            build(buffer)
            runs.append((time.perf_counter() - started, len(buffer.getvalue()), time.process_time() - cpu))
        return min(runs)

    for fmt in REPORT_FORMATS:
        timings[fmt] = timed(lambda out, fmt=fmt: export_render(cycle=cycle, format=fmt, out=out))
    # One area team's board pack (issue 15: at most 2 s), the first area team by code.
    code = AreaTeam.objects.order_by("ods_code").first().ods_code
    timings["pack"] = timed(lambda out: pack_render(cycle=cycle, area_team=code, out=out), repeats=3)
    print(
        f"   exports of {label} (load average {timings['load']:.1f}): "
        + ", ".join(
            f"{fmt} {timings[fmt][0]:.1f} s (CPU {timings[fmt][2]:.1f} s, {timings[fmt][1] / 1024:.0f} KiB)"
            for fmt in [*REPORT_FORMATS, "pack"]
        ),
        flush=True,
    )
    return timings


def _or_dash(value, spec: str, unit: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{unit}"


def scorecard_section(results: list[dict]) -> str:
    import django

    sizes = " and ".join(f"{size:,}" for size in SIZES)
    lines = [
        "## Scorecards (issue 4)" + ("" if SECTION == "scorecards" else f", at {sizes} answers"),
        "",
        f"Run by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL "
        f"{server_version()}. Timings are the best of {REPEATS} warm runs unless noted. "
        "Each timed part starts from a settled database: the tables just written vacuumed and analysed, "
        "a checkpoint, and no autovacuum worker running.",
        "",
        "- (a) **floor**: one bare SQL `GROUP BY area_team, rater_group, question` with `FILTER` counts over "
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

    lines = [
        f"Run by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Annual report exports (issue 6)",
        "",
        "Time to build each file with the renderer the export task uses (`export_render`), from the "
        "published figures: wall time, then in brackets this process's CPU time and the file's size. `pack` is "
        "one area team's board pack (`pack_render`, issue 15: goal ≤ 2 s; the national `pdf` ≤ 10 s for the "
        "demo year), built after the others, so WeasyPrint is already loaded (a worker's first PDF also pays "
        "for loading it); it is the best of 3 runs, the others are timed once. The machine's load average when "
        "the row started is in its first column.",
        "",
        "| cycle | responses | " + " | ".join([*REPORT_FORMATS, "pack"]) + " |",
        "|---|---:|" + "---:|" * (len(REPORT_FORMATS) + 1),
    ]
    for e in exports:
        cells = " | ".join(
            f"{e[f][0]:.1f} s (CPU {e[f][2]:.1f} s, {e[f][1] / 1024:.0f} KiB)" for f in [*REPORT_FORMATS, "pack"]
        )
        lines.append(f"| {e['label']} (load {e['load']:.1f}) | {e['responses']:,} | {cells} |")
    return "\n".join(lines) + "\n"


def server_version() -> str:
    from django.db import connection

    return ".".join(str(part) for part in divmod(connection.pg_version, 10000))


def main():
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_organisations", verbosity=0)
    only_exports = os.environ.get("BENCH_ONLY") == "exports"
    results = []
    for i, size in enumerate([] if only_exports else SIZES):
        results.append(bench_size(size, BENCH_YEAR0 + i))
        write_section(SECTION, scorecard_section(results))  # after every size: a long run keeps what it has
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
