"""The client's address, read the one way everything here reads it (sign-in limits, axes, audit).

``TRUSTED_PROXY_COUNT`` is the number of proxies in front of the web processes (a load balancer, a
reverse proxy). With none, the address is ``REMOTE_ADDR``. With N, it is read by django-ipware from
``X-Forwarded-For``, which must then hold exactly the client and the N - 1 proxies before the last one
(strict): a header with more entries (a client adding its own) is not believed, and the address is the
last proxy's. Too low a count makes every client the proxy; too high lets a client choose its address.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """Return the client's IP address (django-ipware, with the configured proxy count), or None."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        ip, _ = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=count - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR",),
            strict=True,
        )
        if ip:
            return str(ip)
    return request.META.get("REMOTE_ADDR") or None
