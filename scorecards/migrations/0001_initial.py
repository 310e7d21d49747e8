"""Take over ScorecardState, ScorecardSet, Scorecard, ScorecardAggregate, ResponseScore, AppliedResponse, AreaTeamResponse from the reports app: state only, the tables (reports_*) are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisations', '0001_initial'),
        ('surveys', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('reports', '0006_scorecardstate_publish_queued_at'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AppliedResponse',
                    fields=[
                        ('response', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='surveys.response')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_appliedresponse',
                    },
                ),
                migrations.CreateModel(
                    name='ScorecardSet',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('built_at', models.DateTimeField()),
                        ('responses', models.PositiveIntegerField(default=0)),
                        ('min_base', models.PositiveSmallIntegerField()),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scorecard_sets', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_scorecardset',
                    },
                ),
                migrations.CreateModel(
                    name='Scorecard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('england', 'England'), ('region', 'Region'), ('area_team', 'Area team')], max_length=10)),
                        ('org_code', models.CharField(max_length=3)),
                        ('org_name', models.CharField(max_length=200)),
                        ('parent_code', models.CharField(blank=True, max_length=3)),
                        ('kind', models.CharField(choices=[('question', 'Question'), ('behaviour', 'Behaviour'), ('role', 'Role'), ('overall', 'Overall')], max_length=10)),
                        ('code', models.CharField(max_length=40)),
                        ('label', models.TextField()),
                        ('behaviour_code', models.CharField(blank=True, max_length=40)),
                        ('role_code', models.CharField(blank=True, max_length=40)),
                        ('positively_worded', models.BooleanField(default=True)),
                        ('lead_role', models.CharField(blank=True, max_length=20)),
                        ('order', models.PositiveIntegerField(default=0)),
                        ('suppressed', models.BooleanField(default=False)),
                        ('suppression_reason', models.CharField(blank=True, max_length=20)),
                        ('base', models.IntegerField(null=True)),
                        ('n5', models.IntegerField(null=True)),
                        ('n4', models.IntegerField(null=True)),
                        ('n3', models.IntegerField(null=True)),
                        ('n2', models.IntegerField(null=True)),
                        ('n1', models.IntegerField(null=True)),
                        ('dont_know', models.IntegerField(null=True)),
                        ('answers', models.IntegerField(null=True)),
                        ('pct_positive', models.FloatField(null=True)),
                        ('pct_positive_low', models.FloatField(null=True)),
                        ('pct_positive_high', models.FloatField(null=True)),
                        ('pct_negative', models.FloatField(null=True)),
                        ('score', models.FloatField(null=True)),
                        ('score_low', models.FloatField(null=True)),
                        ('score_high', models.FloatField(null=True)),
                        ('previous_pct_positive', models.FloatField(null=True)),
                        ('change_pct_positive', models.FloatField(null=True)),
                        ('change_pct_positive_p', models.FloatField(null=True)),
                        ('change_pct_positive_significant', models.BooleanField(null=True)),
                        ('previous_score', models.FloatField(null=True)),
                        ('change_score', models.FloatField(null=True)),
                        ('change_score_p', models.FloatField(null=True)),
                        ('change_score_significant', models.BooleanField(null=True)),
                        ('scorecard_set', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='scorecards.scorecardset')),
                    ],
                    options={
                        'db_table': 'reports_scorecard',
                        'ordering': ['order', 'level', 'org_code', 'lead_role'],
                    },
                ),
                migrations.CreateModel(
                    name='ScorecardState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('aggregates_version', models.PositiveIntegerField(default=0)),
                        ('published_version', models.PositiveIntegerField(default=0)),
                        ('last_full_recompute_at', models.DateTimeField(blank=True, null=True)),
                        ('publish_queued_at', models.DateTimeField(blank=True, null=True)),
                        ('current_set', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='scorecards.scorecardset')),
                        ('cycle', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='scorecard_state', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_scorecardstate',
                    },
                ),
                migrations.CreateModel(
                    name='AreaTeamResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('area_team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.areateam')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_areateamresponse',
                        'constraints': [models.UniqueConstraint(fields=('cycle', 'area_team'), name='area_team_response_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ResponseScore',
                    fields=[
                        ('response', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='surveys.response')),
                        ('lead_role', models.CharField(max_length=20)),
                        ('s01', models.IntegerField(blank=True, null=True)),
                        ('s02', models.IntegerField(blank=True, null=True)),
                        ('s03', models.IntegerField(blank=True, null=True)),
                        ('s04', models.IntegerField(blank=True, null=True)),
                        ('s05', models.IntegerField(blank=True, null=True)),
                        ('s06', models.IntegerField(blank=True, null=True)),
                        ('s07', models.IntegerField(blank=True, null=True)),
                        ('s08', models.IntegerField(blank=True, null=True)),
                        ('s09', models.IntegerField(blank=True, null=True)),
                        ('s10', models.IntegerField(blank=True, null=True)),
                        ('s11', models.IntegerField(blank=True, null=True)),
                        ('s12', models.IntegerField(blank=True, null=True)),
                        ('s13', models.IntegerField(blank=True, null=True)),
                        ('s14', models.IntegerField(blank=True, null=True)),
                        ('s15', models.IntegerField(blank=True, null=True)),
                        ('s16', models.IntegerField(blank=True, null=True)),
                        ('s17', models.IntegerField(blank=True, null=True)),
                        ('s18', models.IntegerField(blank=True, null=True)),
                        ('s19', models.IntegerField(blank=True, null=True)),
                        ('s20', models.IntegerField(blank=True, null=True)),
                        ('s21', models.IntegerField(blank=True, null=True)),
                        ('s22', models.IntegerField(blank=True, null=True)),
                        ('s23', models.IntegerField(blank=True, null=True)),
                        ('s24', models.IntegerField(blank=True, null=True)),
                        ('area_team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.areateam')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_responsescore',
                        'indexes': [models.Index(fields=['cycle', 'area_team'], name='response_scores_cycle_at')],
                    },
                ),
                migrations.CreateModel(
                    name='ScorecardAggregate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('n5', models.IntegerField(default=0)),
                        ('n4', models.IntegerField(default=0)),
                        ('n3', models.IntegerField(default=0)),
                        ('n2', models.IntegerField(default=0)),
                        ('n1', models.IntegerField(default=0)),
                        ('dk', models.IntegerField(default=0)),
                        ('favourable', models.IntegerField(default=0)),
                        ('unfavourable', models.IntegerField(default=0)),
                        ('lead_role', models.CharField(max_length=20)),
                        ('kind', models.CharField(choices=[('question', 'Question'), ('behaviour', 'Behaviour'), ('role', 'Role'), ('overall', 'Overall')], max_length=10)),
                        ('code', models.CharField(max_length=40)),
                        ('people', models.IntegerField(default=0)),
                        ('score_sum', models.BigIntegerField(default=0)),
                        ('score_sumsq', models.BigIntegerField(default=0)),
                        ('answers', models.IntegerField(default=0)),
                        ('area_team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.areateam')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.cycle')),
                    ],
                    options={
                        'db_table': 'reports_scorecardaggregate',
                        'constraints': [models.UniqueConstraint(fields=('cycle', 'area_team', 'lead_role', 'kind', 'code'), name='scorecard_aggregate_unique')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='scorecardset',
                    constraint=models.UniqueConstraint(fields=('cycle', 'version'), name='scorecard_set_unique'),
                ),
                migrations.AddIndex(
                    model_name='scorecard',
                    index=models.Index(fields=['scorecard_set', 'level', 'org_code'], name='scorecard_set_org'),
                ),
                migrations.AddIndex(
                    model_name='scorecard',
                    index=models.Index(fields=['scorecard_set', 'kind', 'code', 'lead_role'], name='scorecard_set_item'),
                ),
                migrations.AddConstraint(
                    model_name='scorecard',
                    constraint=models.UniqueConstraint(fields=('scorecard_set', 'level', 'org_code', 'kind', 'code', 'lead_role'), name='scorecard_unique'),
                ),
                migrations.AddConstraint(
                    model_name='scorecard',
                    constraint=models.CheckConstraint(condition=models.Q(('suppressed', False), models.Q(('base__isnull', True), ('n5__isnull', True), ('pct_positive__isnull', True), ('score__isnull', True)), _connector='OR'), name='scorecard_suppressed_has_no_numbers'),
                ),
            ],
        ),
        move_content_types(old_app="reports", new_app="scorecards", models=['scorecardstate', 'scorecardset', 'scorecard', 'scorecardaggregate', 'responsescore', 'appliedresponse', 'areateamresponse']),
    ]
