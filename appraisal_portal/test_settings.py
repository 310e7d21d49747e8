"""Settings for the test suite: the real settings, read with TESTING on (no HTTPS redirect, test keys)."""

import os
import tempfile

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("AXES_ENABLED", "true")

from appraisal_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Serve static files from the source (finders), never from a stale collectstatic output.
STATIC_ROOT = tempfile.mkdtemp(prefix="appraise-test-static-")
WHITENOISE_AUTOREFRESH = True
