from django.urls import path

from comments import api as api_comments

urlpatterns = [
    path("cycles/<int:year>/comments/", api_comments.CommentListApi.as_view(), name="api-comments"),
    path("cycles/<int:year>/comments/<uuid:pk>/", api_comments.CommentDetailApi.as_view(), name="api-comment"),
]
