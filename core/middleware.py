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
