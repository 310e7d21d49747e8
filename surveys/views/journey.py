"""The respondent's journey: invitation link → start → sections → check → submitted.

The same for every rater group: CCG leads and partners answer their own invitation; the members of an
area team answer its one shared self-assessment (``selectors.respondent_appraisal`` decides which).

Each view checks its input, calls one service or selector, and renders.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from core.errors import DomainError
from surveys import selectors, services
from surveys.answers import AnswersInvalid
from surveys.forms import DONT_KNOW_VALUE, InvitationPasswordForm, SectionForm
from surveys.selectors import AppraisalStatus, RespondentAppraisal

MSG_SAVED_FOR_LATER = "Your answers have been saved. You can come back and carry on at any time before it closes."
MSG_PASSWORD_SET = "Your password has been set and you are signed in."  # noqa: S105 - a message, not a password
RETURN_TO_CHECK = "check"


class InvitationView(View):
    """Follow an emailed invitation link.

    GET only checks the link (mail scanners fetch links too, and must not use them up). A respondent
    without a password chooses one here; the POST redeems the link and signs them in. One who already
    has a password is sent to sign in; the link is used up then. For a self-assessment the link is the
    named member's (single-use like any other): it signs them in, and the start page then finds the
    self-assessment through their area team, as it does for every other member.
    """

    template_name = "surveys/invitation_password.html"

    def _refused(self, request, error: DomainError):
        return render(
            request,
            "surveys/invitation_invalid.html",
            {"message": error.message, "code": error.code},
            status=error.status,
        )

    @staticmethod
    def _context(form, invitation) -> dict:
        return {"form": form, "invitation": invitation, "texts": selectors.respondent_texts(invitation)}

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
        return render(request, self.template_name, self._context(form, invitation))

    def post(self, request, token: str):
        try:
            invitation = selectors.invitation_for_token(token=token)
        except DomainError as error:
            return self._refused(request, error)
        form = InvitationPasswordForm(user=invitation.user, data=request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form, invitation))
        try:
            # The single-use link proves the respondent owns the email address: use it up and set the password together.
            with transaction.atomic():
                invitation = services.invitation_redeem(token=token)
                user = form.save()
        except DomainError as error:
            return self._refused(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, MSG_PASSWORD_SET)
        return redirect("appraisal-start", invitation.cycle.year)


class RespondentAppraisalMixin(RoleRequiredMixin):
    """A page of the appraisal the signed-in respondent answers: NHSCC staff get 403; a respondent with
    nothing to answer that year (or a member of another area team) gets 404."""

    allowed_roles = (UserRole.CCG_LEAD, UserRole.PARTNER, UserRole.AREA_TEAM_MEMBER)

    @cached_property
    def appraisal(self) -> RespondentAppraisal:
        return selectors.respondent_appraisal(user=self.request.user, year=self.kwargs["year"])

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


class StartView(RespondentAppraisalMixin, View):
    """What the appraisal is, how long it takes, who sees what; where the respondent is; start or continue."""

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


class SectionView(RespondentAppraisalMixin, View):
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
        return SectionForm(data, section=section, draft=draft, rater_group=self.appraisal.rater_group)

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
                fresh = SectionForm(
                    section=self.section_place[0], draft=conflict.response.draft, rater_group=self.appraisal.rater_group
                )
                texts = [fresh.texts[code] for code in conflict.codes]
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


class CheckView(RespondentAppraisalMixin, View):
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


class SubmittedView(RespondentAppraisalMixin, View):
    """The confirmation: reference, what happens next and a read-only copy of the answers."""

    def get(self, request, year: int):
        if self.appraisal.status != AppraisalStatus.SUBMITTED:
            return redirect("appraisal-start", year)
        return render(request, "surveys/submitted.html", self.context())
