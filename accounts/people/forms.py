"""Forms of the people pages: they check the shape of input; accounts.services checks the rules."""

from django import forms

from accounts.forms import EMAIL_ERRORS, PageFormMixin
from accounts.models import UserRole
from accounts.services import STAFF_ROLES
from organisations.models import AreaTeam

ROLE_CHOICES = [(role.value, role.label) for role in UserRole if role in STAFF_ROLES]
MSG_NAME_REQUIRED = "Enter the person's full name"
MSG_ROLE_REQUIRED = "Choose a role"


class _RoleFields(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": MSG_ROLE_REQUIRED, "invalid_choice": MSG_ROLE_REQUIRED},
        help_text="Analysts read fieldwork and results and moderate comments; admins also run cycles and manage "
        "people; area team members see their own area team's published results.",
    )
    area_team = forms.ModelChoiceField(
        label="Area team (for an area team member)",
        queryset=AreaTeam.objects.order_by("name"),
        required=False,
        empty_label="Choose an area team",
    )


class InviteForm(PageFormMixin, _RoleFields):
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": MSG_NAME_REQUIRED})
    email = forms.EmailField(
        label="Email address", error_messages=EMAIL_ERRORS, widget=forms.EmailInput(attrs={"spellcheck": "false"})
    )
    field_order = ["full_name", "email", "role", "area_team"]


class RoleForm(PageFormMixin, _RoleFields):
    pass
