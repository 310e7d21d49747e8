"""The project's middleware: request logs, domain errors, bad input, rate limits, session timeouts, headers."""

import logging
import time

from django.conf import settings
from django.utils.cache import patch_cache_control

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
            {"title": getattr(exception, "title", "There is a problem"), "message": exception.message},
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


MSG_IDLE = "You were signed out because you had not used the service for {minutes} minutes. Sign in again."
MSG_EXPIRED = "You were signed out because you signed in more than {hours} hours ago. Sign in again."
_SIGNED_IN_AT, _SEEN_AT = "appraise_signed_in_at", "appraise_seen_at"
# The last-seen time is written at most this often, so that a burst of pages is not a burst of writes.
_SEEN_WRITE_SECONDS = 60


def mark_signed_in(request) -> None:
    """Record that the session's user signed in now."""
    now = int(time.time())
    request.session[_SIGNED_IN_AT] = now
    request.session[_SEEN_AT] = now


def idle_timeout_for(user) -> int:
    """Return the seconds of inactivity after which ``user`` is signed out (shorter for staff roles)."""
    staff = user.is_staff or getattr(user, "role", "") in settings.SESSION_IDLE_STAFF_ROLES
    return settings.SESSION_IDLE_SECONDS_STAFF if staff else settings.SESSION_IDLE_SECONDS


class SessionTimeoutMiddleware:
    """Sign a user out after ``idle_timeout_for(user)`` seconds without a request, and ``SESSION_COOKIE_AGE``
    seconds (8 hours) after signing in, whatever the activity.

    Django's own expiry slides whenever the session is saved; the sign-in time kept in the session makes
    the 8 hours absolute. A page request then goes to the sign-in page with a message saying why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login

                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # answered as the anonymous caller it now is
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, request, user) -> str | None:
        now = int(time.time())
        session = request.session
        signed_in_at = session.setdefault(_SIGNED_IN_AT, now)
        seen_at = session.get(_SEEN_AT, now)
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return MSG_EXPIRED.format(hours=round(settings.SESSION_COOKIE_AGE / 3600))
        idle = idle_timeout_for(user)
        if now - seen_at > idle:
            return MSG_IDLE.format(minutes=round(idle / 60))
        if _SEEN_AT not in session or now - seen_at >= _SEEN_WRITE_SECONDS:
            session[_SEEN_AT] = now
        return None


class SecurityHeadersMiddleware:
    """Add ``Permissions-Policy`` to every response, and ``Cache-Control: private, no-store`` to signed-in
    responses that do not set their own, so that no shared or browser cache keeps a signed-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
