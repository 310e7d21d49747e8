"""Extended statistics on the answers' grouping columns (PostgreSQL only; SQLite has no such thing).

The full recompute counts a cycle's answers per area team, CCG, rater group and question. Without these
statistics PostgreSQL multiplies the columns' distinct counts, takes the tens of thousands of groups for
millions, and sorts ten million answers on disk instead of hashing them (13 s against 4 s at 10M answers):
a CCG belongs to one area team, and its rows hold few of the rater groups. ANALYZE (autovacuum's included)
keeps the statistics current.
"""

from django.db import migrations

NAME = "surveys_answer_fine_groups"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {NAME} (ndistinct) "
            "ON area_team_id, ccg_id, rater_group, question_id FROM surveys_answer"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0011_answer_ccg")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
