"""Provisional snapshots of an open cycle (issue 13, item 2): for admins only, audited, and never letting two
snapshots be subtracted to read fewer than ``SUPPRESSION_MIN_BASE`` people's answers."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from core.errors import DomainError
from core.models import AuditEvent
from scorecards.models import ItemKind, Level, ProvisionalSnapshot, Scorecard, ScorecardState
from scorecards.services import scorecards_recompute
from scorecards.services.provisional import MSG_ADMINS_ONLY, cell_key, provisional_snapshot_build
from scorecards.tests.attack import COUNT_FIELDS, recover
from scorecards.tests.factories import Q, cell, import_responses, make_cycle, recompute_and_publish
from surveys.models import CycleState

pytestmark = pytest.mark.django_db

AT, REGION, ENGLAND = Level.AREA_TEAM, Level.REGION, Level.ENGLAND
QUESTION = ItemKind.QUESTION
QUESTIONS = [
    Q("ONE", "NHS England listens.", behaviour="T-B"),
    Q("TWO", "My area team is easy to reach.", behaviour="T-B", role="T-R"),
]


@pytest.fixture
def cycle(organisations):
    return make_cycle(2014, CycleState.OPEN, QUESTIONS)


def _answers(ccg: str, rater_group: str, n: int, one=4, two=2) -> list[tuple]:
    return [(ccg, rater_group, {"ONE": one, "TWO": two})] * n


def _arrive(cycle, rows):
    """Submit ``rows`` and add them to the cycle's figures (what the refresh task does after each one)."""
    import_responses(cycle, rows)
    scorecards_recompute(cycle_id=cycle.pk)


def _rows(snapshot) -> dict:
    return {
        (r.level, r.org_code, r.kind, r.code, r.rater_group): r
        for r in Scorecard.objects.filter(scorecard_set_id=snapshot.scorecard_set_id)
    }


def _people(row) -> int:
    """Return the people a visible row's figures come from (its base, and "don't know" for a question)."""
    return (row.base or 0) + ((row.dont_know or 0) if row.kind == QUESTION else 0)


def test_the_first_snapshot_shows_the_open_cycles_figures_to_admins_without_publishing_them(cycle, admin_user):
    # Given 12 responses in Q44, 3 in Q45 and 10 in Q46 during fieldwork
    _arrive(
        cycle, [*_answers("01C", "clinical", 12), *_answers("00C", "clinical", 3), *_answers("00T", "clinical", 10)]
    )

    # When an admin builds a provisional snapshot
    snapshot = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)

    # Then it holds the figures, hidden as a published set would be
    rows = _rows(snapshot)
    assert rows[(AT, "Q44", QUESTION, "ONE", "")].base == 12
    assert rows[(AT, "Q45", QUESTION, "ONE", "")].suppressed
    assert rows[(AT, "Q46", QUESTION, "ONE", "")].suppression_reason == "secondary"
    assert rows[(ENGLAND, "ENG", QUESTION, "ONE", "")].base == 25
    assert snapshot.responses == 25
    assert snapshot.cell_counts["area_team|Q44|question|ONE|"] == 12
    # And it is not the published set: the cycle is still in fieldwork with nothing published
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert ScorecardState.objects.get(cycle=cycle).current_set_id is None
    # And it is audited
    event = AuditEvent.objects.get(action="provisional_snapshot_built")
    assert event.actor == admin_user
    assert event.detail["responses"] == 25


def test_the_first_snapshot_is_refused_with_fewer_responses_than_the_threshold(cycle, admin_user):
    _arrive(cycle, _answers("01C", "clinical", 3))

    with pytest.raises(DomainError) as error:
        provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)

    assert error.value.message == (
        "Only 3 responses have arrived so far; at least 5 are needed for a provisional snapshot."
    )
    assert not ProvisionalSnapshot.objects.exists()
    assert not AuditEvent.objects.filter(action="provisional_snapshot_built").exists()


def test_a_second_snapshot_with_too_few_arrivals_since_the_last_is_refused(cycle, admin_user):
    # Given a snapshot on 10 November 2014 at 09:30, and then 3 more responses
    _arrive(cycle, _answers("01C", "clinical", 12))
    built_at = dt.datetime(2014, 11, 10, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    first = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)
    ProvisionalSnapshot.objects.filter(pk=first.pk).update(built_at=built_at)
    _arrive(cycle, _answers("00T", "clinical", 3))

    # When an admin asks for another
    with pytest.raises(DomainError) as error:
        provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)

    # Then it is refused, saying how many arrived since when, and nothing is written
    assert error.value.message == (
        "Only 3 responses have arrived since the last provisional snapshot on 10 November 2014 at 09:30; "
        "at least 5 are needed."
    )
    assert ProvisionalSnapshot.objects.count() == 1


def test_a_cell_that_few_people_entered_since_the_last_snapshot_is_hidden_while_others_show(cycle, admin_user):
    # Given a first snapshot with Q44 (12), Q46 (10) and Q47 (9) shown
    _arrive(
        cycle, [*_answers("01C", "clinical", 12), *_answers("00T", "clinical", 10), *_answers("00Q", "clinical", 9)]
    )
    first = _rows(provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user))
    assert not first[(AT, "Q44", QUESTION, "ONE", "")].suppressed
    # And then 2 more in Q44 (too few to show a difference) and 6 more in Q46
    _arrive(cycle, [*_answers("01C", "clinical", 2, one=1), *_answers("00T", "clinical", 6)])

    # When a second snapshot is built
    second = _rows(provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user))

    # Then Q44, which 2 people entered, is hidden as primary (its base of 14 would be shown in a published set)
    assert second[(AT, "Q44", QUESTION, "ONE", "")].suppressed
    assert second[(AT, "Q44", QUESTION, "ONE", "")].suppression_reason == "primary"
    assert second[(AT, "Q44", QUESTION, "ONE", "clinical")].suppressed
    # And Q47, which nobody entered, shows the same figures, and the region its new ones
    assert second[(AT, "Q47", QUESTION, "ONE", "")].base == 9
    assert second[(REGION, "Y54", QUESTION, "ONE", "")].base == 39
    # And Q46 (6 people entered) is hidden beside Q44: hiding Q47 would not do, it is known from the first
    assert second[(AT, "Q46", QUESTION, "ONE", "")].suppression_reason == "secondary"
    # And the differences of everything shown in both come from no one or at least 5 people
    for key, row in second.items():
        before = first[key]
        if not row.suppressed and not before.suppressed:
            assert _people(row) - _people(before) in (0, *range(settings.SUPPRESSION_MIN_BASE, 10_000)), key


def _difference_rows(first: dict, second: dict, arrived: dict) -> list[dict]:
    """Return the rows an attacker gets by subtracting one snapshot from the other, cell by cell.

    A cell visible in both gives its differences; a cell nobody entered between them is known to differ by
    nothing (the response rates say which), visible or not; any other is unknown.
    """
    out = []
    for key, row in second.items():
        before = first[key]
        diff = {
            "level": row.level,
            "org_code": row.org_code,
            "parent_code": row.parent_code,
            "kind": row.kind,
            "code": row.code,
            "rater_group": row.rater_group,
            "behaviour_code": row.behaviour_code,
            "role_code": row.role_code,
        }
        if arrived.get(key, 0) == 0:
            diff.update(suppressed=False, base=0, **dict.fromkeys(COUNT_FIELDS, 0))
        elif row.suppressed or before.suppressed:
            diff.update(suppressed=True)
        else:
            diff.update(suppressed=False, base=row.base - before.base)
            diff.update({f: (getattr(row, f) or 0) - (getattr(before, f) or 0) for f in COUNT_FIELDS})
        out.append(diff)
    return out


def _as_dicts(rows: dict) -> list[dict]:
    fields = ["level", "org_code", "parent_code", "kind", "code", "rater_group", "behaviour_code", "role_code"]
    return [
        {**{f: getattr(r, f) for f in fields}, "suppressed": r.suppressed, "base": r.base}
        | {f: getattr(r, f) for f in COUNT_FIELDS}
        for r in rows.values()
    ]


def test_subtracting_two_snapshots_recovers_no_difference_of_fewer_than_the_threshold(cycle, admin_user):
    # Given a first snapshot of many small cells over a region's area teams and lead roles
    _arrive(
        cycle,
        [
            *_answers("01C", "clinical", 7),
            *_answers("01C", "managerial", 6, one=2),
            *_answers("00C", "clinical", 3, one=5),
            *_answers("00T", "clinical", 9, two=4),
            *_answers("00T", "financial", 5),
            *_answers("00Q", "clinical", 8, one=3),
            *_answers("05A", "clinical", 11),
        ],
    )
    one = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)
    # And then arrivals of every size: a few in some cells, none in some, many in others
    _arrive(
        cycle,
        [
            *_answers("01C", "clinical", 2, one=1),  # Q44 clinical: 2 (too few)
            *_answers("00C", "managerial", 1, one=1),  # Q45: 1 (too few)
            *_answers("00T", "clinical", 6, two=5),  # Q46 clinical: 6
            *_answers("00Q", "financial", 3, one=2),  # Q47: 3 (too few)
            *_answers("05A", "clinical", 5, one=5),  # another region's team: 5
        ],
    )
    two = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)

    # Then no difference between them made by 1 to 4 people comes out, directly or by any known sum
    _assert_no_small_difference_recoverable(one, two)
    # And neither snapshot alone gives away a hidden cell
    first, second = _rows(one), _rows(two)
    assert recover(_as_dicts(first), fields=("base", *COUNT_FIELDS)) == []
    assert recover(_as_dicts(second), fields=("base", *COUNT_FIELDS)) == []
    # And the cells that few people entered are hidden in the second
    assert second[(AT, "Q44", QUESTION, "ONE", "clinical")].suppressed
    assert second[(AT, "Q47", QUESTION, "ONE", "")].suppressed


def test_no_two_of_three_snapshots_give_away_a_difference_of_fewer_than_the_threshold(cycle, admin_user):
    # Given three snapshots: cells that a few people entered between the first and second are entered by
    # nobody, or by a few more, before the third (so the first and third differ by few, or by 5)
    _arrive(cycle, [*_answers("01C", "clinical", 7), *_answers("00T", "clinical", 9), *_answers("00Q", "clinical", 8)])
    one = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)
    _arrive(
        cycle,
        [
            *_answers("01C", "clinical", 2, one=1),
            *_answers("00Q", "clinical", 3, one=2),
            *_answers("00T", "clinical", 6),
        ],
    )
    two = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)
    _arrive(cycle, [*_answers("00Q", "clinical", 2, one=5), *_answers("00T", "clinical", 5, two=5)])
    three = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)

    # Then no pair of them gives away a difference made by 1 to 4 people
    for before, after in ((one, two), (two, three), (one, three)):
        _assert_no_small_difference_recoverable(before, after)
    # And Q44, entered by 2 people after the first and by nobody since, stays hidden in the third
    assert _rows(three)[(AT, "Q44", QUESTION, "ONE", "")].suppressed
    # And Q47, entered by 3 and then 2, is hidden in the third too (5 since the first, but 2 since the last)
    assert _rows(three)[(AT, "Q47", QUESTION, "ONE", "")].suppressed
    # And England shows every response
    assert _rows(three)[(ENGLAND, "ENG", QUESTION, "ONE", "")].base == 42


def _assert_no_small_difference_recoverable(before, after) -> None:
    """Check that no cell's difference between two snapshots made by 1 to ``min_base`` − 1 people can be read,
    either from the cell shown in both or by the attacker applying every known sum to the differences."""
    min_base = settings.SUPPRESSION_MIN_BASE
    first, second = _rows(before), _rows(after)
    arrived = defaultdict(int)
    for name, n in after.cell_counts.items():
        arrived[cell_key(name)] = n - before.cell_counts.get(name, 0)
    for key, row in second.items():
        if not row.suppressed and not first[key].suppressed:
            assert arrived[key] == 0 or arrived[key] >= min_base, key
            assert _people(row) - _people(first[key]) == arrived[key], key
    recovered = recover(_difference_rows(first, second, arrived), fields=("base", *COUNT_FIELDS))
    assert [r for r in recovered if 0 < arrived[_key(r[0])] < min_base] == []


def _key(attack_key: tuple) -> tuple:
    """Return the cell key of an attacker's key (org code, kind, code, lead role)."""
    org, kind, code, rater_group = attack_key
    level = ENGLAND if org == "ENG" else REGION if org.startswith("Y") else AT
    return (level, org, kind, code, rater_group)


@pytest.mark.parametrize("role", ["analyst", "area_team_member", "lead"])
def test_only_an_admin_may_build_a_snapshot(cycle, request, role):
    _arrive(cycle, _answers("01C", "clinical", 12))

    with pytest.raises(DomainError) as error:
        provisional_snapshot_build(cycle_id=cycle.pk, actor=request.getfixturevalue(role))

    assert error.value.status == 403
    assert error.value.message == MSG_ADMINS_ONLY
    assert not ProvisionalSnapshot.objects.exists()


def test_closing_the_cycle_builds_the_real_results_and_keeps_the_snapshots_apart(cycle, admin_user):
    # Given a snapshot during fieldwork, and 2 responses after it
    _arrive(cycle, _answers("01C", "clinical", 12))
    snapshot = provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)
    _arrive(cycle, _answers("01C", "clinical", 2, one=1))

    # When fieldwork closes and the results are built
    published = recompute_and_publish(cycle)

    # Then the published set is a new one with every response, and the snapshot is kept, unchanged, apart
    assert published.pk != snapshot.scorecard_set_id
    assert ScorecardState.objects.get(cycle=cycle).current_set_id == published.pk
    assert cell(cycle, AT, "Q44", QUESTION, "ONE").base == 14
    assert _rows(ProvisionalSnapshot.objects.get())[(AT, "Q44", QUESTION, "ONE", "")].base == 12
    # And no further snapshot can be built once fieldwork is over
    with pytest.raises(DomainError, match="only while it is open"):
        provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)


def test_a_request_is_refused_at_once_when_too_few_arrived_and_its_task_run_twice_builds_once(
    cycle, admin_user, django_capture_on_commit_callbacks
):
    from core.models import OutboxTask
    from scorecards.services.provisional import BUILD_TASK, provisional_snapshot_request
    from scorecards.tasks import scorecards_provisional_snapshot_task

    # Too few so far: refused while the admin waits, with nothing queued
    _arrive(cycle, _answers("01C", "clinical", 4))
    with pytest.raises(DomainError, match="Only 4 responses have arrived so far"):
        provisional_snapshot_request(cycle_id=cycle.pk, actor=admin_user)
    assert not OutboxTask.objects.filter(task=BUILD_TASK).exists()

    # Enough: the build is queued after commit, and runs
    _arrive(cycle, _answers("00T", "clinical", 8))
    with django_capture_on_commit_callbacks(execute=True):
        provisional_snapshot_request(cycle_id=cycle.pk, actor=admin_user)
    assert ProvisionalSnapshot.objects.count() == 1
    # A second run of the same task finds nothing new since: nothing more is built
    assert scorecards_provisional_snapshot_task(cycle_id=cycle.pk, actor_id=admin_user.pk) is None
    assert ProvisionalSnapshot.objects.count() == 1
