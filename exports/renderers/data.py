"""The one read model every report format is built from: a cycle's published scorecard set, in report order."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db.models import Q

from scorecards import selectors
from scorecards.models import ALL_LEADS, SELF, AreaTeamResponse, ItemKind, Level, Scorecard, ScorecardSet
from scorecards.presentation import HIDDEN_LABEL, RATER_VIEW_LABELS
from scorecards.services.publishing import RATER_VIEWS
from surveys.models import Cycle, CycleState
from surveys.selectors import response_rates

LEVEL_ORDER = (Level.ENGLAND, Level.REGION, Level.AREA_TEAM)
KIND_ORDER = (ItemKind.OVERALL, ItemKind.BEHAVIOUR, ItemKind.ROLE, ItemKind.QUESTION)
# Outsiders are not told why a figure is hidden (that alone would tell its base is small).
REASON_LABELS = {"primary": HIDDEN_LABEL, "secondary": HIDDEN_LABEL}
# Shown on every page (or at the top) of a report whose cycle is not yet published: its figures can change.
DRAFT_LABEL = "DRAFT"
DRAFT_NOTICE = "DRAFT: these results are not published yet and may change. Do not share them."
ATTRIBUTION = (
    "Organisation data: contains National Statistics data © Crown copyright and database right 2013; "
    "contains public sector information licensed under the Open Government Licence v3.0 "
    "(NHS Business Services Authority; NHS England; NHS Digital). "
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)


def rater_groups_note(min_base: int) -> str:
    """Return the method's paragraph on rater groups: what each view pools, the self-assessment, thresholds."""
    own = settings.SUPPRESSION_MIN_BASE_BY_GROUP
    thresholds = "; ".join(
        f"{RATER_VIEW_LABELS[view].lower()} {base}" for view in RATER_VIEWS if view != SELF and (base := own.get(view))
    )
    return (
        "Figures are given for each group of raters and for pools of them. CCG leads (the headline, comparable "
        "with 2013) pool the clinical, managerial and financial leads; all partners pool GP member practices, "
        "patients' representatives and local government; everyone but the area team pools the CCG leads and "
        "the partners. Partner views are published only in a year with partner respondents. The area team's "
        "self-assessment is its own corporate view: it is attributable to the area team, is shown as it is "
        "(base 1, never hidden) and is never pooled into any other figure. A blind spot is where the "
        "self-assessment scores a statement, behaviour or role more than a third of the 0-10 scale (3.33 points) "
        "above the CCG leads, a hidden strength more than that below; only where the leads' figure is shown. "
        f"Each group needs a base of at least {min_base} to be shown"
        + (f", except where it has its own threshold ({thresholds})" if thresholds else "")
        + "; a pool needs the same as its smallest group would, and is hidden with its groups where its "
        "figure would give one of them away."
    )


def method_notes(min_base: int) -> list[tuple[str, str]]:
    """Return the method, as (heading, plain-English paragraph) pairs shared by the PDF and the workbook."""
    return [
        (
            "The scale",
            "Each statement is answered on a five-point agreement scale (strongly agree, tend to agree, neither "
            "agree nor disagree, tend to disagree, strongly disagree) or \"don't know\". Don't know and blank "
            "answers are left out of the base and reported separately.",
        ),
        (
            "% positive",
            "For a statement: the share of answers favourable to NHS England (agreeing with a positively worded "
            "statement, or disagreeing with a negatively worded one), with a Wilson 95% interval. For a "
            "behaviour, a role or all statements: each respondent's share of favourable answers among the "
            "statements there that they answered, averaged over the respondents; the base is respondents, and "
            "the 95% interval is a t interval over their shares (clipped to 0–100), so that six people are "
            "as uncertain as six people, however many statements they answered.",
        ),
        (
            "Scores",
            "Each answer scores 10, 7.5, 5, 2.5 or 0 (reversed for negatively worded statements). A respondent's "
            "score for a behaviour or role is the mean of the item scores they gave there; an organisation's "
            "score is the mean of its respondents' scores, with a t interval over the respondents. The base (n) "
            "is the number of respondents with a score.",
        ),
        ("Rater groups and the self-assessment", rater_groups_note(min_base)),
        (
            "Each CCG counts once",
            "Beside the CCG leads' figures, where each lead counts once, the same leads are also shown with each "
            "responding CCG counting once: in each figure a CCG's leads who answered share a weight of 1 (each "
            "1 / their number), so a CCG with three leads counts no more than a CCG with one. The figure is the "
            "mean of the CCGs' own means. Its effective base (Kish: the square of the sum of the weights over "
            "the sum of their squares; 3 for a CCG of three leads beside one of one) is the number of equally "
            "weighted people it is as precise as; its 95% interval uses the weighted variance over the effective "
            "base (Student's t, or Wilson's interval for a statement's % positive). Beside the other view it "
            "would tell apart the leads of CCGs with one, two or three leads, so it is hidden wherever one of "
            f"those groups has fewer than {min_base} leads, where the leads' figure is hidden, and wherever it "
            "would let a hidden figure be worked out. It has no change since last year.",
        ),
        (
            "Intervals",
            "95% confidence intervals. An area team is called better or worse than England only where its "
            "interval excludes England's figure.",
        ),
        (
            "Change since last year",
            "A change is called significant at p < 0.05 (a two-proportion z test for a statement's % positive; "
            "Welch t tests over respondents for scores and for a group's % positive), and only for statements "
            "asked in both years with the same wording (a group only where all its statements are).",
        ),
        (
            "Hidden figures",
            f'A figure describing fewer than {min_base} people (or only people who answered "don\'t know") is '
            "hidden, shown as [s] and never as zero. Published figures add up: a region is the sum of its area "
            "teams, England of its regions, all leads of the three lead roles, all partners of the partner groups "
            "and everyone but the area team of both. So more figures are hidden, "
            "the smallest first, until no hidden figure can be worked out from the visible ones by any "
            "combination of those sums, which the publishing code checks by linear algebra over every "
            "relation at once, not one relation at a time. A behaviour's, a role's or the overall figure is "
            "published without answer counts, since they would be the sums of its statements' counts; where "
            "a group has the same statements as a single statement, the two are hidden together. Why a figure "
            'is hidden is not said ("hidden to protect a smaller group"), since that alone would tell a small '
            "base. Results are built only once fieldwork has closed: figures that moved with each response "
            "would show what the latest respondent said. Free-text comments are not part of these files.",
        ),
        (
            "Bands, order and ranks",
            "Area teams are placed in three bands against England: better, about the same, or worse, where the "
            "95% interval excludes England's figure. League tables list the bands in that order and area teams "
            "by their figure within each band. A rank is printed only where an area team's 95% interval "
            "overlaps neither the interval of the area team just above it nor that of the one just below: only "
            "then do the data support its place. Tied or overlapping area teams are not ranked, so where every "
            "interval holds England's figure no area team has a rank at all. We chose this over a rank for "
            "everyone, because a bare rank claims differences a survey of this size cannot show. The funnel "
            "plot beside the league table draws each area team's figure against its base with 95% and 99.8% "
            "limits around England's figure (for a percentage p0 ± z·√(p0(1−p0)/n); for a score England's "
            "figure ± z·sd/√n with England's standard deviation), so that small and large teams are compared "
            "fairly.",
        ),
    ]


@dataclass(frozen=True)
class Item:
    kind: str
    code: str
    label: str


@dataclass(frozen=True)
class Org:
    level: str
    code: str
    name: str
    parent_code: str


@dataclass
class ReportData:
    """Everything a report file shows, read once from one published scorecard set."""

    cycle: Cycle
    scorecard_set: ScorecardSet
    rows: list[Scorecard]
    items: list[Item]
    orgs: list[Org]
    rates: dict
    previous_year: int | None
    area_team_responses: dict[str, str] = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    # True while the cycle is not published: every format marks the report DRAFT (csv_, xlsx, pdf).
    draft: bool = False

    @property
    def data_as_of(self) -> datetime:
        return self.scorecard_set.built_at

    @property
    def min_base(self) -> int:
        return self.scorecard_set.min_base

    def orgs_at(self, level: str) -> list[Org]:
        return [org for org in self.orgs if org.level == level]

    def cell(self, org: Org, item: Item, rater_group: str = ALL_LEADS) -> Scorecard | None:
        """Return the published row of ``org`` × ``item`` × ``rater_group`` (None where there is none)."""
        return self.cells.get((org.level, org.code, item.kind, item.code, rater_group))

    def suppressed_rows(self) -> list[Scorecard]:
        return [row for row in self.rows if row.suppressed]

    @cached_property
    def views(self) -> list[str]:
        """Return the rater views these figures hold, in ``RATER_VIEWS`` order."""
        present = {row.rater_group for row in self.rows}
        return [view for view in RATER_VIEWS if view in present]

    @cached_property
    def has_self_assessment(self) -> bool:
        return any(row.rater_group == SELF for row in self.rows)


def _row_key(row: Scorecard, item_index: dict) -> tuple:
    return (
        LEVEL_ORDER.index(row.level),
        row.org_code,
        item_index[(row.kind, row.code)],
        RATER_VIEWS.index(row.rater_group) if row.rater_group in RATER_VIEWS else len(RATER_VIEWS),
        row.rater_group,
    )


def _area_team_responses(cycle: Cycle) -> dict[str, str]:
    """Return each area team's published reply to its scorecard."""
    return dict(AreaTeamResponse.objects.filter(cycle=cycle).values_list("area_team__ods_code", "text"))


def report_data(*, cycle: Cycle, scorecard_set: ScorecardSet | None = None, area_team: str | None = None) -> ReportData:
    """Read the cycle's published set (the current one unless given) into report order.

    With ``area_team`` (an area team's pack), only what its pack shows: all leads' figures of England, the
    regions and that area team, that area team's self-assessment, and no response rates.

    Rows are ordered by level (England, regions, area teams), organisation code, item (overall,
    behaviours, roles, then questions in questionnaire order) and rater view (all leads first, in the
    order of ``RATER_VIEWS``), so every format lists them in the same, stable order.
    """
    scorecard_set = scorecard_set or selectors.current_set(cycle=cycle)
    if scorecard_set is None:
        raise ValueError(f"The {cycle.year} appraisal has no published figures yet.")
    rows = Scorecard.objects.filter(scorecard_set=scorecard_set)
    if area_team is not None:
        rows = rows.filter(
            Q(rater_group=ALL_LEADS, level__in=[Level.ENGLAND, Level.REGION])
            | Q(rater_group__in=[ALL_LEADS, SELF], level=Level.AREA_TEAM, org_code=area_team)
        )
    rows = list(rows)
    first = {}
    for row in sorted(rows, key=lambda r: (r.order, r.kind, r.code)):
        first.setdefault((row.kind, row.code), row)
    items = sorted(
        (Item(kind=r.kind, code=r.code, label=r.label) for r in first.values()),
        key=lambda i: (KIND_ORDER.index(i.kind), first[(i.kind, i.code)].order, i.code),
    )
    item_index = {(item.kind, item.code): n for n, item in enumerate(items)}
    rows.sort(key=lambda r: _row_key(r, item_index))
    orgs = []
    seen = set()
    for row in rows:
        if (row.level, row.org_code) not in seen:
            seen.add((row.level, row.org_code))
            orgs.append(Org(level=row.level, code=row.org_code, name=row.org_name, parent_code=row.parent_code))
    previous = (
        Cycle.objects.filter(year__lt=cycle.year, scorecard_state__current_set__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return ReportData(
        cycle=cycle,
        scorecard_set=scorecard_set,
        rows=rows,
        items=items,
        orgs=orgs,
        rates=response_rates(cycle=cycle) if area_team is None else {},
        previous_year=previous,
        area_team_responses=_area_team_responses(cycle),
        cells={(r.level, r.org_code, r.kind, r.code, r.rater_group): r for r in rows},
        draft=cycle.state != CycleState.PUBLISHED,
    )
