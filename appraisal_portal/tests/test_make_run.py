"""`make run` with nothing set behaves like production: gunicorn, a real Celery worker and beat, no Redis.

The test starts the portal exactly as a newcomer does (`make run`, REDIS_URL unset), on its own SQLite
file, broker folder, media folder and port, signs in as the demo admin in Chromium, starts a PDF export
from the page and watches the page's progress: it must show the export running below 100% before it
is done, which only happens when the task runs in the worker rather than inside the request.
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.embedded]

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "appraise-demo-2013"  # noqa: S105 (the README's local demo password)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def portal(tmp_path):
    """Start `make run` (no REDIS_URL) and yield its base URL once it answers; stop it afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "TESTING")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    log = open(tmp_path / "make-run.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not answer within 5 minutes"
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(1)
        yield url, tmp_path / "make-run.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_make_run_builds_a_pdf_in_its_worker_and_the_page_shows_progress_moving(page, portal):
    url, log = portal
    sign_in(page, url, email="admin@example.nhs.uk", password=DEMO_PASSWORD)
    page.goto(f"{url}/manage/exports/")
    page.get_by_label("Year").select_option("2013")  # the demo's published year
    page.get_by_label("Annual report (PDF)").check()
    started = time.monotonic()
    with page.expect_navigation(timeout=10_000):
        page.get_by_role("button", name="Start the export").click()
    # The request only queued the task: the page answers at once, before the PDF is built.
    assert time.monotonic() - started < 10
    assert re.search(r"/manage/exports/\d+/$", page.url)

    seen = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status = page.get_by_test_id("export").get_attribute("data-status")
        percent = int(page.get_by_test_id("export-percent").inner_text().rstrip("%"))
        if not seen or seen[-1] != (status, percent):
            seen.append((status, percent))
        if status in ("done", "failed"):
            break
        time.sleep(0.2)

    assert seen[-1] == ("done", 100), (seen, log.read_text()[-3000:])
    assert any(status in ("queued", "running") and percent < 100 for status, percent in seen), seen
    assert any(status == "running" and 0 < percent < 100 for status, percent in seen), seen
    expect(page.get_by_test_id("download")).to_be_visible()
    assert "export_run_task" in log.read_text()
