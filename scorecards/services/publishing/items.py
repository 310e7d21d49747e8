"""A cycle's scorecard items (overall, behaviours, roles, questions) and the cells they are published in."""

from dataclasses import dataclass

from accounts.models import LeadRole
from scorecards.models import (
    OVERALL_CODE,
    ItemKind,
)
from surveys.models import CycleState, Question, QuestionType
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
