from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The local demo (``seed_demo``): the top layer, since it drives every app below it. No models."""

    name = "demo"
    verbose_name = "Demo"
