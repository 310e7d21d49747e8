"""The layout's links (``base.html``, on every page), worked out once per process.

``{% static %}`` and ``{% url %}`` work a link out again on every render (a look-up in the static files'
manifest, a reversal of the URL patterns): in the layout of every page, ten of them cost as much as
the rest of the layout. Neither answer changes while the process runs (the manifest is read once, at
start), so these tags remember them; a settings change in a test forgets them.
"""

from functools import cache

from django import template
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@cache
def _static(path: str) -> str:
    return static(path)


@cache
def _url(name: str, prefix: str, urlconf) -> str:
    # ``prefix`` is not passed on (reverse reads it itself) but keys the answer: it differs per mount point.
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def layout_static(path: str) -> str:
    """Return what ``{% static path %}`` returns."""
    return _static(path)


@register.simple_tag
def layout_url(name: str) -> str:
    """Return what ``{% url name %}`` returns, for a URL that takes no arguments."""
    return _url(name, get_script_prefix(), get_urlconf())


def _forget(**kwargs) -> None:
    _static.cache_clear()
    _url.cache_clear()


setting_changed.connect(_forget, dispatch_uid="core.templatetags.layout")
