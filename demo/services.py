"""The local demo's results: a published previous year with realistic, synthetic responses.

The shape follows the 2013 survey: about 569 leads invited across the 211 CCGs, about 48% of them
responding, with area teams that differ, so that league tables, bands, suppression and change have
something to show. Every answer is made up; nothing here describes a real organisation's views.
"""

import csv
import datetime as dt
import io
import random
from contextlib import contextmanager

from django.db import transaction

from accounts.models import LeadRole
from comments import receivers as comment_receivers
from comments.services import comments_register
from organisations.models import CCG, AreaTeam
from scorecards import receivers as scorecard_receivers
from scorecards.services.aggregation import scorecards_recompute
from scorecards.services.publishing import scorecards_publish
from surveys.models import Cycle, CycleState, Invitation, Question, QuestionType
from surveys.services import (
    cycle_create,
    cycle_set_state,
    invitations_import,
    response_get_or_create_draft,
    response_save_draft,
    responses_import,
)

LEAD_ROLES = tuple(LeadRole.values)  # clinical, managerial, financial
DEMO_AREA_TEAM = "Q44"  # the demo area team member's (accounts.services.DEMO_ACCOUNTS)
# Agreement and disagreement reported nationally in 2013, for the statements it reported on (DESIGN.md §1):
# 64% agreed their area team worked effectively with them (21% disagreed); 19% primary care commissioning
# (55%); 31% a shared vision for primary care (43%); about one in three the support CCGs need. Elsewhere
# 45% agree and the rest split as for the area team (15% neither).
BASE_AGREEMENT = {"AT-EFFECTIVE": 0.64, "PC-EFFECTIVE": 0.19, "PC-VISION": 0.31, "SUPPORT": 0.33}
BASE_DISAGREEMENT = {"AT-EFFECTIVE": 0.21, "PC-EFFECTIVE": 0.55, "PC-VISION": 0.43, "SUPPORT": 0.45}
NEITHER_DEFAULT = 0.15
# Real differences: each area team's agreement moves by a draw of this spread (its culture), and each
# respondent's by another (their own experience), both kept within [0.03, 0.97].
AREA_TEAM_SPREAD = 0.12
RESPONDENT_SPREAD = 0.12
# The open year's fieldwork so far (DESIGN.md: 48% responded in the whole of 2013).
OPEN_SUBMITTED_SHARE = 0.30
OPEN_STARTED_SHARE = 0.12
COMMENT_RATE = 0.12
# Each area team assesses itself (issue 14) a little more kindly than its leads see it, so that the demo's
# scorecards have blind spots as well as gaps within a third of the scale.
SELF_OPTIMISM = 0.2
DEMO_AREA_TEAM_MEMBER = "areateam@example.nhs.uk"  # accounts.services.DEMO_ACCOUNTS


def _self_invitations_csv() -> tuple[bytes, list[tuple[str, str]]]:
    """Return the invitations file of every area team's self-assessment (the demo member answers Q44's)."""
    rows = []
    for area_team in AreaTeam.objects.order_by("ods_code"):
        email = (
            DEMO_AREA_TEAM_MEMBER
            if area_team.ods_code == DEMO_AREA_TEAM
            else f"demo-self-{area_team.ods_code.lower()}@example.nhs.uk"
        )
        rows.append((email, area_team.ods_code))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "rater_group", "ccg_code", "lead_role", "area_team_code"])
    for email, area_team_code in rows:
        writer.writerow([email, f"Demo area team {area_team_code}", "self", "", "", area_team_code])
    return out.getvalue().encode(), rows


@contextmanager
def scorecard_refresh_paused():
    """Stop per-response refreshes while a bulk load runs; the caller recomputes once afterwards."""
    scorecard_receivers.disconnect()
    comment_receivers.disconnect()
    try:
        yield
    finally:
        scorecard_receivers.connect()
        comment_receivers.connect()


def _invitations_csv(rng: random.Random) -> tuple[bytes, list[tuple[str, str, str]]]:
    rows = []
    for ccg in CCG.objects.select_related("area_team").order_by("ods_code"):
        for lead_role in LEAD_ROLES:
            if rng.random() < 0.9:  # a few CCGs had a post vacant or shared
                rows.append((f"demo-{ccg.ods_code.lower()}-{lead_role}@example.nhs.uk", ccg.ods_code, lead_role))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "ccg_code", "lead_role"])
    for email, ccg_code, lead_role in rows:
        writer.writerow([email, f"Demo {lead_role} lead {ccg_code}", ccg_code, lead_role])
    return out.getvalue().encode(), rows


def _answer(rng: random.Random, p_agree: float, p_neither: float, positively_worded: bool) -> str:
    """Draw one answer: ~3% blank, ~5% don't know, else agree with ``p_agree`` (about a third strongly)."""
    draw = rng.random()
    if draw < 0.03:
        return ""
    if draw < 0.08:
        return "DK"
    p = rng.random()
    if not positively_worded:  # favourable is disagreeing: draw disagreement with the favourable share
        if p < p_agree * 0.35:
            return "1"
        if p < p_agree:
            return "2"
        if p < p_agree + p_neither:
            return "3"
        return "4" if rng.random() < 0.6 else "5"
    if p < p_agree * 0.35:
        return "5"
    if p < p_agree:
        return "4"
    if p < p_agree + p_neither:
        return "3"
    return "2" if rng.random() < 0.6 else "1"


def _clip(p: float) -> float:
    return min(0.97, max(0.03, p))


def _responses_csv(
    rng: random.Random,
    cycle: Cycle,
    invited: list[tuple[str, str, str]],
    year: int,
    *,
    share: dict | None = None,
    self_invited: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """Return a contractor's file of synthetic responses of ``invited`` leads (those who respond, by area team).

    ``share`` gives each area team's response share (default: drawn between 25% and 70%). ``self_invited``
    (email, area team code): self-assessments, one per area team, every one returned, ``SELF_OPTIMISM`` kinder.
    """
    questions = list(Question.objects.filter(questionnaire__cycle=cycle).order_by("section__order", "order"))
    area_team_of = dict(CCG.objects.values_list("ods_code", "area_team__ods_code"))
    area_teams = sorted(set(area_team_of.values()))
    effect = {code: rng.gauss(0, AREA_TEAM_SPREAD) for code in area_teams}
    response_rate = share or {code: rng.uniform(0.25, 0.7) for code in area_teams}
    response_rate[DEMO_AREA_TEAM] = max(response_rate.get(DEMO_AREA_TEAM, 0), 0.75)  # the demo area team's scorecard
    comments = _comment_maker(rng)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "submitted_at", *(q.code for q in questions)])
    respondents = [(email, area_team_of[ccg_code], False) for email, ccg_code, _ in invited]
    respondents += [(email, area_team, True) for email, area_team in self_invited]
    for email, area_team, is_self in respondents:
        if not is_self and rng.random() > response_rate[area_team]:
            continue
        submitted = dt.datetime(year, 6, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(60 * 24 * 40))
        own = SELF_OPTIMISM if is_self else rng.gauss(0, RESPONDENT_SPREAD)
        values = []
        for q in questions:
            if q.type == QuestionType.AGREEMENT:
                agree = BASE_AGREEMENT.get(q.code, 0.45)
                neither = 1 - agree - BASE_DISAGREEMENT[q.code] if q.code in BASE_DISAGREEMENT else NEITHER_DEFAULT
                values.append(_answer(rng, _clip(agree + effect[area_team] + own), neither, q.positively_worded))
            elif q.type == QuestionType.FREE_TEXT:
                values.append(comments(q.section.code) if not is_self and rng.random() < COMMENT_RATE else "")
            else:
                values.append("")
        writer.writerow([email, submitted.isoformat(), *values])
    return out.getvalue().encode()


# Comments are put together per section from parts (an opening, what happened, what would help), so that
# no two read the same; a few name made-up people, so that the moderation queue has names to redact.
COMMENT_PARTS = {
    "COMMON-PURPOSE": (
        (
            "We share the area team's priorities on paper,",
            "Our plans and the area team's now line up better,",
            "The area team talks about shared goals,",
        ),
        (
            "but urgent care is still planned without us.",
            "though the QIPP targets arrive already decided.",
            "yet our health and wellbeing board hears about changes first.",
            "but integration money is allocated late.",
        ),
    ),
    "LEADERSHIP": (
        (
            "Local decisions are mostly left to us,",
            "We are trusted with our own priorities,",
            "The area team steps in more than it needs to,",
        ),
        (
            "except where national targets are concerned.",
            "but every business case still goes up for sign-off.",
            "and that has helped our governing body take ownership.",
            "though accountability for specialised services is unclear.",
        ),
    ),
    "HONESTY": (
        (
            "We are told about problems late,",
            "Feedback from the area team is frank,",
            "Information about allocations is shared more openly this year,",
        ),
        (
            "often after decisions have been made.",
            "which we value even when it is uncomfortable.",
            "but the reasons behind decisions are rarely explained.",
            "and the monthly briefing has helped.",
        ),
    ),
    "AREA-TEAM": (
        (
            "Assurance meetings with the area team",
            "Our relationship manager at the area team",
            "The area team's primary care staff",
        ),
        (
            "feel like a checklist rather than a conversation.",
            "are responsive but stretched thin.",
            "changed three times this year, which set us back.",
            "have been helpful on estates and premises.",
        ),
    ),
    "COMMISSIONING": (
        ("Primary care commissioning", "Specialised commissioning", "Co-commissioning of GP services"),
        (
            "is where we see the least joint working.",
            "decisions reach us without any local input.",
            "has improved since the joint committee started.",
            "still has no clear route for CCG views.",
        ),
    ),
    "SUPPORT-NATIONAL": (
        ("National support and development", "The national guidance we receive", "Support from the centre"),
        (
            "is hard to find: we do not know who to ask for what.",
            "arrives too close to deadlines to plan for.",
            "has been useful for our organisational development.",
            "is generic and rarely fits our local position.",
        ),
    ),
}
NAMED_PARTS = (
    "Dr Helen Marsh",
    "Gareth Pryce",
    "Priya Anand",
    "Mr Tom Whitfield",
    "Mrs Joan Okafor",
    "Sam Reyes",
)


def _comment_maker(rng: random.Random):
    """Return a function that makes a distinct comment for a section each time it is called."""
    used: set[str] = set()

    def make(section: str) -> str:
        openings, details = COMMENT_PARTS.get(section, COMMENT_PARTS["AREA-TEAM"])
        for _ in range(50):
            text = f"{rng.choice(openings)} {rng.choice(details)}"
            if rng.random() < 0.15:
                text += f" {rng.choice(NAMED_PARTS)} has raised this with us more than once."
            elif rng.random() < 0.5:
                text += rng.choice(
                    (
                        " This matters to our governing body.",
                        " We raised it at the last quarterly review.",
                        " It is better than last year.",
                        " It has not changed since last year.",
                        " Our member practices notice it too.",
                        " We would welcome a conversation about it.",
                    )
                )
            if text not in used:
                used.add(text)
                return text
        return text

    return make


def demo_results_ensure(*, year: int, seed: int = 2013) -> Cycle:
    """Make sure ``year`` is a published cycle with synthetic responses and comments waiting for moderation.

    Safe to run again (no change).
    """
    existing = Cycle.objects.filter(year=year).first()
    if existing is not None and existing.state == CycleState.PUBLISHED:
        return existing
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    with scorecard_refresh_paused(), transaction.atomic():
        cycle = existing or cycle_create(year=year, opens_on=dt.date(year, 5, 1), closes_on=dt.date(year, 7, 15))
        if cycle.state == CycleState.DRAFT:
            cycle = cycle_set_state(cycle=cycle, state=CycleState.OPEN)
        raw, invited = _invitations_csv(rng)
        self_raw, self_invited = _self_invitations_csv()
        if cycle.state == CycleState.OPEN:
            invitations_import(cycle=cycle, raw=raw)
            # The self-assessment switched on as cycle_set_rater_groups would (a durable service: it cannot run
            # inside this one transaction of the whole demo year).
            Cycle.objects.filter(pk=cycle.pk).update(self_assessment=True)
            cycle.refresh_from_db()
            invitations_import(cycle=cycle, raw=self_raw)
            cycle = cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
        if not cycle.responses.exists():
            responses_import(
                cycle=cycle, raw=_responses_csv(rng, cycle, invited, year, self_invited=tuple(self_invited))
            )
    scorecards_recompute(cycle_id=cycle.pk)
    scorecards_publish(cycle_id=cycle.pk, force=True)
    comments_register(cycle_id=cycle.pk)
    return cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)


DEMO_LEAD_EMAIL = "lead@example.nhs.uk"
DEMO_LEAD_POST = ("01C", "clinical")  # the demo lead's CCG and role (accounts.services.DEMO_ACCOUNTS)


def _open_invitations_csv() -> tuple[bytes, list[tuple[str, str, str]]]:
    """Return every CCG's three leads (the demo lead standing for 01C's clinical lead) as an invitations file."""
    rows = []
    for ccg in CCG.objects.order_by("ods_code"):
        for lead_role in LEAD_ROLES:
            email = f"demo-{ccg.ods_code.lower()}-{lead_role}@example.nhs.uk"
            if (ccg.ods_code, lead_role) == DEMO_LEAD_POST:
                email = DEMO_LEAD_EMAIL
            rows.append((email, ccg.ods_code, lead_role))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "ccg_code", "lead_role"])
    for email, ccg_code, lead_role in rows:
        writer.writerow([email, f"Demo {lead_role} lead {ccg_code}", ccg_code, lead_role])
    return out.getvalue().encode(), rows


def demo_fieldwork_ensure(*, year: int, seed: int = 2014) -> Cycle:
    """Make sure ``year`` is open with every CCG's three leads invited and fieldwork under way.

    Invitations went out on 1 May; about 30% have submitted (spread over May and June, by area team),
    about 12% more have started a draft, a third of the rest have had a reminder, and the demo lead
    (lead@example.nhs.uk, 01C's clinical lead) is invited and has not started. No closing date is set, so
    reminders can be tried. Safe to run again (no change once invitations exist).
    """
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is not None and Invitation.objects.filter(cycle=cycle).count() > 1:
        return cycle
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    with scorecard_refresh_paused(), transaction.atomic():
        cycle = cycle or cycle_create(year=year, opens_on=dt.date(year, 5, 1))
        if cycle.state == CycleState.DRAFT:
            cycle = cycle_set_state(cycle=cycle, state=CycleState.OPEN)
        raw, invited = _open_invitations_csv()
        invitations_import(cycle=cycle, raw=raw)
        sent = dt.datetime(year, 5, 1, 9, 0, tzinfo=dt.UTC)
        Invitation.objects.filter(cycle=cycle).update(sent_at=sent)
        others = [row for row in invited if row[0] != DEMO_LEAD_EMAIL]
        area_team_of = dict(CCG.objects.values_list("ods_code", "area_team__ods_code"))
        share = {at: _clip(rng.gauss(OPEN_SUBMITTED_SHARE, 0.12)) for at in set(area_team_of.values())}
        responses_import(cycle=cycle, raw=_responses_csv(rng, cycle, others, year, share=share))
        waiting = list(Invitation.objects.filter(cycle=cycle, submitted_at__isnull=True).select_related("user"))
        questions = list(
            Question.objects.filter(questionnaire__cycle=cycle, type=QuestionType.AGREEMENT).values_list(
                "code", flat=True
            )
        )
        for invitation in waiting:
            if invitation.user.email == DEMO_LEAD_EMAIL:
                continue
            if rng.random() < OPEN_STARTED_SHARE / (1 - OPEN_SUBMITTED_SHARE):
                draft = response_get_or_create_draft(invitation=invitation)
                answered = rng.sample(questions, rng.randrange(3, len(questions)))
                response_save_draft(response=draft, answers={code: rng.choice((2, 3, 4, 5)) for code in answered})
                Invitation.objects.filter(pk=invitation.pk).update(
                    opened_at=sent + dt.timedelta(days=rng.randrange(1, 20))
                )
            elif rng.random() < 0.33:
                Invitation.objects.filter(pk=invitation.pk).update(
                    reminder_count=1, last_reminded_at=sent + dt.timedelta(days=14)
                )
        Invitation.objects.filter(cycle=cycle, submitted_at__isnull=False).update(opened_at=sent)
    comments_register(cycle_id=cycle.pk)
    return cycle
