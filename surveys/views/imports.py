"""The admin's imports on a cycle's page, and the CSV templates beside each import."""

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View

from core.csv_delimiter import csv_delimiter_problem
from core.errors import DomainError
from organisations.services import REQUIRED_COLUMNS as ORGANISATION_COLUMNS
from surveys import selectors, services
from surveys.forms import InvitationImportForm
from surveys.models import Question, QuestionType
from surveys.services.invitation_checks import invitation_file_lead_clashes
from surveys.services.invitations import INVITATION_COLUMNS
from surveys.views.cycles import AdminOnlyMixin, ManageMixin, render_cycle_page

MSG_IMPORTED = (
    "Invitations imported: {rows} rows read, {invitations_created} new invitations, {invitations_unchanged} "
    "already invited, {users_created} new lead accounts, {emails_queued} emails being sent."
)


class InvitationImportView(AdminOnlyMixin, View):
    """Upload a CSV of invitations: every problem is listed with its line, and nothing is written."""

    def post(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        form = InvitationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_cycle_page(request, year, import_form=form)
        raw = form.cleaned_data["file"].read()
        problems = [p for p in [csv_delimiter_problem(raw)] if p] or invitation_file_lead_clashes(cycle=cycle, raw=raw)
        if problems:
            return render_cycle_page(request, year, import_form=form, problems=problems, status=400)
        try:
            result = services.invitations_import(
                cycle=cycle, raw=raw, send=form.cleaned_data["send"], actor=request.user
            )
        except services.ImportFileError as error:
            return render_cycle_page(request, year, import_form=form, problems=error.problems, status=400)
        except DomainError as error:
            return render_cycle_page(request, year, import_form=form, problems=[error.message], status=error.status)
        messages.success(request, MSG_IMPORTED.format(**vars(result)))
        return redirect("manage-cycle", year)


# CSV templates, one beside each import -----------------------------------------------------------------


def _csv_response(filename: str, rows: list[list[str]]) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class InvitationsTemplateView(ManageMixin, View):
    """The invitations file's header and one example line."""

    def get(self, request):
        return _csv_response(
            "invitations-template.csv",
            [list(INVITATION_COLUMNS), ["chair@example-ccg.nhs.uk", "Dr Jo Example", "01C", "clinical"]],
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
