import datetime as dt

import pytest
from django.utils import timezone

from core.errors import Conflict, DomainError
from surveys.models import Cycle, CycleState
from surveys.selectors import cycle_current_open
from surveys.services import cycle_create, cycle_set_state
from surveys.services.cycles import MSG_ANOTHER_OPEN, MSG_CYCLE_EXISTS, MSG_DATES_ORDER, MSG_TRANSITION

ALLOWED = [
    ("draft", "open"),
    ("open", "closed"),
    ("closed", "open"),
    ("closed", "published"),
]
REFUSED = [
    ("draft", "closed"),
    ("draft", "published"),
    ("open", "draft"),
    ("open", "published"),
    ("closed", "draft"),
    ("published", "draft"),
    ("published", "open"),
    ("published", "closed"),
]


def _walk_to(cycle, state):
    path = {"draft": [], "open": ["open"], "closed": ["open", "closed"], "published": ["open", "closed", "published"]}
    for step in path[state]:
        cycle = cycle_set_state(cycle=cycle, state=step)
    return cycle


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(draft_cycle, current, target):
    cycle = _walk_to(draft_cycle, current)

    cycle = cycle_set_state(cycle=cycle, state=target)

    assert Cycle.objects.get(pk=cycle.pk).state == target


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_transitions_change_nothing(draft_cycle, current, target):
    cycle = _walk_to(draft_cycle, current)

    with pytest.raises(DomainError) as excinfo:
        cycle_set_state(cycle=cycle, state=target)

    assert excinfo.value.message == MSG_TRANSITION.format(current=current, target=target)
    assert Cycle.objects.get(pk=cycle.pk).state == current


@pytest.mark.django_db
def test_setting_the_current_state_again_is_a_no_op(open_cycle):
    again = cycle_set_state(cycle=open_cycle, state="open")

    assert again.state == "open"


@pytest.mark.django_db
def test_opening_freezes_and_publishing_stamps(draft_cycle):
    cycle = cycle_set_state(cycle=draft_cycle, state="open")
    frozen_at = cycle.questionnaire.frozen_at
    cycle = cycle_set_state(cycle=cycle, state="closed")
    cycle = cycle_set_state(cycle=cycle, state="open")  # reopened: still the same freeze
    cycle = cycle_set_state(cycle=cycle, state="closed")
    cycle = cycle_set_state(cycle=cycle, state="published")

    cycle.questionnaire.refresh_from_db()
    assert frozen_at is not None
    assert cycle.questionnaire.frozen_at == frozen_at
    assert cycle.published_at is not None
    assert timezone.is_aware(cycle.published_at)


@pytest.mark.django_db
def test_only_one_cycle_is_open_at_a_time(open_cycle):
    other = cycle_create(year=2015)

    with pytest.raises(Conflict) as excinfo:
        cycle_set_state(cycle=other, state="open")

    assert excinfo.value.message == MSG_ANOTHER_OPEN.format(year=2014)
    assert cycle_current_open() == open_cycle


@pytest.mark.django_db
def test_cycle_create_refuses_a_second_cycle_for_a_year_and_bad_dates(draft_cycle):
    with pytest.raises(Conflict) as excinfo:
        cycle_create(year=2014)
    assert excinfo.value.message == MSG_CYCLE_EXISTS.format(year=2014)

    with pytest.raises(DomainError) as excinfo:
        cycle_create(year=2016, opens_on=dt.date(2016, 6, 1), closes_on=dt.date(2016, 5, 1))
    assert excinfo.value.message == MSG_DATES_ORDER
    assert list(Cycle.objects.values_list("year", flat=True)) == [2014]


@pytest.mark.django_db
def test_unknown_state_is_refused(draft_cycle):
    with pytest.raises(DomainError):
        cycle_set_state(cycle=draft_cycle, state=CycleState.DRAFT + "x")
