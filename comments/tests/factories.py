"""Build a small cycle with free-text comments for the moderation tests.

Area teams: Q44 has exactly ``COMMENTS_MIN_BASE`` (8) responses, so its comments can be read; Q53 has 7,
one short, so its comments never reach an analyst; Q45 has 9. Comments go through the contractor
import (the same submission path as the web) and get their moderation records as the receiver would.
"""

from accounts.models import LeadRole
from comments.models import CommentModeration
from comments.services import comment_moderate, comments_register
from organisations.models import CCG
from scorecards.tests.factories import import_responses, recompute_and_publish
from surveys.defaults import comment_code
from surveys.models import Answer, Cycle, CycleState
from surveys.services import cycle_create, cycle_set_state

LEAD_ROLES = tuple(LeadRole.values)  # clinical, managerial, financial
RESPONSES = {"Q44": 8, "Q53": 7, "Q45": 9}
NAMED = "Dr Helen Marsh at the area team always answers within a day."
REDACTED = "[name removed] at the area team always answers within a day."
COMMENTS = {
    "Q44": [
        ("COMMON-PURPOSE", NAMED),
        ("COMMON-PURPOSE", "Decisions on primary care arrive late and without explanation."),
        ("HONESTY", "We would like earlier sight of national guidance."),
        ("AREA-TEAM", "Assurance meetings feel like a checklist."),
    ],
    "Q53": [("COMMON-PURPOSE", "Below the threshold: Q53 has only seven responses.")],
    "Q45": [("HONESTY", "Specialised commissioning decisions are made without us.")],
}


def seed_comments(
    year: int = 2014,
    *,
    state: str = CycleState.CLOSED,
    responses: dict | None = None,
    comments: dict | None = None,
    figures: bool = False,
) -> Cycle:
    """Create a cycle with the default questionnaire, responses per area team, some with a comment.

    Closed by default: comments are moderated once fieldwork has closed (nobody lists them before).

    Each response answers one statement; the first responses of an area team carry its comments.
    ``figures`` builds its scorecards too (a second or so), for pages that show them.
    """
    responses = RESPONSES if responses is None else responses
    comments = COMMENTS if comments is None else comments
    cycle = cycle_set_state(cycle=cycle_create(year=year), state=CycleState.OPEN)
    rows = []
    for area_team, count in responses.items():
        ccgs = list(
            CCG.objects.filter(area_team__ods_code=area_team).order_by("ods_code").values_list("ods_code", flat=True)
        )
        texts = comments.get(area_team, [])
        for i in range(count):
            answers = {"CP-SHARED-GOALS": 4}
            if i < len(texts):
                section, text = texts[i]
                answers[comment_code(section)] = text
            rows.append((ccgs[i % len(ccgs)], LEAD_ROLES[i % 3], answers))
    import_responses(cycle, rows)
    comments_register(cycle_id=cycle.pk)
    if figures:
        recompute_and_publish(cycle)
    if state in (CycleState.CLOSED, CycleState.PUBLISHED):
        cycle = cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
    if state == CycleState.PUBLISHED:
        cycle = cycle_set_state(cycle=cycle, state=CycleState.PUBLISHED)
    return cycle


def comment(written: str) -> CommentModeration:
    """Return the moderation record of the comment written as ``written``."""
    return CommentModeration.objects.get(answer__text=written)


def answer_text(record: CommentModeration) -> str:
    return Answer.objects.get(pk=record.answer_id).text


def moderate(user, written: str, **changes) -> CommentModeration:
    """Moderate the comment written as ``written`` as ``user`` (status=..., text=...)."""
    return comment_moderate(user=user, comment=comment(written), **changes)
