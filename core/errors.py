"""The one domain error type, mapped once for the API (core.api) and once for pages (core.views)."""

# An error lists at most this many problems (the first ones), and says how many there were in all:
# 100,000 bad rows or unknown keys must not become a 10 MB error page or body.
DETAILS_SHOWN = 100


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is safe to show to the user.

    ``code`` is stable for clients; ``status`` is the HTTP status the API and pages answer with.
    ``details`` keeps the first ``DETAILS_SHOWN`` problems; ``details_total`` counts them all.
    """

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", status: int | None = None, details=None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        details = list(details or [])
        self.details_total = len(details)
        self.details = details[:DETAILS_SHOWN]


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "Not found.", **kwargs):
        kwargs.setdefault("code", "not_found")
        super().__init__(message, **kwargs)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "You do not have permission to do that.", **kwargs):
        kwargs.setdefault("code", "permission_denied")
        super().__init__(message, **kwargs)


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "conflict")
        super().__init__(message, **kwargs)
