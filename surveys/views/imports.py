"""The admin's imports on a cycle's page: upload a file, follow its check and import in the background, read the
result or the file's problems; and the CSV templates beside each import."""

import csv
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.errors import DomainError
from core.http import client_ip
from organisations.services import REQUIRED_COLUMNS as ORGANISATION_COLUMNS
from surveys import selectors, services
from surveys.forms import InvitationImportForm, ResponsesImportForm
from surveys.models import ImportJob, ImportKind, ImportState, Question, QuestionType
from surveys.services.invitations import RATER_GROUP_COLUMNS
from surveys.views.cycles import RESPONSES_FORM_PREFIX, AdminOnlyMixin, ManageMixin, render_cycle_page

MSG_IMPORTED = (
    "Invitations imported: {rows} rows read, {invitations_created} new invitations, {invitations_unchanged} "
    "already invited, {users_created} new accounts, {emails_queued} emails being sent."
)
MSG_RESPONSES_IMPORTED = "Responses imported: {responses} submitted responses with {answers} answers."
# A problem of a contractor's file that the "replace web drafts" box answers (the service names the command's flag).
WEB_DRAFT_MARK = "--replace-drafts"


def _cycle(request, year: int):
    cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


class _ImportUploadView(AdminOnlyMixin, View):
    """Take an uploaded file and start its import in the background; the next page follows it."""

    kind: str
    form_class: type
    form_kwargs: dict = {}
    form_context: str

    def options(self, form) -> dict:
        return {}

    def post(self, request, year: int):
        cycle = _cycle(request, year)
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs)
        if not form.is_valid():
            return render_cycle_page(request, year, **{self.form_context: form}, status=400)
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_start(
                actor=request.user,
                cycle=cycle,
                kind=self.kind,
                raw=upload.read(),
                filename=upload.name or "upload.csv",
                ip=client_ip(request),
                **self.options(form),
            )
        except DomainError as error:
            return render_cycle_page(
                request, year, **{self.form_context: form}, problems=[error.message], status=error.status
            )
        return redirect("manage-import", year, job.pk)


class InvitationImportView(_ImportUploadView):
    """Upload a CSV of invitations: checked whole in the background; every problem is listed, nothing written."""

    kind = ImportKind.INVITATIONS
    form_class = InvitationImportForm
    form_context = "import_form"

    def options(self, form) -> dict:
        return {"send": form.cleaned_data["send"]}


class ResponsesImportView(_ImportUploadView):
    """Upload a contractor's CSV of submitted responses: the same all-or-nothing check, in the background."""

    kind = ImportKind.RESPONSES
    form_class = ResponsesImportForm
    form_kwargs = {"prefix": RESPONSES_FORM_PREFIX}
    form_context = "responses_form"

    def options(self, form) -> dict:
        return {"replace_drafts": form.cleaned_data["replace_drafts"]}


def _job(request, year: int, pk: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("cycle", "requested_by"), pk=pk, cycle=_cycle(request, year)
    )


def _percent(job: ImportJob) -> int:
    if job.state in (ImportState.DONE, ImportState.REFUSED, ImportState.APPLYING):
        return 100
    return int(100 * job.done / job.total) if job.total else 0


def _summary(job: ImportJob) -> str:
    if job.state != ImportState.DONE:
        return ""
    template = MSG_IMPORTED if job.kind == ImportKind.INVITATIONS else MSG_RESPONSES_IMPORTED
    return template.format(**job.result)


class ImportJobView(AdminOnlyMixin, View):
    """One import: its progress while it runs, then what it imported or the file's problems (nothing written)."""

    def get(self, request, year: int, pk: int):
        job = _job(request, year, pk)
        shown = len(job.problems)
        context = {
            "job": job,
            "percent": _percent(job),
            "summary": _summary(job),
            "problems_more": job.problems_total - shown,
            "web_drafts": any(WEB_DRAFT_MARK in problem["text"] for problem in job.problems),
        }
        return render(request, "surveys/manage/import_job.html", context)


class ImportJobProgressView(AdminOnlyMixin, View):
    """The state of one import as JSON, polled by its page every second while it runs."""

    def get(self, request, year: int, pk: int):
        job = _job(request, year, pk)
        body = {
            "state": job.state,
            "state_label": job.get_state_display(),
            "in_progress": job.in_progress,
            "done": job.done,
            "total": job.total,
            "percent": _percent(job),
            "message": job.message,
        }
        response = JsonResponse(body)
        response["Cache-Control"] = "private, no-store"
        return response


# CSV templates, one beside each import -----------------------------------------------------------------


def _csv_response(filename: str, rows: list[list[str]]) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class InvitationsTemplateView(ManageMixin, View):
    """The invitations file's header (with rater groups) and one example line: a CCG lead, whom every cycle asks."""

    def get(self, request):
        return _csv_response(
            "invitations-template.csv",
            [list(RATER_GROUP_COLUMNS), ["chair@example-ccg.nhs.uk", "Dr Jo Example", "clinical", "01C", "", ""]],
        )


class OrganisationsTemplateView(ManageMixin, View):
    """The organisations file's header and one example line (a real CCG of 2013)."""

    def get(self, request):
        example = [
            "01C", "E38000056", "NHS Eastern Cheshire CCG", "Q44", "E39000001", "Cheshire, Warrington and Wirral",
            "Y54", "E40000001", "North of England",
        ]  # fmt: skip
        return _csv_response("organisations-template.csv", [list(ORGANISATION_COLUMNS), example])


class ResponsesTemplateView(ManageMixin, View):
    """A contractor's responses file for one cycle: email, submitted_at, then each question code of its year."""

    def get(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        questions = list(Question.objects.filter(questionnaire__cycle=cycle).order_by("section__order", "order", "pk"))
        example = {QuestionType.AGREEMENT: "4", QuestionType.YES_NO: "yes", QuestionType.FREE_TEXT: ""}
        return _csv_response(
            f"responses-{year}-template.csv",
            [
                ["email", "submitted_at", *(q.code for q in questions)],
                ["chair@example-ccg.nhs.uk", f"{year}-06-01T10:30", *(example[q.type] for q in questions)],
            ],
        )
