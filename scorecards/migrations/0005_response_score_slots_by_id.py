"""Move the stored per-response scores from slots ranked by code to slots ranked by primary key.

``ResponseScore``'s column NN holds the score of the cycle's group in slot NN. Slots used to be ranked by
kind and code (in the database's collation), so a changed code re-labelled every stored score; they are
now ranked by kind and the group's id. The scores already stored are moved to their new columns here, in
one UPDATE per cycle whose order changes (every assignment reads the row as it was), so nothing needs
rescoring and the nightly recompute reads them right. Both orders are computed by the database itself,
as the aggregation ranked them, so the old one follows the collation that ranked it.
"""

from django.db import migrations

SLOTS = 24  # the columns s01..s24, p01..p24, u01..u24 of 0002
COLUMNS = ("s", "p", "u")


def _slot_changes_sql(apps) -> str:
    """Return the query of (cycle id, slot by code, slot by id) for every group of a cycle with stored scores."""
    score = apps.get_model("scorecards", "ResponseScore")._meta.db_table
    question = apps.get_model("surveys", "Question")._meta.db_table
    questionnaire = apps.get_model("surveys", "Questionnaire")._meta.db_table
    behaviour = apps.get_model("ways_of_working", "Behaviour")._meta.db_table
    role = apps.get_model("ways_of_working", "Role")._meta.db_table
    return f"""
        SELECT DISTINCT m.cycle_id, m.kind, m.group_id,
               DENSE_RANK() OVER (PARTITION BY m.cycle_id ORDER BY m.kind, m.code) AS by_code,
               DENSE_RANK() OVER (PARTITION BY m.cycle_id ORDER BY m.kind, m.group_id) AS by_id
        FROM (
            SELECT qn.cycle_id, k.kind,
                   CASE k.kind WHEN 'behaviour' THEN b.code WHEN 'role' THEN r.code ELSE 'OVERALL' END AS code,
                   CASE k.kind WHEN 'behaviour' THEN b.id WHEN 'role' THEN r.id ELSE 0 END AS group_id
            FROM {question} q
            JOIN {questionnaire} qn ON qn.id = q.questionnaire_id
            LEFT JOIN {behaviour} b ON b.id = q.behaviour_id
            LEFT JOIN {role} r ON r.id = q.role_id
            CROSS JOIN (SELECT 'behaviour' AS kind UNION ALL SELECT 'role' UNION ALL SELECT 'overall') k
            WHERE q.type = 'agreement' AND qn.cycle_id IN (SELECT DISTINCT cycle_id FROM {score})
              AND (k.kind = 'overall' OR (k.kind = 'behaviour' AND b.code IS NOT NULL)
                   OR (k.kind = 'role' AND r.code IS NOT NULL))
        ) m
    """  # noqa: S608 - table names only


def _move(apps, schema_editor, *, to_id_order: bool) -> None:
    score = apps.get_model("scorecards", "ResponseScore")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_slot_changes_sql(apps))
        moves: dict[int, list[tuple[int, int]]] = {}
        for cycle_id, _kind, _group, by_code, by_id in cursor.fetchall():
            source, target = (by_code, by_id) if to_id_order else (by_id, by_code)
            if source != target and max(source, target) <= SLOTS:
                moves.setdefault(cycle_id, []).append((source, target))
        for cycle_id, pairs in sorted(moves.items()):
            sets = ", ".join(f"{c}{target:02d} = {c}{source:02d}" for source, target in pairs for c in COLUMNS)
            cursor.execute(f"UPDATE {score} SET {sets} WHERE cycle_id = %s", [cycle_id])  # noqa: S608


def to_id_order(apps, schema_editor):
    _move(apps, schema_editor, to_id_order=True)


def to_code_order(apps, schema_editor):
    _move(apps, schema_editor, to_id_order=False)


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0004_rater_groups"),
        ("ways_of_working", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_id_order, to_code_order, elidable=False)]
