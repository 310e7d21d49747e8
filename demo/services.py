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
from organisations.models import CCG
from scorecards import receivers as scorecard_receivers
from scorecards.services.aggregation import scorecards_recompute
from scorecards.services.publishing import scorecards_publish
from surveys.models import Cycle, CycleState, Question, QuestionType
from surveys.services import cycle_create, cycle_set_state, invitations_import, responses_import

LEAD_ROLES = tuple(LeadRole.values)  # clinical, managerial, financial
DEMO_AREA_TEAM = "Q44"  # the demo area team member's (accounts.services.DEMO_ACCOUNTS)
# Agreement reported nationally in 2013, for the statements it reported on; 45% elsewhere.
BASE_AGREEMENT = {"AT-EFFECTIVE": 0.64, "PC-EFFECTIVE": 0.19, "PC-VISION": 0.31, "SUPPORT": 0.33}
# Made-up comments; some name made-up people, so that the moderation queue has names to redact.
DEMO_NAMED_COMMENTS = (
    "Dr Helen Marsh from the area team has been excellent: she always comes back to us within a day.",
    "Our chief officer, Gareth Pryce, has raised the same estates problem at three meetings with no answer.",
    "Since Priya Anand left the area team nobody has picked up our co-commissioning application.",
)
DEMO_COMMENTS = (
    "Our area team listens, but decisions on primary care still arrive late and without explanation.",
    "More joint planning with the area team this year; the assurance meetings are more useful.",
    "We would like earlier sight of national guidance before it is published.",
    "Assurance still feels like a checklist exercise rather than a conversation about our local priorities.",
    "Specialised commissioning decisions are made without us and we only hear about them afterwards.",
    "The support offer is better than last year, but it is hard to find out who to ask for what.",
    "Meetings with the area team are frequent, but we rarely leave with clear actions or owners.",
    *DEMO_NAMED_COMMENTS,
)
COMMENT_RATE = 0.12


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


def _answer(rng: random.Random, p_agree: float, positively_worded: bool) -> str:
    draw = rng.random()
    if draw < 0.03:
        return ""
    if draw < 0.08:
        return "DK"
    if not positively_worded:
        p_agree = 1 - p_agree - 0.15
    p = rng.random()
    if p < p_agree * 0.35:
        return "5"
    if p < p_agree:
        return "4"
    if p < p_agree + 0.15:
        return "3"
    return "2" if rng.random() < 0.6 else "1"


def _responses_csv(rng: random.Random, cycle: Cycle, invited: list[tuple[str, str, str]], year: int) -> bytes:
    questions = list(Question.objects.filter(questionnaire__cycle=cycle).order_by("section__order", "order"))
    area_team_of = dict(CCG.objects.values_list("ods_code", "area_team__ods_code"))
    area_teams = sorted(set(area_team_of.values()))
    effect = {code: rng.uniform(-0.18, 0.18) for code in area_teams}
    response_rate = {code: rng.uniform(0.25, 0.7) for code in area_teams}
    response_rate[DEMO_AREA_TEAM] = 0.75  # so the demo area team member has a scorecard to read
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "submitted_at", *(q.code for q in questions)])
    for email, ccg_code, _ in invited:
        area_team = area_team_of[ccg_code]
        if rng.random() > response_rate[area_team]:
            continue
        submitted = dt.datetime(year, 6, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(60 * 24 * 40))
        values = []
        for q in questions:
            if q.type == QuestionType.AGREEMENT:
                p = min(0.95, max(0.05, BASE_AGREEMENT.get(q.code, 0.45) + effect[area_team]))
                values.append(_answer(rng, p, q.positively_worded))
            elif q.type == QuestionType.FREE_TEXT:
                values.append(rng.choice(DEMO_COMMENTS) if rng.random() < COMMENT_RATE else "")
            else:
                values.append("")
        writer.writerow([email, submitted.isoformat(), *values])
    return out.getvalue().encode()


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
        if cycle.state == CycleState.OPEN:
            invitations_import(cycle=cycle, raw=raw)
            cycle = cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
        if not cycle.responses.exists():
            responses_import(cycle=cycle, raw=_responses_csv(rng, cycle, invited, year))
    scorecards_recompute(cycle_id=cycle.pk)
    scorecards_publish(cycle_id=cycle.pk, force=True)
    comments_register(cycle_id=cycle.pk)
    return cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)
