"""Health check, robots.txt, the friendly error pages and the admins' audit log."""

import csv
import json
import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from core.forms import AuditFilterForm
from core.net import client_ip
from core.selectors import audit_actions, audit_events, health_status
from core.services import audit_record

AUDIT_PAGE_SIZE = 100
AUDIT_CSV_COLUMNS = ["at", "actor_email", "action", "object_type", "object_id", "ip", "detail"]


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


MSG_DATABASE_UNAVAILABLE = (
    "The service could not reach its database just now (it may be restarting), so what you sent may not "
    "have been saved. Wait a minute and send it again: if it was saved, you will see that, and sending it "
    "again never submits twice."
)
_PLAIN_503 = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>Sorry, the service is unavailable for a moment</title>'
    "</head><body><h1>Sorry, the service is unavailable for a moment</h1><p>{message}</p></body></html>"
)
DATABASE_RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    """Answer 503 with a retry message when the database is unreachable (a restart, a failover).

    Rendered without the database: the layout reads the session and the user, which would fail again.
    """
    if request.path.startswith("/api/"):
        body = {"error": {"code": "database_unavailable", "message": MSG_DATABASE_UNAVAILABLE, "details": []}}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(_PLAIN_503.format(message=MSG_DATABASE_UNAVAILABLE), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    # Django calls this handler while handling the exception, so it is still sys.exc_info()'s.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
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


def _csv_cell(value) -> str:
    """Return a cell a spreadsheet will not run as a formula (a leading =, +, - or @ is quoted with ')."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def audit_log(request):
    """List the audit events (admins only), filtered by action, actor and dates; ``?format=csv`` downloads them."""
    if not (request.user.is_superuser or getattr(request.user, "role", "") == "admin"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, actions=audit_actions())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_events(**{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv" and not form.errors:
        return _audit_csv(request, events, filters)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count}
    return render(request, "core/audit.html", context, status=400 if form.errors else 200)


def _audit_csv(request, events, filters) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="appraise-audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(AUDIT_CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            _csv_cell(value)
            for value in (
                event.at.isoformat(),
                event.actor_email,
                event.action,
                event.object_type,
                event.object_id,
                event.ip,
                json.dumps(event.detail, sort_keys=True, default=str),
            )
        )
    detail = {k: str(v) for k, v in filters.items() if v}
    audit_record(
        actor=request.user, action="audit_exported", object_type="core.auditevent", detail=detail, ip=client_ip(request)
    )
    return response
