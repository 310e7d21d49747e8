from django.urls import path

from exports import api as api_exports

urlpatterns = [
    path("cycles/<int:year>/exports/", api_exports.ExportRequestApi.as_view(), name="api-export-request"),
    path("exports/<int:pk>/", api_exports.ExportDetailApi.as_view(), name="api-export"),
    path("exports/<int:pk>/download/", api_exports.ExportDownloadApi.as_view(), name="api-export-download"),
    path(
        "cycles/<int:year>/area-teams/<str:code>/board-pack/",
        api_exports.BoardPackRequestApi.as_view(),
        name="api-board-pack-request",
    ),
    path("board-packs/<int:pk>/", api_exports.BoardPackDetailApi.as_view(), name="api-board-pack"),
    path("board-packs/<int:pk>/download/", api_exports.BoardPackDownloadApi.as_view(), name="api-board-pack-download"),
]
