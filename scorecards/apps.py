from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_functions(sender, using, **kwargs):
    from scorecards.services.aggregation.refresh import install_apply_function

    install_apply_function(using)


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards"

    def ready(self):
        from scorecards import receivers

        receivers.connect()
        # The refresh's SQL function follows the code: it is (re)created after every migrate.
        post_migrate.connect(_install_functions, sender=self, dispatch_uid="scorecards-functions")
