"""PostgreSQL restarted while leads submit: every submission is stored, or refused with a clear retry message
and stored when sent again; none is stored twice.

The test runs a PostgreSQL cluster of its own (initdb under /tmp, its own port, as the postgres user when
run as root), migrates and seeds it, serves the portal from it with gunicorn as `make run` does, and has
``LEADS`` leads submit from threads spread over a few seconds while the cluster is stopped (fast shutdown,
so transactions in flight are cut off) and started again. A refused lead waits and sends it again, as the
message says.
"""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
LEADS = 40
YEAR = 2014
ANSWERS = {"CP-SHARED-GOALS": "5", "CP-PRIORITIES": "4"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip(f"PostgreSQL's {name} is not installed under /usr/lib/postgresql")
    return found[-1]


class Cluster:
    """A throwaway PostgreSQL cluster: ``start``, ``stop`` (fast: backends cut off) and ``url``."""

    def __init__(self, root: Path, port: int):
        self.root, self.port, self.data = root, port, root / "data"
        self.as_postgres = os.geteuid() == 0  # initdb and postgres refuse to run as root

    def _run(self, *args: str) -> None:
        command = " ".join(f"'{a}'" for a in args)
        if self.as_postgres:
            subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True, timeout=120)
        else:
            subprocess.run(["sh", "-c", command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def own_cluster():
    root = Path(tempfile.mkdtemp(prefix="appraise-pg-"))
    cluster = Cluster(root, _free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(root, ignore_errors=True)


def _server_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "TESTING", "PYTEST_XDIST_WORKER")}
    env.update(
        DJANGO_SETTINGS_MODULE="appraisal_portal.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="postgres-restart-test-not-secret",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        AXES_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    return env


SEED = """
import json
from django.test import Client
from organisations.models import CCG
from organisations.services import DEFAULT_CSV, organisations_import
from surveys.models import CycleState
from surveys.services import cycle_create, cycle_set_state
from surveys.tests.factories import InvitationFactory, LeadFactory

organisations_import(raw=DEFAULT_CSV.read_bytes())
cycle = cycle_set_state(cycle=cycle_create(year={year}), state=CycleState.OPEN)
cookies = []
for ods in CCG.objects.order_by("ods_code").values_list("ods_code", flat=True)[:{leads}]:
    lead = LeadFactory(ccg_code=ods)
    InvitationFactory(cycle=cycle, user=lead)
    client = Client()
    client.force_login(lead)
    assert client.post("/appraisal/{year}/section/COMMON-PURPOSE/", {answers}).status_code == 302
    cookies.append(client.cookies["sessionid"].value)
print("COOKIES " + json.dumps(cookies))
"""


def _seed(env: dict) -> list[str]:
    python = [sys.executable, "manage.py"]
    subprocess.run([*python, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
    code = SEED.format(year=YEAR, leads=LEADS, answers=repr(ANSWERS))
    out = subprocess.run(
        [*python, "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True, text=True
    ).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("COOKIES "))[8:])


@contextmanager
def gunicorn(env: dict, log: Path):
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "appraisal_portal.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--worker-class", "gthread", "--threads", "8"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            import requests

            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
            yield port
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _submit(port: int, cookie: str, start_at: float, outcome: dict) -> None:
    """Submit one lead's response at ``start_at``; on a 503 wait and send it again, as the message says."""
    import requests

    from core.views import MSG_DATABASE_UNAVAILABLE

    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.cookies.set("sessionid", cookie)
    outcome["statuses"] = []
    token = None
    deadline = time.monotonic() + 90
    # On a slow machine the page itself may meet the restart: wait and load it again, for as long as a lead
    # would (a thread that never gave up would hold the test run open).
    while token is None:
        if time.monotonic() > deadline:
            outcome["unexpected"] = "the check page never loaded"
            return
        try:
            page = session.get(f"{base}/appraisal/{YEAR}/check/", timeout=30)
        except requests.RequestException as error:
            outcome["statuses"].append(type(error).__name__)
            time.sleep(1)
            continue
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if found:
            token = found.group(1)
        elif page.status_code == 503:
            outcome.setdefault("refusals", []).append(MSG_DATABASE_UNAVAILABLE in page.text)
            time.sleep(1)
        else:
            outcome["statuses"].append(page.status_code)
            outcome["unexpected"] = page.text[:500]
            return
    data = {"csrfmiddlewaretoken": token}
    time.sleep(max(0.0, start_at - time.monotonic()))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            answer = session.post(f"{base}/appraisal/{YEAR}/check/", data=data, allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            outcome["statuses"].append(type(error).__name__)
            time.sleep(1)
            continue
        outcome["statuses"].append(answer.status_code)
        if answer.status_code == 200 and 'name="blank_ok"' in answer.text and "blank_ok" not in data:
            blank = re.search(r'name="blank_ok" value="(\d+)"', answer.text)
            data["blank_ok"] = blank.group(1)  # "Submit anyway"
            continue
        if answer.status_code == 302:
            outcome["location"] = answer.headers["Location"]
            return
        if answer.status_code == 503:
            outcome.setdefault("refusals", []).append(MSG_DATABASE_UNAVAILABLE in answer.text)
            time.sleep(1)
            continue
        outcome["unexpected"] = answer.text[:500]
        return


def test_a_postgresql_restart_during_submissions_stores_each_once_or_refuses_with_a_retry_message(tmp_path):
    import psycopg2

    with own_cluster() as cluster:
        admin = psycopg2.connect(cluster.url())
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE appraise")
        admin.close()
        env = _server_env(cluster.url("appraise"))
        cookies = _seed(env)
        assert len(cookies) == LEADS

        with gunicorn(env, tmp_path / "gunicorn.log") as port:
            # Leads submit over five seconds; the cluster stops one second in and starts two seconds later.
            began = time.monotonic() + 2
            outcomes = [{} for _ in cookies]
            threads = [
                threading.Thread(target=_submit, args=(port, cookie, began + 5 * n / LEADS, outcomes[n]))
                for n, cookie in enumerate(cookies)
            ]
            for thread in threads:
                thread.start()
            time.sleep(max(0.0, began + 1 - time.monotonic()))
            cluster.stop()
            time.sleep(2)
            cluster.start()
            for thread in threads:
                thread.join(timeout=150)
            log = (tmp_path / "gunicorn.log").read_text()

        conn = psycopg2.connect(cluster.url("appraise"))
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT r.status, count(a.id) FROM surveys_response r "
                "LEFT JOIN surveys_answer a ON a.response_id = r.id GROUP BY r.id, r.status"
            )
            stored = cursor.fetchall()
        conn.close()

    refused = [o for o in outcomes if o.get("refusals")]
    errors = "\n".join(
        line[:3000] for line in log.splitlines() if '"level": "ERROR"' in line and "Unavailable" not in line
    )
    assert [o for o in outcomes if "unexpected" in o or "location" not in o] == [], f"{outcomes}\n{errors}"
    assert all(o["location"] == f"/appraisal/{YEAR}/submitted/" for o in outcomes)
    assert all(all(o["refusals"]) for o in refused), "a 503 without the retry message"
    assert all(500 not in o["statuses"] for o in outcomes), log[-3000:]
    assert refused, f"no submission met the restart: {[o['statuses'] for o in outcomes]}"
    # Every submission stored once: one submitted response per lead, each with its answers once.
    assert sorted(stored) == [("submitted", len(ANSWERS))] * LEADS
    print(f"{len(refused)} of {LEADS} submissions refused during the restart and stored when sent again")
