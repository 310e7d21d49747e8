"""A cycle's scorecard items (overall, behaviours, roles, questions) and the cells they are published in."""

from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings

from scorecards.models import (
    ALL_LEADS,
    ALL_PARTNERS,
    EACH_CCG,
    EVERYONE_BUT_SELF,
    OVERALL_CODE,
    SELF,
    ItemKind,
)
from surveys.models import LEAD_GROUPS, PARTNER_GROUPS, CycleState, Question, QuestionType
from ways_of_working.models import Behaviour, Role

LEAD_ROLES = LEAD_GROUPS  # clinical, managerial, financial
# Each pooled view and the rater groups it adds up (DESIGN.md §4); a group's own view is itself.
POOLS = {
    ALL_LEADS: LEAD_GROUPS,
    ALL_PARTNERS: PARTNER_GROUPS,
    EVERYONE_BUT_SELF: (*LEAD_GROUPS, *PARTNER_GROUPS),
}
# Every view in the order pages and files list them. The CCG leads' views are always published (as in
# 2013); partners' and the self-assessment's only in a cycle that has some (see ``cycle_views``).
# "Each CCG counts once" is the CCG leads weighted (``weighted``), published beside them in every cycle.
RATER_VIEWS = (ALL_LEADS, EACH_CCG, *LEAD_GROUPS, EVERYONE_BUT_SELF, ALL_PARTNERS, *PARTNER_GROUPS, SELF)


def views_of(rater_group: str) -> tuple[str, ...]:
    """Return the views a rater group's answers count in: its own, and every pool holding it."""
    return (rater_group, *(pool for pool, members in POOLS.items() if rater_group in members))


def cycle_views(groups_present: set[str]) -> tuple[str, ...]:
    """Return the views to publish for a cycle whose aggregates hold ``groups_present``.

    The leads' views always; with any partner, every partner view and "everyone but self" (without
    partners, that would only repeat "CCG leads"); the self-assessment where there is one.
    """
    views = [ALL_LEADS, *LEAD_GROUPS]
    if groups_present & set(PARTNER_GROUPS):
        views += [EVERYONE_BUT_SELF, ALL_PARTNERS, *PARTNER_GROUPS]
    if SELF in groups_present:
        views.append(SELF)
    return tuple(views)


def view_min_base(view: str, default: int) -> int:
    """Return the smallest base a view's cell may publish: a rater group's own setting
    (``SUPPRESSION_MIN_BASE_BY_GROUP``), else ``default``; none for the self-assessment, which is the area
    team's own attributable view."""
    if view == SELF:
        return 0
    return settings.SUPPRESSION_MIN_BASE_BY_GROUP.get(view, default)


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
