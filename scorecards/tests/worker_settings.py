"""Settings for a test worker that pauses inside a scorecard recompute, before its commit (see test_worker.py).

The test settings, plus a Celery ``task_prerun`` handler: with ``TEST_RECOMPUTE_PAUSE_SECONDS`` set in the
environment, a recompute task runs under a Django execute wrapper (``connection.execute_wrapper``) that
sleeps before the statement updating the cycle's scorecard state, the recompute's last one: the
aggregates are rewritten and the state row locked, nothing committed. Production code knows nothing of it.
"""

import os
import time
from contextlib import ExitStack
from logging import getLogger  # (the settings' star import below brings a module named logging)

from celery import signals

from appraisal_portal.test_settings import *  # noqa: F403

TEST_RECOMPUTE_PAUSE_SECONDS = float(os.environ.get("TEST_RECOMPUTE_PAUSE_SECONDS", "0"))
_wrappers: dict[str, ExitStack] = {}


@signals.task_prerun.connect
def _pause_recompute_before_commit(task_id=None, task=None, **kwargs):
    if not TEST_RECOMPUTE_PAUSE_SECONDS or not task.name.endswith("scorecards_recompute_task"):
        return
    from django.db import connection

    from scorecards.models import ScorecardState

    table = ScorecardState._meta.db_table

    def pause(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and table in sql:
            getLogger("celery.task").warning("scorecard recompute: test pause of %s s", TEST_RECOMPUTE_PAUSE_SECONDS)
            time.sleep(TEST_RECOMPUTE_PAUSE_SECONDS)
        return execute(sql, params, many, context)

    stack = ExitStack()
    stack.enter_context(connection.execute_wrapper(pause))
    _wrappers[task_id] = stack


@signals.task_postrun.connect
def _stop_pausing(task_id=None, **kwargs):
    stack = _wrappers.pop(task_id, None)
    if stack is not None:
        stack.close()
