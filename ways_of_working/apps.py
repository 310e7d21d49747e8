from django.apps import AppConfig


class WaysOfWorkingConfig(AppConfig):
    name = "ways_of_working"
    verbose_name = "Ways of working"
