from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.forms import SignInForm
from accounts.selectors import home_for_user


def home(request):
    """Send each role to what it does; anonymous visitors see what the service is and sign in."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    return render(request, "home.html", {"home": home_for_user(user=request.user)})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def account(request):
    return render(request, "accounts/account.html")
