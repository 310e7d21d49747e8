"""Web benchmark (make bench; BENCH_ONLY=web make bench for this one alone): pages under load (issue 5).

Serves the portal with gunicorn as `make run` does (2 gthread workers of 32 threads, DEBUG off, manifest static
files) on PostgreSQL, with the cache on Redis as in production (local memory per worker if Redis is not there), and
drives each page with wrk (50 connections, one thread): a trivial view (/robots.txt, anonymous and signed
in), the cached league table and a cached area-team scorecard, signed in as the demo analyst. For each it
records requests per second, median and p99 latency and the errors (any status but 200), and each page's
rate over both trivial views' (issue 5's goal: the league table at least half; the signed-in trivial view is
the like-for-like comparison), prints a summary and writes its section of bench/results.md
(bench/report.py), leaving the other sections alone.

wrk, not a Python client: the load generator shares the 2 cores with gunicorn and PostgreSQL, and wrk (C,
epoll) takes a few per cent of a core where a Python client would take a large share of one. `make bench`
installs it (Debian's `wrk`).

Data: `seed_demo` (the published demo year and this year's open cycle). The pages read published scorecard
rows, whose number depends on the organisations and questions, not on the number of responses, so the demo
data serves these pages as a large cycle would.

Environment: BENCH_WEB_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/appraise_bench_web,
created if missing), BENCH_WEB_REDIS_URL (default redis://127.0.0.1:6379/13; empty for the per-worker
local-memory cache), BENCH_WEB_SECONDS (15 per page), BENCH_WEB_WARMUP_SECONDS (3),
BENCH_WEB_CONNECTIONS (50), BENCH_WEB_WORKERS (2), BENCH_WEB_THREADS (32). Nothing here is asserted: results
are for reading.
"""

import json
import logging
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from portal import ROOT, ensure_database, get, gunicorn, prepare_demo, serve_as_make_run, static_files_note

sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_WEB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/appraise_bench_web")
REDIS_URL = os.environ.get("BENCH_WEB_REDIS_URL", "redis://127.0.0.1:6379/13")
SECONDS = int(os.environ.get("BENCH_WEB_SECONDS", "15"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WEB_WARMUP_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_WEB_CONNECTIONS", "50"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_WEB_THREADS", "32"))  # gthread, as the Makefile's run and the Procfile
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
ANALYST = "analyst@example.nhs.uk"  # a demo account (accounts.services.DEMO_ACCOUNTS)
AREA_TEAM = "Q44"  # the demo area team
GOAL = 0.5  # issue 5: the cached league table serves at least half the trivial view's rate

# As `make run` serves the portal, on the bench database. The setup below runs in this process without Redis
# (tasks in-process); only gunicorn gets REDIS_URL. The --count-queries child is given the server's environment.
SERVER_ENV = serve_as_make_run(DATABASE_URL, in_process_tasks=sys.argv[1:2] != ["--count-queries"])


@dataclass
class Page:
    label: str
    path: str
    signed_in: bool
    marker: bytes  # a 200 without it is the wrong page (e.g. an error page)


def prepare():
    """Migrate and seed the bench database; return the published year, its responses and a session cookie."""
    prepare_demo()
    from surveys.models import Cycle, CycleState

    cycle = Cycle.objects.filter(state=CycleState.PUBLISHED).order_by("-year").first()
    return cycle.year, cycle.responses.count(), session_cookie(ANALYST)


def session_cookie(email: str) -> str:
    """Sign ``email`` in as the login view would (a session in the database) and return the cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from accounts.models import User

    user = User.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    connection.close()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def queries_per_request(pages: list[Page], cookie: str, env: dict) -> dict[tuple[str, bool], int]:
    """Return the queries each page makes with a warm cache, counted in a child process configured as
    gunicorn is (``env``: the same cache, so the same session store)."""
    spec = json.dumps({"pages": [[page.path, page.signed_in] for page in pages], "cookie": cookie})
    command = [sys.executable, __file__, "--count-queries", spec]
    output = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return {(path, signed_in): n for path, signed_in, n in json.loads(output.splitlines()[-1])}


def count_queries(spec: str) -> None:
    """The child of ``queries_per_request``: print [path, signed in, queries] of each page as one JSON line."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    spec = json.loads(spec)
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    counts = []
    logging.disable(logging.INFO)  # the request log of these few requests is noise here
    for path, signed_in in spec["pages"]:
        headers = {"cookie": spec["cookie"]} if signed_in else {}
        client.cookies.clear()
        client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, headers=headers)
        counts.append([path, signed_in, len(queries)])
    print(json.dumps(counts))


def redis_available(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means "use the local-memory cache"
        return False
    return True


def wrk(port: int, page: Page, cookie: str, seconds: int) -> dict:
    """Drive ``page`` for ``seconds`` with wrk; return its figures and the client's CPU time."""
    command = ["wrk", "--threads", "1", "--connections", str(CONNECTIONS), "--duration", f"{seconds}s"]
    command += ["--timeout", "30s", "--script", str(WRK_SCRIPT)]
    if page.signed_in:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    figures = json.loads(line.removeprefix("WRK_JSON "))
    elapsed = figures["duration_us"] / 1e6
    ok = figures["statuses"].get("200", 0)
    return {
        "rps": figures["requests"] / elapsed,
        "requests": figures["requests"],
        "median_ms": figures["latency_us"]["p50"] / 1000,
        "p99_ms": figures["latency_us"]["p99"] / 1000,
        "non_200": figures["requests"] - ok,
        "statuses": {status: n for status, n in figures["statuses"].items() if status != "200"},
        "socket_errors": sum(figures["errors"].values()),
        "client_cpu": (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / elapsed,
    }


def measure(port: int, pages: list[Page], cookie: str) -> list[dict]:
    results = []
    for page in pages:
        # Each worker renders and caches the page at least once (local-memory caches are per worker).
        answers = [get(port, page.path, cookie if page.signed_in else None) for _ in range(2 * WORKERS)]
        wrong = next((status for status, body in answers if status != 200 or page.marker not in body), None)
        if wrong is not None:
            # An error page is not the page to measure: say so, and go on with the others.
            print(f"   {page.label}: not measured, {page.path} answered {wrong} without {page.marker!r}", flush=True)
            results.append({"page": page, "failed": f"not measured: answered {wrong}"})
            continue
        wrk(port, page, cookie, WARMUP_SECONDS)
        result = {"page": page, **wrk(port, page, cookie, SECONDS)}
        print(
            f"   {page.label}: {result['rps']:.0f} requests/s, median {result['median_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, {result['non_200']} non-200 {result['statuses'] or ''}, "
            f"{result['socket_errors']} socket errors; wrk used {100 * result['client_cpu']:.0f}% of a core",
            flush=True,
        )
        results.append(result)
    return results


def section(results: list[dict], *, cache: str, year: int, responses: int, queries: dict) -> tuple[str, dict]:
    """Return the markdown section, and the league table's rate over each trivial view's ({label: ratio or None})."""
    import django
    from django.db import connection

    trivial = {r["page"].label: r.get("rps") for r in results if r["page"].path == "/robots.txt"}
    anonymous, signed_in = (trivial.get(f"trivial view, {who}") for who in ("anonymous", "signed in"))
    league = next(r for r in results if "league" in r["page"].path)

    def ratio(rps, over):
        return rps / over if rps and over else None

    ratios = {
        "signed in": ratio(league.get("rps"), signed_in),
        "anonymous": ratio(league.get("rps"), anonymous),
    }
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    lines = [
        "## Pages under load (issue 5)",
        "",
        f"Run by `bench/web.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {os.cpu_count()} cores "
        f"shared by gunicorn ({WORKERS} gthread workers of {THREADS} threads, DEBUG off, as `make run` serves the "
        "portal), PostgreSQL "
        f"{'.'.join(str(p) for p in divmod(connection.pg_version, 10000))}, the cache ({cache}) and the load "
        f"generator: wrk {wrk_version}, one thread, {CONNECTIONS} connections, {SECONDS} s per page after a "
        f"{WARMUP_SECONDS} s warm-up. Python {platform.python_version()}, Django {django.get_version()}. "
        "wrk keeps its connections open (gthread workers keep them alive); latency runs "
        "from sending the request to the last byte of the response. Data: `seed_demo`'s published "
        f"{year} ({responses} synthetic responses); signed in as the demo analyst. *Errors*: responses other "
        "than 200, and socket errors. *Queries*: per request with a warm cache, counted in a process "
        "configured as the server is. *Rate / trivial*: the page's requests per second over the trivial "
        "view's, anonymous and signed in." + static_files_note(SERVER_ENV),
        "",
        "| page | path | requests/s | median | p99 | errors | queries | wrk CPU | rate / trivial, anonymous "
        "| rate / trivial, signed in |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        page = r["page"]
        if "failed" in r:
            lines.append(f"| {page.label} | `{page.path}` | {r['failed']} | | | | | | | |")
            continue
        errors = f"{r['non_200']} + {r['socket_errors']}"
        bold = "**" if r is league else ""
        over = [f"{bold}{r['rps'] / t:.2f}{bold}" if t else "–" for t in (anonymous, signed_in)]
        lines.append(
            f"| {page.label} | `{page.path}` | {r['rps']:.0f} | {r['median_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
            f"{errors} | {queries[page.path, page.signed_in]} | {100 * r['client_cpu']:.0f}% | "
            f"{over[0]} | {over[1]} |"
        )

    def verdict(value):
        return f"**{value:.2f}**, {'met' if value >= GOAL else 'not met'}" if value is not None else "not measured"

    lines += [
        "",
        f"Goal (issue 5): the cached league table serves at least half the trivial view's rate (≥ {GOAL}). "
        f"Against the trivial view signed in: {verdict(ratios['signed in'])}. This is the like-for-like "
        "comparison: the league table is only for signed-in users, and every signed-in request reads its "
        "session and its user (here for the request log) before any view runs. Against the trivial view "
        f"anonymous, which reads neither: {verdict(ratios['anonymous'])}.",
    ]
    return "\n".join(lines) + "\n", ratios


def main():
    if shutil.which("wrk") is None:
        sys.exit("bench/web.py needs wrk: apt-get install wrk (make bench installs it).")
    # Ctrl+C raises KeyboardInterrupt; make a plain kill unwind the same way, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_database(DATABASE_URL)
    year, responses, cookie = prepare()
    pages = [
        Page("trivial view, anonymous", "/robots.txt", False, b"Disallow"),
        Page("trivial view, signed in", "/robots.txt", True, b"Disallow"),
        Page("league table (cached)", f"/results/{year}/league-table/", True, b'data-testid="league-table"'),
        Page(
            "area-team scorecard (cached)",
            f"/results/{year}/area-team/{AREA_TEAM}/",
            True,
            b'data-testid="headlines"',
        ),
    ]
    env = dict(os.environ, LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO"))
    if REDIS_URL and redis_available(REDIS_URL):
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX="appraise-bench-web")
        cache = f"Redis, {REDIS_URL}, shared by the workers (sessions too)"
    else:
        cache = "local memory, one per worker: Redis was not reachable"
    queries = queries_per_request(pages, cookie, env)
    log_path = Path(tempfile.gettempdir()) / "appraise-bench-web-gunicorn.log"
    print(f"== pages under load: gunicorn ({WORKERS} workers, log {log_path}), cache {cache}", flush=True)
    flags = ["--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)]
    with gunicorn(flags, log_path, env) as port:
        results = measure(port, pages, cookie)
    markdown, ratios = section(results, cache=cache, year=year, responses=responses, queries=queries)
    for who, ratio in ratios.items():
        print(f"   league table / trivial view {who}: {ratio if ratio is None else round(ratio, 2)} (goal ≥ {GOAL})")

    from report import write_section  # bench/report.py, beside this script

    write_section("web", markdown)
    print("Wrote the web section of bench/results.md")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--count-queries"]:
        count_queries(sys.argv[2])
    else:
        main()
