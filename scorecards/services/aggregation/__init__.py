"""Turn answers into integer sufficient statistics, one response at a time or all at once.

Both paths run the same SQL over different rows and hold the cycle's ``ScorecardState`` row lock:

- question items: counts per scale point (one GROUP BY over answers, the shape of the floor query),
  with the score sums derived from the counts;
- behaviour, role and overall items: each response's mean item score there and its shares of
  favourable and unfavourable answers there (``ResponseScore``, computed once from its immutable
  answers), summed per area team and lead role, so that a group's figures are means over the people
  who answered it (DESIGN.md §4: never an interval whose n counts answers).

Everything is an integer, so adding responses one at a time (incremental) and one pass over all
of them (full) give identical aggregates. All aggregation runs in the database.
"""

from scorecards.services.aggregation.queries import (
    COUNT_FIELDS,
    GROUP_FIELDS,
    MILLI_PER_UNIT,
    SCALE,
    SHARE_UNIT,
    SUM_FIELDS,
    item_milli,
)
from scorecards.services.aggregation.recompute import scorecards_recompute
from scorecards.services.aggregation.refresh import scorecard_apply_response

__all__ = [
    "COUNT_FIELDS",
    "GROUP_FIELDS",
    "MILLI_PER_UNIT",
    "SCALE",
    "SHARE_UNIT",
    "SUM_FIELDS",
    "item_milli",
    "scorecard_apply_response",
    "scorecards_recompute",
]
