"""A question's wording per rater group (issue 14): the self-assessment reads the same statement, under the
same code, in the first person."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0007_rater_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="wordings",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
