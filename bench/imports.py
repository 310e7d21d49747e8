"""Import benchmarks (make bench): a contractor's file applied in one pass, on both databases.

  (a) the embedded default (SQLite, as make run): 273 responses (about 12,500 answers, 2013's size)
      imported, then its one rebuild and one publish (what the worker runs after the import's signal);
      goal: all of it in 10 s or less.
  (b) PostgreSQL: 27,000 responses (about 1M answers) imported, rebuilt and published the same way; in
      the same run, a bare COPY of the same answer rows into the answers table (rolled back); goal: import,
      rebuild and publish together in 3x the COPY or less.
The file arrives after fieldwork has closed (figures are built only then), so the publish is a real one.
Each part runs in its own process (Django's database is chosen at start). Writes the "imports" section
of bench/results.md. Environment: BENCH_DATABASE_URL as bench/run.py; BENCH_IMPORT_LARGE (default 27000).
"""

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/appraise_bench")
LARGE = int(os.environ.get("BENCH_IMPORT_LARGE", "27000"))
YEAR = 2095


def _setup(responses: int):
    """Create an open bench cycle with ``responses`` invited leads; return (cycle, the contractor's CSV bytes)."""
    from django.core.management import call_command

    from accounts.models import User, UserRole
    from organisations.models import CCG
    from surveys.models import Cycle, Invitation, Question, QuestionType
    from surveys.services import cycle_create, cycle_set_state

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_organisations", verbosity=0)
    # Each run takes the first free bench year (cycles are never deleted: their questionnaires are kept).
    year = next((y for y in range(YEAR, 2101) if not Cycle.objects.filter(year=y).exists()), None)
    if year is None:
        raise SystemExit(f"No free bench year from {YEAR} to 2100: use a fresh BENCH_DATABASE_URL.")
    Cycle.objects.filter(state="open").update(state="closed")
    cycle = cycle_set_state(cycle=cycle_create(year=year), state="open")
    codes = list(
        Question.objects.filter(questionnaire__cycle=cycle, type=QuestionType.AGREEMENT)
        .order_by("order")
        .values_list("code", flat=True)
    )
    ccgs = list(CCG.objects.order_by("ods_code"))
    roles = ["clinical", "managerial", "financial"]
    users = User.objects.bulk_create(
        User(
            email=f"bench-import-{year}-{n}@example.nhs.uk",
            role=UserRole.CCG_LEAD,
            ccg=ccgs[n % len(ccgs)],
            rater_group=roles[(n // len(ccgs)) % 3],
        )
        for n in range(responses)
    )
    Invitation.objects.bulk_create(
        Invitation(
            cycle=cycle,
            user=u,
            ccg=u.ccg,
            area_team_id=u.ccg.area_team_id,
            rater_group=u.lead_role,
            sent_at=cycle.created_at,
        )
        for u in users
    )
    cycle = cycle_set_state(cycle=cycle, state="closed")
    rnd = random.Random(1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", *codes])
    for u in users:
        writer.writerow([u.email, *(rnd.choice("12345") for _ in codes)])
    return cycle, out.getvalue().encode(), len(codes)


def part_sqlite(responses: int) -> dict:
    """Run in a process whose DATABASE_URL is a fresh SQLite file."""
    from django.test.utils import override_settings

    from scorecards.services import scorecards_publish, scorecards_recompute
    from surveys.services import responses_import

    cycle, raw, per = _setup(responses)
    started = time.perf_counter()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        result = responses_import(cycle=cycle, raw=raw)
    imported = time.perf_counter() - started
    scorecards_recompute(cycle_id=cycle.pk)
    recomputed = time.perf_counter() - started
    published = scorecards_publish(cycle_id=cycle.pk, force=True)
    total = time.perf_counter() - started
    if published is None or published.responses != result.responses:
        raise SystemExit(f"the import's figures were not published: {published}")
    return {
        "responses": result.responses,
        "answers": result.answers,
        "import": imported,
        "recompute": recomputed - imported,
        "publish": total - recomputed,
        "total": total,
    }


def part_postgresql(responses: int) -> dict:
    """Run in a process whose DATABASE_URL is the bench PostgreSQL database."""
    from django.db import connection, transaction

    from scorecards.services import scorecards_publish, scorecards_recompute
    from surveys.models import Answer
    from surveys.services import responses_import

    cycle, raw, per = _setup(responses)
    started = time.perf_counter()
    result = responses_import(cycle=cycle, raw=raw)
    imported = time.perf_counter() - started
    print(f"imported {result.responses:,} responses in {imported:.1f} s", flush=True)
    scorecards_recompute(cycle_id=cycle.pk)
    recomputed = time.perf_counter() - started
    published = scorecards_publish(cycle_id=cycle.pk, force=True)
    total = time.perf_counter() - started
    if published is None or published.responses != result.responses:
        raise SystemExit(f"the import's figures were not published: {published}")
    print(f"rebuilt in {recomputed - imported:.1f} s, published in {total - recomputed:.1f} s", flush=True)
    # The floor: the same answer rows COPYed into the answers table (same indexes and constraints), in one
    # COPY, after removing them (not timed); then all rolled back, leaving the imported rows.
    columns = [f.column for f in Answer._meta.concrete_fields if f.column != "id"]
    dump = io.StringIO()
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY (SELECT {', '.join(columns)} FROM surveys_answer WHERE cycle_id = {cycle.pk}) TO STDOUT", dump
        )
    dump.seek(0)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM surveys_answer WHERE cycle_id = %s", [cycle.pk])
            copy_started = time.perf_counter()
            cursor.copy_expert(f"COPY surveys_answer ({', '.join(columns)}) FROM STDIN", dump)
            copied = time.perf_counter() - copy_started
            raise _Rollback
    except _Rollback:
        pass
    return {
        "responses": result.responses,
        "answers": result.answers,
        "import": imported,
        "recompute": recomputed - imported,
        "publish": total - recomputed,
        "total": total,
        "copy": copied,
        "ratio": total / copied,
    }


class _Rollback(Exception):
    pass


def child(part: str, responses: int) -> None:
    import json

    import django

    django.setup()
    out = part_sqlite(responses) if part == "sqlite" else part_postgresql(responses)
    print("RESULT " + json.dumps(out), flush=True)


def ensure_database(url: str) -> None:
    import psycopg2

    base, name = url.rsplit("/", 1)
    conn = psycopg2.connect(base + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def run(part: str, database_url: str, responses: int) -> dict:
    import json

    if database_url.startswith("postgres"):
        ensure_database(database_url)
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "appraisal_portal.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "TESTING": "true",
        "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_DIR": tempfile.mkdtemp(prefix="bench-broker-"),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", part, str(responses)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    if not line:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-4000:])
    return json.loads(line[-1][7:])


def main() -> None:
    sqlite_file = Path(tempfile.mkdtemp(prefix="bench-import-")) / "db.sqlite3"
    print("== imports: 273 responses on the embedded default (SQLite)", flush=True)
    small = run("sqlite", f"sqlite:///{sqlite_file}", 273)
    print(small, flush=True)
    rows = [
        "| database | responses | answers | import | rebuild | publish | total | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| SQLite (embedded default) | {small['responses']:,} | {small['answers']:,} | {small['import']:.2f} s "
        f"| {small['recompute']:.2f} s | {small['publish']:.2f} s | {small['total']:.2f} s "
        f"| ≤ 10 s: {'met' if small['total'] <= 10 else 'NOT met'} |",
    ]
    if os.environ.get("BENCH_IMPORT_POSTGRESQL", "1") == "1":
        print(f"== imports: {LARGE:,} responses on PostgreSQL", flush=True)
        large = run("postgresql", PG_URL, LARGE)
        print(large, flush=True)
        rows += [
            "",
            "| database | responses | answers | import | rebuild | publish | total | bare COPY of the same answers "
            "| total / COPY | goal |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            f"| PostgreSQL | {large['responses']:,} | {large['answers']:,} | {large['import']:.1f} s "
            f"| {large['recompute']:.1f} s | {large['publish']:.1f} s | {large['total']:.1f} s "
            f"| {large['copy']:.1f} s | {large['ratio']:.1f}× | ≤ 3×: {'met' if large['ratio'] <= 3 else 'NOT met'} |",
        ]
        rows += [
            "",
            "The bare COPY is rolled back, so it never runs the answers' four deferred foreign-key checks "
            "(response, question, cycle, area team), which the import's commit runs for every row.",
        ]
    write_section("imports", "## Contractor file imports (one pass)\n\n" + "\n".join(rows))
    print("Wrote bench/results.md")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
