"""Writes of cycles: creation (from last year's questionnaire) and the draft → open → closed → published path."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, DomainError
from core.services import audit_act, audit_record
from surveys.groups import GROUP_LABELS, SELF
from surveys.models import (
    PARTNER_GROUPS,
    QUESTIONNAIRE_MAX_GROUPS,
    Cycle,
    CycleState,
    Invitation,
    Question,
    Questionnaire,
)
from surveys.services.questionnaires import questionnaire_copy, questionnaire_groups_count, questionnaire_seed_default
from surveys.signals import cycle_state_changed

FIRST_YEAR, LAST_YEAR = 2013, 2100

MSG_YEAR_INVALID = f"The year must be between {FIRST_YEAR} and {LAST_YEAR}."
MSG_CYCLE_EXISTS = "There is already a cycle for {year}."
MSG_DATES_ORDER = "The closing date must be on or after the opening date."
MSG_STATE_UNKNOWN = "Unknown state {state!r}: use draft, open, closed or published."
MSG_TRANSITION = "A cycle cannot move from {current} to {target}."
MSG_ANOTHER_OPEN = "The {year} cycle is open: close it before opening another."
MSG_NO_QUESTIONS = "The questionnaire has no questions: add some before opening the cycle."
MSG_TOO_MANY_GROUPS = (
    "The questionnaire's statements count in {count} behaviour, role and overall groups, and a cycle can open "
    "with at most {limit}: remove statements or tag them with behaviours and roles already asked about."
)
MSG_DATES_PUBLISHED = "The {year} results are published: its dates can no longer change."
MSG_OPENS_ON_FIXED = "The {year} cycle has opened: its opening date can no longer change."
MSG_GROUP_UNKNOWN = "Unknown rater group {group!r}: use practice, patients or local_government."
MSG_GROUPS_FIXED = "The {year} cycle is {state}: its rater groups can no longer change."
MSG_GROUP_IN_USE = "{label} cannot be switched off: {count} {people} already invited to the {year} cycle in this group."

# closed → open reopens fieldwork (say, a deadline extended); nothing leaves published.
ALLOWED_TRANSITIONS = {
    CycleState.DRAFT: {CycleState.OPEN},
    CycleState.OPEN: {CycleState.CLOSED},
    CycleState.CLOSED: {CycleState.OPEN, CycleState.PUBLISHED},
    CycleState.PUBLISHED: set(),
}


@transaction.atomic
def cycle_create(*, year: int, opens_on: dt.date | None = None, closes_on: dt.date | None = None, actor=None) -> Cycle:
    """Create a draft cycle whose questionnaire copies the latest earlier cycle's (codes kept) or the default."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(MSG_YEAR_INVALID, code="invalid_year")
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError(MSG_DATES_ORDER, code="invalid_dates")
    if Cycle.objects.filter(year=year).exists():
        raise Conflict(MSG_CYCLE_EXISTS.format(year=year), code="cycle_exists")
    cycle = Cycle.objects.create(year=year, opens_on=opens_on, closes_on=closes_on)
    previous = Questionnaire.objects.filter(cycle__year__lt=year).order_by("-cycle__year").first()
    if previous is None:
        questionnaire_seed_default(cycle=cycle)
    else:
        questionnaire_copy(source=previous, cycle=cycle)
    audit_act(actor=actor, action="cycle_created", obj=cycle, detail={"year": year})
    return cycle


@transaction.atomic
def cycle_set_state(*, cycle: Cycle, state: str, actor=None) -> Cycle:
    """Move ``cycle`` to ``state`` along an allowed transition; opening freezes the questionnaire.

    Asking for the state the cycle is already in changes nothing, so scripts can be run twice.
    """
    if state not in CycleState.values:
        raise DomainError(MSG_STATE_UNKNOWN.format(state=state), code="invalid_state")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == state:
        return cycle
    if state not in ALLOWED_TRANSITIONS[CycleState(cycle.state)]:
        raise DomainError(MSG_TRANSITION.format(current=cycle.state, target=state), code="invalid_transition")
    now = timezone.now()
    changed = ["state", "updated_at"]
    if state == CycleState.OPEN:
        other = Cycle.objects.filter(state=CycleState.OPEN).exclude(pk=cycle.pk).first()
        if other is not None:
            raise Conflict(MSG_ANOTHER_OPEN.format(year=other.year), code="another_cycle_open")
        if not Question.objects.filter(questionnaire__cycle=cycle).exists():
            raise DomainError(MSG_NO_QUESTIONS, code="no_questions")
        questionnaire = Questionnaire.objects.select_for_update().get(cycle=cycle)
        groups = questionnaire_groups_count(questionnaire_id=questionnaire.pk)
        if groups > QUESTIONNAIRE_MAX_GROUPS:
            raise DomainError(
                MSG_TOO_MANY_GROUPS.format(count=groups, limit=QUESTIONNAIRE_MAX_GROUPS), code="too_many_groups"
            )
        Questionnaire.objects.filter(cycle=cycle, frozen_at__isnull=True).update(frozen_at=now)
        cycle.opened_at, cycle.closed_at = cycle.opened_at or now, None
        changed += ["opened_at", "closed_at"]
        today = timezone.localdate(now)
        if cycle.opens_on is None and (cycle.closes_on is None or today <= cycle.closes_on):
            cycle.opens_on = today
            changed.append("opens_on")
    if state == CycleState.CLOSED:
        cycle.closed_at = now
        changed.append("closed_at")
    if state == CycleState.PUBLISHED:
        cycle.published_at = now
        changed.append("published_at")
    previous_state = cycle.state
    cycle.state = state
    try:
        with transaction.atomic():
            cycle.save(update_fields=changed)
    except IntegrityError:
        # Two cycles opened at the same moment: the database's one-open-cycle constraint decides.
        raise Conflict(MSG_ANOTHER_OPEN.format(year="other"), code="another_cycle_open") from None
    action = "cycle_published" if state == CycleState.PUBLISHED else "cycle_state_changed"
    audit_act(actor=actor, action=action, obj=cycle, detail={"from": previous_state, "to": state})
    cycle_state_changed.send(sender=Cycle, cycle_id=cycle.pk, previous=previous_state, state=state)
    return cycle


@transaction.atomic(durable=True)
def cycle_update_dates(*, actor, cycle: Cycle, opens_on: dt.date | None, closes_on: dt.date | None) -> Cycle:
    """Change a cycle's planned dates: both until it opens, the closing date until it is published (audited)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == CycleState.PUBLISHED:
        raise Conflict(MSG_DATES_PUBLISHED.format(year=cycle.year), code="cycle_published")
    if cycle.state != CycleState.DRAFT and opens_on != cycle.opens_on:
        raise Conflict(MSG_OPENS_ON_FIXED.format(year=cycle.year), code="opens_on_fixed")
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError(MSG_DATES_ORDER, code="invalid_dates")
    before = {"opens_on": str(cycle.opens_on or ""), "closes_on": str(cycle.closes_on or "")}
    cycle.opens_on, cycle.closes_on = opens_on, closes_on
    cycle.save(update_fields=["opens_on", "closes_on", "updated_at"])
    after = {"opens_on": str(opens_on or ""), "closes_on": str(closes_on or "")}
    audit_record(actor=actor, action="cycle_dates_changed", obj=cycle, detail={"before": before, "after": after})
    return cycle


@transaction.atomic(durable=True)
def cycle_set_rater_groups(*, actor, cycle: Cycle, partner_groups: list[str], self_assessment: bool) -> Cycle:
    """Switch partner groups and the self-assessment on or off for a cycle (the CCG leads are always in); audited.

    Any change while the cycle is a draft; once it is open a group may still be switched on (partners are
    often recruited after fieldwork starts), and none may change once it is closed. A group with anyone
    invited in it cannot be switched off, in any state: their invitations, and any answers, would be left in
    a group the cycle no longer asks.
    """
    unknown = [group for group in partner_groups if group not in PARTNER_GROUPS]
    if unknown:
        raise DomainError(MSG_GROUP_UNKNOWN.format(group=unknown[0]), code="invalid_rater_group")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        raise Conflict(MSG_GROUPS_FIXED.format(year=cycle.year, state=cycle.state), code="rater_groups_fixed")
    wanted = [group for group in PARTNER_GROUPS if group in set(partner_groups)]
    before = {"partner_groups": list(cycle.partner_groups or []), "self_assessment": cycle.self_assessment}
    switched_off = [group for group in before["partner_groups"] if group not in wanted]
    if before["self_assessment"] and not self_assessment:
        switched_off.append(SELF)
    for group in switched_off:
        count = Invitation.objects.filter(cycle=cycle, rater_group=group).count()
        if count:
            raise Conflict(
                MSG_GROUP_IN_USE.format(
                    label=GROUP_LABELS[group],
                    count=count,
                    people="person is" if count == 1 else "people are",
                    year=cycle.year,
                ),
                code="rater_group_in_use",
            )
    after = {"partner_groups": wanted, "self_assessment": bool(self_assessment)}
    if after == before:
        return cycle
    cycle.partner_groups, cycle.self_assessment = wanted, bool(self_assessment)
    cycle.save(update_fields=["partner_groups", "self_assessment", "updated_at"])
    audit_record(actor=actor, action="cycle_rater_groups_changed", obj=cycle, detail={"before": before, "after": after})
    return cycle
