"""The layout's links are worked out once per process, and are the same as ``{% static %}`` and ``{% url %}``."""

from django.template import Context, Template
from django.test import override_settings

LINKS = "{% load layout %}{% layout_static 'css/app.css' %} {% layout_url 'healthz' %}"
DJANGO_LINKS = "{% load static %}{% static 'css/app.css' %} {% url 'healthz' %}"


def render(source: str) -> str:
    return Template(source).render(Context())


def test_the_layout_links_are_djangos_own():
    assert render(LINKS) == render(DJANGO_LINKS) == "/static/css/app.css /healthz"


def test_a_settings_change_forgets_them():
    render(LINKS)

    with override_settings(STATIC_URL="/assets/"):
        assert render(LINKS) == "/assets/css/app.css /healthz"
    assert render(LINKS) == "/static/css/app.css /healthz"
