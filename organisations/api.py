"""Read-only API over the organisation structure."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers

from core.api import ScopedListAPIView
from organisations import selectors

_REGION = OpenApiParameter("region", OpenApiTypes.STR, description="Region ODS code, e.g. Y54")
_AREA_TEAM = OpenApiParameter("area_team", OpenApiTypes.STR, description="Area team ODS code, e.g. Q44")


class RegionListApi(ScopedListAPIView):
    # Every view's nested serializer is called Output; name the schema component after the entity.
    @extend_schema_serializer(component_name="Region")
    class OutputSerializer(serializers.Serializer):
        ods_code = serializers.CharField()
        gss_code = serializers.CharField()
        name = serializers.CharField()
        area_team_count = serializers.IntegerField()
        ccg_count = serializers.IntegerField()

    serializer_class = OutputSerializer

    def scoped_queryset(self, user):
        return selectors.region_list(user=user)


@extend_schema(parameters=[_REGION])
class AreaTeamListApi(ScopedListAPIView):
    @extend_schema_serializer(component_name="AreaTeam")
    class OutputSerializer(serializers.Serializer):
        ods_code = serializers.CharField()
        gss_code = serializers.CharField()
        name = serializers.CharField()
        region = serializers.CharField(source="region.ods_code")
        region_name = serializers.CharField(source="region.name")
        ccg_count = serializers.IntegerField()

    serializer_class = OutputSerializer

    def scoped_queryset(self, user):
        return selectors.area_team_list(user=user, region=self.request.query_params.get("region"))


@extend_schema(parameters=[_REGION, _AREA_TEAM])
class CCGListApi(ScopedListAPIView):
    @extend_schema_serializer(component_name="CCG")
    class OutputSerializer(serializers.Serializer):
        ods_code = serializers.CharField()
        gss_code = serializers.CharField()
        name = serializers.CharField()
        area_team = serializers.CharField(source="area_team.ods_code")
        area_team_name = serializers.CharField(source="area_team.name")
        region = serializers.CharField(source="area_team.region.ods_code")

    serializer_class = OutputSerializer

    def scoped_queryset(self, user):
        params = self.request.query_params
        return selectors.ccg_list(user=user, region=params.get("region"), area_team=params.get("area_team"))
