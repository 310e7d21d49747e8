"""Whole pages kept per viewer: the layout rendered once, the request's own parts filled in per request.

A page whose content is cached (the league table) still cost as much again in its layout
(``base.html``: the header, the footer, the sign-out form) as in everything else it does. Of the layout,
only two parts belong to the request rather than to the viewer: the CSP nonce and the sign-out form's
CSRF token. So the page is rendered once per viewer with a marker in place of each, kept in this
process, and the markers are replaced on every request.
"""

import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from core.cache import LocalCopies

# Random per process: no content can hold them by chance, nor by design (nothing outside this process
# knows them).
_NONCE_MARKER = f"csp-nonce-{secrets.token_hex(16)}"
_CSRF_MARKER = f"csrf-token-{secrets.token_hex(16)}"

_pages = LocalCopies(max_chars=8_000_000)


def render_kept(request, template_name: str, context: dict, *, key: str | None) -> HttpResponse:
    """Render as ``render`` does, keeping the page under ``key`` and the viewer for their next request.

    ``key`` must name everything the page depends on but its viewer and the request (None: not kept).
    The viewer's part of the layout (their email in the header) is named here. A request with messages
    to show is rendered afresh: a message is shown once.
    """
    if key is None or len(get_messages(request)):
        return render(request, template_name, context)
    user = request.user
    kept_key = f"{template_name}|{key}|{user.pk}|{user.get_username()}"
    html = _pages.get(kept_key)
    if html is None:
        html = render_to_string(
            template_name, {**context, "CSP_NONCE": _NONCE_MARKER, "csrf_token": _CSRF_MARKER}, request
        )
        _pages.set(kept_key, html)
    return HttpResponse(html.replace(_NONCE_MARKER, str(request.csp_nonce)).replace(_CSRF_MARKER, get_token(request)))
