"""HTTP helpers every app's pages and API share: the caller's address and file downloads."""

import mimetypes

from django.conf import settings
from django.http import FileResponse
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """Return the client's address as django-axes reads it (django-ipware, the same ``AXES_IPWARE_*`` settings).

    With no proxy configured that is ``REMOTE_ADDR`` alone: a forwarded header is trusted only once
    ``AXES_IPWARE_PROXY_COUNT`` (or trusted proxy addresses) say how many proxies stand in front.
    """
    address, _routable = get_client_ip(
        request,
        proxy_order=getattr(settings, "AXES_IPWARE_PROXY_ORDER", "left-most"),
        proxy_count=getattr(settings, "AXES_IPWARE_PROXY_COUNT", None),
        proxy_trusted_ips=getattr(settings, "AXES_IPWARE_PROXY_TRUSTED_IPS", None),
        request_header_order=getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ("REMOTE_ADDR",)),
    )
    return address or None


def download_response(handle, filename: str, content_type: str | None = None) -> FileResponse:
    """Return the file as an attachment under the server-chosen name, never cached."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
