"""A response's scores in one row (a column per group slot) instead of one row per group.

The old rows are dropped with their table, and every response is marked not yet applied, so the
next recompute (nightly, or ``manage.py recompute_scorecards``) scores them all again from their
answers; the aggregates stay as they were until then, and new submissions add to them as usual.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("reports", "0004_commentmoderation"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM reports_appliedresponse", reverse_sql=migrations.RunSQL.noop),
        migrations.DeleteModel(name="ResponseScore"),
        migrations.CreateModel(
            name="ResponseScore",
            fields=[
                (
                    "response",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="surveys.response",
                    ),
                ),
                ("lead_role", models.CharField(max_length=20)),
                ("s01", models.IntegerField(blank=True, null=True)),
                ("s02", models.IntegerField(blank=True, null=True)),
                ("s03", models.IntegerField(blank=True, null=True)),
                ("s04", models.IntegerField(blank=True, null=True)),
                ("s05", models.IntegerField(blank=True, null=True)),
                ("s06", models.IntegerField(blank=True, null=True)),
                ("s07", models.IntegerField(blank=True, null=True)),
                ("s08", models.IntegerField(blank=True, null=True)),
                ("s09", models.IntegerField(blank=True, null=True)),
                ("s10", models.IntegerField(blank=True, null=True)),
                ("s11", models.IntegerField(blank=True, null=True)),
                ("s12", models.IntegerField(blank=True, null=True)),
                ("s13", models.IntegerField(blank=True, null=True)),
                ("s14", models.IntegerField(blank=True, null=True)),
                ("s15", models.IntegerField(blank=True, null=True)),
                ("s16", models.IntegerField(blank=True, null=True)),
                ("s17", models.IntegerField(blank=True, null=True)),
                ("s18", models.IntegerField(blank=True, null=True)),
                ("s19", models.IntegerField(blank=True, null=True)),
                ("s20", models.IntegerField(blank=True, null=True)),
                ("s21", models.IntegerField(blank=True, null=True)),
                ("s22", models.IntegerField(blank=True, null=True)),
                ("s23", models.IntegerField(blank=True, null=True)),
                ("s24", models.IntegerField(blank=True, null=True)),
                (
                    "area_team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.areateam"
                    ),
                ),
                (
                    "cycle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="surveys.cycle"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["cycle", "area_team"], name="response_scores_cycle_at")],
            },
        ),
    ]
