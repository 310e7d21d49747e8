"""Serve only the built parts of the nhsuk-frontend npm package as static files under ``nhsuk/``."""

from fnmatch import fnmatch

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage

# The built CSS and JS (with their source maps, which the manifest storage follows) and the assets;
# not the package's ~1,400 Sass, Nunjucks and module sources.
WANTED = (
    "nhsuk-frontend.min.css",
    "nhsuk-frontend.min.css.map",
    "nhsuk-frontend.min.js",
    "nhsuk-frontend.min.js.map",
    "assets/*",
)


class NHSUKFrontendFinder(FileSystemFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        self.locations = [("nhsuk", str(settings.NHSUK_FRONTEND_DIST))]
        self.storages = {}
        storage = FileSystemStorage(location=str(settings.NHSUK_FRONTEND_DIST))
        storage.prefix = "nhsuk"
        self.storages[str(settings.NHSUK_FRONTEND_DIST)] = storage

    def check(self, **kwargs):
        return []

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if any(fnmatch(path, pattern) for pattern in WANTED):
                yield path, storage
