"""Health check, robots.txt and the friendly error pages."""

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from core.selectors import health_status


@never_cache
@require_GET
def healthz(request):
    healthy, body = health_status()
    return JsonResponse(body, status=200 if healthy else 503)


# Results and invitations are for signed-in users and their link holders only: nothing to index.
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


@cache_control(public=True, max_age=24 * 60 * 60)
@require_GET
def robots_txt(request):
    """Ask crawlers to keep out. Does nothing else, so the web benchmark also uses it as its floor."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


def error_page(request, status: int, title: str, message: str, *, code: str | None = None):
    """Answer an error: the API's JSON error body under /api/, the NHS.UK error page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": code or str(status), "message": message, "details": []}}
        return JsonResponse(body, status=status)
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    return error_page(request, 403, "You do not have access to this page", "Your account cannot see this page.")


def page_not_found(request, exception=None):
    return error_page(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted the web address, check you copied the entire address.",
    )


_PLAIN_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>Sorry, there is a problem with the service</title></head>'
    "<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></body></html>"
)


def server_error(request):
    try:
        return error_page(
            request,
            500,
            "Sorry, there is a problem with the service",
            "Try again later. Your saved answers are safe. If the problem continues, "
            "contact NHS Clinical Commissioners.",
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponseServerError(_PLAIN_500)
