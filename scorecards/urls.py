from django.urls import include, path

from scorecards import views
from scorecards.models import Level

urlpatterns = [
    path("results/", views.ResultsIndexView.as_view(), name="results"),
    path("results/fieldwork/", views.LatestView.as_view(page="fieldwork"), name="results-fieldwork-latest"),
    path("results/league-table/", views.LatestView.as_view(page="league-table"), name="results-league-table-latest"),
    path("results/my-scorecard/", views.LatestView.as_view(page="my-scorecard"), name="results-my-scorecard"),
    path("results/<int:year>/league-table/", views.LeagueTableView.as_view(), name="results-league-table"),
    path("results/<int:year>/blind-spots/", views.BlindSpotsView.as_view(), name="results-blind-spots"),
    path("results/<int:year>/england/", views.ScorecardView.as_view(level=Level.ENGLAND), name="results-england"),
    path(
        "results/<int:year>/region/<str:code>/",
        views.ScorecardView.as_view(level=Level.REGION),
        name="results-region",
    ),
    path(
        "results/<int:year>/area-team/<str:code>/",
        views.ScorecardView.as_view(level=Level.AREA_TEAM),
        name="results-area-team",
    ),
    path("", include("scorecards.provisional.urls")),
]
