from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What is left of the old ``reports`` app: its migrations only.

    Its models moved to ``scorecards``, ``comments`` and ``exports`` with their tables kept; the last
    migration here removes them from this app's state only. The app stays installed so that databases
    migrated before the move still find the migrations they recorded.
    """

    name = "reports"
    verbose_name = "Reports (migrations only)"
