"""Take over CommentModeration from the reports app: state only, the tables (reports_*) are kept."""

import django.db.models.deletion
import uuid
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
                    name='CommentModeration',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('status', models.CharField(choices=[('pending', 'Waiting for moderation'), ('approved', 'Approved'), ('hidden', 'Hidden')], default='pending', max_length=10)),
                        ('redacted_text', models.TextField(blank=True)),
                        ('moderated_at', models.DateTimeField(blank=True, null=True)),
                        ('answer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='moderation', to='surveys.answer')),
                        ('area_team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.areateam')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.cycle')),
                        ('moderated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='surveys.question')),
                    ],
                    options={
                        'db_table': 'reports_commentmoderation',
                        'indexes': [models.Index(fields=['cycle', 'status', 'area_team'], name='comment_moderation_queue')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'hidden'])), name='comment_moderation_status_valid')],
                    },
                ),
            ],
        ),
        move_content_types(old_app="reports", new_app="comments", models=['commentmoderation']),
    ]
