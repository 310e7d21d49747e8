"""The HTTP helpers every app shares: the caller's address (as django-axes reads it) and file downloads."""

import io

from django.test import RequestFactory

from core.http import client_ip, download_response


def test_without_a_proxy_configured_the_address_is_the_peers_and_a_forwarded_header_is_ignored(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.9"


def test_behind_one_configured_proxy_the_address_is_the_clients_it_forwarded(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2")

    assert client_ip(request) == "198.51.100.7"


def test_no_address_is_none_not_an_empty_string():
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)

    assert client_ip(request) is None


def test_a_download_is_an_attachment_never_cached_and_never_sniffed():
    response = download_response(io.BytesIO(b"a,b\n"), "report-2014.csv", "text/csv; charset=utf-8")

    assert response["Content-Disposition"] == 'attachment; filename="report-2014.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"a,b\n"
