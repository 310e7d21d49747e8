from django.urls import path

from exports import views

urlpatterns = [
    path("results/method/", views.MethodView.as_view(), name="results-method"),
    path("manage/exports/", views.ExportListView.as_view(), name="exports"),
    path("manage/exports/<int:pk>/", views.ExportDetailView.as_view(), name="export-detail"),
    path("manage/exports/<int:pk>/retry/", views.ExportRetryView.as_view(), name="export-retry"),
    path("manage/exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export-download"),
    path(
        "results/<int:year>/area-team/<str:code>/board-pack/",
        views.BoardPackRequestView.as_view(),
        name="board-pack-request",
    ),
    path("results/board-packs/<int:pk>/", views.BoardPackDetailView.as_view(), name="board-pack"),
    path("results/board-packs/<int:pk>/download/", views.BoardPackDownloadView.as_view(), name="board-pack-download"),
]
