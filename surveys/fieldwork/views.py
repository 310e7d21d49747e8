"""The fieldwork workspace (NHSCC analysts and admins): who has been invited, sent, opened, started and
submitted; filters; send the unsent invitations; remind the people chosen (with a count first); responses
over time; non-responders as CSV.
"""

import csv
import io
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from core.errors import DomainError
from core.services import audit_act
from surveys import services
from surveys.fieldwork import selectors
from surveys.fieldwork.chart import responses_chart
from surveys.fieldwork.forms import FieldworkFilterForm
from surveys.models import Cycle, CycleState
from surveys.selectors import fieldwork_dashboard
from surveys.services.bounces import invitations_bounces_import
from surveys.services.files import ImportFileError

PER_PAGE = 50
MAX_CHOSEN = 1000
MSG_REMINDERS_QUEUED = "{count} reminder emails are being sent to people who have not responded yet."
MSG_REMINDER_QUEUED = "1 reminder email is being sent to someone who has not responded yet."
MSG_NO_REMINDERS = "No reminders are due now: everyone who has not responded was contacted recently."
MSG_INVITATIONS_QUEUED = "{count} invitation emails are being sent."
MSG_INVITATION_QUEUED = "1 invitation email is being sent."
MSG_NO_INVITATIONS = "Every invitation has been sent already."
MSG_BOUNCES_RECORDED = "{count} bounced invitations have been recorded."
MSG_BOUNCE_RECORDED = "1 bounced invitation has been recorded."
MSG_BOUNCES_NO_FILE = "Choose the bounce report (a CSV file) to upload."
CSV_HEADER = [
    *("name", "email", "ccg_code", "ccg", "area_team", "rater_group"),
    *("status", "sent", "reminders", "last_contact"),
]


class FieldworkMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


def _query(request) -> str:
    """Return the list's filters as a query string (no page), to come back to the same list."""
    keep = {k: v for k, v in request.GET.items() if k in FieldworkFilterForm.base_fields and v}
    return urlencode(keep)


def _back(year: int, query: str):
    return redirect(f"{reverse('results-fieldwork', args=[year])}{'?' + query if query else ''}#invitations")


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many.format(count=count)


class FieldworkView(FieldworkMixin, View):
    """The workspace: rates, the chase card, the chart, and the filtered, paginated list of invitations."""

    def get(self, request, year: int):
        return _workspace(request, year)

    def post(self, request, year: int):
        """Remind every lead due a reminder now (the chase card's button; its count is shown beside it)."""
        get_object_or_404(Cycle, year=year)
        count = services.reminders_queue_now()
        if count == 0:
            messages.info(request, MSG_NO_REMINDERS)
        elif count == 1:
            messages.success(request, MSG_REMINDER_QUEUED)
        else:
            messages.success(request, MSG_REMINDERS_QUEUED.format(count=count))
        return redirect("results-fieldwork", year)


def _workspace(request, year: int, *, bounce_problems=None, status: int = 200):
    """Render the workspace (with a bounce report's problems, if one was refused)."""
    cycle = get_object_or_404(Cycle, year=year)
    form = FieldworkFilterForm(request.GET or None)
    invitations = selectors.fieldwork_invitations(cycle=cycle, **form.filters())
    page = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    dashboard = fieldwork_dashboard(cycle=cycle)
    query = _query(request)
    context = {
        "cycle": cycle,
        "dashboard": dashboard,
        "form": form,
        "page": page,
        "query": query,
        "status_labels": selectors.STATUS_LABELS,
        "status_counts": selectors.fieldwork_status_counts(cycle=cycle),
        "chase": selectors.chase_summary(cycle=cycle),
        "days": selectors.responses_over_time(cycle=cycle),
        "is_open": cycle.state == CycleState.OPEN,
        "reminder_min_days": settings.REMINDER_MIN_DAYS,
    }
    context["chart"] = responses_chart(context["days"], invited=dashboard["england"]["invited"])
    context["bounce_problems"] = bounce_problems or []
    return render(request, "surveys/fieldwork/workspace.html", context, status=status)


class BouncesImportView(FieldworkMixin, View):
    """Record a bounce report (CSV ``email,reason``) against the cycle's invitations; all or nothing."""

    def post(self, request, year: int):
        cycle = get_object_or_404(Cycle, year=year)
        upload = request.FILES.get("file")
        if upload is None:
            return _workspace(request, year, bounce_problems=[MSG_BOUNCES_NO_FILE], status=400)
        try:
            count = invitations_bounces_import(cycle=cycle, raw=upload.read(), actor=request.user)
        except ImportFileError as error:
            return _workspace(request, year, bounce_problems=error.problems, status=400)
        except DomainError as error:
            return _workspace(request, year, bounce_problems=[error.message], status=error.status)
        messages.success(request, _plural(count, MSG_BOUNCE_RECORDED, MSG_BOUNCES_RECORDED))
        return redirect(f"{reverse('results-fieldwork', args=[year])}?status=bounced#invitations")


class BouncesTemplateView(FieldworkMixin, View):
    """Download an empty bounce report with its header (and one example line to replace)."""

    def get(self, request, year: int):
        get_object_or_404(Cycle, year=year)
        body = "email,reason\r\nlead@example.nhs.uk,550 5.1.1 mailbox unavailable\r\n"
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bounces-{year}.csv"'
        return response


class SendInvitationsView(FieldworkMixin, View):
    """Email every invitation of the open cycle that has never been sent (the button says how many)."""

    def post(self, request, year: int):
        cycle = get_object_or_404(Cycle, year=year)
        try:
            count = services.invitations_send_unsent(cycle=cycle, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("results-fieldwork", year)
        if count:
            messages.success(request, _plural(count, MSG_INVITATION_QUEUED, MSG_INVITATIONS_QUEUED))
        else:
            messages.info(request, MSG_NO_INVITATIONS)
        return redirect("results-fieldwork", year)


class RemindChosenView(FieldworkMixin, View):
    """Remind the people ticked on the list: first a confirmation page with the count, then send."""

    def post(self, request, year: int):
        cycle = get_object_or_404(Cycle, year=year)
        ids = [int(v) for v in request.POST.getlist("invitation") if v.isdigit()][:MAX_CHOSEN]
        query = request.POST.get("query", "")
        query = urlencode({k: v for k, v in _parse(query).items() if k in FieldworkFilterForm.base_fields})
        try:
            if request.POST.get("confirm") != "yes":
                preview = services.reminders_preview(cycle=cycle, invitation_ids=ids)
                context = {"cycle": cycle, "preview": preview, "query": query, "chosen": len(ids)}
                return render(request, "surveys/fieldwork/remind_confirm.html", context)
            count = services.reminders_send_chosen(cycle=cycle, invitation_ids=ids, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return _back(year, query)
        messages.success(request, _plural(count, MSG_REMINDER_QUEUED, MSG_REMINDERS_QUEUED))
        return _back(year, query)


def _parse(query: str) -> dict:
    return dict(parse_qsl(query[:2000]))


def _cell(value) -> str:
    """Return text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class NonRespondersCSVView(FieldworkMixin, View):
    """Download the filtered list's non-responders (everyone not submitted) as CSV, for chasing by phone."""

    def get(self, request, year: int):
        cycle = get_object_or_404(Cycle, year=year)
        form = FieldworkFilterForm(request.GET or None)
        filters = form.filters() | {"status": selectors.NOT_RESPONDED}
        rows = selectors.fieldwork_invitations(cycle=cycle, **filters)
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        count = 0
        for invitation in rows:
            count += 1
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        invitation.user.full_name,
                        invitation.user.email,
                        # Partners but practices, and self, appraise the area team with no CCG.
                        invitation.ccg.ods_code if invitation.ccg else "",
                        invitation.ccg.name if invitation.ccg else "",
                        invitation.area_team.name,
                        invitation.get_rater_group_display(),
                        selectors.STATUS_LABELS[invitation.status],
                        f"{invitation.sent_at:%Y-%m-%d}" if invitation.sent_at else "",
                        invitation.reminder_count,
                        f"{invitation.last_contact:%Y-%m-%d}" if invitation.last_contact else "",
                    )
                ]
            )
        audit_act(actor=request.user, action="non_responders_downloaded", obj=cycle, detail={"rows": count})
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="non-responders-{year}-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
