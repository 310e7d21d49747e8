"""The people pages (admins only): list, invite, change a role, deactivate; and the welcome link's page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views import View

from accounts import services
from accounts.forms import ChooseNewPasswordForm
from accounts.models import User, UserRole
from accounts.people.forms import InviteForm, RoleForm
from accounts.permissions import RoleRequiredMixin
from core.errors import DomainError

MSG_INVITED = "{email} has been invited. They have been emailed a link to choose a password."
MSG_ROLE_CHANGED = "{email} is now {role}."
MSG_DEACTIVATED = "{email} has been deactivated and can no longer sign in."
MSG_REACTIVATED = "{email} can sign in again."
MSG_RESENT = "A new link to choose a password has been emailed to {email}."
MSG_WELCOME = "Your password has been set and you are signed in."  # noqa: S105 - a message, not a password
_FIELD_FOR = {"email_taken": "email", "invalid_role": "role", "area_team_needed": "area_team"}


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class AdminMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ADMIN,)


class PeopleView(AdminMixin, View):
    """NHSCC staff and area team members (leads come from invitation files and are counted, not listed)."""

    def get(self, request):
        people = (
            User.objects.filter(~Q(role=UserRole.CCG_LEAD))
            .select_related("area_team")
            .order_by("-is_active", "role", "email")
        )
        leads = User.objects.filter(role=UserRole.CCG_LEAD).count()
        return render(request, "accounts/people/list.html", {"people": people, "leads": leads})


class InviteView(AdminMixin, View):
    def get(self, request):
        return render(request, "accounts/people/invite.html", {"form": InviteForm()})

    def post(self, request):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_invite(actor=request.user, ip=_ip(request), **form.cleaned_data)
            except DomainError as error:
                form.add_error(_FIELD_FOR.get(error.code), error.message)
            else:
                messages.success(request, MSG_INVITED.format(email=user.email))
                return redirect("manage-people")
        return render(request, "accounts/people/invite.html", {"form": form}, status=400)


class PersonView(AdminMixin, View):
    """One person: their role (with a form to change it) and a button to deactivate or reactivate them."""

    def _render(self, request, person, form=None, problems=(), status=200):
        form = form or RoleForm(initial={"role": person.role, "area_team": person.area_team})
        context = {"person": person, "form": form, "problems": list(problems), "is_lead": person.is_lead}
        return render(request, "accounts/people/person.html", context, status=status)

    def get(self, request, pk: int):
        return self._render(request, get_object_or_404(User.objects.select_related("area_team", "ccg"), pk=pk))

    def post(self, request, pk: int):
        person = get_object_or_404(User.objects.select_related("area_team", "ccg"), pk=pk)
        action = request.POST.get("action")
        try:
            if action == "deactivate":
                services.user_deactivate(actor=request.user, user=person, ip=_ip(request))
                messages.success(request, MSG_DEACTIVATED.format(email=person.email))
            elif action == "resend":
                services.user_welcome_resend(actor=request.user, user=person, ip=_ip(request))
                messages.success(request, MSG_RESENT.format(email=person.email))
            elif action == "reactivate":
                services.user_reactivate(actor=request.user, user=person, ip=_ip(request))
                messages.success(request, MSG_REACTIVATED.format(email=person.email))
            else:
                form = RoleForm(request.POST)
                if not form.is_valid():
                    return self._render(request, person, form=form, status=400)
                try:
                    services.user_change_role(actor=request.user, user=person, ip=_ip(request), **form.cleaned_data)
                except DomainError as error:
                    if error.code in _FIELD_FOR:
                        form.add_error(_FIELD_FOR[error.code], error.message)
                        return self._render(request, person, form=form, status=error.status)
                    raise
                messages.success(request, MSG_ROLE_CHANGED.format(email=person.email, role=person.get_role_display()))
        except DomainError as error:
            person.refresh_from_db()
            return self._render(request, person, problems=[error.message], status=error.status)
        return redirect("manage-person", person.pk)


class WelcomeView(auth_views.PasswordResetConfirmView):
    """Choose a password from the welcome email's link (a password-reset token), then land signed in at home."""

    form_class = ChooseNewPasswordForm
    template_name = "accounts/welcome.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, MSG_WELCOME)
        return response
