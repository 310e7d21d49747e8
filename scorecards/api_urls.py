from django.urls import path

from scorecards import api

urlpatterns = [
    path("cycles/<int:year>/scorecards/", api.ScorecardListApi.as_view(), name="api-scorecards"),
    path("cycles/<int:year>/response-rates/", api.ResponseRatesApi.as_view(), name="api-response-rates"),
    path("cycles/<int:year>/league-table/", api.LeagueTableApi.as_view(), name="api-league-table"),
]
