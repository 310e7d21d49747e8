"""Rater groups per cycle (issue 14): the partner groups and the self-assessment an admin switches on; every
existing cycle keeps CCG leads only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0008_framework_codes_fixed_once_asked"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="partner_groups",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="cycle",
            name="self_assessment",
            field=models.BooleanField(default=False),
        ),
    ]
