"""Build a cycle's published scorecards from its aggregates, as one atomic, versioned set.

Area-team figures come from the aggregates; region and England figures are their sums (the small
result rolled up, never a second pass over answers); "all leads" is the sum of the three lead roles.
Then intervals, disclosure control and change since the previous cycle, per DESIGN.md §4.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from accounts.models import LeadRole
from organisations.models import AreaTeam, Region
from scorecards import stats
from scorecards.models import (
    ALL_LEADS,
    ENGLAND_CODE,
    OVERALL_CODE,
    AppliedResponse,
    ItemKind,
    Level,
    Scorecard,
    ScorecardAggregate,
    ScorecardSet,
    ScorecardState,
)
from scorecards.services.aggregation import COUNT_FIELDS, SUM_FIELDS
from surveys.models import Cycle, Question, QuestionType
from ways_of_working.models import Behaviour, Role

LEAD_ROLES = tuple(LeadRole.values)  # clinical, managerial, financial


@dataclass(frozen=True)
class Item:
    kind: str
    code: str
    label: str
    order: int
    behaviour_code: str = ""
    role_code: str = ""
    positively_worded: bool = True
    # What must be identical in another cycle for a change to be claimed: the wording of the
    # question, or of every question in the group.
    signature: frozenset = frozenset()
    # The question codes whose answers a behaviour, role or overall item pools.
    members: tuple = ()


def cycle_items(cycle_id: int) -> list[Item]:
    """Return the cycle's scorecard items in report order: overall, behaviours, roles, then questions."""
    questions = list(
        Question.objects.filter(questionnaire__cycle_id=cycle_id, type=QuestionType.AGREEMENT)
        .select_related("behaviour", "role", "section")
        .order_by("section__order", "order", "pk")
    )
    wording = {q.code: (q.code, q.text.strip()) for q in questions}
    items = [
        Item(
            ItemKind.OVERALL,
            OVERALL_CODE,
            "All statements",
            0,
            signature=frozenset(wording.values()),
            members=tuple(wording),
        )
    ]
    behaviours = {q.behaviour_id for q in questions if q.behaviour_id}
    for i, b in enumerate(Behaviour.objects.filter(pk__in=behaviours).order_by("order", "code"), start=1):
        codes = tuple(q.code for q in questions if q.behaviour_id == b.pk)
        items.append(
            Item(
                ItemKind.BEHAVIOUR,
                b.code,
                b.name,
                100 + i,
                behaviour_code=b.code,
                signature=frozenset(wording[c] for c in codes),
                members=codes,
            )
        )
    roles = {q.role_id for q in questions if q.role_id}
    for i, r in enumerate(Role.objects.filter(pk__in=roles).order_by("order", "code"), start=1):
        codes = tuple(q.code for q in questions if q.role_id == r.pk)
        items.append(
            Item(
                ItemKind.ROLE,
                r.code,
                r.name,
                200 + i,
                role_code=r.code,
                signature=frozenset(wording[c] for c in codes),
                members=codes,
            )
        )
    for i, q in enumerate(questions, start=1):
        items.append(
            Item(
                ItemKind.QUESTION,
                q.code,
                q.text,
                1000 + i,
                behaviour_code=q.behaviour.code if q.behaviour else "",
                role_code=q.role.code if q.role else "",
                positively_worded=q.positively_worded,
                signature=frozenset([wording[q.code]]),
            )
        )
    return items


def _empty() -> dict:
    return dict.fromkeys(SUM_FIELDS, 0)


def _add(into: dict, stats_: dict) -> None:
    for field in SUM_FIELDS:
        into[field] += stats_[field]


def rolled_up(cycle_id: int, items: list[Item]) -> tuple[dict, dict]:
    """Return ({(level, org_code, kind, code, lead_role): sums}, {org_code: (name, parent_code)}).

    Area-team rows are added up to regions and England, and lead roles to "all leads"; a behaviour's,
    role's or overall item's answer counts are the sums of its questions'.
    """
    area_teams = {at.pk: at for at in AreaTeam.objects.select_related("region")}
    orgs = {ENGLAND_CODE: ("England", "")}
    orgs.update({r.ods_code: (r.name, ENGLAND_CODE) for r in Region.objects.all()})
    orgs.update({at.ods_code: (at.name, at.region.ods_code) for at in area_teams.values()})
    sums: dict = defaultdict(_empty)
    for agg in ScorecardAggregate.objects.filter(cycle_id=cycle_id).values(
        "area_team_id", "lead_role", "kind", "code", *SUM_FIELDS
    ):
        area_team = area_teams[agg["area_team_id"]]
        for level, org in (
            (Level.AREA_TEAM, area_team.ods_code),
            (Level.REGION, area_team.region.ods_code),
            (Level.ENGLAND, ENGLAND_CODE),
        ):
            for lead_role in (agg["lead_role"], ALL_LEADS):
                _add(sums[(level, org, agg["kind"], agg["code"], lead_role)], agg)
    cells = {(key[0], key[1], key[4]) for key in sums}
    for item in items:
        if item.kind == ItemKind.QUESTION:
            continue
        for level, org, lead_role in cells:
            pooled = sums[(level, org, item.kind, item.code, lead_role)]
            for code in item.members:
                member = sums.get((level, org, ItemKind.QUESTION, code, lead_role))
                if member:
                    for field in (*COUNT_FIELDS, "answers"):
                        pooled[field] += member[field]
    return sums, orgs


def _level_of(org_code: str, orgs: dict) -> str:
    if org_code == ENGLAND_CODE:
        return Level.ENGLAND
    return Level.REGION if orgs[org_code][1] == ENGLAND_CODE else Level.AREA_TEAM


def figures(s: dict) -> dict:
    """Return the published numbers for one cell from its sums (no suppression applied)."""
    base = s["people"]
    out = {
        "base": base,
        "n5": s["n5"],
        "n4": s["n4"],
        "n3": s["n3"],
        "n2": s["n2"],
        "n1": s["n1"],
        "dont_know": s["dk"],
        "answers": s["answers"],
    }
    if s["answers"]:
        out["pct_positive"] = 100 * s["favourable"] / s["answers"]
        out["pct_negative"] = 100 * s["unfavourable"] / s["answers"]
        interval = stats.wilson_interval(s["favourable"], s["answers"])
        out["pct_positive_low"], out["pct_positive_high"] = 100 * interval.low, 100 * interval.high
    if base:
        out["score"] = s["score_sum"] / base / 1000
        interval = stats.t_interval(base, s["score_sum"] / 1000, s["score_sumsq"] / 1_000_000)
        if interval is not None:
            out["score_low"], out["score_high"] = max(0.0, interval.low), min(10.0, interval.high)
    return out


def suppression(sums: dict, orgs: dict, min_base: int) -> dict:
    """Return {cell key: reason} for every cell to suppress (primary, then secondary, until stable).

    Primary: a base from 1 to ``min_base`` - 1, or only "don't know" answers (a cell with no answers at
    all is "no data", with nothing to give away).
    Secondary works on each relation "parent = sum of children": area teams within their region and
    regions within England (for every item and lead role), and the three lead roles within each
    organisation's all-leads cell (for every item). Where exactly one non-empty cell of a relation is
    suppressed, the others give it away (the parent minus the visible children, or the children added
    up), so the next-smallest non-empty child is suppressed too; if there is no other non-empty child,
    the parent is. Ties are broken by key, so the choice is deterministic.
    """
    children = defaultdict(list)
    for org, (_, parent) in orgs.items():
        if parent:
            children[parent].append(org)
    level = {org: _level_of(org, orgs) for org in orgs}
    relations = []
    for kind, code in sorted({(key[2], key[3]) for key in sums}):
        for parent in sorted(children):
            kids = sorted(children[parent])
            for lead_role in (ALL_LEADS, *LEAD_ROLES):
                relations.append(
                    (
                        (level[parent], parent, kind, code, lead_role),
                        [(level[k], k, kind, code, lead_role) for k in kids],
                    )
                )
        for org in sorted(orgs):
            relations.append(
                ((level[org], org, kind, code, ALL_LEADS), [(level[org], org, kind, code, lr) for lr in LEAD_ROLES])
            )

    def base(key) -> int:
        s = sums.get(key)
        return s["people"] if s else 0

    # A cell whose only answers are "don't know" has a base of 0 but still describes a few people.
    reasons: dict = {
        key: stats.PRIMARY
        for key, s in sums.items()
        if 0 < s["people"] < min_base or (s["people"] == 0 and s["dk"] > 0)
    }
    changed = True
    while changed:
        changed = False
        for parent, kids in relations:
            suppressed = [key for key in (parent, *kids) if key in reasons and base(key) > 0]
            if len(suppressed) != 1:
                continue
            candidates = sorted((base(k), k) for k in kids if k not in reasons and base(k) > 0)
            if not candidates and parent not in reasons and base(parent) > 0:
                candidates = [(base(parent), parent)]
            if candidates:
                reasons[candidates[0][1]] = stats.SECONDARY
                changed = True
    return reasons


def _previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(year__lt=cycle.year, scorecard_state__isnull=False).order_by("-year").first()


def _change(current: dict, previous: dict) -> dict:
    out = {}
    if current["answers"] and previous["answers"]:
        before = 100 * previous["favourable"] / previous["answers"]
        out["previous_pct_positive"] = before
        out["change_pct_positive"] = 100 * current["favourable"] / current["answers"] - before
        p = stats.two_proportion_z_test(
            current["favourable"], current["answers"], previous["favourable"], previous["answers"]
        )
        out["change_pct_positive_p"] = p
        out["change_pct_positive_significant"] = p is not None and p < stats.SIGNIFICANCE_LEVEL
    if current["people"] and previous["people"]:
        before = previous["score_sum"] / previous["people"] / 1000
        out["previous_score"] = before
        out["change_score"] = current["score_sum"] / current["people"] / 1000 - before
        p = stats.welch_t_test(
            current["people"],
            current["score_sum"] / 1000,
            current["score_sumsq"] / 1_000_000,
            previous["people"],
            previous["score_sum"] / 1000,
            previous["score_sumsq"] / 1_000_000,
        )
        out["change_score_p"] = p
        out["change_score_significant"] = p is not None and p < stats.SIGNIFICANCE_LEVEL
    return out


# The previous cycle's figures, kept by each worker process while that cycle's aggregates stay the
# same: a stream of refreshes republishes this year's figures many times against the same last year.
_COMPARISON_CACHE: dict = {}


def _comparison_figures(cycle_id: int, min_base: int) -> tuple[dict, dict, dict]:
    """Return (sums, suppression reasons, {(kind, code): Item}) of a cycle compared against."""
    # What identifies the aggregates: their version and totals (one small query; ids and versions
    # alone can recur in another database or after a test's rollback).
    fingerprint = ScorecardAggregate.objects.filter(cycle_id=cycle_id).aggregate(
        rows=Count("pk"), last=Max("pk"), **{field: Sum(field) for field in SUM_FIELDS}
    )
    version = ScorecardState.objects.filter(cycle_id=cycle_id).values_list("aggregates_version", flat=True).first()
    key = (connection.settings_dict["NAME"], cycle_id, version, min_base, tuple(sorted(fingerprint.items())))
    cached = _COMPARISON_CACHE.get(cycle_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    items = cycle_items(cycle_id)
    sums, orgs = rolled_up(cycle_id, items)
    figures_ = (sums, suppression(sums, orgs, min_base), {(i.kind, i.code): i for i in items})
    _COMPARISON_CACHE[cycle_id] = (key, figures_)
    return figures_


def scorecard_rows(cycle: Cycle, min_base: int) -> list[dict]:
    """Return every published cell of ``cycle`` as a dict of Scorecard fields (no set attached)."""
    items = cycle_items(cycle.pk)
    sums, orgs = rolled_up(cycle.pk, items)
    reasons = suppression(sums, orgs, min_base)
    previous = _previous_cycle(cycle)
    previous_sums, previous_reasons, previous_items = {}, {}, {}
    if previous is not None:
        previous_sums, previous_reasons, previous_items = _comparison_figures(previous.pk, min_base)
    rows = []
    for item in items:
        comparable = previous_items.get((item.kind, item.code))
        comparable = comparable is not None and comparable.signature == item.signature
        for org, (name, parent) in orgs.items():
            level = _level_of(org, orgs)
            for lead_role in (ALL_LEADS, *LEAD_ROLES):
                key = (level, org, item.kind, item.code, lead_role)
                row = {
                    "level": level,
                    "org_code": org,
                    "org_name": name,
                    "parent_code": "" if level == Level.ENGLAND else parent,
                    "kind": item.kind,
                    "code": item.code,
                    "label": item.label,
                    "behaviour_code": item.behaviour_code,
                    "role_code": item.role_code,
                    "positively_worded": item.positively_worded,
                    "lead_role": lead_role,
                    "order": item.order,
                }
                if key in reasons:
                    row.update(suppressed=True, suppression_reason=reasons[key])
                    rows.append(row)
                    continue
                current = sums.get(key) or _empty()
                row.update(figures(current))
                before = previous_sums.get(key)
                if comparable and before and key not in previous_reasons:
                    row.update(_change(current, before))
                rows.append(row)
    return rows


_SCORECARD_COLUMNS = [f.column for f in Scorecard._meta.concrete_fields if not f.primary_key]


def _insert_rows(scorecard_set: ScorecardSet, rows: list[dict]) -> None:
    """Insert thousands of rows quickly: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        Scorecard.objects.bulk_create((Scorecard(scorecard_set=scorecard_set, **row) for row in rows), batch_size=500)
        return
    buffer = io.StringIO()
    fields = {f.column: f for f in Scorecard._meta.concrete_fields}
    defaults = [(c, fields[c].get_default()) for c in _SCORECARD_COLUMNS]
    csv.writer(buffer).writerows(
        ["\\N" if (v := row.get(c, d)) is None else v for c, d in defaults]
        for row in ({**row, "scorecard_set_id": scorecard_set.pk} for row in rows)
    )
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(c) for c in _SCORECARD_COLUMNS)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Scorecard._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


@transaction.atomic
def scorecards_publish(*, cycle_id: int, force: bool = False) -> ScorecardSet | None:
    """Build the cycle's scorecards from its current aggregates and make them the current set.

    Coalescing: if the current set already reflects the aggregates (and not ``force``), do nothing
    and return None, so a burst of refresh tasks builds once. The new set replaces the old in one
    transaction; the set before it is kept for readers part-way through a page.
    """
    if connection.vendor == "postgresql":
        # As for refreshes: a crash can lose only a whole build, which the next refresh or the nightly
        # recompute makes again, so the commit need not wait for the disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    ScorecardState.objects.get_or_create(cycle_id=cycle_id)
    state = ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)
    if state.publish_queued_at is not None:
        # From here on, a refresh queues the next publish.
        state.publish_queued_at = None
        state.save(update_fields=["publish_queued_at"])
    if not force and state.current_set_id and state.published_version == state.aggregates_version:
        return None
    cycle = Cycle.objects.get(pk=cycle_id)
    min_base = settings.SUPPRESSION_MIN_BASE
    version = (
        ScorecardSet.objects.filter(cycle_id=cycle_id).order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1
    new_set = ScorecardSet.objects.create(
        cycle_id=cycle_id,
        version=version,
        built_at=timezone.now(),
        min_base=min_base,
        responses=AppliedResponse.objects.filter(cycle_id=cycle_id).count(),
    )
    _insert_rows(new_set, scorecard_rows(cycle, min_base))
    previous_set_id = state.current_set_id
    state.current_set = new_set
    state.published_version = state.aggregates_version
    state.save(update_fields=["current_set", "published_version"])
    ScorecardSet.objects.filter(cycle_id=cycle_id).exclude(pk__in=[new_set.pk, previous_set_id or 0]).delete()
    return new_set
