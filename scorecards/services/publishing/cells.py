"""A cell's numbers: area-team aggregates rolled up to regions, England and all leads; figures and
intervals from the sums; change since the previous cycle (DESIGN.md §4).
"""

from collections import defaultdict

from organisations.models import AreaTeam, Region
from scorecards import stats
from scorecards.models import (
    ENGLAND_CODE,
    ItemKind,
    Level,
    ScorecardAggregate,
)
from scorecards.services.aggregation import SHARE_UNIT, SUM_FIELDS
from scorecards.services.publishing.items import Item, cycle_views, views_of
from surveys.models import Cycle


def _empty() -> dict:
    return dict.fromkeys(SUM_FIELDS, 0)


def _add(into: dict, stats_: dict) -> None:
    for field in SUM_FIELDS:
        into[field] += stats_[field]


def rolled_up(cycle_id: int, items: list[Item]) -> tuple[dict, dict]:
    """Return ({(level, org_code, kind, code, view): sums}, {org_code: (name, parent_code)}).

    Area-team rows are added up to regions and England, and each rater group into the pools that hold it
    (lead roles into "CCG leads", partners into "partners", both into "everyone but self"). A behaviour's,
    role's or overall item's "don't know" count is its questions' (kept only to tell a group whose
    people answered nothing but "don't know" from an empty one; groups publish no answer counts).
    """
    area_teams = {at.pk: at for at in AreaTeam.objects.select_related("region")}
    orgs = {ENGLAND_CODE: ("England", "")}
    orgs.update({r.ods_code: (r.name, ENGLAND_CODE) for r in Region.objects.all()})
    orgs.update({at.ods_code: (at.name, at.region.ods_code) for at in area_teams.values()})
    sums: dict = defaultdict(_empty)
    aggregates = list(
        ScorecardAggregate.objects.filter(cycle_id=cycle_id).values(
            "area_team_id", "rater_group", "kind", "code", *SUM_FIELDS
        )
    )
    views = set(cycle_views({agg["rater_group"] for agg in aggregates}))
    for agg in aggregates:
        area_team = area_teams[agg["area_team_id"]]
        for level, org in (
            (Level.AREA_TEAM, area_team.ods_code),
            (Level.REGION, area_team.region.ods_code),
            (Level.ENGLAND, ENGLAND_CODE),
        ):
            for view in views.intersection(views_of(agg["rater_group"])):
                _add(sums[(level, org, agg["kind"], agg["code"], view)], agg)
    cells = {(key[0], key[1], key[4]) for key in sums}
    for item in items:
        if item.kind == ItemKind.QUESTION:
            continue
        for level, org, rater_group in cells:
            dk = sum(
                sums[member]["dk"]
                for code in item.members
                if (member := (level, org, ItemKind.QUESTION, code, rater_group)) in sums
            )
            if dk:
                sums[(level, org, item.kind, item.code, rater_group)]["dk"] += dk
    return sums, orgs


def _level_of(org_code: str, orgs: dict) -> str:
    if org_code == ENGLAND_CODE:
        return Level.ENGLAND
    return Level.REGION if orgs[org_code][1] == ENGLAND_CODE else Level.AREA_TEAM


_PER_PERCENT = SHARE_UNIT / 100  # share units in one percentage point


def _share_percent(total: int) -> float:
    return total / _PER_PERCENT


def figures(s: dict, kind: str = ItemKind.QUESTION) -> dict:
    """Return the published numbers for one cell from its sums (no suppression applied).

    A question has one answer per respondent: counts per scale point, % positive with a Wilson
    interval. A behaviour, role or overall item is measured per respondent (DESIGN.md §4): the mean of
    the respondents' shares of favourable answers, with a t interval over the respondents, and no
    answer counts at all.
    """
    base = s["people"]
    out = {"base": base}
    if kind == ItemKind.QUESTION:
        out.update(n5=s["n5"], n4=s["n4"], n3=s["n3"], n2=s["n2"], n1=s["n1"], dont_know=s["dk"], answers=s["answers"])
        if s["answers"]:
            out["pct_positive"] = 100 * s["favourable"] / s["answers"]
            out["pct_negative"] = 100 * s["unfavourable"] / s["answers"]
            interval = stats.wilson_interval(s["favourable"], s["answers"])
            out["pct_positive_low"], out["pct_positive_high"] = 100 * interval.low, 100 * interval.high
    elif base:
        out["pct_positive"] = _share_percent(s["positive_sum"]) / base
        out["pct_negative"] = _share_percent(s["negative_sum"]) / base
        interval = stats.t_interval(base, _share_percent(s["positive_sum"]), s["positive_sumsq"] / _PER_PERCENT**2)
        if interval is not None:
            out["pct_positive_low"], out["pct_positive_high"] = max(0.0, interval.low), min(100.0, interval.high)
    if base:
        out["score"] = s["score_sum"] / base / 1000
        interval = stats.t_interval(base, s["score_sum"] / 1000, s["score_sumsq"] / 1_000_000)
        if interval is not None:
            out["score_low"], out["score_high"] = max(0.0, interval.low), min(10.0, interval.high)
    return out


def _previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(year__lt=cycle.year, scorecard_state__isnull=False).order_by("-year").first()


def _welch(current: dict, previous: dict, total: str, total_sq: str, scale: float) -> float | None:
    return stats.welch_t_test(
        current["people"],
        current[total] / scale,
        current[total_sq] / scale / scale,
        previous["people"],
        previous[total] / scale,
        previous[total_sq] / scale / scale,
    )


def _change(current: dict, previous: dict, kind: str = ItemKind.QUESTION) -> dict:
    """Return the change since ``previous``: a two-proportion z test for a question's % positive, Welch
    t tests over respondents for scores and for a group's % positive."""
    out = {}
    now, before = figures(current, kind), figures(previous, kind)
    if now.get("pct_positive") is not None and before.get("pct_positive") is not None:
        out["previous_pct_positive"] = before["pct_positive"]
        out["change_pct_positive"] = now["pct_positive"] - before["pct_positive"]
        if kind == ItemKind.QUESTION:
            p = stats.two_proportion_z_test(
                current["favourable"], current["answers"], previous["favourable"], previous["answers"]
            )
        else:
            p = _welch(current, previous, "positive_sum", "positive_sumsq", _PER_PERCENT)
        out["change_pct_positive_p"] = p
        out["change_pct_positive_significant"] = p is not None and p < stats.SIGNIFICANCE_LEVEL
    if current["people"] and previous["people"]:
        out["previous_score"] = before["score"]
        out["change_score"] = now["score"] - before["score"]
        p = _welch(current, previous, "score_sum", "score_sumsq", 1000)
        out["change_score_p"] = p
        out["change_score_significant"] = p is not None and p < stats.SIGNIFICANCE_LEVEL
    return out
