"""Settings for a test worker that pauses inside a scorecard recompute (see test_worker.py).

The test settings, plus ``REPORTS_TEST_RECOMPUTE_DELAY_SECONDS`` from the environment (default 0),
which ``scorecards.services.aggregation`` reads to sleep before committing a full recompute.
"""

import os

from appraisal_portal.test_settings import *  # noqa: F403

REPORTS_TEST_RECOMPUTE_DELAY_SECONDS = float(os.environ.get("REPORTS_TEST_RECOMPUTE_DELAY_SECONDS", "0"))
