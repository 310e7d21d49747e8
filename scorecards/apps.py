from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards"

    def ready(self):
        from scorecards import receivers

        receivers.connect()
