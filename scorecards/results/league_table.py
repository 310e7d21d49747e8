"""The league table's read model: area teams on one measure, from a cycle's current scorecard set.

Every figure comes from the stored ``Scorecard`` rows (never from answers), in a fixed number of
queries; how rows are banded, ranked, ordered and labelled is ``scorecards.presentation``'s.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.cache import cache
from django.utils.text import Truncator

from core.errors import DomainError, NotFound
from organisations.models import Region
from organisations.selectors import MSG_NO_SUCH_ORG
from scorecards import presentation, selectors
from scorecards.models import ALL_LEADS, EACH_CCG, ENGLAND_CODE, OVERALL_CODE, ItemKind, Level, Scorecard, ScorecardSet
from scorecards.results.cache import CACHE_TIMEOUT, key_for, set_stamp, user_scope
from surveys.models import Cycle

METRICS = {"score": "Score (0 to 10)", "pct_positive": "% positive"}
DEFAULT_METRIC = "score"
DEFAULT_MEASURE = f"{ItemKind.OVERALL}:{OVERALL_CODE}"
SORT_KEYS = {"value": "Result", "name": "Area team", "base": "Base", "change": "Change"}
DEFAULT_SORT, DEFAULT_ORDER = "value", "desc"
# How the CCG leads' answers are counted: each lead once (the headline), or each CCG once (DESIGN.md §4).
WEIGHTINGS = {"lead": "Each lead counts once", "ccg": "Each CCG counts once"}
WEIGHTING_VIEWS = {"lead": ALL_LEADS, "ccg": EACH_CCG}
DEFAULT_WEIGHTING = "lead"
MSG_BAD_WEIGHTING = "Choose lead (each lead counts once) or ccg (each CCG counts once)."
# The league table page's filters and their defaults (LeagueTableFilterForm checks them; the page's cache key
# names each).
LEAGUE_FILTERS = {
    "measure": DEFAULT_MEASURE,
    "metric": DEFAULT_METRIC,
    "region": "",
    "sort": DEFAULT_SORT,
    "order": DEFAULT_ORDER,
    "weighting": DEFAULT_WEIGHTING,
}
MEASURE_LABEL_CHARS = 90  # a measure's label in the league table's filter (questions can be long)
MSG_BAD_MEASURE = "Choose a measure from the list."


def metric_values(row: Scorecard | None, metric: str) -> tuple:
    """Return (value, low, high, change, change significant) of ``row`` in ``metric``; Nones if suppressed."""
    if row is None or row.suppressed:
        return None, None, None, None, None
    return (
        getattr(row, metric),
        getattr(row, f"{metric}_low"),
        getattr(row, f"{metric}_high"),
        getattr(row, f"change_{metric}"),
        getattr(row, f"change_{metric}_significant"),
    )


@dataclass
class LeagueRow:
    org_code: str
    org_name: str
    region_code: str
    suppressed: bool = False
    suppression_reason: str = ""
    base: int | None = None
    dont_know: int | None = None
    ccgs: int | None = None  # each CCG counting once: the CCGs behind the figure, and Kish's effective base
    effective_base: float | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    change: float | None = None
    change_significant: bool | None = None
    band: str | None = None
    rank: str = ""
    linked: bool = False

    @property
    def band_label(self) -> str:
        return presentation.band_label(self.band)

    @property
    def ranked(self) -> bool:
        return bool(self.rank)


@dataclass
class LeagueTable:
    cycle: Cycle
    scorecard_set: ScorecardSet | None
    measure: str
    measure_label: str
    metric: str
    region: str
    region_name: str
    sort: str
    order: str
    weighting: str = DEFAULT_WEIGHTING
    measures: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    england: LeagueRow | None = None
    rows: list = field(default_factory=list)
    positively_worded: bool = True

    @property
    def metric_label(self) -> str:
        return METRICS[self.metric]

    @property
    def weighting_label(self) -> str:
        return WEIGHTINGS[self.weighting]

    @property
    def each_ccg(self) -> bool:
        return self.weighting == "ccg"

    @property
    def reversed_hint(self) -> str:
        """How to read a negatively worded statement's figures; empty for a positively worded one."""
        return "" if self.positively_worded else presentation.REVERSED_HINT

    @property
    def ranked(self) -> bool:
        return any(row.rank for row in self.rows)

    @property
    def funnel(self) -> dict | None:
        """Return the funnel plot's geometry: every area team's figure against its base, around England."""
        england = self.england
        if england is None or england.value is None:
            return None
        sd = presentation.england_sd(low=england.low, high=england.high, base=england.base)
        return presentation.funnel_geometry(self.rows, reference=england.value, sd=sd, metric=self.metric)

    @property
    def scale_max(self) -> int:
        return presentation.scale_max(self.metric)


@dataclass
class LeagueTableChoices:
    """What a league table of one scorecard set can show: its filters' choices."""

    measures: list  # (value, label, group) of every item
    regions: list  # (ODS code, name) of every region
    groups: list  # the measures for the filter's optgroups, labels cut short: [(group, [(value, label)])]


def league_table_choices(scorecard_set: ScorecardSet | None) -> LeagueTableChoices:
    """Return the measures and regions a league table of ``scorecard_set`` offers, cached with the set.

    Two queries the first time a set is read, then none: like the pages rendered from it, a set's
    choices are kept until a new set is published (its regions are those of when it was first read).
    """
    key = key_for("league-choices", set_stamp(scorecard_set)) if scorecard_set else None
    cached = cache.get(key) if key else None
    if cached is None:
        measures = measure_choices(scorecard_set)
        cached = (measures, region_choices(), measure_groups(measures))
        if key:
            cache.set(key, cached, CACHE_TIMEOUT)
    return LeagueTableChoices(*cached)


def measure_choices(scorecard_set: ScorecardSet | None) -> list[tuple[str, str, str]]:
    """Return (value, label, group) for every item of the set: overall, behaviours, roles, questions."""
    if scorecard_set is None:
        return [(DEFAULT_MEASURE, "All statements", "Overall")]
    groups = {ItemKind.OVERALL: "Overall", ItemKind.BEHAVIOUR: "Behaviours", ItemKind.ROLE: "Roles"}
    rows = (
        Scorecard.objects.filter(
            scorecard_set=scorecard_set, level=Level.ENGLAND, org_code=ENGLAND_CODE, rater_group=ALL_LEADS
        )
        .order_by("order")
        .values_list("kind", "code", "label")
    )
    return [(f"{kind}:{code}", label, groups.get(kind, "Questions")) for kind, code, label in rows]


def region_choices() -> list[tuple[str, str]]:
    """Return (ODS code, name) of every region, by name."""
    return list(Region.objects.order_by("name").values_list("ods_code", "name"))


def league_table(
    *,
    cycle: Cycle,
    user,
    measure: str = DEFAULT_MEASURE,
    metric: str = DEFAULT_METRIC,
    region: str = "",
    sort: str = DEFAULT_SORT,
    order: str = DEFAULT_ORDER,
    weighting: str = DEFAULT_WEIGHTING,
    scorecard_set: ScorecardSet | None = None,
    measures: list | None = None,
    regions: list | None = None,
) -> LeagueTable:
    """Return the area teams ranked on one measure and metric, with England's row for reference.

    ``measure`` is ``kind:code`` (``overall:OVERALL``, ``behaviour:HONESTY``, ``question:CP-PATIENTS``).
    Each row has its base, interval, band against England (better/worse only where the interval
    excludes England's figure), change since last year, and a rank only where the intervals separate the row
    from its neighbours (``presentation.separated_ranks``); rows are ordered in their bands. ``weighting``:
    ``lead`` (each lead counts once) or ``ccg`` (each CCG counts once, with CCGs and effective bases).
    Pass ``scorecard_set`` with its ``measures`` (and ``regions``) when the caller has read them already.
    """
    if measures is None:
        scorecard_set = selectors.current_set(cycle=cycle)
        measures = measure_choices(scorecard_set)
    labels = {value: label for value, label, _ in measures}
    if measure not in labels:
        raise DomainError(MSG_BAD_MEASURE, code="invalid_measure")
    if metric not in METRICS:
        raise DomainError(f"Choose one of {', '.join(METRICS)}.", code="invalid_metric")
    if weighting not in WEIGHTINGS:
        raise DomainError(MSG_BAD_WEIGHTING, code="invalid_weighting")
    regions = region_choices() if regions is None else regions
    region = (region or "").upper()
    region_names = dict(regions)
    if region and region not in region_names:
        raise NotFound(MSG_NO_SUCH_ORG.format(level="region", code=region))
    table = LeagueTable(
        cycle=cycle,
        scorecard_set=scorecard_set,
        measure=measure,
        measure_label=labels[measure],
        metric=metric,
        region=region,
        region_name=region_names.get(region, ""),
        sort=sort if sort in SORT_KEYS else DEFAULT_SORT,
        order=order if order in ("asc", "desc") else DEFAULT_ORDER,
        weighting=weighting,
        measures=measures,
        regions=regions,
    )
    return _league_table_fill(table, user=user)


def _league_table_fill(table: LeagueTable, *, user) -> LeagueTable:
    """Add the area teams' rows to a league table whose filters are checked (one query)."""
    if table.scorecard_set is None or table.england is not None:
        return table
    kind, code = table.measure.split(":", 1)
    scorecard_set, metric, region = table.scorecard_set, table.metric, table.region
    rows = Scorecard.objects.filter(
        scorecard_set=scorecard_set,
        level__in=[Level.ENGLAND, Level.AREA_TEAM],
        kind=kind,
        code=code,
        rater_group=WEIGHTING_VIEWS[table.weighting],
    ).order_by("org_code")
    own_area_team = user.area_team.ods_code if user.is_area_team_member else None  # links to its own page only
    league = []
    for row in rows:
        value, low, high, change, significant = metric_values(row, metric)
        entry = LeagueRow(
            org_code=row.org_code,
            org_name=row.org_name,
            region_code=row.parent_code,
            suppressed=row.suppressed,
            suppression_reason=row.suppression_reason,
            base=row.base,
            dont_know=row.dont_know,
            ccgs=row.ccgs,
            effective_base=row.effective_base,
            value=value,
            low=low,
            high=high,
            change=change,
            change_significant=significant,
        )
        if row.level == Level.ENGLAND:
            table.england = entry
            table.positively_worded = row.positively_worded
            continue
        entry.linked = own_area_team is None or row.org_code == own_area_team
        league.append(entry)
    reference = table.england.value if table.england else None
    for entry in league:
        entry.band = presentation.band(low=entry.low, high=entry.high, reference=reference)
    presentation.assign_ranks(league)
    if region:
        league = [r for r in league if r.region_code == region]
    table.rows = presentation.league_order(league, sort=table.sort, order=table.order)
    return table


def league_table_page_key(*, cycle: Cycle, scorecard_set: ScorecardSet | None, params, user) -> str | None:
    """Return the cache key of the league table page's content with these filters; None for no figures yet.

    The content depends on the scorecard set, the cycle's state (the "not published" warning), the
    filters and what the viewer may follow links to; never on who the viewer is. ``params`` are the
    checked filters (``LeagueTableFilterForm.params()``) when storing a page; looking one up, they may
    be the query string as requested, since a page is only ever stored under checked filters. Each
    filter is quoted, so that no value can run into the next part of the key.
    """
    if scorecard_set is None:
        return None
    filters = (quote(params.get(name) or default, safe="") for name, default in LEAGUE_FILTERS.items())
    return key_for("league", set_stamp(scorecard_set), cycle.state, *filters, user_scope(user))


def measure_groups(measures: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the measures grouped for a select's optgroups, labels cut short: [(group, [(value, label)])]."""
    groups: list = []
    for value, label, group in measures:
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append((value, Truncator(label).chars(MEASURE_LABEL_CHARS)))
    return groups
