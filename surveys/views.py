"""Pages of the surveys app: the lead's journey (invitation → start → sections → check → submitted) and
the NHSCC cycle pages. Each view checks its input, calls one service or selector, and renders."""

import csv
import io
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin, user_has_role
from core.csv_delimiter import csv_delimiter_problem
from core.errors import DomainError
from organisations.services import REQUIRED_COLUMNS as ORGANISATION_COLUMNS
from surveys import selectors, services
from surveys.answers import AnswersInvalid
from surveys.forms import (
    DONT_KNOW_VALUE,
    CycleCreateForm,
    CycleDatesForm,
    InvitationImportForm,
    InvitationPasswordForm,
    SectionForm,
)
from surveys.models import CycleState, Question, QuestionType
from surveys.selectors import AppraisalStatus, LeadAppraisal
from surveys.services.invitation_checks import invitation_file_lead_clashes
from surveys.services.invitations import INVITATION_COLUMNS

MSG_SAVED_FOR_LATER = "Your answers have been saved. You can come back and carry on at any time before it closes."
MSG_PASSWORD_SET = "Your password has been set and you are signed in."  # noqa: S105 - a message, not a password
MSG_CYCLE_CREATED = "The {year} cycle has been created as a draft, with a copy of the latest questionnaire."
MSG_DATES_CHANGED = "The dates of the {year} cycle have been changed."
MSG_STATE_CHANGED = "The {year} cycle is now {state}."
MSG_IMPORTED = (
    "Invitations imported: {rows} rows read, {invitations_created} new invitations, {invitations_unchanged} "
    "already invited, {users_created} new lead accounts, {emails_queued} emails being sent."
)
RETURN_TO_CHECK = "check"
# The buttons on a cycle's page, one per allowed move (cycle_set_state has the rules).
STATE_ACTIONS = {
    CycleState.DRAFT: [(CycleState.OPEN, "Open the cycle", "")],
    CycleState.OPEN: [(CycleState.CLOSED, "Close the cycle", "nhsuk-button--warning")],
    CycleState.CLOSED: [
        (CycleState.PUBLISHED, "Publish the results", ""),
        (CycleState.OPEN, "Reopen the cycle", "nhsuk-button--secondary"),
    ],
    CycleState.PUBLISHED: [],
}


# The lead's journey ----------------------------------------------------------------------------


class InvitationView(View):
    """Follow an emailed invitation link.

    GET only checks the link (mail scanners fetch links too, and must not use them up). A lead
    without a password chooses one here; the POST redeems the link and signs them in. A lead who
    already has a password is sent to sign in; the link is used up then.
    """

    template_name = "surveys/invitation_password.html"

    def _refused(self, request, error: DomainError):
        return render(
            request,
            "surveys/invitation_invalid.html",
            {"message": error.message, "code": error.code},
            status=error.status,
        )

    def _sign_in_instead(self, request, token: str):
        invitation = services.invitation_redeem(token=token)
        if request.user.is_authenticated and request.user.pk != invitation.user_id:
            logout(request)
        start = reverse("appraisal-start", args=[invitation.cycle.year])
        return redirect(f"{reverse('login')}?{urlencode({'next': start})}")

    def get(self, request, token: str):
        try:
            invitation = selectors.invitation_for_token(token=token)
            if invitation.user.has_usable_password():
                return self._sign_in_instead(request, token)
        except DomainError as error:
            return self._refused(request, error)
        form = InvitationPasswordForm(user=invitation.user)
        return render(request, self.template_name, {"form": form, "invitation": invitation})

    def post(self, request, token: str):
        try:
            invitation = selectors.invitation_for_token(token=token)
        except DomainError as error:
            return self._refused(request, error)
        form = InvitationPasswordForm(user=invitation.user, data=request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "invitation": invitation})
        try:
            # The single-use link proves the lead owns the email address: use it up and set the password together.
            with transaction.atomic():
                invitation = services.invitation_redeem(token=token)
                user = form.save()
        except DomainError as error:
            return self._refused(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, MSG_PASSWORD_SET)
        return redirect("appraisal-start", invitation.cycle.year)


class LeadAppraisalMixin(RoleRequiredMixin):
    """A page of the signed-in lead's own appraisal: other roles get 403; a lead not invited gets 404."""

    allowed_roles = (UserRole.CCG_LEAD,)

    @cached_property
    def appraisal(self) -> LeadAppraisal:
        return selectors.lead_appraisal(user=self.request.user, year=self.kwargs["year"])

    def context(self, **extra) -> dict:
        appraisal = self.appraisal
        return {
            "appraisal": appraisal,
            "cycle": appraisal.cycle,
            "closed_message": appraisal.closed_message,
            "min_base": settings.SUPPRESSION_MIN_BASE,
            **extra,
        }

    def redirect_if_submitted(self):
        if self.appraisal.status == AppraisalStatus.SUBMITTED:
            return redirect("appraisal-submitted", self.appraisal.cycle.year)
        return None


class StartView(LeadAppraisalMixin, View):
    """What the appraisal is, how long it takes, who sees what; where the lead is; start or continue."""

    def get(self, request, year: int):
        if response := self.redirect_if_submitted():
            return response
        appraisal = self.appraisal
        next_section = appraisal.next_section
        continue_url = (
            reverse("appraisal-section", args=[year, next_section.code])
            if next_section is not None
            else reverse("appraisal-check", args=[year])
        )
        return render(request, "surveys/start.html", self.context(continue_url=continue_url))


class SectionView(LeadAppraisalMixin, View):
    """One section of the questionnaire; Continue and "Save and come back later" both save it as a draft."""

    template_name = "surveys/section.html"

    @cached_property
    def section_place(self):
        """Return (section, number, previous section, next section) for the code in the URL, or 404."""
        sections = list(self.appraisal.questionnaire.sections.all())
        for index, section in enumerate(sections):
            if section.code == self.kwargs["code"]:
                previous = sections[index - 1] if index else None
                following = sections[index + 1] if index + 1 < len(sections) else None
                return section, index + 1, previous, following
        raise Http404("No such section.")

    def _render(self, request, form, status=200, changed_elsewhere=(), message=""):
        section, number, previous, _ = self.section_place
        year = self.appraisal.cycle.year
        return_to_check = request.GET.get("return") == RETURN_TO_CHECK or request.POST.get("return") == RETURN_TO_CHECK
        if return_to_check:
            back_url = reverse("appraisal-check", args=[year])
        elif previous is not None:
            back_url = reverse("appraisal-section", args=[year, previous.code])
        else:
            back_url = reverse("appraisal-start", args=[year])
        context = self.context(
            form=form,
            section=section,
            number=number,
            total=self.appraisal.sections_total,
            back_url=back_url,
            return_to_check=return_to_check,
            dont_know=DONT_KNOW_VALUE,
            changed_elsewhere=changed_elsewhere,
            changed_elsewhere_message=message,
        )
        return render(request, self.template_name, context, status=status)

    def _form(self, data=None):
        section = self.section_place[0]
        draft = self.appraisal.response.draft if self.appraisal.response is not None else {}
        return SectionForm(data, section=section, draft=draft)

    def get(self, request, year: int, code: str):
        if response := self.redirect_if_submitted():
            return response
        return self._render(request, self._form())

    def post(self, request, year: int, code: str):
        if response := self.redirect_if_submitted():
            return response
        form = self._form(request.POST)
        if not self.appraisal.is_open:
            # Nothing is written: the page shows what was saved before, with the reason.
            return self._render(request, self._form(), status=409)
        if form.is_valid():
            try:
                response = services.response_get_or_create_draft(invitation=self.appraisal.invitation)
                services.response_save_draft(response=response, answers=form.answers(), expected=form.shown())
            except AnswersInvalid as error:
                form.add_service_errors(error.errors)
            except services.DraftChangedElsewhere as conflict:
                # The current answers, saved by both windows, with the ones this page could not save named.
                fresh = SectionForm(section=self.section_place[0], draft=conflict.response.draft)
                texts = [fresh.questions[code].text for code in conflict.codes]
                return self._render(request, fresh, status=409, changed_elsewhere=texts, message=conflict.message)
        if form.errors:
            return self._render(request, form)
        _, _, _, following = self.section_place
        if request.POST.get("action") == "later":
            messages.success(request, MSG_SAVED_FOR_LATER)
            return redirect("appraisal-start", year)
        if request.POST.get("return") == RETURN_TO_CHECK or following is None:
            return redirect("appraisal-check", year)
        return redirect("appraisal-section", year, following.code)


class CheckView(LeadAppraisalMixin, View):
    """Check your answers, with a change link per section; the POST submits (once, however often it comes)."""

    template_name = "surveys/check.html"

    def _render(self, request, error: str = "", status: int = 200, warn_blank: bool = False):
        error_items = []
        if error:
            # The fix is to answer something: the summary links to the first section.
            first = self.appraisal.review[0].section.code
            error_items = [
                {"text": error, "href": reverse("appraisal-section", args=[self.appraisal.cycle.year, first])}
            ]
        context = self.context(error_items=error_items, warn_blank=warn_blank)
        return render(request, self.template_name, context, status=status)

    def get(self, request, year: int):
        if response := self.redirect_if_submitted():
            return response
        return self._render(request)

    def post(self, request, year: int):
        if response := self.redirect_if_submitted():
            return response
        if not self.appraisal.is_open:
            return self._render(request, status=409)
        blank = self.appraisal.blank_warning
        if blank and request.POST.get("blank_ok") != str(blank):
            # A soft warning: the page says how many statements are blank and offers "Submit anyway".
            return self._render(request, warn_blank=True)
        try:
            response = services.response_get_or_create_draft(invitation=self.appraisal.invitation)
            services.response_submit(response=response)
        except DomainError as error:
            return self._render(request, error=error.message, status=error.status)
        return redirect("appraisal-submitted", year)


class SubmittedView(LeadAppraisalMixin, View):
    """The confirmation: reference, what happens next and a read-only copy of the answers."""

    def get(self, request, year: int):
        if self.appraisal.status != AppraisalStatus.SUBMITTED:
            return redirect("appraisal-start", year)
        return render(request, "surveys/submitted.html", self.context())


# NHSCC's cycle pages ---------------------------------------------------------------------------


class ManageMixin(RoleRequiredMixin):
    """NHSCC pages: analysts may read; only admins change anything."""

    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


class AdminOnlyMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ADMIN,)


def _render_cycle_page(request, year: int, *, import_form=None, problems=(), status=200):
    cycle = selectors.cycles_with_counts(user=request.user).filter(year=year).first()
    if cycle is None:
        raise Http404("No such cycle.")
    context = {
        "cycle": cycle,
        "can_manage": user_has_role(request.user, UserRole.ADMIN),
        "state_actions": STATE_ACTIONS[CycleState(cycle.state)],
        "import_form": import_form or InvitationImportForm(),
        "problems": list(problems),
    }
    return render(request, "surveys/manage/cycle.html", context, status=status)


class CycleListView(ManageMixin, View):
    """Every cycle with its state and counts; admins create the next year's cycle here."""

    template_name = "surveys/manage/cycles.html"

    def _render(self, request, form, status=200, changed_elsewhere=(), message=""):
        cycles = list(selectors.cycles_with_counts(user=request.user))
        if not form.is_bound and cycles:
            form = CycleCreateForm(initial={"year": cycles[0].year + 1})
        can_manage = user_has_role(request.user, UserRole.ADMIN)
        return render(
            request, self.template_name, {"cycles": cycles, "form": form, "can_manage": can_manage}, status=status
        )

    def get(self, request):
        return self._render(request, CycleCreateForm())

    def post(self, request):
        if not user_has_role(request.user, UserRole.ADMIN):
            raise PermissionDenied
        form = CycleCreateForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.cycle_create(**form.cleaned_data, actor=request.user)
            except DomainError as error:
                form.add_error("year", error.message)
            else:
                messages.success(request, MSG_CYCLE_CREATED.format(year=cycle.year))
                return redirect("manage-cycle", cycle.year)
        return self._render(request, form)


class CycleDetailView(ManageMixin, View):
    def get(self, request, year: int):
        return _render_cycle_page(request, year)


class CycleDatesView(AdminOnlyMixin, View):
    """Change a cycle's planned dates (NHS.UK date inputs); the service says which may still change."""

    template_name = "surveys/manage/cycle_dates.html"

    def _cycle(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        return cycle

    def get(self, request, year: int):
        cycle = self._cycle(request, year)
        form = CycleDatesForm(initial={"opens_on": cycle.opens_on, "closes_on": cycle.closes_on}, year=year)
        return render(request, self.template_name, {"cycle": cycle, "form": form})

    def post(self, request, year: int):
        cycle = self._cycle(request, year)
        form = CycleDatesForm(request.POST, year=year)
        if form.is_valid():
            try:
                services.cycle_update_dates(actor=request.user, cycle=cycle, **form.cleaned_data)
            except DomainError as error:
                form.add_error("closes_on" if error.code == "invalid_dates" else None, error.message)
            else:
                messages.success(request, MSG_DATES_CHANGED.format(year=year))
                return redirect("manage-cycle", year)
        return render(request, self.template_name, {"cycle": cycle, "form": form}, status=400)


class CycleStateConfirmView(AdminOnlyMixin, View):
    """Ask "Are you sure…?" before a cycle changes state: what will happen, and to how many people."""

    def get(self, request, year: int, state: str):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None or state not in {target for target, _, _ in STATE_ACTIONS[CycleState(cycle.state)]}:
            raise Http404("No such change.")
        change = selectors.cycle_state_change(cycle=cycle, state=state)
        return render(request, "surveys/manage/confirm_state.html", {"cycle": cycle, "change": change})


class CycleStateView(AdminOnlyMixin, View):
    """Move a cycle along draft → open → closed → published, once confirmed on its confirmation page.

    The confirmation page sends the state the cycle was in when the admin read it. A POST without it,
    or from a page read before the cycle moved, changes nothing: it goes back to the confirmation page.
    """

    def post(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        state = request.POST.get("state", "")
        allowed = {target for target, _, _ in STATE_ACTIONS[CycleState(cycle.state)]}
        if state in allowed and request.POST.get("confirmed_from") != cycle.state:
            return redirect("manage-cycle-state-confirm", year, state)
        try:
            cycle = services.cycle_set_state(cycle=cycle, state=state, actor=request.user)
        except DomainError as error:
            return _render_cycle_page(request, year, problems=[error.message], status=error.status)
        messages.success(request, MSG_STATE_CHANGED.format(year=cycle.year, state=cycle.get_state_display().lower()))
        return redirect("manage-cycle", year)


class InvitationImportView(AdminOnlyMixin, View):
    """Upload a CSV of invitations: every problem is listed with its line, and nothing is written."""

    def post(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        form = InvitationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_cycle_page(request, year, import_form=form)
        raw = form.cleaned_data["file"].read()
        problems = [p for p in [csv_delimiter_problem(raw)] if p] or invitation_file_lead_clashes(cycle=cycle, raw=raw)
        if problems:
            return _render_cycle_page(request, year, import_form=form, problems=problems, status=400)
        try:
            result = services.invitations_import(
                cycle=cycle, raw=raw, send=form.cleaned_data["send"], actor=request.user
            )
        except services.ImportFileError as error:
            return _render_cycle_page(request, year, import_form=form, problems=error.problems, status=400)
        except DomainError as error:
            return _render_cycle_page(request, year, import_form=form, problems=[error.message], status=error.status)
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
