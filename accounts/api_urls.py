from django.urls import path

from accounts import api

urlpatterns = [
    path("me/token/", api.MyTokenApi.as_view(), name="api-my-token"),
]
