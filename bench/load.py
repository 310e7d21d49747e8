"""Load benchmark (make bench; BENCH_ONLY=load make bench for this one alone): respondents through the journey.

Serves the portal with gunicorn as `make run` does (the Makefile's and Procfile's worker flags, DEBUG off,
manifest static files) on a database of its own, and sends ``BENCH_LOAD_RESPONDENTS`` (200) leads who
already hold invitation links through the whole journey, each in its own asyncio task with its own
cookies: the invitation link, choosing a password (the sign-in: password hashing), the start page, each
section shown and saved, the check page, the submission and the confirmation, with think time between
steps. Their starts are spread over the first two thirds of ``BENCH_LOAD_SECONDS`` (180), so that at the
peak most of them are part-way. The client is httpx (asyncio), bounded: at most ``BENCH_LOAD_CONNECTIONS``
connections in flight, every request with a 60 s timeout, the whole run cut off at its duration plus a
minute; loopback only.

The respondents come through a proxy as they would in production: gunicorn is started with
``TRUSTED_PROXY_COUNT=1`` and each respondent sends its own ``X-Forwarded-For`` address, so the
per-address limits (invitation links, sign-in failures) count each respondent, not the load generator.

Reported: errors (a status other than the step's, a transport error or a page without its marker), the
p50 and p99 of each step (the sign-in apart from the pages), and then, in the database, whether every
respondent's response was submitted with exactly the answers it sent. Writes its section of
bench/results.md with bench/report.py. Nothing is asserted: results are for reading.

Environment: BENCH_LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/appraise_bench_load,
created if missing), BENCH_LOAD_RESPONDENTS (200), BENCH_LOAD_SECONDS (180), BENCH_LOAD_THINK_SECONDS
(mean think time, 4), BENCH_LOAD_CONNECTIONS (100), BENCH_LOAD_GUNICORN (the worker flags; default those
of `make run`), BENCH_LOAD_BURST (20 sign-ins at once, timed first with a light page beside them;
BENCH_LOAD_BURST_ONLY=1 stops after it, writing nothing).
"""

import asyncio
import html
import os
import platform
import random
import re
import secrets
import shlex
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from burst import burst, burst_lines  # bench/burst.py, beside this file
from portal import ROOT, csrf, ensure_database, gunicorn, prepare_demo, serve_as_make_run, static_files_note
from report import percentile, write_section

sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/appraise_bench_load")
RESPONDENTS = int(os.environ.get("BENCH_LOAD_RESPONDENTS", "200"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "180"))
THINK = float(os.environ.get("BENCH_LOAD_THINK_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "100"))
# As the Makefile's `run` and the Procfile's web line serve the portal.
GUNICORN = os.environ.get("BENCH_LOAD_GUNICORN", "--workers 2 --worker-class gthread --threads 32")
PASSWORD = "Bench-load-passphrase-42"  # noqa: S105 - the bench database's throwaway leads

# Tasks run in-process (no broker), as `make run` without Redis.
SERVER_ENV = serve_as_make_run(DATABASE_URL, TRUSTED_PROXY_COUNT="1")

INPUT = re.compile(r"<input\b[^>]*>", re.I)
TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"", re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def prepare() -> tuple[int, list[str]]:
    """Migrate and seed a fresh database; give ``RESPONDENTS`` leads of the open cycle a new link; return them."""
    prepare_demo()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from organisations.models import CCG
    from surveys.models import Cycle, CycleState, Invitation
    from surveys.services import invitations_import
    from surveys.services.invitations import token_hash

    cycle = Cycle.objects.get(state=CycleState.OPEN)
    taken = set(Invitation.objects.filter(cycle=cycle).values_list("ccg__ods_code", "rater_group"))
    rows = ["email,name,ccg_code,lead_role"]
    for ods in CCG.objects.order_by("ods_code").values_list("ods_code", flat=True):
        for role in ("clinical", "managerial", "financial"):
            if (ods, role) not in taken and len(rows) <= RESPONDENTS:
                rows.append(f"bench-{ods.lower()}-{role}@example.nhs.uk,Bench {role} lead {ods},{ods},{role}")
    invitations_import(cycle=cycle, raw="\n".join(rows).encode())
    invitations = list(
        Invitation.objects.filter(cycle=cycle, user__email__startswith="bench-").select_related("user").order_by("pk")
    )
    if len(invitations) < RESPONDENTS:
        sys.exit(f"bench/load.py: only {len(invitations)} leads could be invited, not {RESPONDENTS}")
    tokens, expires = [], timezone.now() + dt.timedelta(days=7)
    for invitation in invitations:
        token = secrets.token_urlsafe(32)
        tokens.append(token)
        invitation.token_hash, invitation.token_expires_at, invitation.token_used_at = token_hash(token), expires, None
        invitation.user.set_unusable_password()  # a lead who has never signed in chooses a password on the link
        invitation.user.save(update_fields=["password"])
    Invitation.objects.bulk_update(invitations, ["token_hash", "token_expires_at", "token_used_at"])
    connection.close()
    return cycle.year, tokens


def form_fields(page: str, rng: random.Random) -> dict[str, str]:
    """Return what a lead would post from a section page: every question answered, hidden fields kept."""
    data, radios = {}, defaultdict(list)
    for tag in INPUT.findall(page):
        attrs = dict(ATTR.findall(tag))
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name:
            continue
        if kind == "radio":
            radios[name].append(html.unescape(attrs.get("value", "")))
        elif kind == "hidden":
            data[name] = html.unescape(attrs.get("value", ""))
    for name, values in radios.items():
        # A definite answer (not "don't know" or "not applicable"), so that every answer is stored.
        definite = [v for v in values if v in ("1", "2", "3", "4", "5", "yes", "no")]
        data[name] = rng.choice(definite or values)
    for name in TEXTAREA.findall(page):
        data[name] = f"Bench comment {rng.randrange(10**6)}"
    data.pop("action", None)
    return data


class Journey:
    """One respondent: follows its link, chooses a password and answers every section, recording each step."""

    def __init__(self, number: int, token: str, year: int, base: str, limits, timings, errors):
        import httpx

        self.number, self.token, self.year = number, token, year
        self.rng = random.Random(number)
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 or 1}"
        self.client = httpx.AsyncClient(
            base_url=base,
            headers={"X-Forwarded-For": address},
            timeout=60,
            limits=limits,
            follow_redirects=False,
        )
        self.timings, self.errors = timings, errors
        self.sent: dict[str, str] = {}

    async def think(self):
        await asyncio.sleep(self.rng.uniform(0.5 * THINK, 1.5 * THINK))

    async def step(self, name: str, method: str, path: str, *, expect: int, marker: str = "", data=None):
        """Send one request; record its time, or an error. Return the response (None on a transport error)."""
        started = time.monotonic()
        try:
            response = await self.client.request(method, path, data=data)
        except Exception as error:  # noqa: BLE001 - every failure of a step is an error to report
            self.errors.append((name, type(error).__name__))
            return None
        self.timings[name].append(time.monotonic() - started)
        if response.status_code != expect or (marker and marker not in response.text):
            self.errors.append((name, response.status_code))
        return response

    async def run(self):
        year, link_path = self.year, f"/invitations/{self.token}/"
        try:
            link = await self.step("invitation link", "GET", link_path, expect=200, marker="password")
            if link is None:
                return
            await self.think()
            form = {"csrfmiddlewaretoken": csrf(link.text), "new_password1": PASSWORD, "new_password2": PASSWORD}
            signed_in = await self.step("sign-in (choose password)", "POST", link_path, expect=302, data=form)
            if signed_in is None or signed_in.status_code != 302:
                return
            start = await self.step("start", "GET", f"/appraisal/{year}/", expect=200)
            if start is None:
                return
            path = re.search(rf'href="(/appraisal/{year}/section/[^"]+/)"', start.text)
            while path is not None:
                await self.think()
                section_path = html.unescape(path if isinstance(path, str) else path.group(1))
                page = await self.step("section page", "GET", section_path, expect=200)
                if page is None:
                    return
                await self.think()
                data = form_fields(page.text, self.rng)
                self.sent.update({k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "shown")})
                saved = await self.step("section save", "POST", section_path, expect=302, data=data)
                if saved is None or saved.status_code != 302:
                    return
                following = saved.headers["location"]
                path = following if "/section/" in following else None
            await self.think()
            check = await self.step("check answers", "GET", f"/appraisal/{year}/check/", expect=200)
            if check is None:
                return
            await self.think()
            submit = {"csrfmiddlewaretoken": csrf(check.text)}
            done = await self.step("submit", "POST", f"/appraisal/{year}/check/", expect=302, data=submit)
            if done is None or done.status_code != 302:
                return
            await self.step("confirmation", "GET", f"/appraisal/{year}/submitted/", expect=200)
        finally:
            await self.client.aclose()


async def drive(port: int, year: int, tokens: list[str]):
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per request would load the client's core

    timings, errors = defaultdict(list), []
    # A new connection per request: a kept-alive one that gunicorn closes during a think time fails the
    # next request (a browser would resend it; this client would count an error).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=0)
    semaphore = asyncio.Semaphore(CONNECTIONS)  # at most this many respondents with a request in flight
    journeys = [Journey(n, t, year, f"http://127.0.0.1:{port}", limits, timings, errors) for n, t in enumerate(tokens)]
    spread = SECONDS * 2 / 3

    async def one(journey: Journey, delay: float):
        await asyncio.sleep(delay)
        original = journey.step

        async def bounded(*args, **kwargs):
            async with semaphore:
                return await original(*args, **kwargs)

        journey.step = bounded
        await journey.run()

    started = time.monotonic()
    tasks = [asyncio.create_task(one(j, spread * n / len(journeys))) for n, j in enumerate(journeys)]
    _, pending = await asyncio.wait(tasks, timeout=SECONDS + 60)
    for task in pending:
        task.cancel()
        errors.append(("unfinished", "cut off"))
    return timings, errors, {j.number: j.sent for j in journeys}, time.monotonic() - started


def stored(year: int, tokens: list[str], sent: dict[int, dict[str, str]]) -> dict:
    """Check in the database that each respondent's response is submitted with exactly the answers it sent."""
    import django

    django.setup()
    from surveys.models import Answer, Invitation, ResponseStatus
    from surveys.services.invitations import token_hash

    by_hash = {token_hash(t): n for n, t in enumerate(tokens)}
    invitations = Invitation.objects.filter(token_hash__in=by_hash).select_related("response")
    submitted = missing = wrong = 0
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        if response is None or response.status != ResponseStatus.SUBMITTED:
            missing += 1
            continue
        submitted += 1
        rows = Answer.objects.filter(response=response).values_list("question__code", "choice", "text")
        got = {code: text if text else str(choice) for code, choice, text in rows}
        expected = {
            code: {"yes": "1", "no": "0"}.get(value, value)
            for code, value in sent[by_hash[invitation.token_hash]].items()
        }
        if got != expected:
            wrong += 1
    answers = Answer.objects.filter(response__invitation__token_hash__in=by_hash).count()
    return {"submitted": submitted, "not submitted": missing, "answers differ": wrong, "answers": answers}


def section(timings, errors, db: dict, elapsed: float, year: int) -> str:
    import django
    from django.db import connection

    steps = list(timings)
    pages = [t for name in steps if not name.startswith("sign-in") for t in timings[name]]
    rows = [
        f"| {name} | {len(timings[name])} | {1000 * statistics.median(timings[name]):.0f} ms | "
        f"{1000 * percentile(timings[name], 0.99):.0f} ms | {sum(1 for e in errors if e[0] == name)} |"
        for name in steps
    ]
    rows.append(
        f"| **every page but the sign-in** | {len(pages)} | {1000 * statistics.median(pages):.0f} ms | "
        f"{1000 * percentile(pages, 0.99):.0f} ms | {sum(1 for e in errors if not e[0].startswith('sign-in'))} |"
    )
    import httpx

    kinds = defaultdict(int)
    for name, what in errors:
        kinds[f"{name}: {what}"] += 1
    return (
        "\n".join(
            [
                "## Respondents through the journey (issue 16)",
                "",
                f"Run by `bench/load.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
                f"{os.cpu_count()} cores "
                f"shared by gunicorn (`{GUNICORN}`, as `make run` and the Procfile serve the portal; DEBUG off), "
                f"PostgreSQL {'.'.join(str(p) for p in divmod(connection.pg_version, 10000))} (a database of its own) "
                f"and the load generator: httpx {httpx.__version__} on asyncio, Python {platform.python_version()}, "
                f"Django {django.get_version()}. {RESPONDENTS} leads of `seed_demo`'s open {year} cycle, each holding "
                "an invitation link and never signed in before, follow it, choose a password (the sign-in: PBKDF2), "
                "then start, show and save every section, check and submit, with a think time of "
                f"{0.5 * THINK:g}–{1.5 * THINK:g} s before each page and each save; starts spread over the first "
                f"{SECONDS * 2 / 3:.0f} s, run {elapsed:.0f} s in all (bounded at {SECONDS + 60} s), at most "
                f"{CONNECTIONS} requests in flight, each respondent from its own address through a trusted proxy "
                "header. Tasks run in the web process (no broker), as `make run` without Redis. Times are from "
                "sending a request to the end of its response." + static_files_note(SERVER_ENV),
                "",
                "| step | requests | p50 | p99 | errors |",
                "|---|---:|---:|---:|---:|",
                *rows,
                "",
                f"Errors: **{len(errors)}**"
                + (f" ({', '.join(f'{k} × {v}' for k, v in kinds.items())})" if kinds else "")
                + f". In the database: {db['submitted']} of {RESPONDENTS} responses submitted, "
                f"{db['not submitted']} not, {db['answers differ']} with answers other than those sent; "
                f"{db['answers']} answers stored.",
            ]
        )
        + "\n"
    )


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_database(DATABASE_URL, fresh=True)
    year, tokens = prepare()
    log_path = Path(tempfile.gettempdir()) / "appraise-bench-load-gunicorn.log"
    print(f"== {RESPONDENTS} respondents for {SECONDS} s: gunicorn {GUNICORN} (log {log_path})", flush=True)
    with gunicorn(shlex.split(GUNICORN), log_path) as port:
        burst_figures = asyncio.run(burst(port))
        print("\n".join(burst_lines(burst_figures)), flush=True)
        if os.environ.get("BENCH_LOAD_BURST_ONLY"):
            return
        timings, errors, sent, elapsed = asyncio.run(drive(port, year, tokens))
    db = stored(year, tokens, sent)
    markdown = section(timings, errors, db, elapsed, year) + "\n".join(burst_lines(burst_figures)) + "\n"
    print(markdown)

    write_section("load", markdown)
    print("Wrote the load section of bench/results.md")


if __name__ == "__main__":
    main()
