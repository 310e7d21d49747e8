"""Exports of the annual report over the API: request one (202), follow its progress, download its file."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response as ApiResponse

from accounts.permissions import IsNHSCC
from core.api import ApiView, error_responses
from core.errors import NotFound
from core.http import client_ip, download_response
from exports import selectors, services
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.services import content_type
from surveys.models import Cycle


class ExportSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="cycle.year")
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    scorecard_version = serializers.IntegerField(source="scorecard_set.version", allow_null=True, default=None)

    class Meta:
        model = ReportExport
        fields = (
            "id",
            "cycle",
            "format",
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
        return reverse("api-export", args=[export.pk])

    def get_download_url(self, export) -> str | None:
        if export.status == ExportStatus.DONE and export.file:
            return reverse("api-export-download", args=[export.pk])
        return None


class ExportRequestApi(ApiView):
    """Start an export of the cycle's published figures; 202 with its id and where to follow it."""

    permission_classes = [IsNHSCC]

    class InputSerializer(serializers.Serializer):
        format = serializers.ChoiceField(choices=ExportFormat.choices)

    @extend_schema(
        request=inline_serializer("ExportRequest", {"format": serializers.ChoiceField(choices=ExportFormat.choices)}),
        responses={202: ExportSerializer, **error_responses(409)},
    )
    def post(self, request, year: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = Cycle.objects.filter(year=year).first()
        if cycle is None:
            raise NotFound(f"There is no appraisal for {year}.")
        export = services.export_request(
            user=request.user, cycle=cycle, format=data.validated_data["format"], ip=client_ip(request)
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
