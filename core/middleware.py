"""Request logging: one structured line per request, with the path's secrets redacted."""

import logging
import time

from core.logging import redact

logger = logging.getLogger("appraise.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": redact(request.path),
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class DomainErrorMiddleware:
    """Render a ``DomainError`` escaping a page view as the friendly error page, with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from core.errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "error.html",
            {"title": "There is a problem", "message": exception.message},
            status=exception.status,
        )


MSG_NUL = "The request contained a NUL character (%00), which is not allowed. Remove it and try again."
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(request) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in query or "%00" in query:
        return True
    if request.method in ("POST", "PUT", "PATCH") and request.content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class RefuseNulMiddleware:
    """Refuse a NUL character in the path, the query string or a form's fields with a 400, before any view.

    PostgreSQL text cannot hold one, so a NUL that reached a query was a 500. The API answers with its
    JSON error body, pages with the NHS.UK error page. JSON bodies are checked by the API's parser
    (core.parsers), uploaded files by the CSV imports (core.imports).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from core.views import error_page

            return error_page(request, 400, "Bad request", MSG_NUL, code="invalid_characters")
        return self.get_response(request)


# Which limit each page's requests meet: url name → (kind, methods that count, whether the request itself
# counts; sign-in failures are counted by the user_login_failed signal instead).
RATE_LIMITED_VIEWS = {
    "login": ("sign-in-failure", {"POST"}, False),
    "password_reset": ("password-reset", {"POST"}, True),
    "invitation-accept": ("invitation-link", {"GET", "POST"}, True),
}


class RateLimitMiddleware:
    """Answer 429 (with Retry-After and a page saying what is paused, and for how long) once an address
    reaches a limit of core.ratelimit on sign-in, password reset or invitation links."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = RATE_LIMITED_VIEWS.get(match.url_name if match else None)
        if rule is None or request.method not in rule[1]:
            return None
        from core.net import client_ip
        from core.ratelimit import rate_event_record, rate_paused
        from core.views import error_page

        ip = client_ip(request)
        paused = rate_paused(kind=rule[0], key=ip)
        if paused is not None:
            response = error_page(request, 429, "Too many attempts", paused.message, code="rate_limited")
            response["Retry-After"] = str(paused.retry_after)
            return response
        if rule[2]:
            rate_event_record(kind=rule[0], key=ip)
        return None
