from django.conf import settings


def service(request):
    """Add the service's name to every template."""
    return {"SERVICE_NAME": "Appraise", "SERVICE_DESCRIPTION": settings.SPECTACULAR_SETTINGS["DESCRIPTION"]}
