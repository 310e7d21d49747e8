"""Safe against renames (issue 14, item 6): a behaviour's or role's code never changes the meaning of a
stored figure.

- A response's stored scores sit in slots numbered by group kind and primary key, never by code.
- A code is fixed once a frozen questionnaire asks about it: the Django admin is read-only, and the
  database refuses the change from anywhere else (a shell, a data migration), so the figures kept
  under the code (aggregates, published rows, last year's comparison) cannot be split or orphaned.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from scorecards.models import ItemKind, Level
from scorecards.services import scorecard_apply_response, scorecards_publish, scorecards_recompute
from scorecards.services.aggregation.queries import _cycle_slots
from scorecards.tests.factories import (
    Q,
    aggregate_snapshot,
    cell,
    current_rows,
    import_for,
    invite,
    make_cycle,
    scorecard_snapshot,
)
from surveys.models import CycleState
from surveys.models import QuestionType as QT
from ways_of_working.models import Behaviour, Role

pytestmark = pytest.mark.django_db

# Made in this order, so the behaviours' ids run opposite to their codes (T-ZED first, T-ALPHA second).
QUESTIONS = [
    Q("P-ONE", "NHS England listens.", behaviour="T-ZED", role="T-R1"),
    Q("N-TWO", "NHS England decides too late.", behaviour="T-ALPHA", positively_worded=False),
    Q("P-THREE", "My area team is helpful.", behaviour="T-ZED"),
    Q("COMMENT", "Comments", type=QT.FREE_TEXT),
]
FIXED = "is fixed: a frozen questionnaire asks about it"
LEADS = [(ccg, role) for ccg in ("01C", "00C", "05A") for role in ("clinical", "managerial", "financial")]


def slots(cycle) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        return _cycle_slots(cursor, cycle.pk)


def rename(model, code: str, new_code: str) -> None:
    """Change a code as a shell or a data migration would: past every service and the admin."""
    model.objects.filter(code=code).update(code=new_code)


def test_slots_follow_the_groups_ids_not_their_codes(organisations):
    cycle = make_cycle(2015, CycleState.DRAFT, QUESTIONS)
    before = slots(cycle)

    # A draft's codes may still change (nothing is stored under them yet): the slots stay in id order.
    rename(Behaviour, "T-ZED", "T-AAA-FIRST-BY-CODE")

    assert before == [("behaviour", "T-ZED"), ("behaviour", "T-ALPHA"), ("overall", "OVERALL"), ("role", "T-R1")]
    assert slots(cycle) == [
        ("behaviour", "T-AAA-FIRST-BY-CODE"),
        ("behaviour", "T-ALPHA"),
        ("overall", "OVERALL"),
        ("role", "T-R1"),
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's own guard is PostgreSQL's (see surveys migration 0008)"
)
def test_a_code_asked_by_an_opened_cycle_cannot_change_from_anywhere(organisations):
    make_cycle(2014, CycleState.CLOSED, QUESTIONS)

    for model, code in ((Behaviour, "T-ZED"), (Role, "T-R1")):
        with pytest.raises(IntegrityError) as caught, transaction.atomic():
            rename(model, code, "T-RENAMED")
        assert f"The code {code} {FIXED}" in str(caught.value)
        assert "(the 2014 questionnaire)" in str(caught.value)
        assert model.objects.filter(code=code).exists()

    # Its name, description and order stay editable (the framework seed restores them from the library).
    Behaviour.objects.filter(code="T-ZED").update(name="Renamed", description="New words.", order=9)
    assert Behaviour.objects.get(code="T-ZED").name == "Renamed"


def test_a_code_only_a_draft_asks_about_may_still_change(organisations):
    make_cycle(2014, CycleState.CLOSED, QUESTIONS[:1])
    make_cycle(2015, CycleState.DRAFT, QUESTIONS)

    rename(Behaviour, "T-ALPHA", "T-ALPHA-2")  # asked in the 2015 draft only

    assert Behaviour.objects.filter(code="T-ALPHA-2").exists()
    if connection.vendor == "postgresql":  # the database's own guard (see surveys migration 0008)
        with pytest.raises(IntegrityError), transaction.atomic():
            rename(Behaviour, "T-ZED", "T-ZED-2")  # asked in 2014 too


def _apply_all(responses) -> None:
    for response in responses:
        scorecard_apply_response(response_id=response.pk)


def _answers(n: int) -> dict:
    return {"P-ONE": str(5 - n % 5), "N-TWO": str(1 + n % 3), "P-THREE": ["4", "DK", "2"][n % 3]}


@pytest.mark.parametrize("superuser", [False, True], ids=["admin", "superuser"])
def test_renaming_in_the_admin_is_refused_and_the_figures_stay_as_a_full_recompute_makes_them(
    client, admin_user, organisations, superuser
):
    # Given a closed cycle whose responses were applied one at a time
    cycle = make_cycle(2014, CycleState.CLOSED, QUESTIONS)
    invitations = [invite(cycle, ccg, role) for ccg, role in LEADS]
    _apply_all(import_for(cycle, [(inv, _answers(n)) for n, inv in enumerate(invitations[:-1])]))
    published = scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True))
    zed = Behaviour.objects.get(code="T-ZED")
    user = admin_user
    if superuser:
        user = get_user_model().objects.create_superuser(email="root@example.nhs.uk", password="x" * 20)
    client.force_login(user)

    # When someone renames its behaviour in the Django admin
    page = client.get(f"/admin/ways_of_working/behaviour/{zed.pk}/change/")
    response = client.post(
        f"/admin/ways_of_working/behaviour/{zed.pk}/change/",
        {"code": "A-RENAMED", "name": zed.name, "description": "", "order": 0, "_save": "Save"},
    )

    # Then it is refused and nothing changed
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    zed.refresh_from_db()
    assert zed.code == "T-ZED"
    assert scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True)) == published

    # And a later submission and a full recompute agree with the incremental figures
    _apply_all(import_for(cycle, [(invitations[-1], _answers(8))]))
    incremental_aggregates = aggregate_snapshot(cycle)
    incremental_rows = scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True))
    scorecards_recompute(cycle_id=cycle.pk, rescore=True)
    assert aggregate_snapshot(cycle) == incremental_aggregates
    assert scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True)) == incremental_rows
    behaviour_codes = set(current_rows(cycle).filter(kind=ItemKind.BEHAVIOUR).values_list("code", flat=True))
    assert behaviour_codes == {"T-ZED", "T-ALPHA"}
    assert cell(cycle, Level.ENGLAND, "ENG", ItemKind.BEHAVIOUR, "T-ZED").base == len(LEADS)


def test_the_migration_moves_scores_stored_by_code_to_their_slots_by_id(organisations):
    from importlib import import_module

    from django.apps import apps

    from scorecards.models import ResponseScore

    migration = import_module("scorecards.migrations.0005_response_score_slots_by_id")
    editor = type("SchemaEditor", (), {"connection": connection})()
    # Given scores stored (by slots in id order: T-ZED s01, T-ALPHA s02, overall s03, T-R1 s04)
    cycle = make_cycle(2014, CycleState.CLOSED, QUESTIONS)
    invitations = [invite(cycle, ccg, role) for ccg, role in LEADS]
    _apply_all(import_for(cycle, [(inv, _answers(n)) for n, inv in enumerate(invitations)]))
    aggregates = aggregate_snapshot(cycle)
    columns = [f"{c}{slot:02d}" for slot in range(1, 5) for c in "spu"]
    by_id = sorted(ResponseScore.objects.filter(cycle=cycle).values_list("response_id", *columns))
    assert any(row[1:4] != row[4:7] for row in by_id)  # the two behaviours' scores tell them apart

    # As the code ranked them before (T-ALPHA first): the two behaviours' columns swap places
    migration.to_code_order(apps, editor)
    by_code = sorted(ResponseScore.objects.filter(cycle=cycle).values_list("response_id", *columns))
    assert [row[1:4] for row in by_code] == [row[4:7] for row in by_id]
    assert [row[4:7] for row in by_code] == [row[1:4] for row in by_id]
    assert [row[7:] for row in by_code] == [row[7:] for row in by_id]

    # When the migration runs, they are back where the slots by id read them, and recompute agrees
    migration.to_id_order(apps, editor)
    assert sorted(ResponseScore.objects.filter(cycle=cycle).values_list("response_id", *columns)) == by_id
    scorecards_recompute(cycle_id=cycle.pk)
    assert aggregate_snapshot(cycle) == aggregates
