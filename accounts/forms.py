"""The sign-in and password forms, worded for the NHS.UK design system (errors say what to do)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

# One message for every failed sign-in, so the page never says whether an email address has an account.
INVALID_LOGIN_MESSAGE = (
    "Enter a correct email address and password. If you have forgotten your password, you can reset it."
)
# Hints and messages, not passwords (ruff's S105 reads the names).
PASSWORD_HINT = "Your password must be at least 12 characters long and must not be a commonly used password."  # noqa: S105
EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
}
PASSWORD_MISMATCH_MESSAGE = "The passwords do not match. Enter the same password twice."  # noqa: S105


def page_form_helper() -> FormHelper:
    """Return a helper for a form whose page draws the form tag and buttons, and the error summary above its h1."""
    helper = FormHelper()
    helper.form_tag = False
    helper.error_summary = False
    return helper


class PageFormMixin:
    """Render with ``page_form_helper``: ``{{ form|as_crispy_errors }}`` above the h1, ``{% crispy form %}`` below."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper()


class SignInForm(PageFormMixin, AuthenticationForm):
    """Sign in with an email address (the username field) and password."""

    error_messages = {"invalid_login": INVALID_LOGIN_MESSAGE, "inactive": INVALID_LOGIN_MESSAGE}

    username = forms.EmailField(
        label="Email address",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ResetPasswordForm(PageFormMixin, PasswordResetForm):
    """Ask for a password reset link by email address."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class NewPasswordMixin(PageFormMixin):
    """Show the password rule as a hint and put a rejected password's errors on the field that has the hint."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH_MESSAGE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        if "new_password2" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class ChooseNewPasswordForm(NewPasswordMixin, SetPasswordForm):
    """Choose a new password after following a reset link."""


class ChangePasswordForm(NewPasswordMixin, PasswordChangeForm):
    """Change a signed-in user's password; the current password is asked for first."""

    error_messages = {
        **NewPasswordMixin.error_messages,
        "password_incorrect": "Your current password is not correct. Enter it again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
