"""The scorecard page's read model: one organisation's published figures beside England and its region.

Three queries whatever the size; suppressed rows carry no numbers and are passed on as they are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from core.errors import NotFound
from organisations.models import AreaTeam, Region
from organisations.selectors import MSG_NO_SUCH_ORG
from scorecards import presentation, selectors
from scorecards.models import (
    ENGLAND_CODE,
    EVERYONE_BUT_SELF,
    SELF,
    AreaTeamResponse,
    ItemKind,
    Level,
    Scorecard,
    ScorecardSet,
    ScorecardState,
)
from scorecards.results.cache import key_for, stamp
from scorecards.results.league_table import DEFAULT_WEIGHTING, WEIGHTING_VIEWS, WEIGHTINGS, metric_values
from surveys.models import Cycle, CycleState

HEADLINE_KINDS = (ItemKind.OVERALL, ItemKind.BEHAVIOUR, ItemKind.ROLE)
SUMMARY_COUNT = 3  # strongest and weakest statements shown first


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
        return presentation.band_label(self.band)

    @property
    def trend_chart(self) -> dict | None:
        """Return the trend over years as a line with intervals (hidden years break the line)."""
        points = [
            (p.year, None, None, None) if p.row.suppressed else (p.year, p.row.score, p.row.score_low, p.row.score_high)
            for p in self.trend
        ]
        return presentation.trend_chart(points)


@dataclass
class Finding:
    """One statement or measure in the summary: its figure, England's, and how it compares or changed."""

    row: Scorecard
    england: Scorecard | None = None
    band: str | None = None

    @property
    def difference(self) -> float | None:
        if self.england is None or self.england.score is None or self.row.score is None:
            return None
        return self.row.score - self.england.score

    @property
    def significant(self) -> bool:
        return self.band in (presentation.BETTER, presentation.WORSE)

    @property
    def band_label(self) -> str:
        return presentation.band_label(self.band)

    @property
    def reversed_hint(self) -> str:
        return "" if self.row.positively_worded else presentation.REVERSED_HINT


@dataclass
class Summary:
    """What a scorecard opens with: the headline chart, strongest and weakest statements, significant change."""

    chart: dict | None
    strongest: list
    weakest: list
    rises: list
    falls: list
    against_england: bool


@dataclass
class QuestionGroup:
    label: str
    questions: list  # of (Scorecard, [lead-role Scorecards])


@dataclass
class RaterView:
    """One view beside the CCG leads' (everyone but self, partners, a partner group): its cells by item."""

    view: str
    cells: dict  # (kind, code) -> Scorecard

    @property
    def label(self) -> str:
        return presentation.RATER_VIEW_LABELS[self.view]

    @property
    def too_few(self) -> bool:
        """Whether every figure of the view is hidden: the page then says so in one line."""
        return all(cell.suppressed for cell in self.cells.values())

    @property
    def no_responses(self) -> bool:
        return not self.too_few and all(cell.score is None and not cell.suppressed for cell in self.cells.values())

    @property
    def shown(self) -> bool:
        return not self.too_few and not self.no_responses

    @property
    def not_enough_line(self) -> str:
        return presentation.not_enough_line(self.view)


@dataclass
class ViewRow:
    """A measure or statement with the CCG leads' cell first, then each shown view's (None where not published)."""

    row: Scorecard
    cells: list


@dataclass
class SelfRow:
    """A measure or statement: the area team's self-assessment beside its CCG leads (and everyone but self)."""

    leads: Scorecard
    own: Scorecard | None
    others: Scorecard | None

    @staticmethod
    def _score(cell: Scorecard | None) -> float | None:
        return None if cell is None or cell.suppressed else cell.score

    @property
    def label(self) -> str:
        return self.leads.label

    @property
    def self_score(self) -> float | None:
        return self._score(self.own)

    @property
    def leads_score(self) -> float | None:
        return self._score(self.leads)

    @property
    def others_score(self) -> float | None:
        return self._score(self.others)

    @property
    def gap(self) -> str | None:
        return presentation.self_gap(self.self_score, self.leads_score)

    @property
    def gap_label(self) -> str:
        return presentation.GAP_LABELS.get(self.gap, "")

    @property
    def difference(self) -> float | None:
        if self.self_score is None or self.leads_score is None:
            return None
        return self.self_score - self.leads_score


@dataclass
class SelfBesideOthers:
    """The self-assessment beside the CCG leads on an area team's scorecard, per measure and statement."""

    headlines: list  # of SelfRow
    groups: list  # of (label, [SelfRow])
    with_others: bool  # the cycle has partners, so everyone but self is shown too
    org_name: str = ""
    year: int = 0

    @property
    def description(self) -> str:
        return presentation.SELF_DESCRIPTION

    @property
    def no_self_note(self) -> str:
        return presentation.NO_SELF_ASSESSMENT.format(name=self.org_name, year=self.year)

    @property
    def given(self) -> bool:
        return any(row.self_score is not None for row in self.all_rows)

    @property
    def all_rows(self) -> list:
        return self.headlines + [row for _, rows in self.groups for row in rows]

    def _count(self, gap: str) -> int:
        return sum(1 for row in self.all_rows if row.gap == gap)

    @property
    def blind_spots(self) -> int:
        return self._count(presentation.BLIND_SPOT)

    @property
    def hidden_strengths(self) -> int:
        return self._count(presentation.HIDDEN_STRENGTH)

    @property
    def hints(self) -> list:
        return [(presentation.GAP_LABELS[gap], hint) for gap, hint in presentation.GAP_HINTS.items()]

    @property
    def chart(self) -> dict | None:
        """Return the paired-dot chart of the headlines (behaviours, roles and all statements)."""
        return self._chart(self.headlines)

    @property
    def group_charts(self) -> list:
        return [(label, self._chart(rows)) for label, rows in self.groups]

    def _chart(self, rows: list) -> dict | None:
        data = []
        for row in rows:
            item = {
                "label": row.label,
                "self": row.self_score,
                "leads": row.leads_score,
                "leads_low": None if row.leads_score is None else row.leads.score_low,
                "leads_high": None if row.leads_score is None else row.leads.score_high,
            }
            if self.with_others:
                item["others"] = row.others_score
                item["others_low"] = None if row.others_score is None else row.others.score_low
                item["others_high"] = None if row.others_score is None else row.others.score_high
            data.append(item)
        return presentation.self_chart(data)


@dataclass
class ScorecardPage:
    cycle: Cycle
    org: Organisation
    scorecard_set: ScorecardSet | None
    trend_sets: list  # (year, set id), oldest first, that ``user`` may read
    set_stamps: str = ""  # the ids and build times of those sets (a cache-key part)
    weighting: str = DEFAULT_WEIGHTING  # each lead counts once, or each CCG (``WEIGHTINGS``)
    offers_weighting: bool = True  # whether the set has both (a provisional snapshot has each lead only)
    headlines: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    summary: Summary | None = None
    heat_map: dict | None = None
    rater_views: list = field(default_factory=list)  # of RaterView beside the CCG leads', where the cycle has them
    view_headlines: list = field(default_factory=list)  # of ViewRow, over the shown rater views
    view_groups: list = field(default_factory=list)  # of (label, [ViewRow])
    self_beside_others: SelfBesideOthers | None = None

    @property
    def shown_views(self) -> list:
        return [view for view in self.rater_views if view.shown]

    @property
    def views_held_back(self) -> list:
        """Return the views with no figure to show (too few raters, or none): one line each on the page."""
        return [view for view in self.rater_views if not view.shown]

    @property
    def all_hidden(self) -> bool:
        """Whether every headline is hidden: the page then shows one message instead of rows of hidden cells."""
        return bool(self.headlines) and all(h.row.suppressed for h in self.headlines)

    @property
    def min_base(self) -> int:
        return settings.SUPPRESSION_MIN_BASE

    @property
    def each_ccg(self) -> bool:
        return self.weighting == "ccg"

    @property
    def main_view(self) -> str:
        """The CCG leads' view the page's figures are of: each lead counting once, or each CCG."""
        return WEIGHTING_VIEWS[self.weighting]

    @property
    def weightings(self) -> list:
        """(value, label, current) of each way of counting the leads, for the page's switch."""
        return [(value, label, value == self.weighting) for value, label in WEIGHTINGS.items()]

    @property
    def cache_key(self) -> str:
        set_id = self.scorecard_set.pk if self.scorecard_set else 0
        return key_for("scorecard", set_id, self.org.level, self.org.code, self.weighting, self.set_stamps)


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


def _trend_sets(*, user, cycle: Cycle) -> list[tuple[int, int, object]]:
    """Return (year, current set id, built at) of this cycle and earlier ones ``user`` may read, oldest first."""
    states = ScorecardState.objects.filter(cycle__year__lte=cycle.year, current_set__isnull=False)
    if not user.is_nhscc:
        states = states.filter(Q(cycle__state=CycleState.PUBLISHED) | Q(cycle=cycle))
    return list(states.order_by("cycle__year").values_list("cycle__year", "current_set_id", "current_set__built_at"))


def scorecard_page_header(
    *, user, cycle: Cycle, level: str, code: str | None, weighting: str | None = None
) -> ScorecardPage:
    """Return the scorecard page of one organisation without its figures (enough to build the cache key).

    ``weighting``: ``lead`` (each lead counts once, the default and the headline) or ``ccg`` (each CCG
    counts once); anything else is the default, as the league table's filters are.
    """
    org = organisation(user=user, level=level, code=code)
    trend_sets = _trend_sets(user=user, cycle=cycle)
    set_id = next((set_id for year, set_id, _ in trend_sets if year == cycle.year), None)
    scorecard_set = ScorecardSet(pk=set_id, cycle=cycle) if set_id else None
    return ScorecardPage(
        cycle=cycle,
        org=org,
        scorecard_set=scorecard_set,
        trend_sets=[(year, set_id) for year, set_id, _ in trend_sets],
        set_stamps="-".join(stamp(set_id, built_at) for _, set_id, built_at in trend_sets),
        weighting=weighting if weighting in WEIGHTINGS else DEFAULT_WEIGHTING,
    )


def scorecard_page_fill(page: ScorecardPage) -> ScorecardPage:
    """Add the figures: headlines against England and the region, per question distribution, trend.

    Three queries whatever the size (this organisation's rows, the comparison rows, the trend rows), and one
    more on England's page for its heat map of area teams.
    """
    if page.scorecard_set is None:
        return page
    org = page.org
    rows = list(
        Scorecard.objects.filter(scorecard_set_id=page.scorecard_set.pk, level=org.level, org_code=org.code).order_by(
            "order", "rater_group"
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
        # Every item of England (statements too, for the summary's strongest and weakest), headlines of the region.
        for row in Scorecard.objects.filter(
            condition, scorecard_set_id=page.scorecard_set.pk, rater_group=page.main_view
        ).filter(Q(level=Level.ENGLAND) | Q(kind__in=HEADLINE_KINDS)):
            comparisons[(row.level, row.kind, row.code)] = row
    trend: dict = {}
    years = dict((set_id, year) for year, set_id in page.trend_sets)
    for row in Scorecard.objects.filter(
        scorecard_set_id__in=list(years),
        level=org.level,
        org_code=org.code,
        kind__in=HEADLINE_KINDS,
        rater_group=page.main_view,
    ):
        trend.setdefault((row.kind, row.code), []).append(TrendPoint(year=years[row.scorecard_set_id], row=row))

    by_item: dict = {}
    for row in rows:
        by_item.setdefault((row.kind, row.code), {})[row.rater_group] = row
    labels = {}
    for (kind, code), cells in by_item.items():
        main = cells.get(page.main_view)
        if main is None:
            continue
        # The lead roles split the leads counted each once (not the CCGs): shown beside that view only.
        split = [] if page.each_ccg else [cells[role] for role, _ in presentation.LEAD_ROLES if role in cells]
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
                    band=presentation.band(low=low, high=high, reference=reference) if value is not None else None,
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
    page.summary = _summary(page, comparisons)
    _add_rater_views(page, by_item)
    if org.level == Level.AREA_TEAM:
        page.self_beside_others = _self_beside_others(page, by_item)
    if org.level == Level.ENGLAND:
        page.heat_map = _heat_map(page)
    return page


def _add_rater_views(page: ScorecardPage, by_item: dict) -> None:
    """Add the views beside the CCG leads' (from the rows already read, no query): every one the set holds."""
    cells_of: dict = {view: {} for view in presentation.BESIDE_LEADS}
    for key, cells in by_item.items():
        for view in presentation.BESIDE_LEADS:
            if view in cells:
                cells_of[view][key] = cells[view]
    page.rater_views = [
        RaterView(view=view, cells=cells_of[view]) for view in presentation.BESIDE_LEADS if cells_of[view]
    ]
    shown = page.shown_views
    if not shown:
        return

    def view_row(main: Scorecard) -> ViewRow:
        key = (main.kind, main.code)
        return ViewRow(row=main, cells=[main, *(view.cells.get(key) for view in shown)])

    page.view_headlines = [view_row(h.row) for h in page.headlines]
    page.view_groups = [(group.label, [view_row(main) for main, _ in group.questions]) for group in page.groups]


def _self_beside_others(page: ScorecardPage, by_item: dict) -> SelfBesideOthers:
    """Return the self-assessment beside the CCG leads per measure and statement (no query)."""
    with_others = any(view.view == EVERYONE_BUT_SELF for view in page.rater_views)

    def self_row(main: Scorecard) -> SelfRow:
        cells = by_item[(main.kind, main.code)]
        return SelfRow(leads=main, own=cells.get(SELF), others=cells.get(EVERYONE_BUT_SELF) if with_others else None)

    return SelfBesideOthers(
        headlines=[self_row(h.row) for h in page.headlines],
        groups=[(group.label, [self_row(main) for main, _ in group.questions]) for group in page.groups],
        with_others=with_others,
        org_name=page.org.name,
        year=page.cycle.year,
    )


def _finding(row: Scorecard, england: Scorecard | None) -> Finding:
    reference = england.score if england is not None and not england.suppressed else None
    return Finding(
        row=row, england=england, band=presentation.band(low=row.score_low, high=row.score_high, reference=reference)
    )


def _summary(page: ScorecardPage, comparisons: dict) -> Summary:
    """Return the summary the page opens with, from the figures already read (no query)."""
    against = page.org.level != Level.ENGLAND
    chart_rows = []
    for h in page.headlines:
        row = h.row
        reference = h.england.score if against and h.england is not None and not h.england.suppressed else None
        chart_rows.append(
            {
                "label": row.label,
                "band": h.band,
                "reference": reference,
                "hidden": row.suppressed,
                "text": presentation.interval_text(row.score, row.score_low, row.score_high),
                "marks": [{"value": row.score, "low": row.score_low, "high": row.score_high, "kind": "figure"}],
            }
        )
    questions = [
        _finding(main, comparisons.get((Level.ENGLAND, main.kind, main.code)))
        for group in page.groups
        for main, _ in group.questions
        if not main.suppressed and main.score is not None
    ]
    if against:
        ranked = sorted((f for f in questions if f.difference is not None), key=lambda f: (-f.difference, f.row.order))
    else:
        ranked = sorted(questions, key=lambda f: (-f.row.score, f.row.order))
    count = min(SUMMARY_COUNT, len(ranked) // 2)
    changed = [
        _finding(f.row, f.england)
        for f in [Finding(row=h.row, england=h.england) for h in page.headlines] + questions
        if f.row.change_score_significant and f.row.change_score
    ]
    return Summary(
        chart=presentation.dot_chart(chart_rows),
        strongest=ranked[:count],
        weakest=list(reversed(ranked[-count:])) if count else [],
        rises=sorted((f for f in changed if f.row.change_score > 0), key=lambda f: -f.row.change_score),
        falls=sorted((f for f in changed if f.row.change_score < 0), key=lambda f: f.row.change_score),
        against_england=against,
    )


def _heat_map(page: ScorecardPage) -> dict | None:
    """Return England's heat map: area teams (by name) × behaviours and roles, each cell banded against England."""
    columns = [h.row for h in page.headlines]
    england = {(row.kind, row.code): row for row in columns}
    cells: dict = {}
    names: dict = {}
    for row in Scorecard.objects.filter(
        scorecard_set_id=page.scorecard_set.pk,
        level=Level.AREA_TEAM,
        kind__in=HEADLINE_KINDS,
        rater_group=page.main_view,
    ).only("org_code", "org_name", "kind", "code", "suppressed", "score", "score_low", "score_high"):
        names[row.org_code] = row.org_name
        ref = england.get((row.kind, row.code))
        reference = ref.score if ref is not None and not ref.suppressed else None
        b = None if row.suppressed else presentation.band(low=row.score_low, high=row.score_high, reference=reference)
        cells[(row.org_code, row.kind, row.code)] = {
            "hidden": row.suppressed,
            "value": row.score,
            "band": b,
            "symbol": presentation.BAND_SYMBOLS.get(b, ""),
            "band_label": presentation.band_label(b),
        }
    if not names:
        return None
    rows = [
        {"code": code, "name": name, "cells": [cells.get((code, c.kind, c.code)) for c in columns]}
        for code, name in sorted(names.items(), key=lambda item: item[1])
    ]
    return {"columns": columns, "rows": rows}


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
