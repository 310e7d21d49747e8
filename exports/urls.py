from django.urls import path

from exports import views

urlpatterns = [
    path("results/method/", views.MethodView.as_view(), name="results-method"),
    path("manage/exports/", views.ExportListView.as_view(), name="exports"),
    path("manage/exports/<int:pk>/", views.ExportDetailView.as_view(), name="export-detail"),
    path("manage/exports/<int:pk>/retry/", views.ExportRetryView.as_view(), name="export-retry"),
    path("manage/exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export-download"),
]
