"""Pages of provisional snapshots (admins only): the list with its "build" card, the confirmation, a snapshot.

Analysts, area teams and leads get a 403 page that says snapshots are for admins (``check_admin``).
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from core.errors import DomainError
from core.services import audit_record
from scorecards.models import Level
from scorecards.provisional import selectors
from scorecards.services.provisional import provisional_snapshot_request

MSG_QUEUED = (
    "The provisional snapshot is being built: it is listed below when it is ready (reload the page in a minute). "
    "It is for admins only and is not published."
)


class AdminsOnlyMixin(LoginRequiredMixin):
    """Signed-in users only; the selectors refuse anyone but an admin, with a page that says why."""


class ProvisionalIndexView(AdminsOnlyMixin, View):
    """The cycle's snapshots, and a card to build one (with what it would count)."""

    def get(self, request, year: int):
        cycle = selectors.provisional_cycle(user=request.user, year=year)
        context = {
            "cycle": cycle,
            "snapshots": selectors.provisional_snapshots(user=request.user, cycle=cycle),
            "next": selectors.next_snapshot(user=request.user, cycle=cycle),
        }
        return render(request, "scorecards/provisional/index.html", context)


class ProvisionalBuildView(AdminsOnlyMixin, View):
    """Confirm (NHS.UK pattern), then queue the build (it takes a while); a refusal is shown on the confirmation."""

    def get(self, request, year: int):
        cycle = selectors.provisional_cycle(user=request.user, year=year)
        return self._confirm(request, cycle)

    def post(self, request, year: int):
        cycle = selectors.provisional_cycle(user=request.user, year=year)
        try:
            provisional_snapshot_request(cycle_id=cycle.pk, actor=request.user)
        except DomainError as error:
            if error.status == 403:
                raise
            return self._confirm(request, cycle, error=error.message, status=400)
        messages.success(request, MSG_QUEUED)
        return redirect("provisional-snapshots", year)

    def _confirm(self, request, cycle, *, error: str = "", status: int = 200):
        context = {"cycle": cycle, "next": selectors.next_snapshot(user=request.user, cycle=cycle), "error": error}
        return render(request, "scorecards/provisional/confirm.html", context, status=status)


class ProvisionalSnapshotView(AdminsOnlyMixin, View):
    """One organisation's figures in a snapshot, presented as the scorecard pages do, marked PROVISIONAL."""

    level = Level.ENGLAND

    def get(self, request, year: int, pk: int, code: str | None = None):
        cycle = selectors.provisional_cycle(user=request.user, year=year)
        snapshot = selectors.provisional_snapshot(user=request.user, cycle=cycle, pk=pk)
        page = selectors.provisional_page(user=request.user, snapshot=snapshot, level=self.level, code=code)
        context = {"cycle": cycle, "snapshot": snapshot, "page": page, "provisional": snapshot}
        return render(request, "scorecards/provisional/snapshot.html", context)


class ProvisionalCSVView(AdminsOnlyMixin, View):
    """Download a snapshot's figures as CSV: every row marked PROVISIONAL, and so is the file's name (audited)."""

    def get(self, request, year: int, pk: int):
        cycle = selectors.provisional_cycle(user=request.user, year=year)
        snapshot = selectors.provisional_snapshot(user=request.user, cycle=cycle, pk=pk)
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(
            selectors.provisional_csv_rows(user=request.user, snapshot=snapshot)
        )
        audit_record(actor=request.user, action="provisional_snapshot_downloaded", obj=snapshot, detail={"year": year})
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        stamp = f"{snapshot.built_at:%Y-%m-%d-%H%M}"
        response["Content-Disposition"] = f'attachment; filename="PROVISIONAL-{year}-snapshot-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
