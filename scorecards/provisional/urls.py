from django.urls import path

from scorecards.models import Level
from scorecards.provisional import views

BASE = "manage/cycles/<int:year>/provisional/"

urlpatterns = [
    path(BASE, views.ProvisionalIndexView.as_view(), name="provisional-snapshots"),
    path(f"{BASE}build/", views.ProvisionalBuildView.as_view(), name="provisional-build"),
    path(f"{BASE}<int:pk>/", views.ProvisionalSnapshotView.as_view(level=Level.ENGLAND), name="provisional-england"),
    path(f"{BASE}<int:pk>/provisional.csv", views.ProvisionalCSVView.as_view(), name="provisional-csv"),
    path(
        f"{BASE}<int:pk>/region/<str:code>/",
        views.ProvisionalSnapshotView.as_view(level=Level.REGION),
        name="provisional-region",
    ),
    path(
        f"{BASE}<int:pk>/area-team/<str:code>/",
        views.ProvisionalSnapshotView.as_view(level=Level.AREA_TEAM),
        name="provisional-area-team",
    ),
]
