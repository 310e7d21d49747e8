"""Room on every page of the aggregate tables for a refresh's updates (PostgreSQL only).

Each submission adds to about fifty aggregate rows. Packed pages (the default fill factor of 100, and every
full recompute that rewrites them) leave no room for a row's new version beside the old one, so each update
goes to another page and adds an entry to every index of the table: four or five per row. With free space on
the page, PostgreSQL updates in place ("heap-only tuples": no index entries, and the old version pruned as the
page is next read), since no indexed column changes. The tables hold a few thousand rows per cycle, so the
space costs nothing.
"""

from django.db import migrations

TABLES = ("reports_scorecardaggregate", "scorecards_scorecardccgaggregate")
FILLFACTOR = 50


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0006_each_ccg_counts_once")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
