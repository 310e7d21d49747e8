"""Scorecards and response rates over the API, with the same scoping and suppression as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as ApiResponse

from comments import selectors as comment_selectors
from core.api import ApiView
from scorecards import presentation, results, selectors
from scorecards.models import ALL_LEADS, SCORECARD_NUMBER_FIELDS, SELF, Level, Scorecard
from scorecards.services.publishing import LEAD_ROLES, RATER_VIEWS
from surveys.models import CycleState
from surveys.selectors import cycle_rates_readable_by, cycle_readable_by, response_rates

_FIGURE_HELP = {
    "base": "Respondents with a score here (don't know excluded); each CCG counting once, still the leads",
    "ccgs": "Each CCG counting once only: the responding CCGs behind the figure (null in every other view)",
    "effective_base": (
        "Each CCG counting once only: Kish's effective base, (Σ weights)² / Σ weights², the number of equally "
        "weighted people the figure is as precise as (null in every other view)"
    ),
}


def _figure_field(name: str) -> serializers.Field:
    """Return the (optional, nullable) field of one published figure, typed as the model stores it."""
    model_field = Scorecard._meta.get_field(name)
    kind = {"IntegerField": serializers.IntegerField, "BooleanField": serializers.BooleanField}.get(
        model_field.get_internal_type(), serializers.FloatField
    )
    return kind(required=False, allow_null=True, help_text=_FIGURE_HELP.get(name, ""))


@extend_schema_serializer(component_name="ScorecardItem")
class ScorecardItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    behaviour = serializers.CharField(source="behaviour_code")
    role = serializers.CharField(source="role_code")
    positively_worded = serializers.BooleanField()
    rater_group = serializers.ChoiceField(
        choices=[(view, presentation.RATER_VIEW_LABELS[view]) for view in RATER_VIEWS],
        help_text=(
            "The rater view the figures are for: empty for all CCG leads (the headline, comparable with 2013); "
            "'ccgs' for all CCG leads with each responding CCG counting once (its leads share a weight of 1; "
            "with ccgs and effective_base, and no answer counts or change); "
            "clinical, managerial or financial for one lead role; 'others' for everyone but the area team "
            "(CCG leads and partners); 'partners' for all partners; practice (GP member practices), patients "
            "(patients' representatives) or local_government for one partner group; 'self' for the area "
            "team's own self-assessment (attributable, never pooled, never hidden)"
        ),
    )
    rater_group_label = serializers.SerializerMethodField(help_text="The rater view as headings name it")
    lead_role = serializers.SerializerMethodField(
        help_text=(
            "Deprecated: use rater_group. The lead role for the CCG leads' views (empty for all leads), "
            "null for every other view"
        )
    )
    suppressed = serializers.BooleanField()
    suppression_reason = serializers.SerializerMethodField(
        help_text=(
            "'hidden' when suppressed (to protect a smaller group; why is not said, since that alone would "
            "tell a small base), empty otherwise"
        )
    )

    def get_suppression_reason(self, instance) -> str:
        return presentation.HIDDEN if instance.suppressed else ""

    def get_rater_group_label(self, instance) -> str:
        return presentation.RATER_VIEW_LABELS.get(instance.rater_group, instance.rater_group)

    @extend_schema_field(
        {"type": "string", "nullable": True, "enum": [ALL_LEADS, *LEAD_ROLES, None], "deprecated": True}
    )
    def get_lead_role(self, instance) -> str | None:
        # Kept for clients written before rater groups (the field's name until 2031's partners and self-assessment).
        return instance.rater_group if instance.rater_group in (ALL_LEADS, *LEAD_ROLES) else None

    def get_fields(self):
        # Every published figure, typed as stored (and so documented); each left out of a suppressed row.
        return {**super().get_fields(), **{name: _figure_field(name) for name in SCORECARD_NUMBER_FIELDS}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.suppressed:
            # A suppressed cell carries no numbers at all: not even nulls that could be told apart.
            for field in SCORECARD_NUMBER_FIELDS:
                data.pop(field, None)
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


@extend_schema_serializer(component_name="SelfBesideLeads")
class SelfBesideLeadsSerializer(serializers.Serializer):
    """One item of an area team: its self-assessment's score beside its CCG leads' score, and the gap."""

    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    self_score = serializers.FloatField(
        allow_null=True, help_text="The area team's self-assessment (0-10); null where it gave none"
    )
    leads_score = serializers.FloatField(
        allow_null=True, help_text="All CCG leads' score (0-10); null where hidden or without responses"
    )
    gap = serializers.ChoiceField(
        choices=[(presentation.BLIND_SPOT, "Blind spot"), (presentation.HIDDEN_STRENGTH, "Hidden strength")],
        allow_null=True,
        help_text=(
            "blind_spot where self is above the CCG leads by more than a third of the scale (3.33 points), "
            "hidden_strength where below by more; null otherwise, or where either score is missing"
        ),
    )
    gap_label = serializers.CharField(help_text="The gap as pages name it; empty where there is none")


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
    self_vs_others = SelfBesideLeadsSerializer(
        many=True,
        allow_null=True,
        help_text=(
            "Area teams only, in a cycle with a self-assessment (null otherwise): every item's self-assessment "
            "score beside the CCG leads' score, whatever rater_group asks for"
        ),
    )
    comments = PublishedCommentSerializer(
        many=True,
        allow_null=True,
        help_text=(
            "Area teams only (null for England and regions): the approved comments about the area team, by "
            "section, shown only where it has at least COMMENTS_MIN_BASE responses"
        ),
    )


# The views a scorecard gives when no ``rater_group`` is asked for: the CCG leads' (as before rater groups).
DEFAULT_VIEWS = (ALL_LEADS, *LEAD_ROLES)
MSG_BAD_RATER_GROUP = "Choose from: '' (empty: all CCG leads), " + ", ".join(v for v in RATER_VIEWS if v) + "."


class ScorecardListApi(ApiView):
    """Return one organisation's published scorecard: every item, for the CCG leads' views (all leads and
    each lead role) unless other rater views are asked for; at an area team, self beside the leads."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description="england, region or area_team"),
            OpenApiParameter("code", OpenApiTypes.STR, description="ODS code of the region or area team"),
            OpenApiParameter(
                "rater_group",
                OpenApiTypes.STR,
                enum=list(RATER_VIEWS),
                many=True,
                description=(
                    "The rater views to give (repeat for several; an empty value is all CCG leads). Left out: "
                    "the CCG leads' views (all leads and each lead role), as before rater groups; 'ccgs' gives "
                    "the CCG leads with each CCG counting once. Partner views "
                    "and 'self' exist only in a cycle that has them (otherwise no items). An unknown value is a 400."
                ),
            ),
        ],
        responses={200: ScorecardSerializer},
    )
    def get(self, request, year: int):
        level = request.query_params.get("level", Level.ENGLAND)
        if level not in Level.values:
            raise serializers.ValidationError({"level": [f"Choose one of {', '.join(Level.values)}."]})
        views = request.query_params.getlist("rater_group") or list(DEFAULT_VIEWS)
        if any(view not in RATER_VIEWS for view in views):
            raise serializers.ValidationError({"rater_group": [MSG_BAD_RATER_GROUP]})
        cycle = cycle_readable_by(user=request.user, year=year)
        # One read of the organisation's rows: the views asked for, and at an area team self and all leads too.
        wanted = {*views, SELF, ALL_LEADS} if level == Level.AREA_TEAM else set(views)
        read = list(
            selectors.scorecard_rows_for_user(
                user=request.user, cycle=cycle, level=level, code=request.query_params.get("code"), rater_groups=wanted
            )
        )
        rows = [row for row in read if row.rater_group in views]
        self_lines = presentation.self_beside_leads(read) if level == Level.AREA_TEAM else None
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
                "code": read[0].org_code if read else request.query_params.get("code", "ENG"),
                "name": read[0].org_name if read else "",
                "built_at": scorecard_set.built_at if scorecard_set else None,
                "suppression_min_base": scorecard_set.min_base if scorecard_set else None,
                "items": ScorecardItemSerializer(rows, many=True).data,
                "self_vs_others": None if self_lines is None else SelfBesideLeadsSerializer(self_lines, many=True).data,
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

    NUMBERS = (
        *("base", "dont_know", "ccgs", "effective_base"),
        *("value", "low", "high", "change", "change_significant", "band"),
    )

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
            OpenApiParameter(
                "weighting",
                OpenApiTypes.STR,
                enum=list(results.WEIGHTINGS),
                description=(
                    "lead (default): each CCG lead counts once; ccg: each responding CCG counts once (its leads "
                    "share a weight of 1), with each row's ccgs and Kish effective_base"
                ),
            ),
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
            weighting=params.get("weighting") or results.DEFAULT_WEIGHTING,
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
                "weighting": table.weighting,
                "region": table.region or None,
                "suppression_min_base": table.scorecard_set.min_base if table.scorecard_set else None,
                "england": LeagueTableRowSerializer(table.england).data if table.england else None,
                "rows": LeagueTableRowSerializer(table.rows, many=True).data,
            }
        )
