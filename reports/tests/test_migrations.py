"""The move of the reports models to comments, scorecards and exports keeps every row of a database
migrated before it (by the main branch of the day) and works on a fresh one.

The test rolls the test database back to the migrations as they were before the move, writes rows
through the models as they were then (the ``reports`` app's), migrates forward to the latest
migrations and reads the same rows through the new apps' models; content types keep their ids, so
permissions that point at them still do.
"""

import pytest
from django.apps import apps as current_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from comments import receivers as comment_receivers
from comments.tests.factories import seed_comments
from organisations.models import AreaTeam
from scorecards import receivers as scorecard_receivers
from surveys.models import Answer, CycleState

BEFORE_THE_MOVE = [
    ("reports", "0006_scorecardstate_publish_queued_at"),
    ("scorecards", None),
    ("comments", None),
    ("exports", None),
]
MOVED = {
    "scorecards": ["ScorecardState", "ScorecardSet", "Scorecard", "ScorecardAggregate", "ResponseScore",
                   "AppliedResponse", "AreaTeamResponse"],
    "comments": ["CommentModeration"],
    "exports": ["ReportExport"],
}  # fmt: skip


def _columns(model) -> list[str]:
    return sorted(f.attname for f in model._meta.concrete_fields)


def _rows(models: dict, columns: dict | None = None) -> dict:
    """Return every row of every moved table, as plain values (columns in name order), keyed by model name;
    only the ``columns`` given per model name, if any (the columns a table had before later migrations)."""
    return {
        name: sorted(model.objects.order_by().values_list(*(columns or {}).get(name, _columns(model))), key=str)
        for name, model in models.items()
    }


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_keeps_its_rows_and_content_types(organisations, admin_user):
    # Submissions queue nothing here (their on_commit would run at once, outside a test transaction):
    # the seed registers comments and builds the figures itself.
    scorecard_receivers.disconnect()
    comment_receivers.disconnect()
    try:
        cycle = seed_comments(state=CycleState.PUBLISHED, figures=True)
    finally:
        scorecard_receivers.connect()
        comment_receivers.connect()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    executor = _migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
    assert not any(old.is_installed(app) and old.get_app_config(app).models for app in MOVED)
    old_models = {name: old.get_model("reports", name) for names in MOVED.values() for name in names}
    # Rows written through the models as they were before the move, beside those the seed made.
    scorecard_set = old_models["ScorecardSet"].objects.filter(cycle_id=cycle.pk).latest("version")
    old_models["AreaTeamResponse"].objects.create(
        cycle_id=cycle.pk,
        area_team_id=AreaTeam.objects.get(ods_code="Q44").pk,
        text="We heard you.",
        author_id=admin_user.pk,
    )
    old_models["ReportExport"].objects.create(
        cycle_id=cycle.pk, format="csv", status="queued", scorecard_set_id=scorecard_set.pk,
        requested_by_id=admin_user.pk, requested_at=timezone.now(), queued_at=timezone.now(),
    )  # fmt: skip
    answer = Answer.objects.filter(question__type="free_text").exclude(text="").first()
    old_models["CommentModeration"].objects.filter(answer_id=answer.pk).delete()
    old_models["CommentModeration"].objects.create(
        answer_id=answer.pk, cycle_id=cycle.pk, area_team_id=answer.area_team_id, question_id=answer.question_id,
        status="approved", redacted_text="Redacted before the move.",
    )  # fmt: skip
    # What a database migrated before the move has: content types and permissions under "reports".
    old_types = {}
    for names in MOVED.values():
        for name in names:
            content_type, _ = ContentType.objects.get_or_create(app_label="reports", model=name.lower())
            old_types[name] = content_type.pk
    permission = Permission.objects.get_or_create(
        content_type_id=old_types["Scorecard"], codename="view_scorecard", defaults={"name": "Can view scorecard"}
    )[0]
    ContentType.objects.filter(app_label__in=MOVED).delete()  # none yet before the move
    before = _rows(old_models)
    assert all(before[name] for name in old_models), "every moved table has rows"

    _migrate(latest)

    new_models = {name: current_apps.get_model(app, name) for app, names in MOVED.items() for name in names}
    # Scores and aggregates are derived data: scorecards 0002 (shares per respondent) empties them, and the next
    # recompute rebuilds them from the answers; every other moved row is kept as it was.
    derived = {"ScorecardAggregate", "ResponseScore", "AppliedResponse"}
    # Columns added since (a board pack's area team, say) are compared only through the old ones.
    # (Renamed since: a row's lead_role is its rater_group, issue 14, in the same place of each tuple.)
    renamed = {"lead_role": "rater_group"}
    after = _rows(
        new_models,
        columns={name: [renamed.get(c, c) for c in _columns(model)] for name, model in old_models.items()},
    )
    assert {k: v for k, v in after.items() if k not in derived} == {k: v for k, v in before.items() if k not in derived}
    assert all(after[name] == [] for name in derived if name in after)
    for name, model in new_models.items():
        assert ContentType.objects.get_for_model(model).pk == old_types[name]
    permission.refresh_from_db()
    assert permission.content_type.app_label == "scorecards"
    assert not ContentType.objects.filter(app_label="reports").exists()


@pytest.mark.django_db(transaction=True)
def test_a_fresh_database_migrates_forward_from_nothing():
    executor = _migrate([("reports", None), ("scorecards", None), ("comments", None), ("exports", None)])
    assert "reports_scorecard" not in connection.introspection.table_names()
    _migrate(executor.loader.graph.leaf_nodes())
    tables = set(connection.introspection.table_names())
    assert {model._meta.db_table for model in current_apps.get_app_config("scorecards").get_models()} <= tables
    assert "reports_reportexport" in tables and "reports_commentmoderation" in tables
