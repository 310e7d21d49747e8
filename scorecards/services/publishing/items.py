"""A cycle's scorecard items (overall, behaviours, roles, questions) and the cells they are published in."""

from dataclasses import dataclass
from operator import attrgetter

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
    # A behaviour's or a role's item pools the questions tagged with it.
    for kind, model, tag_of, code_field, first in (
        (ItemKind.BEHAVIOUR, Behaviour, attrgetter("behaviour_id"), "behaviour_code", 100),
        (ItemKind.ROLE, Role, attrgetter("role_id"), "role_code", 200),
    ):
        tagged = {tag_of(q) for q in questions} - {None}
        for i, group in enumerate(model.objects.filter(pk__in=tagged).order_by("order", "code"), start=1):
            codes = tuple(q.code for q in questions if tag_of(q) == group.pk)
            items.append(
                Item(
                    kind,
                    group.code,
                    group.name,
                    first + i,
                    **{code_field: group.code},
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
