"""WSGI entry point (gunicorn appraisal_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal_portal.settings")

application = get_wsgi_application()
