"""Scorecards and response rates over the API, with the same scoping and suppression as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as ApiResponse

from comments import selectors as comment_selectors
from core.api import ApiView
from scorecards import presentation, results, selectors
from scorecards.models import SCORECARD_NUMBER_FIELDS, Level
from surveys.models import CycleState
from surveys.selectors import cycle_rates_readable_by, cycle_readable_by, response_rates


@extend_schema_serializer(component_name="ScorecardItem")
class ScorecardItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    behaviour = serializers.CharField(source="behaviour_code")
    role = serializers.CharField(source="role_code")
    positively_worded = serializers.BooleanField()
    rater_group = serializers.CharField(help_text="Empty for all leads; clinical, managerial or financial otherwise")
    suppressed = serializers.BooleanField()
    suppression_reason = serializers.SerializerMethodField(
        help_text=(
            "'hidden' when suppressed (to protect a smaller group; why is not said, since that alone would "
            "tell a small base), empty otherwise"
        )
    )

    def get_suppression_reason(self, instance) -> str:
        return presentation.HIDDEN if instance.suppressed else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for field in SCORECARD_NUMBER_FIELDS:
            # A suppressed cell carries no numbers at all: not even nulls that could be told apart.
            if not instance.suppressed:
                data[field] = getattr(instance, field)
        return data


class _CommentSectionSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PublishedCommentSection"

    code = serializers.CharField()
    title = serializers.CharField()


@extend_schema_serializer(component_name="PublishedComment")
class PublishedCommentSerializer(serializers.Serializer):
    """An approved comment (redacted where it was redacted), without its CCG, lead or lead role."""

    section = _CommentSectionSerializer()
    text = serializers.CharField()


@extend_schema_serializer(component_name="ScorecardResponse")
class ScorecardSerializer(serializers.Serializer):
    """The scorecard endpoint's answer (documentation of its shape)."""

    cycle = serializers.IntegerField()
    published = serializers.BooleanField()
    level = serializers.ChoiceField(choices=Level.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    built_at = serializers.DateTimeField(allow_null=True)
    suppression_min_base = serializers.IntegerField(allow_null=True)
    items = ScorecardItemSerializer(many=True)
    comments = PublishedCommentSerializer(
        many=True,
        allow_null=True,
        help_text=(
            "Area teams only (null for England and regions): the approved comments about the area team, by "
            "section, shown only where it has at least COMMENTS_MIN_BASE responses"
        ),
    )


class ScorecardListApi(ApiView):
    """Return one organisation's published scorecard: every item, for all leads and per lead role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description="england, region or area_team"),
            OpenApiParameter("code", OpenApiTypes.STR, description="ODS code of the region or area team"),
        ],
        responses={200: ScorecardSerializer},
    )
    def get(self, request, year: int):
        level = request.query_params.get("level", Level.ENGLAND)
        if level not in Level.values:
            raise serializers.ValidationError({"level": [f"Choose one of {', '.join(Level.values)}."]})
        cycle = cycle_readable_by(user=request.user, year=year)
        rows = selectors.scorecard_rows_for_user(
            user=request.user, cycle=cycle, level=level, code=request.query_params.get("code")
        )
        scorecard_set = selectors.current_set(cycle=cycle)
        comments = None
        if level == Level.AREA_TEAM:
            groups = comment_selectors.published_comments(cycle=cycle, area_team=request.query_params.get("code"))
            comments = PublishedCommentSerializer(
                [{"section": group, "text": text} for group in groups for text in group.texts], many=True
            ).data
        return ApiResponse(
            {
                "cycle": cycle.year,
                "published": cycle.state == CycleState.PUBLISHED,
                "level": level,
                "code": rows[0].org_code if rows else request.query_params.get("code", "ENG"),
                "name": rows[0].org_name if rows else "",
                "built_at": scorecard_set.built_at if scorecard_set else None,
                "suppression_min_base": scorecard_set.min_base if scorecard_set else None,
                "items": ScorecardItemSerializer(rows, many=True).data,
                "comments": comments,
            }
        )


class ResponseRatesApi(ApiView):
    """Return invited, responded, rate and CCG coverage for England, each region, area team and lead role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, year: int):
        cycle = cycle_rates_readable_by(user=request.user, year=year)
        rates = response_rates(cycle=cycle)
        if request.user.is_area_team_member:
            own = request.user.area_team
            rates["regions"] = [r for r in rates["regions"] if r["code"] == own.region.ods_code]
            rates["area_teams"] = [a for a in rates["area_teams"] if a["code"] == own.ods_code]
        return ApiResponse({"cycle": cycle.year, **rates})


class LeagueTableRowSerializer(serializers.Serializer):
    """One area team (or England) in a league table; a suppressed row carries no numbers at all."""

    org_code = serializers.CharField()
    org_name = serializers.CharField()
    region_code = serializers.CharField()
    suppressed = serializers.BooleanField()
    rank = serializers.CharField(
        help_text="A position only where the 95% intervals separate the row from its neighbours; else empty"
    )

    NUMBERS = ("base", "dont_know", "value", "low", "high", "change", "change_significant", "band")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.suppressed:
            for name in self.NUMBERS:
                data[name] = getattr(instance, name)
        return data


class LeagueTableApi(ApiView):
    """Return area teams ranked on one measure, with intervals, bands against England and change.

    The same permission and suppression rules as the league table page: NHSCC staff any time,
    everyone else once the cycle is published; suppressed rows are unranked and carry no numbers.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", OpenApiTypes.STR, description="kind:code, e.g. overall:OVERALL"),
            OpenApiParameter("metric", OpenApiTypes.STR, enum=list(results.METRICS), description="score (default)"),
            OpenApiParameter("region", OpenApiTypes.STR, description="ODS code of a region to filter by"),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(results.SORT_KEYS)),
            OpenApiParameter("order", OpenApiTypes.STR, enum=["desc", "asc"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, year: int):
        cycle = cycle_readable_by(user=request.user, year=year)
        params = request.query_params
        table = results.league_table(
            cycle=cycle,
            user=request.user,
            measure=params.get("measure") or results.DEFAULT_MEASURE,
            metric=params.get("metric") or results.DEFAULT_METRIC,
            region=params.get("region", ""),
            sort=params.get("sort") or results.DEFAULT_SORT,
            order=params.get("order") or results.DEFAULT_ORDER,
        )
        return ApiResponse(
            {
                "cycle": cycle.year,
                "published": cycle.state == CycleState.PUBLISHED,
                "measure": table.measure,
                "measure_label": table.measure_label,
                "positively_worded": table.positively_worded,
                "how_to_read": table.reversed_hint or None,
                "metric": table.metric,
                "region": table.region or None,
                "suppression_min_base": table.scorecard_set.min_base if table.scorecard_set else None,
                "england": LeagueTableRowSerializer(table.england).data if table.england else None,
                "rows": LeagueTableRowSerializer(table.rows, many=True).data,
            }
        )
