"""The portal as the benchmarks serve it: a database of their own, the environment `make run` serves with (the
Makefile's LOCAL_ENV), the demo data, and gunicorn on a free loopback port, stopped however the run ends.

Used by bench/web.py and bench/load.py (and bench/run.py for its database), beside this file.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database ``url`` names if it is missing; with ``fresh``, drop it first if it is there."""
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if fresh or not exists:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def serve_as_make_run(database_url: str, *, in_process_tasks: bool = True, **extra: str) -> dict:
    """Put the environment `make run` serves the portal with, on ``database_url`` and with ``extra``, into this
    process's environment (which gunicorn inherits), and return it.

    With ``in_process_tasks``, REDIS_URL, CACHE_URL and TESTING are removed: tasks run in the process that
    queues them (no broker), as `make run` without Redis.
    """
    env = {
        "DJANGO_SETTINGS_MODULE": "appraisal_portal.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        **extra,
    }
    if not (ROOT / "node_modules" / "nhsuk-frontend" / "dist").is_dir():
        # Without the NHS.UK frontend (npm ci not run) the manifest has no entry for its files and every page
        # would fail on them: serve unhashed names instead (the pages' links to those files then 404).
        env["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.update(env)
    if in_process_tasks:
        for name in ("REDIS_URL", "CACHE_URL", "TESTING"):
            os.environ.pop(name, None)
    return env


def static_files_note(env: dict) -> str:
    """Return the results' sentence on static files served unhashed ("" when hashed, as in production)."""
    if env["STATICFILES_BACKEND"].endswith(".StaticFilesStorage"):
        return " Static files: unhashed (`StaticFilesStorage`), as the NHS.UK frontend was not installed here."
    return ""


def prepare_demo() -> None:
    """Set Django up, migrate the database, import the organisations, seed the demo and collect the static files."""
    import django

    django.setup()
    from django.core.management import call_command

    print("== preparing the database and static files", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_organisations", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str | None = None, timeout: float = 60) -> tuple[int, bytes]:
    """GET ``path`` without following redirects (a redirect to the sign-in page is an error here)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def csrf(page: str) -> str:
    """Return the CSRF token of the form on ``page`` ("" if it has none)."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


@contextmanager
def gunicorn(flags: list[str], log_path: Path, env: dict | None = None):
    """Serve the portal with gunicorn (``flags``: its worker options) on a free port until the block ends, however
    it ends; yield the port. ``env``: the server's environment (by default this process's)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "appraisal_portal.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += [*flags, "--access-logfile", "-"]
    with log_path.open("wb") as log:
        # A session of its own, so that the master and its workers can be stopped together by group id.
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(os.environ) if env is None else env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
                try:
                    if get(port, "/robots.txt", timeout=5)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")
                time.sleep(0.2)
            yield port
        finally:
            stop(server)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        server.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
