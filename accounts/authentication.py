"""API token authentication with tokens that expire (``API_TOKEN_DAYS`` after they were issued or rotated)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

MSG_TOKEN_EXPIRED = (
    "This API token has expired. Sign in and rotate it (POST /api/v1/me/token/), or ask an admin for a new one."  # noqa: S105 - a message
)


def token_expires_at(token) -> dt.datetime:
    """Return when ``token`` (a DRF authtoken ``Token``) stops being accepted."""
    return token.created + dt.timedelta(days=settings.API_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than ``API_TOKEN_DAYS`` (401, with the reason)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= token_expires_at(token):
            raise AuthenticationFailed(MSG_TOKEN_EXPIRED, code="token_expired")
        return user, token
