"""Listen to Django's auth signals: count each failed sign-in against the client's address."""


def on_user_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """Count a failed sign-in for the address it came from (the per-address limit on password spraying)."""
    if request is None:  # authenticate() called outside a request (a command, a test's login)
        return
    from core.net import client_ip
    from core.ratelimit import SIGN_IN_FAILURE, rate_event_record

    rate_event_record(kind=SIGN_IN_FAILURE, key=client_ip(request))


def on_user_logged_in(sender, request=None, user=None, **kwargs) -> None:
    """Start the absolute session limit at sign-in (core.middleware.SessionTimeoutMiddleware)."""
    if request is not None and hasattr(request, "session"):
        from core.middleware import mark_signed_in

        mark_signed_in(request)
