"""Remove the models that moved to scorecards, comments and exports from this app's state only.

Their tables stay where they are (the new apps' models name them in ``db_table``), so no row is
copied or lost; after this migration the reports app has no models, only its migrations.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_scorecardstate_publish_queued_at'),
        ('scorecards', '0001_initial'),
        ('comments', '0001_initial'),
        ('exports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='areateamresponse',
                    name='area_team',
                ),
                migrations.RemoveField(
                    model_name='areateamresponse',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='areateamresponse',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='commentmoderation',
                    name='answer',
                ),
                migrations.RemoveField(
                    model_name='commentmoderation',
                    name='area_team',
                ),
                migrations.RemoveField(
                    model_name='commentmoderation',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='commentmoderation',
                    name='moderated_by',
                ),
                migrations.RemoveField(
                    model_name='commentmoderation',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='reportexport',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='reportexport',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='reportexport',
                    name='scorecard_set',
                ),
                migrations.RemoveField(
                    model_name='responsescore',
                    name='area_team',
                ),
                migrations.RemoveField(
                    model_name='responsescore',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='responsescore',
                    name='response',
                ),
                migrations.RemoveField(
                    model_name='scorecard',
                    name='scorecard_set',
                ),
                migrations.RemoveField(
                    model_name='scorecardaggregate',
                    name='area_team',
                ),
                migrations.RemoveField(
                    model_name='scorecardaggregate',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='scorecardset',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='scorecardstate',
                    name='current_set',
                ),
                migrations.RemoveField(
                    model_name='scorecardstate',
                    name='cycle',
                ),
                migrations.DeleteModel(
                    name='AppliedResponse',
                ),
                migrations.DeleteModel(
                    name='AreaTeamResponse',
                ),
                migrations.DeleteModel(
                    name='CommentModeration',
                ),
                migrations.DeleteModel(
                    name='ReportExport',
                ),
                migrations.DeleteModel(
                    name='ResponseScore',
                ),
                migrations.DeleteModel(
                    name='Scorecard',
                ),
                migrations.DeleteModel(
                    name='ScorecardAggregate',
                ),
                migrations.DeleteModel(
                    name='ScorecardSet',
                ),
                migrations.DeleteModel(
                    name='ScorecardState',
                ),
            ],
        ),
    ]
