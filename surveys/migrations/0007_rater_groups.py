"""Rater groups (issue 14): a lead's ``lead_role`` becomes the response's ``rater_group`` (its values stay the
same for CCG leads), and an invitation names the area team appraised, with a CCG only where the group has one."""

import django.db.models.deletion
from django.db import migrations, models


def _area_team_from_ccg(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    CCG = apps.get_model("organisations", "CCG")
    for ccg_id, area_team_id in CCG.objects.values_list("pk", "area_team_id"):
        Invitation.objects.filter(ccg_id=ccg_id).update(area_team_id=area_team_id)


GROUPS = [
    ("clinical", "Clinical lead"),
    ("managerial", "Managerial lead"),
    ("financial", "Financial lead"),
    ("practice", "GP member practice"),
    ("patients", "Patients' representative"),
    ("local_government", "Local government"),
    ("self", "Area team self-assessment"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("surveys", "0006_invitation_bounce"),
    ]

    operations = [
        migrations.RenameField("invitation", "lead_role", "rater_group"),
        migrations.RenameField("response", "lead_role", "rater_group"),
        migrations.RenameField("answer", "lead_role", "rater_group"),
        migrations.AlterField("invitation", "rater_group", models.CharField(choices=GROUPS, max_length=20)),
        migrations.AlterField("response", "rater_group", models.CharField(choices=GROUPS, max_length=20)),
        migrations.AlterField("answer", "rater_group", models.CharField(choices=GROUPS, max_length=20)),
        migrations.AddField(
            model_name="invitation",
            name="area_team",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="invitations",
                to="organisations.areateam",
            ),
        ),
        migrations.RunPython(_area_team_from_ccg, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="invitation",
            name="area_team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="invitations", to="organisations.areateam"
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="ccg",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="invitations",
                to="organisations.ccg",
            ),
        ),
        migrations.AlterField(
            model_name="response",
            name="ccg",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="responses",
                to="organisations.ccg",
            ),
        ),
        migrations.AlterModelOptions(name="invitation", options={"ordering": ["cycle", "ccg", "rater_group", "pk"]}),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("rater_group", "self")),
                fields=("cycle", "area_team"),
                name="invitation_one_self_per_area_team",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("ccg__isnull", False))
                | models.Q(("rater_group__in", ["clinical", "managerial", "financial", "practice"]), _negated=True),
                name="invitation_ccg_for_leads_and_practices",
            ),
        ),
    ]
