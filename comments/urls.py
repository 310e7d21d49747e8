from django.urls import path

from comments import views

urlpatterns = [
    path("results/comments/", views.CommentsLatestView.as_view(), name="results-comments-latest"),
    path("results/<int:year>/comments/", views.CommentQueueView.as_view(), name="results-comments"),
    path("results/<int:year>/comments/bulk/", views.CommentBulkView.as_view(), name="results-comments-bulk"),
    path("results/<int:year>/comments/<uuid:pk>/", views.CommentModerateView.as_view(), name="results-comment"),
]
