"""A board pack (format \"pack\") is of one area team; every other export is of none."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exports', '0001_initial'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportexport',
            name='area_team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.areateam'),
        ),
        migrations.AlterField(
            model_name='reportexport',
            name='format',
            field=models.CharField(choices=[('pdf', 'Annual report (PDF)'), ('xlsx', 'Data tables (Excel workbook)'), ('csv', 'Data behind the report (CSV)'), ('respondents', 'Respondent-level answers (CSV, admins only)'), ('pack', 'Area team board pack (PDF)')], max_length=12),
        ),
        migrations.AddConstraint(
            model_name='reportexport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('area_team__isnull', False), ('format', 'pack')), models.Q(models.Q(('format', 'pack'), _negated=True), ('area_team__isnull', True)), _connector='OR'), name='report_export_pack_has_area_team'),
        ),
    ]
