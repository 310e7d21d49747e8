"""Reads of report exports, scoped to the caller: NHSCC staff only; analysts see their own, admins all."""

from django.db.models import QuerySet

from core.errors import NotFound, PermissionDenied
from exports.models import ExportFormat, ReportExport

MSG_STAFF_ONLY = "Exports of the annual report are for NHSCC analysts and admins."
MSG_ADMINS_ONLY = "The respondent-level file is for NHSCC admins only."
MSG_NO_SUCH_EXPORT = "There is no such export."


def export_formats_for_user(user) -> list[str]:
    """Return the formats ``user`` may request: report formats for NHSCC staff, respondent-level for admins."""
    if not user.is_authenticated or not user.is_nhscc:
        return []
    return [f for f in ExportFormat.values if f != ExportFormat.RESPONDENTS or user.is_admin]


def check_format_allowed(*, user, format: str) -> None:
    """Raise unless ``user`` may request or download a ``format`` file."""
    if not user.is_authenticated or not user.is_nhscc:
        raise PermissionDenied(MSG_STAFF_ONLY)
    if format == ExportFormat.RESPONDENTS and not user.is_admin:
        raise PermissionDenied(MSG_ADMINS_ONLY)


def exports_for_user(*, user) -> QuerySet[ReportExport]:
    """Return the exports ``user`` may see, newest first: admins every export, analysts their own."""
    if not user.is_authenticated or not user.is_nhscc:
        raise PermissionDenied(MSG_STAFF_ONLY)
    exports = ReportExport.objects.select_related("cycle", "requested_by")
    return exports if user.is_admin else exports.filter(requested_by=user)


def export_for_user(*, user, export_id: int) -> ReportExport:
    """Return one export ``user`` may see; another user's export is "not found" unless ``user`` is an admin.

    A respondent-level export is refused (403) to anyone but an admin before ownership is considered.
    """
    export = exports_for_user(user=user).filter(pk=export_id).first()
    if export is None:
        fmt = ReportExport.objects.filter(pk=export_id).values_list("format", flat=True).first()
        if fmt is not None:
            check_format_allowed(user=user, format=fmt)
        raise NotFound(MSG_NO_SUCH_EXPORT)
    check_format_allowed(user=user, format=export.format)
    return export
