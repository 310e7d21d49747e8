"""Pages of the annual report's exports: list and start them, follow one's progress, retry, download."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from core.errors import DomainError
from core.http import client_ip, download_response
from exports import selectors, services
from exports.models import ExportFormat, ExportStatus
from exports.renderers.data import method_notes
from surveys.models import Cycle

MSG_STARTED = "Your export has started. This page shows its progress."
MSG_RETRIED = "The export is being tried again."
MAX_LISTED = 50


class ExportForm(forms.Form):
    cycle = forms.TypedChoiceField(coerce=int, error_messages={"required": "Choose a year."})
    format = forms.ChoiceField(error_messages={"required": "Choose what to export."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        years = Cycle.objects.filter(scorecard_state__current_set__isnull=False).values_list("year", flat=True)
        self.fields["cycle"].choices = [(year, str(year)) for year in years]
        allowed = selectors.export_formats_for_user(user)
        self.fields["format"].choices = [(v, label) for v, label in ExportFormat.choices if v in allowed]


class ExportsMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


class ExportListView(ExportsMixin, View):
    """List the exports the user may see, and start a new one."""

    def _render(self, request, form, status=200):
        exports = selectors.exports_for_user(user=request.user)[:MAX_LISTED]
        return render(request, "exports/list.html", {"form": form, "exports": exports}, status=status)

    def get(self, request):
        # The cycle page links here with ?cycle=<year>: that year comes chosen.
        year = request.GET.get("cycle", "")
        initial = {"cycle": int(year)} if year.isdigit() else {}
        return self._render(request, ExportForm(user=request.user, initial=initial))

    def post(self, request):
        form = ExportForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        cycle = Cycle.objects.get(year=form.cleaned_data["cycle"])
        try:
            export = services.export_request(
                user=request.user, cycle=cycle, format=form.cleaned_data["format"], ip=client_ip(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status)
        messages.success(request, MSG_STARTED)
        return redirect("export-detail", export.pk)


class ExportDetailView(ExportsMixin, View):
    """Show one export: queued or running with its progress, done with a download link, or failed with a retry."""

    def get(self, request, pk: int):
        export = selectors.export_for_user(user=request.user, export_id=pk)
        in_progress = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        return render(request, "exports/detail.html", {"export": export, "in_progress": in_progress})


class ExportRetryView(ExportsMixin, View):
    def post(self, request, pk: int):
        export = selectors.export_for_user(user=request.user, export_id=pk)
        services.export_retry(user=request.user, export=export, ip=client_ip(request))
        messages.success(request, MSG_RETRIED)
        return redirect("export-detail", export.pk)


class ExportDownloadView(ExportsMixin, View):
    """Download the file (attachment, not cached, audited)."""

    def get(self, request, pk: int):
        export = selectors.export_for_user(user=request.user, export_id=pk)
        handle, filename = services.export_download(user=request.user, export=export, ip=client_ip(request))
        return download_response(handle, filename, services.content_type(filename))


class MethodView(View):
    """The method, in the words of the report's method section: open to everyone, as the results are."""

    def get(self, request):
        return render(request, "exports/method.html", {"notes": method_notes(settings.SUPPRESSION_MIN_BASE)})
