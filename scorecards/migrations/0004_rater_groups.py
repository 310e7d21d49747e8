"""Rater groups (issue 14): the engine's rows are per rater group (the CCG leads' values unchanged)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0003_provisional_snapshot"),
        ("surveys", "0007_rater_groups"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="scorecard",
            name="scorecard_unique",
        ),
        migrations.RemoveConstraint(
            model_name="scorecardaggregate",
            name="scorecard_aggregate_unique",
        ),
        migrations.RemoveIndex(
            model_name="scorecard",
            name="scorecard_set_item",
        ),
        migrations.RenameField("responsescore", "lead_role", "rater_group"),
        migrations.RenameField("scorecardaggregate", "lead_role", "rater_group"),
        migrations.RenameField("scorecard", "lead_role", "rater_group"),
        migrations.AlterModelOptions(
            name="scorecard",
            options={"ordering": ["order", "level", "org_code", "rater_group"]},
        ),
        migrations.AddIndex(
            model_name="scorecard",
            index=models.Index(fields=["scorecard_set", "kind", "code", "rater_group"], name="scorecard_set_item"),
        ),
        migrations.AddConstraint(
            model_name="scorecard",
            constraint=models.UniqueConstraint(
                fields=("scorecard_set", "level", "org_code", "kind", "code", "rater_group"), name="scorecard_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="scorecardaggregate",
            constraint=models.UniqueConstraint(
                fields=("cycle", "area_team", "rater_group", "kind", "code"), name="scorecard_aggregate_unique"
            ),
        ),
    ]
