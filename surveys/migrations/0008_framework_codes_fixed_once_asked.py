"""A behaviour's or role's code is fixed once a frozen questionnaire (an opened cycle's) asks about it.

Aggregates, published figures and year-on-year change are kept under the code: a change during or after
fieldwork would split a cycle's figures between two codes (the refresh writes under the new one beside
the old) or orphan last year's. The portal never changes a code (the admin is read-only, the framework
seed adds a new code as a new row), so this trigger stops what remains: a shell, a data migration, SQL.
Names, descriptions and the order stay free, and so does a code no opened cycle has asked about.

PostgreSQL only (production's database). SQLite (the embedded default for a laptop) rebuilds a table to change
it, and while a later migration rebuilds ``surveys_cycle``, ``surveys_question`` or ``surveys_questionnaire``
SQLite re-reads every trigger naming them and fails ("no such table"): there the read-only admin and the seed
are the only guard.
"""

from django.db import migrations

# The message names the code and the latest cycle whose questionnaire asks about it.
MESSAGE = "is fixed: a frozen questionnaire asks about it (results are kept under the code; a new code is a new group)"
TAGS = (("ways_of_working", "Behaviour", "behaviour_id"), ("ways_of_working", "Role", "role_id"))


def _names(apps, app_label, model_name):
    table = apps.get_model(app_label, model_name)._meta.db_table
    return table, f"{table}_code_fixed"


def _asked_by_frozen(apps, column: str) -> str:
    """Return the FROM … WHERE of the frozen questionnaires whose questions carry OLD's id in ``column``.

    A cycle past draft counts as frozen even without ``frozen_at`` (rows made outside ``cycle_set_state``).
    """
    question = apps.get_model("surveys", "Question")._meta.db_table
    questionnaire = apps.get_model("surveys", "Questionnaire")._meta.db_table
    cycle = apps.get_model("surveys", "Cycle")._meta.db_table
    return (
        f"FROM {question} q JOIN {questionnaire} qn ON qn.id = q.questionnaire_id "
        f"JOIN {cycle} c ON c.id = qn.cycle_id "
        f"WHERE q.{column} = OLD.id AND (qn.frozen_at IS NOT NULL OR c.state <> 'draft')"
    )


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for app_label, model_name, column in TAGS:
        table, name = _names(apps, app_label, model_name)
        asked = _asked_by_frozen(apps, column)
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE latest integer;
                BEGIN
                    SELECT MAX(c.year) INTO latest {asked};
                    IF latest IS NOT NULL THEN
                        RAISE EXCEPTION 'The code % {MESSAGE} (the % questionnaire)', OLD.code, latest
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$
                """,
                params=None,  # the body's % are RAISE's placeholders
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE OF code ON {table} FOR EACH ROW "
                f"WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION {name}()",
                params=None,
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for app_label, model_name, _ in TAGS:
        table, name = _names(apps, app_label, model_name)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0007_rater_groups"),
        ("ways_of_working", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
