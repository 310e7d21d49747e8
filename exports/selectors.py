"""Reads of report exports, scoped to the caller.

Annual-report files are for NHSCC staff: analysts see their own exports, admins all. An area team's board pack
is also for the members of that area team, who see only the packs they asked for themselves, and only while
they belong to it.
"""

from django.db.models import Q, QuerySet

from core.errors import NotFound, PermissionDenied
from exports.models import ExportFormat, ReportExport

MSG_STAFF_ONLY = "Exports of the annual report are for NHSCC analysts and admins."
MSG_ADMINS_ONLY = "The respondent-level file is for NHSCC admins only."
MSG_NO_SUCH_EXPORT = "There is no such export."
MSG_PACK_NOT_YOURS = "An area team's board pack is for the members of that area team and NHSCC staff only."


def export_formats_for_user(user) -> list[str]:
    """Return the formats ``user`` may request: report formats for NHSCC staff, respondent-level for admins."""
    if not user.is_authenticated or not user.is_nhscc:
        return []
    return [f for f in ExportFormat.values if f != ExportFormat.RESPONDENTS or user.is_admin]


def check_format_allowed(*, user, format: str, area_team_id: int | None = None) -> None:
    """Raise unless ``user`` may request or download a ``format`` file (of area team ``area_team_id``: a pack)."""
    if format == ExportFormat.PACK:
        check_pack_allowed(user=user, area_team_id=area_team_id)
        return
    if not user.is_authenticated or not user.is_nhscc:
        raise PermissionDenied(MSG_STAFF_ONLY)
    if format == ExportFormat.RESPONDENTS and not user.is_admin:
        raise PermissionDenied(MSG_ADMINS_ONLY)


def can_get_pack(*, user, area_team_id: int | None) -> bool:
    """Return whether ``user`` may request and download the board pack of area team ``area_team_id``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_nhscc:
        return True
    return bool(user.is_area_team_member and area_team_id is not None and user.area_team_id == area_team_id)


def check_pack_allowed(*, user, area_team_id: int | None) -> None:
    if not can_get_pack(user=user, area_team_id=area_team_id):
        raise PermissionDenied(MSG_PACK_NOT_YOURS)


def exports_for_user(*, user) -> QuerySet[ReportExport]:
    """Return the exports ``user`` may see, newest first: admins every export, analysts their own, an area
    team's member the board packs of their area team that they asked for."""
    if not user.is_authenticated:
        raise PermissionDenied(MSG_STAFF_ONLY)
    exports = ReportExport.objects.select_related("cycle", "requested_by", "area_team", "scorecard_set")
    if user.is_admin:
        return exports
    if user.is_analyst:
        return exports.filter(requested_by=user)
    if user.is_area_team_member:
        return exports.filter(requested_by=user, format=ExportFormat.PACK, area_team_id=user.area_team_id)
    raise PermissionDenied(MSG_STAFF_ONLY)


def export_for_user(*, user, export_id: int) -> ReportExport:
    """Return one export ``user`` may see; another user's export is "not found" unless ``user`` is an admin.

    A respondent-level export is refused (403) to anyone but an admin before ownership is considered.
    """
    export = exports_for_user(user=user).filter(pk=export_id).first()
    if export is None:
        fmt = ReportExport.objects.filter(pk=export_id).values_list("format", flat=True).first()
        if fmt is not None and fmt != ExportFormat.PACK:
            check_format_allowed(user=user, format=fmt)
        raise NotFound(MSG_NO_SUCH_EXPORT)
    check_format_allowed(user=user, format=export.format, area_team_id=export.area_team_id)
    return export


def pack_for_user(*, user, export_id: int) -> ReportExport:
    """Return one board-pack export ``user`` may see (see ``export_for_user``); any other export is "not found"."""
    export = exports_for_user(user=user).filter(Q(pk=export_id) & Q(format=ExportFormat.PACK)).first()
    if export is None:
        raise NotFound(MSG_NO_SUCH_EXPORT)
    check_pack_allowed(user=user, area_team_id=export.area_team_id)
    return export
