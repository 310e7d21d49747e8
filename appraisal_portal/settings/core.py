"""Django core: apps, middleware, templates, auth, i18n."""

from django.core.exceptions import ImproperlyConfigured

from .env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default=False)

# In DEBUG (local development) a throwaway key is fine; anywhere else a missing secret is fatal.
if DEBUG or TESTING:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only-key-do-not-deploy")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "core.apps.AppraiseStaticFilesConfig",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "django_celery_beat",
    "axes",
    "csp",
    # Our apps, layered: each imports only from those before it (checked by import-linter, see
    # pyproject.toml). "reports" holds only the migrations that moved its models to their apps.
    "core",
    "organisations",
    "accounts",
    "ways_of_working",
    "surveys",
    "comments",
    "scorecards",
    "exports",
    "demo",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view (and CSRF's view check, which reads the form): NUL characters get a clean 400.
    "core.middleware.RefuseNulMiddleware",
    "core.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed out after idling or 8 hours (with a message, so after messages); headers for signed-in pages.
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.DomainErrorMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "appraisal_portal.urls"
WSGI_APPLICATION = "appraisal_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.service",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes locks the account (the username) after repeated failures, and nothing else: keyed on the
# address (or address and browser), one person's typos locked a whole office behind its proxy, and a
# changed browser string slipped past. Spraying across usernames from one address is limited apart
# (RATE_LIMITS below, core/ratelimit.py), in the database so that it holds with the cache down.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Client addresses come from django-ipware, with the number of proxies in front of the web processes
# (core/net.py; the same function for axes, the rate limits and the audit).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
# axes warns that a lock without the address lets spraying through: here the address has its own limit
# (core.ratelimit, "sign-in-failure" in RATE_LIMITS), which axes cannot see.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Per client address: (events, seconds). Sign-in failures across any usernames (spraying; the account's
# own lock is axes'), password reset requests, invitation links opened.
RATE_LIMITS = {
    "sign-in-failure": (
        env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20),
        env.int("SIGN_IN_ADDRESS_WINDOW_SECONDS", default=15 * 60),
    ),
    "password-reset": (env.int("PASSWORD_RESET_LIMIT", default=5), 60 * 60),
    "invitation-link": (env.int("INVITATION_LINK_LIMIT", default=30), 15 * 60),
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
