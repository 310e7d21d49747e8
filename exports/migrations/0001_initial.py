"""Take over ReportExport from the reports app: state only, the tables (reports_*) are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('surveys', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('reports', '0006_scorecardstate_publish_queued_at'),
        ('scorecards', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportExport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('format', models.CharField(choices=[('pdf', 'Annual report (PDF)'), ('xlsx', 'Data tables (Excel workbook)'), ('csv', 'Data behind the report (CSV)'), ('respondents', 'Respondent-level answers (CSV, admins only)')], max_length=12)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('message', models.CharField(blank=True, max_length=300)),
                        ('file', models.FileField(blank=True, upload_to='exports/')),
                        ('filename', models.CharField(blank=True, max_length=200)),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('size', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('requested_at', models.DateTimeField()),
                        ('queued_at', models.DateTimeField()),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('expires_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exports', to='surveys.cycle')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reports_reportexport',
                        'ordering': ['-requested_at', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='reportexport',
                    name='scorecard_set',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='scorecards.scorecardset'),
                ),
                migrations.AddIndex(
                    model_name='reportexport',
                    index=models.Index(fields=['status', 'requested_at'], name='report_export_status'),
                ),
                migrations.AddConstraint(
                    model_name='reportexport',
                    constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='report_export_progress_0_100'),
                ),
                migrations.AddConstraint(
                    model_name='reportexport',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), models.Q(models.Q(('sha256', ''), _negated=True), ('finished_at__isnull', False)), _connector='OR'), name='report_export_done_has_file'),
                ),
            ],
        ),
        move_content_types(old_app="reports", new_app="exports", models=['reportexport']),
    ]
