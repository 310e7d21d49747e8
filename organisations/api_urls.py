from django.urls import path

from organisations import api

urlpatterns = [
    path("regions/", api.RegionListApi.as_view(), name="api-regions"),
    path("area-teams/", api.AreaTeamListApi.as_view(), name="api-area-teams"),
    path("ccgs/", api.CCGListApi.as_view(), name="api-ccgs"),
]
