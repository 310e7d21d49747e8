"""The one domain error type, mapped once for the API (core.api) and once for pages (core.views)."""


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is safe to show to the user.

    ``code`` is stable for clients; ``status`` is the HTTP status the API and pages answer with.
    """

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", status: int | None = None, details=None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        self.details = details or []


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
