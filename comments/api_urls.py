from django.urls import path

from comments import api

urlpatterns = [
    path("cycles/<int:year>/comments/", api.CommentListApi.as_view(), name="api-comments"),
    path("cycles/<int:year>/comments/<uuid:pk>/", api.CommentDetailApi.as_view(), name="api-comment"),
]
