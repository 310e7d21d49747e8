"""Writes of the reports app: aggregation (incremental and full) and publishing scorecard sets."""

from reports.services.aggregation import scorecard_apply_response, scorecards_recompute
from reports.services.publishing import scorecards_publish

__all__ = ["scorecard_apply_response", "scorecards_publish", "scorecards_recompute"]
