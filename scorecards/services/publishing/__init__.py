"""Build a cycle's published scorecards from its aggregates, as one atomic, versioned set.

Area-team figures come from the aggregates; region and England figures are their sums (the small
result rolled up, never a second pass over answers); each pooled rater view ("CCG leads", "partners",
"everyone but self") is the sum of the rater groups it holds.
Then intervals, disclosure control and change since the previous cycle, per DESIGN.md §4.
One module per step; import them from here.
"""

from scorecards.services.publishing.cells import figures, rolled_up
from scorecards.services.publishing.hiding import relations, suppression
from scorecards.services.publishing.items import (
    LEAD_ROLES,
    RATER_VIEWS,
    RESULTS_STATES,
    Item,
    cycle_items,
    cycle_views,
    view_min_base,
    views_of,
)
from scorecards.services.publishing.sets import scorecard_rows, scorecards_publish

__all__ = [
    "LEAD_ROLES",
    "RATER_VIEWS",
    "RESULTS_STATES",
    "Item",
    "cycle_items",
    "cycle_views",
    "view_min_base",
    "views_of",
    "figures",
    "relations",
    "rolled_up",
    "scorecard_rows",
    "scorecards_publish",
    "suppression",
]
