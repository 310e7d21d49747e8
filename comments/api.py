"""Free-text comments over the API: the moderators' list and moderating one comment, with the pages' rules.

NHSCC staff only. Analysts get comments about area teams above the comments threshold only, and the
redacted text of a redacted comment; admins get every comment, and ``original_text`` as well.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response as ApiResponse

from accounts.permissions import IsNHSCC
from comments import selectors, services
from comments.models import CommentStatus
from core.api import ApiView, ScopedListAPIView
from core.http import client_ip
from surveys.selectors import cycle_readable_by

ERROR = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.JSONField(),
            },
        )
    },
)


class _CodeNameSerializer(serializers.Serializer):
    class Meta:
        ref_name = "CommentAreaTeam"

    code = serializers.CharField(source="ods_code")
    name = serializers.CharField()


class _SectionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "CommentSection"

    code = serializers.CharField()
    title = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    """One comment as a moderator sees it: never its CCG, lead or lead role, nor (here) its original."""

    class Meta:
        ref_name = "CommentForAnalysts"

    id = serializers.UUIDField()
    section = _SectionSerializer(source="question.section")
    area_team = _CodeNameSerializer()
    status = serializers.ChoiceField(choices=CommentStatus.choices)
    text = serializers.CharField(
        source="shown_text", help_text="The redacted text where the comment has been redacted, else as written"
    )
    redacted = serializers.SerializerMethodField()
    above_threshold = serializers.BooleanField(
        help_text="Whether its area team has enough responses for the comment to be read; false only for admins"
    )
    moderated_at = serializers.DateTimeField(allow_null=True)
    moderated_by = serializers.EmailField(source="moderated_by.email", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    def get_redacted(self, comment) -> bool:
        return bool(comment.redacted_text)

    def get_url(self, comment) -> str:
        return reverse("api-comment", args=[self.context["year"], comment.pk])


@extend_schema_serializer(component_name="Comment")
class CommentWithOriginalSerializer(CommentSerializer):
    """A comment as an admin sees it: with the comment as written, even where it has been redacted."""

    original_text = serializers.CharField(
        required=False, help_text="Admins only (absent for analysts): the comment as the lead wrote it"
    )


def comment_serializer_class(user) -> type[CommentSerializer]:
    """Return the serializer for ``user``: the original text is in the answer for admins only."""
    return CommentWithOriginalSerializer if user.is_admin else CommentSerializer


class CommentListApi(ScopedListAPIView):
    """List a year's comments for moderation, a page at a time, ordered by area team and section."""

    permission_classes = [IsNHSCC]
    serializer_class = CommentSerializer

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CommentFilters"

        status = serializers.ChoiceField(choices=CommentStatus.choices, required=False)
        area_team = serializers.CharField(required=False)
        section = serializers.CharField(required=False)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):  # the schema documents every field, original_text too
            return CommentWithOriginalSerializer
        return comment_serializer_class(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=CommentStatus.values, description="Any status if absent"),
            OpenApiParameter("area_team", OpenApiTypes.STR, description="ODS code of an area team"),
            OpenApiParameter("section", OpenApiTypes.STR, description="Code of a section of the questionnaire"),
        ],
        responses={200: CommentWithOriginalSerializer(many=True), 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def scoped_queryset(self, user):
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        cycle = cycle_readable_by(user=user, year=self.kwargs["year"])
        return selectors.comments_for_moderator(user=user, cycle=cycle, **filters.validated_data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "year": self.kwargs["year"]}


class CommentDetailApi(ApiView):
    """Read one comment, or moderate it: set its status, its redacted text, or both (each change is audited)."""

    permission_classes = [IsNHSCC]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CommentModeration"

        status = serializers.ChoiceField(choices=CommentStatus.choices, required=False)
        text = serializers.CharField(
            required=False,
            allow_blank=True,
            trim_whitespace=False,
            help_text="The comment as it should be published; the comment as written, to remove a redaction",
        )

    def _comment(self, request, year: int, pk):
        cycle = cycle_readable_by(user=request.user, year=year)
        return cycle, selectors.comment_for_moderator(user=request.user, cycle=cycle, comment_id=pk)

    def _output(self, request, year: int, comment) -> dict:
        return comment_serializer_class(request.user)(comment, context={"request": request, "year": year}).data

    @extend_schema(responses={200: CommentWithOriginalSerializer, 403: ERROR, 404: ERROR})
    def get(self, request, year: int, pk):
        _, comment = self._comment(request, year, pk)
        return ApiResponse(self._output(request, year, comment))

    @extend_schema(
        request=InputSerializer,
        responses={200: CommentWithOriginalSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def patch(self, request, year: int, pk):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle, comment = self._comment(request, year, pk)
        services.comment_moderate(
            user=request.user,
            comment=comment,
            status=data.validated_data.get("status"),
            text=data.validated_data.get("text"),
            ip=client_ip(request),
        )
        _, comment = self._comment(request, year, pk)
        return ApiResponse(self._output(request, year, comment))
