from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    default = True  # apps.py also holds the staticfiles config

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from core.receivers import on_user_logged_in, on_user_login_failed

        user_login_failed.connect(on_user_login_failed, dispatch_uid="core.on_user_login_failed")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="core.on_user_logged_in")


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
