from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Sign in with an email address (the username field) and password."""

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
