"""Exports over the API: request one (202), follow its progress, download its file.

The annual report's files are for NHSCC staff (``/cycles/<year>/exports/``, ``/exports/<id>/``); an area team's
board pack has its own endpoints (``/cycles/<year>/area-teams/<code>/board-pack/``, ``/board-packs/<id>/``),
open to NHSCC staff and to the members of that area team.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response as ApiResponse

from accounts.models import UserRole
from accounts.permissions import HasRole, IsNHSCC
from core.api import ApiView, error_responses
from core.errors import NotFound
from core.http import client_ip, download_response
from exports import selectors, services
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.services import content_type
from surveys.models import Cycle

# The board pack's endpoints: NHSCC staff and area team members (which area team is checked in the service).
PackRoles = HasRole.of(UserRole.ANALYST, UserRole.ADMIN, UserRole.AREA_TEAM_MEMBER)
REPORT_FORMATS = [(value, label) for value, label in ExportFormat.choices if value != ExportFormat.PACK]


def _cycle(year: int) -> Cycle:
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise NotFound(f"There is no appraisal for {year}.")
    return cycle


class ExportSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="cycle.year")
    area_team = serializers.CharField(source="area_team.ods_code", allow_null=True, default=None)
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    scorecard_version = serializers.IntegerField(source="scorecard_set.version", allow_null=True, default=None)

    class Meta:
        model = ReportExport
        fields = (
            "id",
            "cycle",
            "format",
            "area_team",
            "status",
            "progress",
            "message",
            "filename",
            "sha256",
            "size",
            "requested_at",
            "started_at",
            "finished_at",
            "expires_at",
            "scorecard_version",
            "url",
            "download_url",
        )

    def get_url(self, export) -> str:
        return reverse("api-board-pack" if export.format == ExportFormat.PACK else "api-export", args=[export.pk])

    def get_download_url(self, export) -> str | None:
        if export.status == ExportStatus.DONE and export.file:
            name = "api-board-pack-download" if export.format == ExportFormat.PACK else "api-export-download"
            return reverse(name, args=[export.pk])
        return None


class ExportRequestApi(ApiView):
    """Start an export of the cycle's published figures; 202 with its id and where to follow it."""

    permission_classes = [IsNHSCC]

    class InputSerializer(serializers.Serializer):
        format = serializers.ChoiceField(choices=REPORT_FORMATS)

    @extend_schema(
        request=inline_serializer("ExportRequest", {"format": serializers.ChoiceField(choices=REPORT_FORMATS)}),
        responses={202: ExportSerializer, **error_responses(409)},
    )
    def post(self, request, year: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        export = services.export_request(
            user=request.user, cycle=_cycle(year), format=data.validated_data["format"], ip=client_ip(request)
        )
        export.refresh_from_db()
        return ApiResponse(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(ApiView):
    """Return an export's status and progress, and its download URL once done."""

    permission_classes = [IsNHSCC]

    @extend_schema(responses={200: ExportSerializer})
    def get(self, request, pk: int):
        export = selectors.export_for_user(user=request.user, export_id=pk)
        return ApiResponse(ExportSerializer(export).data)


class ExportDownloadApi(ApiView):
    """Download a finished export's file (an attachment, not cached); the download is audited."""

    permission_classes = [IsNHSCC]

    @extend_schema(responses={(200, "application/octet-stream"): bytes, **error_responses(409)})
    def get(self, request, pk: int):
        export = selectors.export_for_user(user=request.user, export_id=pk)
        handle, filename = services.export_download(user=request.user, export=export, ip=client_ip(request))
        return download_response(handle, filename, content_type(filename))


class BoardPackRequestApi(ApiView):
    """Start building area team ``code``'s board pack (PDF) of the cycle; 202 with its id and where to follow it.

    For NHSCC staff and that area team's members; a published cycle (NHSCC staff: a closed one too, marked
    DRAFT). Asking again while one is under way answers with that one.
    """

    permission_classes = [PackRoles]

    @extend_schema(request=None, responses={202: ExportSerializer, **error_responses(409)})
    def post(self, request, year: int, code: str):
        export = services.export_request(
            user=request.user, cycle=_cycle(year), format=ExportFormat.PACK, area_team=code, ip=client_ip(request)
        )
        export.refresh_from_db()
        return ApiResponse(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class BoardPackDetailApi(ApiView):
    """Return a board pack's status and progress, and its download URL once done."""

    permission_classes = [PackRoles]

    @extend_schema(responses={200: ExportSerializer})
    def get(self, request, pk: int):
        export = selectors.pack_for_user(user=request.user, export_id=pk)
        return ApiResponse(ExportSerializer(export).data)


class BoardPackDownloadApi(ApiView):
    """Download a finished board pack (an attachment, not cached); the download is audited."""

    permission_classes = [PackRoles]

    @extend_schema(responses={(200, "application/pdf"): bytes, **error_responses(409)})
    def get(self, request, pk: int):
        export = selectors.pack_for_user(user=request.user, export_id=pk)
        handle, filename = services.export_download(user=request.user, export=export, ip=client_ip(request))
        return download_response(handle, filename, content_type(filename))
