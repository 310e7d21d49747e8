"""The NHS.UK frontend is served from STATICFILES_DIRS under "nhsuk/" (no finder of our own), without its sources."""

from django.apps import apps
from django.contrib.staticfiles import finders


def test_the_built_nhsuk_frontend_is_found_under_its_prefix():
    for path in ("nhsuk/nhsuk-frontend.min.css", "nhsuk/nhsuk-frontend.min.js", "nhsuk/assets/images/favicon.ico"):
        assert finders.find(path), path


def test_collectstatic_lists_the_built_files_but_not_the_sass_or_nunjucks_sources():
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    listed = {
        f"{storage.prefix}/{path}" if getattr(storage, "prefix", None) else path
        for finder in finders.get_finders()
        for path, storage in finder.list(ignore)
    }
    nhsuk = {path for path in listed if path.startswith("nhsuk/")}

    assert {"nhsuk/nhsuk-frontend.min.css", "nhsuk/nhsuk-frontend.min.js"} <= nhsuk
    assert not [path for path in nhsuk if path.endswith((".scss", ".njk", ".mjs", ".mts", "macro-options.json"))]


def test_the_stylesheets_absolute_assets_are_served_from_the_site_root(client):
    response = client.get("/assets/images/favicon.ico")

    assert response.status_code == 200
