"""Writes of the scorecards app: aggregation (incremental and full), publishing scorecard sets and area
teams' responses to their scorecards; import them from here."""

from scorecards.services.aggregation import scorecard_apply_response, scorecards_recompute
from scorecards.services.publishing import scorecards_publish
from scorecards.services.responses import area_team_response_save

__all__ = [
    "area_team_response_save",
    "scorecard_apply_response",
    "scorecards_publish",
    "scorecards_recompute",
]
