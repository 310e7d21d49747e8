from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"


class AppraiseStaticFilesConfig(StaticFilesConfig):
    """Staticfiles, leaving out the bundled ReDoc (we serve Swagger UI only) to keep collectstatic quick."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc"]
