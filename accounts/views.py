"""Pages about people: the account page, signing in and passwords (the home page is appraisal_portal.home)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.forms import ChangePasswordForm, ChooseNewPasswordForm, ResetPasswordForm, SignInForm


@login_required
def account(request):
    """Show the signed-in user's account details."""
    return render(request, "accounts/account.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChooseNewPasswordForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
