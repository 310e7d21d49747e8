from django.urls import path

from exports import views as views_exports

urlpatterns = [
    path("manage/exports/", views_exports.ExportListView.as_view(), name="exports"),
    path("manage/exports/<int:pk>/", views_exports.ExportDetailView.as_view(), name="export-detail"),
    path("manage/exports/<int:pk>/retry/", views_exports.ExportRetryView.as_view(), name="export-retry"),
    path("manage/exports/<int:pk>/download/", views_exports.ExportDownloadView.as_view(), name="export-download"),
]
