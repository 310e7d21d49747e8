from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"


class AppraiseStaticFilesConfig(StaticFilesConfig):
    """Staticfiles, leaving out the bundled ReDoc (we serve Swagger UI only) and the NHS.UK frontend's
    sources (Sass, Nunjucks, ES module sources and their type declarations, fixtures), to keep collectstatic quick.
    """

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "redoc",
        "*.scss",
        "*.scss.map",
        "*.njk",
        "*.mjs",
        "*.mjs.map",
        "*.mts",
        "*.mts.map",
        "*.md",
        "fixtures.json",
        "macro-options.json",
    ]
