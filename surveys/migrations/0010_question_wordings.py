"""A question's wording per rater group (issue 14): the self-assessment reads the same statement, under the
same code, in the first person. And invitations are ordered by their CCG's id, not through the (now nullable)
CCG, so that locking one (redeeming a self-assessment's link) needs no outer join, which PostgreSQL refuses."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_cycle_rater_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="wordings",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterModelOptions(name="invitation", options={"ordering": ["cycle", "ccg_id", "rater_group", "pk"]}),
    ]
