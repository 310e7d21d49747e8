"""Pages of the exports: list and start the annual report's, follow one's progress, retry, download; and an
area team's board pack, started from its scorecard (or the exports page) and followed on a page of its own."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from core.errors import DomainError
from core.http import client_ip, download_response
from exports import selectors, services
from exports.models import ExportFormat, ExportStatus
from exports.renderers.data import method_notes
from organisations.models import AreaTeam
from surveys.models import Cycle

MSG_STARTED = "Your export has started. This page shows its progress."
MSG_RETRIED = "The export is being tried again."
MSG_PACK_STARTED = "Your board pack is being built. This page shows its progress."
MAX_LISTED = 50


class ExportForm(forms.Form):
    cycle = forms.TypedChoiceField(coerce=int, error_messages={"required": "Choose a year."})
    format = forms.ChoiceField(error_messages={"required": "Choose what to export."})
    # Only for a board pack: which area team's.
    area_team = forms.ChoiceField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        years = Cycle.objects.filter(scorecard_state__current_set__isnull=False).values_list("year", flat=True)
        self.fields["cycle"].choices = [(year, str(year)) for year in years]
        allowed = selectors.export_formats_for_user(user)
        self.fields["format"].choices = [(v, label) for v, label in ExportFormat.choices if v in allowed]
        teams = AreaTeam.objects.order_by("name").values_list("ods_code", "name")
        self.fields["area_team"].choices = [("", "Choose an area team"), *teams]

    def clean(self):
        data = super().clean()
        if data.get("format") == ExportFormat.PACK and not data.get("area_team"):
            self.add_error("area_team", "Choose the area team whose board pack you want.")
        elif data.get("format") != ExportFormat.PACK:
            data["area_team"] = None
        return data


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
                user=request.user,
                cycle=cycle,
                format=form.cleaned_data["format"],
                area_team=form.cleaned_data["area_team"],
                ip=client_ip(request),
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
        context = {
            "export": export,
            "in_progress": in_progress,
            "status_url": reverse("api-export", args=[export.pk]),
            "download_url": reverse("export-download", args=[export.pk]),
        }
        return render(request, "exports/detail.html", context)


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


class BoardPackMixin(RoleRequiredMixin):
    """NHSCC staff and area team members; which area team's pack is checked by the service and selector."""

    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN, UserRole.AREA_TEAM_MEMBER)


class BoardPackRequestView(BoardPackMixin, View):
    """Start building an area team's board pack (or find the one under way), then follow it on its page."""

    def post(self, request, year: int, code: str):
        cycle = Cycle.objects.filter(year=year).first()
        if cycle is None:
            raise DomainError(f"There is no appraisal for {year}.", status=404)
        export = services.export_request(
            user=request.user, cycle=cycle, format=ExportFormat.PACK, area_team=code, ip=client_ip(request)
        )
        messages.success(request, MSG_PACK_STARTED)
        return redirect("board-pack", export.pk)


class BoardPackDetailView(BoardPackMixin, View):
    """Show one board pack: its progress while it is built, then its download; failed, a button to try again."""

    def get(self, request, pk: int):
        export = selectors.pack_for_user(user=request.user, export_id=pk)
        in_progress = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        context = {
            "export": export,
            "in_progress": in_progress,
            "status_url": reverse("api-board-pack", args=[export.pk]),
            "download_url": reverse("board-pack-download", args=[export.pk]),
            "scorecard_url": reverse("results-area-team", args=[export.cycle.year, export.area_team.ods_code]),
        }
        return render(request, "exports/board_pack.html", context)


class BoardPackDownloadView(BoardPackMixin, View):
    """Download the board pack (attachment, not cached, audited)."""

    def get(self, request, pk: int):
        export = selectors.pack_for_user(user=request.user, export_id=pk)
        handle, filename = services.export_download(user=request.user, export=export, ip=client_ip(request))
        return download_response(handle, filename, services.content_type(filename))


class MethodView(View):
    """The method, in the words of the report's method section: open to everyone, as the results are."""

    def get(self, request):
        return render(request, "exports/method.html", {"notes": method_notes(settings.SUPPRESSION_MIN_BASE)})
