"""Settings for the test suite: the real settings, read with TESTING on (no HTTPS redirect, test keys)."""

import os
import tempfile

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("AXES_ENABLED", "true")
# Tests never share the portal's local broker folder (var/broker).
os.environ.setdefault("CELERY_BROKER_DIR", tempfile.mkdtemp(prefix="appraise-test-broker-"))

from appraisal_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Serve static files from the source (finders), never from a stale collectstatic output.
STATIC_ROOT = tempfile.mkdtemp(prefix="appraise-test-static-")
WHITENOISE_AUTOREFRESH = True
# Tests ask for in-process tasks explicitly: without REDIS_URL a task runs inside the test that sends it
# (tests of the real worker set REDIS_URL; the make run test starts its own worker on the filesystem broker).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # noqa: F405
# Uploaded files (imports, exports) of a test run never land in the portal's own media folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="appraise-test-media-")
