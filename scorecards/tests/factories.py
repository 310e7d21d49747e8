"""Build small, exactly known cycles for the scorecard tests.

``make_cycle`` writes a tiny questionnaire straight into the models (so every figure can be worked
out by hand); ``import_responses`` submits answers through the contractor import, i.e. the same
submission path as the web, without queueing anything (tests apply or recompute explicitly).
"""

import csv
import datetime as dt
import io
import random
import re
from html import unescape
from typing import NamedTuple

from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.models import CCG
from scorecards.models import ENGLAND_CODE, Scorecard, ScorecardAggregate, ScorecardCcgAggregate, ScorecardState
from scorecards.services import scorecards_publish, scorecards_recompute
from surveys.models import Cycle, CycleState, Invitation, Question, Questionnaire, QuestionType, Response, Section
from surveys.models import QuestionType as QT
from surveys.services import cycle_create, cycle_set_state, responses_import
from surveys.tests.factories import InvitationFactory, LeadFactory
from ways_of_working.models import Behaviour, Role

FREE_TEXT = "free_text"


class Q(NamedTuple):
    code: str
    text: str
    behaviour: str | None = None
    role: str | None = None
    positively_worded: bool = True
    type: str = QuestionType.AGREEMENT


def make_cycle(year: int, state: str, questions: list[Q]) -> Cycle:
    """Create a cycle in ``state`` whose questionnaire is exactly ``questions`` (one section)."""
    cycle = Cycle.objects.create(year=year, state=state)
    questionnaire = Questionnaire.objects.create(cycle=cycle)
    section = Section.objects.create(questionnaire=questionnaire, order=1, code="ONLY", title="Only section")
    for order, q in enumerate(questions, start=1):
        behaviour = role = None
        if q.behaviour:
            behaviour, _ = Behaviour.objects.get_or_create(
                code=q.behaviour, defaults={"name": f"Behaviour {q.behaviour}"}
            )
        if q.role:
            role, _ = Role.objects.get_or_create(code=q.role, defaults={"name": f"Role {q.role}"})
        Question.objects.create(
            questionnaire=questionnaire,
            section=section,
            order=order,
            code=q.code,
            text=q.text,
            type=q.type,
            behaviour=behaviour,
            role=role,
            positively_worded=q.positively_worded,
        )
    return cycle


LEAD_ROLES = ("clinical", "managerial", "financial")
# The pooled views a rater group's answers also count in (the self-assessment counts in none).
POOLS_OF = {
    **{role: ("", "others") for role in LEAD_ROLES},
    **{group: ("partners", "others") for group in ("practice", "patients", "local_government")},
}
PARTNER_GROUPS = ("practice", "patients", "local_government")


def invite(cycle: Cycle, ccg_code: str, rater_group: str) -> Invitation:
    """Invite a new person of ``ccg_code`` (or of its area team) in ``rater_group`` to ``cycle``.

    A lead role invites a lead of the CCG; a GP member practice is placed in the CCG; patients'
    representatives, local government and the self-assessment appraise the CCG's area team directly.
    """
    if rater_group in LEAD_ROLES:
        return InvitationFactory(cycle=cycle, user=LeadFactory(ccg_code=ccg_code, lead_role=rater_group))
    area_team = CCG.objects.select_related("area_team").get(ods_code=ccg_code).area_team
    if rater_group == "self":
        user = UserFactory(role="area_team_member", area_team_code=area_team.ods_code)
        return InvitationFactory(cycle=cycle, user=user, ccg=None, area_team=area_team, rater_group="self")
    user = UserFactory(role="partner", area_team_code=area_team.ods_code)
    ccg = CCG.objects.get(ods_code=ccg_code) if rater_group == "practice" else None
    return InvitationFactory(cycle=cycle, user=user, ccg=ccg, area_team=area_team, rater_group=rater_group)


def csv_bytes(codes: list[str], rows: list[tuple[str, dict]]) -> bytes:
    """Return a contractor CSV: ``email`` then ``codes``; values as in the file (5..1, DK, text or "")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", *codes])
    for email, answers in rows:
        writer.writerow([email, *(str(answers.get(code, "")) for code in codes)])
    return out.getvalue().encode()


def import_responses(cycle: Cycle, rows: list[tuple[str, str, dict]]) -> list[Response]:
    """Invite one lead per ``(ccg_code, rater_group, answers)`` row and import their answers; return the responses."""
    invitations = [invite(cycle, ccg, role) for ccg, role, _ in rows]
    return import_for(cycle, [(inv, answers) for inv, (_, _, answers) in zip(invitations, rows, strict=True)])


def import_for(cycle: Cycle, rows: list[tuple[Invitation, dict]]) -> list[Response]:
    """Import ``answers`` for existing invitations; return the responses in row order."""
    codes = list(Question.objects.filter(questionnaire__cycle=cycle).order_by("order").values_list("code", flat=True))
    responses_import(cycle=cycle, raw=csv_bytes(codes, [(inv.user.email, answers) for inv, answers in rows]))
    by_invitation = {r.invitation_id: r for r in Response.objects.filter(cycle=cycle)}
    return [by_invitation[inv.pk] for inv, _ in rows]


def close_fieldwork(cycle: Cycle) -> Cycle:
    """Move an open (or draft) cycle to closed, as closing fieldwork does: figures are built only after it."""
    if cycle.state in (CycleState.DRAFT, CycleState.OPEN):
        Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
        cycle.state = CycleState.CLOSED
    return cycle


def recompute_and_publish(cycle: Cycle):
    """Close the cycle's fieldwork if it is still open, rebuild its aggregates from scratch and publish them;
    return the new set."""
    close_fieldwork(cycle)
    scorecards_recompute(cycle_id=cycle.pk, rescore=True)
    return scorecards_publish(cycle_id=cycle.pk, force=True)


def current_rows(cycle: Cycle):
    """Return the rows of the cycle's current published set."""
    state = ScorecardState.objects.get(cycle=cycle)
    return Scorecard.objects.filter(scorecard_set_id=state.current_set_id)


def cell(cycle: Cycle, level: str, org: str, kind: str, code: str, rater_group: str = "") -> Scorecard:
    """Return one published cell of the cycle's current set."""
    return current_rows(cycle).get(level=level, org_code=org, kind=kind, code=code, rater_group=rater_group)


AGGREGATE_FIELDS = (
    "area_team_id",
    "rater_group",
    "kind",
    "code",
    "n5",
    "n4",
    "n3",
    "n2",
    "n1",
    "dk",
    "favourable",
    "unfavourable",
    "people",
    "score_sum",
    "score_sumsq",
    "answers",
)

SCORECARD_FIELDS = tuple(f.name for f in Scorecard._meta.concrete_fields if f.name not in {"id", "scorecard_set"})


def aggregate_snapshot(cycle: Cycle) -> list[tuple]:
    """Return every aggregate row of the cycle as sorted tuples of all its statistics."""
    return sorted(ScorecardAggregate.objects.filter(cycle=cycle).values_list(*AGGREGATE_FIELDS))


def ccg_aggregate_snapshot(cycle: Cycle) -> list[tuple]:
    """Return every CCG aggregate row of the cycle ("each CCG counts once") as sorted tuples of its statistics."""
    fields = [f.name for f in ScorecardCcgAggregate._meta.concrete_fields if not f.primary_key]
    return sorted(ScorecardCcgAggregate.objects.filter(cycle=cycle).values_list(*fields))


def ccg_classes(cycle: Cycle) -> dict:
    """Return {(org code, kind, code): {k}}: the sizes of the CCGs' groups of leads in each cell, as someone
    who knows who responded from each CCG would (``attack.recover`` is given them)."""
    from organisations.models import AreaTeam

    teams = {at.pk: (at.ods_code, at.region.ods_code) for at in AreaTeam.objects.select_related("region")}
    out: dict = {}
    for area_team_id, kind, code, people in ScorecardCcgAggregate.objects.filter(cycle=cycle).values_list(
        "area_team_id", "kind", "code", "people"
    ):
        for org in (*teams[area_team_id], ENGLAND_CODE):
            out.setdefault((org, kind, code), set()).add(people)
    return out


def scorecard_snapshot(scorecard_set) -> list[tuple]:
    """Return every published row of a set as sorted tuples of all its fields (ids excluded)."""
    return sorted(
        Scorecard.objects.filter(scorecard_set=scorecard_set).values_list(*SCORECARD_FIELDS),
        key=lambda row: tuple((value is None, str(value)) for value in row),
    )


def disclosure_leaks(cycle: Cycle) -> list[tuple]:
    """Return every relation "parent = sum of children" of the cycle's published set with exactly one
    suppressed cell (which the others would give away). The relations are rebuilt here from the aggregates,
    independently of the publishing code, over every cell someone answered in (even if only "don't know").
    """
    from collections import defaultdict

    from organisations.models import AreaTeam

    teams = {at.pk: (at.ods_code, at.region.ods_code) for at in AreaTeam.objects.select_related("region")}
    base: dict = defaultdict(int)
    for at_id, rater_group, kind, code, people, dk in ScorecardAggregate.objects.filter(cycle=cycle).values_list(
        "area_team_id", "rater_group", "kind", "code", "people", "dk"
    ):
        at, region = teams[at_id]
        # A cell holds someone if anyone has a figure there or (the whole of their answer) said "don't know".
        someone = people + dk
        for org in (at, region, "ENG"):
            for lr in (rater_group, *POOLS_OF.get(rater_group, ())):
                base[(org, kind, code, lr)] += someone
    suppressed = {
        (org, kind, code, lr)
        for org, kind, code, lr in current_rows(cycle)
        .filter(suppressed=True)
        .values_list("org_code", "kind", "code", "rater_group")
    }
    regions = defaultdict(list)
    for at, region in teams.values():
        regions[region].append(at)
    relations = []
    views = {key[3] for key in base} - {"self"}
    for kind, code in {(k, c) for _, k, c, _ in base}:
        for lr in sorted(views | {"", *LEAD_ROLES}):
            relations.append((("ENG", kind, code, lr), [(r, kind, code, lr) for r in regions]))
            for region, ats in regions.items():
                relations.append(((region, kind, code, lr), [(at, kind, code, lr) for at in ats]))
        for org in ["ENG", *regions, *(at for at, _ in teams.values())]:
            relations.append(((org, kind, code, ""), [(org, kind, code, lr) for lr in LEAD_ROLES]))
            if views & set(PARTNER_GROUPS):
                relations.append(((org, kind, code, "partners"), [(org, kind, code, g) for g in PARTNER_GROUPS]))
                relations.append(((org, kind, code, "others"), [(org, kind, code, g) for g in ("", "partners")]))
    leaks = []
    for parent, kids in relations:
        # A hidden cell is an unknown to whoever reads the figures, even one whose people only said "don't know"
        # (a group's base is then 0, but the figures show it as hidden, not as empty).
        hidden = [key for key in (parent, *kids) if key in suppressed]
        if len(hidden) == 1:
            leaks.append((parent, hidden[0]))
    return leaks


# The hand-computed cycles of test_figures (2013, then 2014), shared by the tests that need known figures.


C, M, F = "clinical", "managerial", "financial"


QUESTIONS_2013 = [
    Q("T-POS", "NHS England listens to my CCG.", behaviour="T-B", role="T-R"),
    Q("T-NEG", "My CCG hears of NHS England decisions too late.", behaviour="T-B", positively_worded=False),
    Q("T-RW", "My area team is easy to contact.", role="T-R"),
    Q("T-COMMENT", "Any comments?", type=QT.FREE_TEXT),
]


QUESTIONS_2014 = [*QUESTIONS_2013[:2], Q("T-RW", "My area team is easy to reach.", role="T-R"), QUESTIONS_2013[3]]


def lead_rows(ccg: str, role: str, answers: list[tuple], comment: str = "") -> list[tuple]:
    rows = [(ccg, role, {"T-POS": p, "T-NEG": n, "T-RW": r}) for p, n, r in answers]
    if comment:
        rows[0][2]["T-COMMENT"] = comment
    return rows


RESPONSES_2014 = [
    *lead_rows("01C", C, [(4, 2, 4), (4, 2, 3), (3, 1, 4)], comment="Helpful."),
    *lead_rows("01R", M, [(5, 1, 5), (2, 4, 2), (4, 2, 4)]),
    *lead_rows("00C", C, [(5, 2, 4), (4, 3, 4), (1, 5, 1)]),
    *lead_rows("00T", C, [(5, 1, 5), (5, 1, 4), (4, 2, 4), (4, 3, 3), (4, 4, 4), (3, 5, 2), (2, "DK", 3), (1, "", 2)]),
    *lead_rows("00V", M, [(5, 2, 5), (4, 1, 4)], comment="Slow to reply."),
    *lead_rows("00W", F, [(4, 1, 4), (4, 2, 4), (3, 2, 3), (2, 4, 2), (5, 3, 5)]),
    *lead_rows("05A", C, [(5, 1, 5), (5, 2, 4), (4, 2, 4), (3, 2, 3), (3, 4, 3)]),
]


RESPONSES_2013 = [
    *lead_rows(
        "00T",
        C,
        list(zip([3, 3, 2, 2, 1, 4, 3, 2, 5, 1], [3, 3, 4, 4, 5, 2, 3, 4, 1, 5], [3] * 10, strict=True)),
    ),
    *lead_rows("05A", C, list(zip([4, 4, 5], [2, 2, 1], [4] * 3, strict=True))),
    *lead_rows("04X", C, list(zip([4, 3, 3, 2, 4, 5, 3, 2], [2] * 8, [4] * 8, strict=True))),
]


# A cycle with the default questionnaire and area teams rated well, badly and in between (the pages' tests).


PAGE_LEAD_ROLES = ("clinical", "managerial", "financial")


# Answer pools: a team CCGs rate well, one they rate badly, and the rest in between.
GOOD, BAD, MIXED = [5, 5, 4, 4, 4, 3], [1, 1, 2, 2, 3, 4], [1, 2, 3, 4, 5, "DK"]


GOOD_TEAM, BAD_TEAM = "Q44", "Q53"


# Q45 has 3 responses: suppressed (primary); in its region Y54 the next smallest, Q46, is suppressed too.
SMALL = {"Q44": 12, "Q45": 3, "Q46": 6, "Q47": 9, "Q53": 10, "Q55": 8}


SUPPRESSED_TEAMS = ("Q45", "Q46")


def seed_cycle(year: int, per_area_team: dict[str, int], *, state: str, silent_ccgs: int = 0, seed: int = 1) -> Cycle:
    """Create a cycle with the default questionnaire and submitted responses, built into scorecards.

    ``per_area_team`` says how many responses each area team gets (spread over its CCGs and the three
    lead roles); ``silent_ccgs`` CCGs more are invited, sent their invitation 10 days ago and never answer.
    An open cycle is left in fieldwork, with no figures; a closed or published one is built and published.
    """
    rnd = random.Random(seed)
    cycle = cycle_set_state(cycle=cycle_create(year=year), state=CycleState.OPEN)
    codes = list(
        Question.objects.filter(questionnaire__cycle=cycle, type=QuestionType.AGREEMENT).values_list("code", flat=True)
    )
    ccgs: dict = {}
    for ccg, at in CCG.objects.order_by("ods_code").values_list("ods_code", "area_team__ods_code"):
        ccgs.setdefault(at, []).append(ccg)
    rows = []
    for at, n in per_area_team.items():
        pool = GOOD if at == GOOD_TEAM else BAD if at == BAD_TEAM else MIXED
        for i in range(n):
            rows.append((ccgs[at][i % len(ccgs[at])], PAGE_LEAD_ROLES[i % 3], {c: rnd.choice(pool) for c in codes}))
    import_responses(cycle, rows)
    answered = {ccg for ccg, _, _ in rows}
    silent = [c for at in sorted(ccgs) for c in ccgs[at] if c not in answered][:silent_ccgs]
    for ccg in silent:
        invite(cycle, ccg, "clinical")
    Invitation.objects.filter(cycle=cycle, submitted_at__isnull=True).update(
        sent_at=timezone.now() - dt.timedelta(days=10)
    )
    if state == CycleState.OPEN:
        return cycle  # fieldwork: no figures are built until it closes
    recompute_and_publish(cycle)
    cycle.refresh_from_db()
    if state == CycleState.PUBLISHED:
        cycle = cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)
    return cycle


def text_of(html: str) -> str:
    """Return the text a reader sees (tags removed, whitespace collapsed)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
