"""One real Celery worker, as the Procfile runs it, draining queued submissions for bench/run.py (Redis broker)."""

import os
import sys
import time

from generate import generate, settle
from portal import ROOT

# The worker as the Procfile runs it: one `celery worker` with two processes (one per core here).
WORKER_CONCURRENCY = 2


def worker_drain(
    cycle, tag: str, *, submissions: int, redis_url: str, concurrency: int = WORKER_CONCURRENCY
) -> dict | None:
    """Return how fast one real Celery worker (the broker at ``redis_url``) applies ``submissions`` new submissions.

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

        redis.Redis.from_url(redis_url).flushdb()
    except Exception as exc:  # noqa: BLE001 - any failure means: no broker to measure with
        print(f"   (no real-worker measurement: Redis at {redis_url}: {exc})", flush=True)
        return None
    generate(cycle, submissions * 40, tag, ResponseStatus.SUBMITTED)
    settle()
    ids = list(
        Response.objects.filter(cycle=cycle, invitation__user__email__startswith=f"bench-{tag}-").values_list(
            "pk", flat=True
        )
    )
    env = {**os.environ, "REDIS_URL": redis_url}
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

        app = Celery(broker=redis_url)
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
