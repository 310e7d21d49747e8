"""NHSCC's cycle pages: the list of cycles, one cycle's page, its dates and its state changes.

Analysts read them; only admins change anything. Each view checks its input, calls one service or
selector, and renders.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin, user_has_role
from core.errors import DomainError
from surveys import selectors, services
from surveys.forms import (
    CycleCreateForm,
    CycleDatesForm,
    CycleRaterGroupsForm,
    InvitationImportForm,
    ResponsesImportForm,
)
from surveys.groups import ALL_GROUPS, GROUP_LABELS, cycle_rater_groups
from surveys.models import CycleState, ImportJob

MSG_CYCLE_CREATED = "The {year} cycle has been created as a draft, with a copy of the latest questionnaire."
MSG_DATES_CHANGED = "The dates of the {year} cycle have been changed."
MSG_STATE_CHANGED = "The {year} cycle is now {state}."
MSG_RATER_GROUPS_CHANGED = "The rater groups of the {year} cycle have been changed."
# The contractor's form shares the page with the invitations form: its fields get their own ids.
RESPONSES_FORM_PREFIX = "responses"
RECENT_IMPORTS = 5
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


class ManageMixin(RoleRequiredMixin):
    """NHSCC pages: analysts may read; only admins change anything."""

    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


class AdminOnlyMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ADMIN,)


def rater_groups_table(cycle) -> list[dict]:
    """Return every rater group with whether ``cycle`` asks it and its suppression threshold (a setting)."""
    asked = set(cycle_rater_groups(cycle))
    by_group = settings.SUPPRESSION_MIN_BASE_BY_GROUP
    return [
        {
            "code": group,
            "label": GROUP_LABELS[group],
            "asked": group in asked,
            # Self is the area team's own corporate view: attributable, never suppressed.
            "min_base": None if group == "self" else by_group.get(group, settings.SUPPRESSION_MIN_BASE),
        }
        for group in ALL_GROUPS
    ]


def render_cycle_page(request, year: int, *, import_form=None, responses_form=None, problems=(), status=200):
    cycle = selectors.cycles_with_counts(user=request.user).filter(year=year).first()
    if cycle is None:
        raise Http404("No such cycle.")
    can_manage = user_has_role(request.user, UserRole.ADMIN)
    context = {
        "cycle": cycle,
        "can_manage": can_manage,
        "state_actions": STATE_ACTIONS[CycleState(cycle.state)],
        "import_form": import_form or InvitationImportForm(),
        "responses_form": responses_form or ResponsesImportForm(prefix=RESPONSES_FORM_PREFIX),
        # A bound form whose upload was refused: the error summary links to its file field.
        "refused_form": import_form or responses_form,
        "imports": ImportJob.objects.filter(cycle=cycle).select_related("requested_by")[:RECENT_IMPORTS]
        if can_manage
        else [],
        "problems": list(problems),
        "rater_groups": rater_groups_table(cycle),
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
        return render_cycle_page(request, year)


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


class CycleRaterGroupsView(AdminOnlyMixin, View):
    """Switch partner groups and the self-assessment on or off for a cycle; the service says what may change."""

    template_name = "surveys/manage/cycle_rater_groups.html"

    def _cycle(self, request, year: int):
        cycle = selectors.cycles_for_user(user=request.user).filter(year=year).first()
        if cycle is None:
            raise Http404("No such cycle.")
        return cycle

    def _render(self, request, cycle, form, problems=(), status=200):
        context = {"cycle": cycle, "form": form, "problems": list(problems), "rater_groups": rater_groups_table(cycle)}
        return render(request, self.template_name, context, status=status)

    def get(self, request, year: int):
        cycle = self._cycle(request, year)
        initial = {"partner_groups": list(cycle.partner_groups or []), "self_assessment": cycle.self_assessment}
        return self._render(request, cycle, CycleRaterGroupsForm(initial=initial))

    def post(self, request, year: int):
        cycle = self._cycle(request, year)
        form = CycleRaterGroupsForm(request.POST)
        if not form.is_valid():
            return self._render(request, cycle, form, status=400)
        try:
            services.cycle_set_rater_groups(actor=request.user, cycle=cycle, **form.cleaned_data)
        except DomainError as error:
            return self._render(request, cycle, form, problems=[error.message], status=error.status)
        messages.success(request, MSG_RATER_GROUPS_CHANGED.format(year=year))
        return redirect("manage-cycle", year)


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
            return render_cycle_page(request, year, problems=[error.message], status=error.status)
        messages.success(request, MSG_STATE_CHANGED.format(year=cycle.year, state=cycle.get_state_display().lower()))
        return redirect("manage-cycle", year)
