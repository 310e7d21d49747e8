"""Static files (NHS.UK frontend from node_modules, served by WhiteNoise) and forms."""

from .core import DEBUG
from .env import BASE_DIR, env

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NHSUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
# The built NHS.UK frontend under the "nhsuk/" prefix (Django's documented prefix tuple); its Sass,
# Nunjucks and module sources are left out by the ignore patterns of core.apps.AppraiseStaticFilesConfig.
STATICFILES_DIRS = [BASE_DIR / "static", ("nhsuk", NHSUK_FRONTEND_DIST)]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# The NHS.UK stylesheet refers to its icons at absolute /assets/... paths.
WHITENOISE_ROOT = NHSUK_FRONTEND_DIST
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
