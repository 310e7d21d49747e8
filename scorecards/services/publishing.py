"""Build a cycle's published scorecards from its aggregates, as one atomic, versioned set.

Area-team figures come from the aggregates; region and England figures are their sums (the small
result rolled up, never a second pass over answers); "all leads" is the sum of the three lead roles.
Then intervals, disclosure control and change since the previous cycle, per DESIGN.md §4.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import LeadRole
from core.db import rows_insert
from organisations.models import AreaTeam, Region
from scorecards import disclosure, stats
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
from scorecards.services.aggregation import SHARE_UNIT, SUM_FIELDS
from surveys.models import Cycle, CycleState, Question, QuestionType
from ways_of_working.models import Behaviour, Role

LEAD_ROLES = tuple(LeadRole.values)  # clinical, managerial, financial
# The cycle states whose figures are built and shown: after fieldwork.
RESULTS_STATES = (CycleState.CLOSED, CycleState.PUBLISHED)


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

    Area-team rows are added up to regions and England, and lead roles to "all leads". A behaviour's,
    role's or overall item's "don't know" count is its questions' (kept only to tell a group whose
    people answered nothing but "don't know" from an empty one; groups publish no answer counts).
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
            dk = sum(
                sums[member]["dk"]
                for code in item.members
                if (member := (level, org, ItemKind.QUESTION, code, lead_role)) in sums
            )
            if dk:
                sums[(level, org, item.kind, item.code, lead_role)]["dk"] += dk
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


def _size(s: dict | None, kind: str = ItemKind.QUESTION) -> int:
    """Return how many people a cell describes: those with a figure and, for a question, those who only said
    "don't know" (a group's "don't know" count is its statements' answers, not people: it counts as one)."""
    if not s:
        return 0
    if kind == ItemKind.QUESTION:
        return s["people"] + s["dk"]
    return s["people"] + (1 if s["people"] == 0 and s["dk"] else 0)


def _members(item: Item) -> frozenset:
    return frozenset(item.members) if item.kind != ItemKind.QUESTION else frozenset([item.code])


def relations(orgs: dict, items: list[Item]) -> list[disclosure.Relation]:
    """Return every "parent = sum of children" the published figures make true, for each of ``items``.

    - organisations: a region is the sum of its area teams, England of its regions (every item, for all
      leads and for each lead role);
    - lead roles: an organisation's all-leads cell is the sum of its three lead-role cells.
    Groups publish no answer counts, so they are not the sums of their questions' in any figure shown.
    """
    children = defaultdict(list)
    for org, (_, parent) in orgs.items():
        if parent:
            children[parent].append(org)
    level = {org: _level_of(org, orgs) for org in orgs}
    out = []
    for item in items:
        kind, code = item.kind, item.code
        for parent, kids in sorted(children.items()):
            for lead_role in (ALL_LEADS, *LEAD_ROLES):
                out.append(
                    disclosure.Relation(
                        (level[parent], parent, kind, code, lead_role),
                        tuple((level[k], k, kind, code, lead_role) for k in sorted(kids)),
                    )
                )
        for org in sorted(orgs):
            out.append(
                disclosure.Relation(
                    (level[org], org, kind, code, ALL_LEADS),
                    tuple((level[org], org, kind, code, lr) for lr in LEAD_ROLES),
                )
            )
    return out


def suppression(sums: dict, orgs: dict, min_base: int, items: list[Item], extra_primary=()) -> dict:
    """Return {cell key: reason} for every cell to hide (``disclosure`` explains the secondary rule).

    Primary: a base from 1 to ``min_base`` - 1, or only "don't know" answers (a cell with no one in it at
    all is "no data", with nothing to give away), and any cell of ``extra_primary``. Secondary: more
    cells, smallest first, until no hidden cell can be worked out from the visible ones by any
    combination of the relations the figures make true (``relations``). Items with the same statements
    (a behaviour of one statement and that statement, say) publish the same figures, so the first of
    them is worked out and the others hide exactly the same cells.
    """
    primary = {key for key, s in sums.items() if 0 < s["people"] < min_base or (s["people"] == 0 and s["dk"] > 0)}
    primary |= {key for key in extra_primary if _size(sums.get(key), key[2]) > 0}
    first: dict = {}
    twin_of: dict = {}
    for item in items:
        representative = first.setdefault(_members(item), item)
        twin_of[(item.kind, item.code)] = (representative.kind, representative.code)
    representatives = [item for item in items if twin_of[(item.kind, item.code)] == (item.kind, item.code)]
    relations_ = relations(orgs, representatives)
    sizes = {
        cell: _size(sums.get(cell), cell[2])
        for relation in relations_
        for cell in (relation.parent, *relation.children)
    }
    england = {cell for cell in sizes if cell[0] == Level.ENGLAND}
    # A twin's primary cells are its representative's (same people); any extra ones are taken over too.
    primary = {(key[0], key[1], *twin_of.get((key[2], key[3]), (key[2], key[3])), key[4]) for key in primary}
    reasons = disclosure.complementary_suppression(
        sizes=sizes, primary=primary, relations=relations_, protected=england
    )
    out = {}
    for item in items:
        rep_kind, rep_code = twin_of[(item.kind, item.code)]
        for (level, org, kind, code, lead_role), reason in reasons.items():
            if (kind, code) == (rep_kind, rep_code):
                out[(level, org, item.kind, item.code, lead_role)] = reason
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


def _comparison_figures(cycle_id: int, min_base: int) -> tuple[dict, dict, dict]:
    """Return (sums, suppression reasons, {(kind, code): Item}) of a cycle compared against."""
    items = cycle_items(cycle_id)
    sums, orgs = rolled_up(cycle_id, items)
    return sums, suppression(sums, orgs, min_base, items), {(i.kind, i.code): i for i in items}


def scorecard_rows(cycle: Cycle, min_base: int, *, hide=None) -> list[dict]:
    """Return every published cell of ``cycle`` as a dict of Scorecard fields (no set attached).

    ``hide(sums)``, if given, returns more cells to hide as if their base were too small (a provisional
    snapshot's cells that too few people changed since the last one).
    """
    items = cycle_items(cycle.pk)
    sums, orgs = rolled_up(cycle.pk, items)
    reasons = suppression(sums, orgs, min_base, items, extra_primary=hide(sums) if hide else ())
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
                row.update(figures(current, item.kind))
                before = previous_sums.get(key)
                if comparable and before and key not in previous_reasons:
                    row.update(_change(current, before, item.kind))
                rows.append(row)
    return rows


_SCORECARD_COLUMNS = [f.column for f in Scorecard._meta.concrete_fields if not f.primary_key]


def _insert_rows(scorecard_set: ScorecardSet, rows: list[dict]) -> None:
    """Insert thousands of rows quickly, as plain rows (COPY on PostgreSQL; see ``core.db``)."""
    fields = {f.column: f for f in Scorecard._meta.concrete_fields}
    defaults = [(c, fields[c].get_default()) for c in _SCORECARD_COLUMNS]
    values = (
        [row.get(c, d) for c, d in defaults] for row in ({**row, "scorecard_set_id": scorecard_set.pk} for row in rows)
    )
    columns = [connection.ops.quote_name(c) for c in _SCORECARD_COLUMNS]
    with connection.cursor() as cursor:
        rows_insert(cursor, table=Scorecard._meta.db_table, columns=columns, rows=values)


@transaction.atomic
def scorecards_publish(*, cycle_id: int, force: bool = False) -> ScorecardSet | None:
    """Build the cycle's scorecards from its current aggregates and make them the current set.

    Nothing is built while the cycle is a draft or open: figures that moved with each submission would
    name the respondent (DESIGN.md §4), so results appear once fieldwork closes (closing publishes).
    Coalescing: if the current set already reflects the aggregates (and not ``force``), do nothing
    and return None, so a burst of refresh tasks builds once. The new set replaces the old in one
    transaction; the set before it is kept for readers part-way through a page.
    """
    ScorecardState.objects.get_or_create(cycle_id=cycle_id)
    state = ScorecardState.objects.select_for_update().get(cycle_id=cycle_id)
    if state.publish_queued_at is not None:
        # From here on, a refresh queues the next publish.
        state.publish_queued_at = None
        state.save(update_fields=["publish_queued_at"])
    if not Cycle.objects.filter(pk=cycle_id, state__in=RESULTS_STATES).exists():
        return None
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
