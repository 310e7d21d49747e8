"""Page-level read models of the results pages: fieldwork dashboard, league table and scorecards.

Every figure comes from the stored ``Scorecard`` rows of a cycle's current set (never from answers),
in a fixed number of queries whatever the number of responses. Suppressed rows carry no numbers
and are passed on as they are: templates and serializers show them as "not enough responses".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import Q
from django.utils.text import Truncator

from core.cache import LocalCopies
from core.errors import DomainError, NotFound
from organisations.models import AreaTeam, Region
from organisations.selectors import MSG_NO_SUCH_ORG
from scorecards import selectors
from scorecards.models import (
    ALL_LEADS,
    ENGLAND_CODE,
    OVERALL_CODE,
    AreaTeamResponse,
    ItemKind,
    Level,
    Scorecard,
    ScorecardSet,
    ScorecardState,
)
from surveys.models import Cycle, CycleState

LEAD_ROLES = (("clinical", "Clinical leads"), ("managerial", "Managerial leads"), ("financial", "Financial leads"))
METRICS = {"score": "Score (0 to 10)", "pct_positive": "% positive"}
DEFAULT_METRIC = "score"
DEFAULT_MEASURE = f"{ItemKind.OVERALL}:{OVERALL_CODE}"
SORT_KEYS = {"value": "Result", "name": "Area team", "base": "Base", "change": "Change"}
DEFAULT_SORT, DEFAULT_ORDER = "value", "desc"
# The league table page's filters and their defaults (LeagueTableFilterForm checks them; the page's cache key
# names each).
LEAGUE_FILTERS = {
    "measure": DEFAULT_MEASURE,
    "metric": DEFAULT_METRIC,
    "region": "",
    "sort": DEFAULT_SORT,
    "order": DEFAULT_ORDER,
}
HEADLINE_KINDS = (ItemKind.OVERALL, ItemKind.BEHAVIOUR, ItemKind.ROLE)

BETTER, SAME, WORSE = "better", "same", "worse"
BAND_LABELS = {BETTER: "Better than England", SAME: "About the same as England", WORSE: "Worse than England"}
CACHE_TIMEOUT = 60 * 60 * 24
# Part of every cache key: change it when a cached template or what it is given changes, so that a
# deployment does not serve pages rendered by the previous code.
CACHE_VERSION = 3
MEASURE_LABEL_CHARS = 90  # a measure's label in the league table's filter (questions can be long)
MSG_BAD_MEASURE = "Choose a measure from the list."
# This process's copies of cached pages (core.cache.LocalCopies): a league table page is ~40k characters.
_copies = LocalCopies(max_chars=16 * 1024 * 1024)


def band(*, low: float | None, high: float | None, reference: float | None) -> str | None:
    """Return better/worse where the interval [low, high] excludes ``reference``, "same" where it holds it.

    None where there is no interval or no reference to compare with (never a guess).
    """
    if low is None or high is None or reference is None:
        return None
    if low > reference:
        return BETTER
    if high < reference:
        return WORSE
    return SAME


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


def user_scope(user) -> str:
    """Return what part of the results ``user`` may follow links to (a cache-key part; no query).

    An area team member's scope names the area team by id: keys also name the scorecard set, whose
    build time keeps them apart from another database's that shares the cache.
    """
    if user.is_nhscc:
        return "nhscc"
    if user.is_area_team_member:
        return f"area-team-{user.area_team_id}"
    return "all"


def cached_fragment(key: str | None, render: Callable[[], str]) -> str:
    """Return the HTML cached under ``key``, rendering and storing it first if missing (None: never cached).

    Keys name the scorecard set they were built from, so a newly published set is a cache miss
    by construction and nothing has to be invalidated. Never cache what depends on who is signed in.
    """
    if key is None:
        return render()
    html = cached_page(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_TIMEOUT)
        _copies.set(key, html)
    return html


def _key(*parts) -> str:
    return f"reports:v{CACHE_VERSION}:" + ":".join(str(p).replace(" ", "_") for p in parts)


def set_stamp(scorecard_set: ScorecardSet) -> str:
    """Return the cache-key part naming ``scorecard_set``: a new set is a new key."""
    return _stamp(scorecard_set.pk, scorecard_set.built_at)


# League table ------------------------------------------------------------------------------------


@dataclass
class LeagueRow:
    org_code: str
    org_name: str
    region_code: str
    suppressed: bool = False
    suppression_reason: str = ""
    base: int | None = None
    dont_know: int | None = None
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
        return BAND_LABELS.get(self.band, "")

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
    measures: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    england: LeagueRow | None = None
    rows: list = field(default_factory=list)

    @property
    def metric_label(self) -> str:
        return METRICS[self.metric]

    @property
    def scale_max(self) -> int:
        return 10 if self.metric == "score" else 100


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
    key = _key("league-choices", set_stamp(scorecard_set)) if scorecard_set else None
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
            scorecard_set=scorecard_set, level=Level.ENGLAND, org_code=ENGLAND_CODE, lead_role=ALL_LEADS
        )
        .order_by("order")
        .values_list("kind", "code", "label")
    )
    return [(f"{kind}:{code}", label, groups.get(kind, "Questions")) for kind, code, label in rows]


def region_choices() -> list[tuple[str, str]]:
    """Return (ODS code, name) of every region, by name."""
    return list(Region.objects.order_by("name").values_list("ods_code", "name"))


def _rank(rows: list[LeagueRow]) -> None:
    """Rank rows with a value, highest first, ties sharing a rank ("3="); the rest stay unranked."""
    values = sorted((r.value for r in rows if r.value is not None and not r.suppressed), reverse=True)
    for row in rows:
        if row.value is None or row.suppressed:
            continue
        position = values.index(row.value) + 1
        row.rank = f"{position}=" if values.count(row.value) > 1 else str(position)


def _sort(rows: list[LeagueRow], sort: str, order: str) -> list[LeagueRow]:
    """Sort ranked rows by ``sort``; rows without a value (suppressed, no responses) always come last."""
    with_value = [r for r in rows if r.value is not None and not r.suppressed]
    without = sorted((r for r in rows if r not in with_value), key=lambda r: r.org_name)
    keys = {
        "value": lambda r: (r.value, r.org_name),
        "name": lambda r: r.org_name,
        "base": lambda r: (r.base, r.org_name),
        "change": lambda r: (r.change is not None, r.change or 0.0, r.org_name),
    }
    with_value.sort(key=keys[sort], reverse=order == "desc")
    return with_value + without


def league_table(
    *,
    cycle: Cycle,
    user,
    measure: str = DEFAULT_MEASURE,
    metric: str = DEFAULT_METRIC,
    region: str = "",
    sort: str = DEFAULT_SORT,
    order: str = DEFAULT_ORDER,
    scorecard_set: ScorecardSet | None = None,
    measures: list | None = None,
    regions: list | None = None,
) -> LeagueTable:
    """Return the area teams ranked on one measure and metric, with England's row for reference.

    ``measure`` is ``kind:code`` (``overall:OVERALL``, ``behaviour:HONESTY``, ``question:CP-PATIENTS``).
    Each row has its base, interval, band against England (better/worse only where the interval
    excludes England's figure), change since last year and rank; suppressed rows are unranked.
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
        lead_role=ALL_LEADS,
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
            value=value,
            low=low,
            high=high,
            change=change,
            change_significant=significant,
        )
        if row.level == Level.ENGLAND:
            table.england = entry
            continue
        entry.linked = own_area_team is None or row.org_code == own_area_team
        league.append(entry)
    reference = table.england.value if table.england else None
    for entry in league:
        entry.band = band(low=entry.low, high=entry.high, reference=reference)
    _rank(league)
    if region:
        league = [r for r in league if r.region_code == region]
    table.rows = _sort(league, table.sort, table.order)
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
    return _key("league", set_stamp(scorecard_set), cycle.state, *filters, user_scope(user))


def cached_page(key: str | None) -> str | None:
    """Return the HTML cached under ``key``, or None if there is none (or no key).

    Read from this process's copy first: the page under a key never changes (its key names the set,
    the cycle's state and what the viewer may follow), so a copy is never stale.
    """
    if not key:
        return None
    html = _copies.get(key)
    if html is None:
        html = cache.get(key)
        if html is not None:
            _copies.set(key, html)
    return html


# Scorecard pages ---------------------------------------------------------------------------------


@dataclass
class Organisation:
    level: str
    code: str
    name: str
    region_code: str = ""
    region_name: str = ""
    area_team_id: int | None = None


@dataclass
class TrendPoint:
    year: int
    row: Scorecard


@dataclass
class Headline:
    row: Scorecard
    england: Scorecard | None
    region: Scorecard | None
    band: str | None
    lead_roles: list
    trend: list

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band, "")


@dataclass
class QuestionGroup:
    label: str
    questions: list  # of (Scorecard, [lead-role Scorecards])


@dataclass
class ScorecardPage:
    cycle: Cycle
    org: Organisation
    scorecard_set: ScorecardSet | None
    trend_sets: list  # (year, set id), oldest first, that ``user`` may read
    set_stamps: str = ""  # the ids and build times of those sets (a cache-key part)
    headlines: list = field(default_factory=list)
    groups: list = field(default_factory=list)

    @property
    def cache_key(self) -> str:
        set_id = self.scorecard_set.pk if self.scorecard_set else 0
        return _key("scorecard", set_id, self.org.level, self.org.code, self.set_stamps)


def organisation(*, user, level: str, code: str | None) -> Organisation:
    """Return the organisation a scorecard page is about, if ``user`` may read it (else raise)."""
    if level == Level.ENGLAND:
        org = Organisation(level=level, code=ENGLAND_CODE, name="England")
    else:
        code = (code or "").upper()
        if level == Level.REGION:
            region = Region.objects.filter(ods_code=code).first()
            org = region and Organisation(level=level, code=code, name=region.name)
        else:
            at = AreaTeam.objects.select_related("region").filter(ods_code=code).first()
            org = at and Organisation(
                level=level,
                code=code,
                name=at.name,
                region_code=at.region.ods_code,
                region_name=at.region.name,
                area_team_id=at.pk,
            )
        if org is None:
            raise NotFound(MSG_NO_SUCH_ORG.format(level=Level(level).label.lower(), code=code))
    selectors.org_allowed_for_user(user=user, level=level, code=org.code)
    return org


def _stamp(set_id: int, built_at) -> str:
    # Set ids restart when a database is rebuilt (tests, restores); with the build time a key cannot
    # name a set of another database that shares the cache.
    return f"{set_id}.{int(built_at.timestamp() * 1_000_000)}"


def _trend_sets(*, user, cycle: Cycle) -> list[tuple[int, int, object]]:
    """Return (year, current set id, built at) of this cycle and earlier ones ``user`` may read, oldest first."""
    states = ScorecardState.objects.filter(cycle__year__lte=cycle.year, current_set__isnull=False)
    if not user.is_nhscc:
        states = states.filter(Q(cycle__state=CycleState.PUBLISHED) | Q(cycle=cycle))
    return list(states.order_by("cycle__year").values_list("cycle__year", "current_set_id", "current_set__built_at"))


def scorecard_page_header(*, user, cycle: Cycle, level: str, code: str | None) -> ScorecardPage:
    """Return the scorecard page of one organisation without its figures (enough to build the cache key)."""
    org = organisation(user=user, level=level, code=code)
    trend_sets = _trend_sets(user=user, cycle=cycle)
    set_id = next((set_id for year, set_id, _ in trend_sets if year == cycle.year), None)
    scorecard_set = ScorecardSet(pk=set_id, cycle=cycle) if set_id else None
    return ScorecardPage(
        cycle=cycle,
        org=org,
        scorecard_set=scorecard_set,
        trend_sets=[(year, set_id) for year, set_id, _ in trend_sets],
        set_stamps="-".join(_stamp(set_id, built_at) for _, set_id, built_at in trend_sets),
    )


def scorecard_page_fill(page: ScorecardPage) -> ScorecardPage:
    """Add the figures: headlines against England and the region, per question distribution, trend.

    Three queries whatever the size: this organisation's rows, the comparison rows, the trend rows.
    """
    if page.scorecard_set is None:
        return page
    org = page.org
    rows = list(
        Scorecard.objects.filter(scorecard_set_id=page.scorecard_set.pk, level=org.level, org_code=org.code).order_by(
            "order", "lead_role"
        )
    )
    comparisons = {}
    compare_with = [(Level.ENGLAND, ENGLAND_CODE)]
    if org.level == Level.AREA_TEAM:
        compare_with.append((Level.REGION, org.region_code))
    if org.level != Level.ENGLAND:
        condition = Q()
        for level, code in compare_with:
            condition |= Q(level=level, org_code=code)
        for row in Scorecard.objects.filter(
            condition, scorecard_set_id=page.scorecard_set.pk, kind__in=HEADLINE_KINDS, lead_role=ALL_LEADS
        ):
            comparisons[(row.level, row.kind, row.code)] = row
    trend: dict = {}
    years = dict((set_id, year) for year, set_id in page.trend_sets)
    for row in Scorecard.objects.filter(
        scorecard_set_id__in=list(years),
        level=org.level,
        org_code=org.code,
        kind__in=HEADLINE_KINDS,
        lead_role=ALL_LEADS,
    ):
        trend.setdefault((row.kind, row.code), []).append(TrendPoint(year=years[row.scorecard_set_id], row=row))

    by_item: dict = {}
    for row in rows:
        by_item.setdefault((row.kind, row.code), {})[row.lead_role] = row
    labels = {}
    for (kind, code), cells in by_item.items():
        main = cells.get(ALL_LEADS)
        if main is None:
            continue
        split = [cells.get(role) for role, _ in LEAD_ROLES if cells.get(role) is not None]
        if kind in HEADLINE_KINDS:
            england = comparisons.get((Level.ENGLAND, kind, code))
            region = comparisons.get((Level.REGION, kind, code))
            value, low, high, *_ = metric_values(main, "score")
            reference = metric_values(england, "score")[0] if england else None
            page.headlines.append(
                Headline(
                    row=main,
                    england=england,
                    region=region,
                    band=band(low=low, high=high, reference=reference) if value is not None else None,
                    lead_roles=split,
                    trend=sorted(trend.get((kind, code), []), key=lambda p: p.year),
                )
            )
            labels[(kind, code)] = main.label
        else:
            group_key = (ItemKind.ROLE, main.role_code) if main.role_code else (ItemKind.BEHAVIOUR, main.behaviour_code)
            label = labels.get(group_key, "Other statements")
            if not page.groups or page.groups[-1].label != label:
                page.groups.append(QuestionGroup(label=label, questions=[]))
            page.groups[-1].questions.append((main, split))
    return page


def area_team_response(*, cycle: Cycle, org: Organisation) -> AreaTeamResponse | None:
    """Return the area team's published response to its scorecard, if it has written one."""
    if org.level != Level.AREA_TEAM:
        return None
    return AreaTeamResponse.objects.filter(cycle=cycle, area_team_id=org.area_team_id).first()


def area_team_of(org: Organisation) -> AreaTeam:
    """Return the area team a scorecard page is about (a page about an area team only)."""
    return AreaTeam.objects.get(pk=org.area_team_id)


def can_respond(*, user, cycle: Cycle, org: Organisation) -> bool:
    """Return whether ``user`` may write ``org``'s response now (a member of it, results published)."""
    return (
        org.level == Level.AREA_TEAM
        and user.is_area_team_member
        and user.area_team_id == org.area_team_id
        and cycle.state == CycleState.PUBLISHED
    )


def regions_with_area_teams(*, user) -> list[Region]:
    """Return the regions (with their area teams) whose scorecards ``user`` may open; none for area teams."""
    if user.is_area_team_member:
        return []
    return list(Region.objects.order_by("name").prefetch_related("area_teams"))


def measure_groups(measures: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the measures grouped for a select's optgroups, labels cut short: [(group, [(value, label)])]."""
    groups: list = []
    for value, label, group in measures:
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append((value, Truncator(label).chars(MEASURE_LABEL_CHARS)))
    return groups
