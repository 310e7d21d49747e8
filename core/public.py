"""The pages a public NHS service has: accessibility statement, privacy notice, cookies, contact, status.

Static text for everyone, signed in or not; the status page reads the same checks as ``/healthz``.
"""

from email.utils import parseaddr

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.selectors import health_status


def contact_details() -> dict:
    """Return how to reach the service's team: the address its emails come from (``DEFAULT_FROM_EMAIL``)."""
    return {
        "email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        "organisation": "NHS Clinical Commissioners",
        "hours": "Monday to Friday, 9am to 5pm, except bank holidays",
        "reply": "We aim to reply within 2 working days.",
    }


def _page(template: str):
    @require_GET
    def view(request):
        context = {"contact": contact_details(), "min_base": settings.SUPPRESSION_MIN_BASE}
        return render(request, f"public/{template}.html", context)

    view.__name__ = template
    view.__doc__ = f"Show the {template.replace('_', ' ')} page."
    return view


accessibility = _page("accessibility")
privacy = _page("privacy")
cookies = _page("cookies")
contact = _page("contact")


@never_cache
@require_GET
def status(request):
    """Show the service's status in words: the same checks as the JSON at /healthz."""
    healthy, body = health_status()
    return render(request, "public/status.html", {"healthy": healthy, "health": body}, status=200 if healthy else 503)
