from django.urls import path

from accounts.people import views

urlpatterns = [
    path("manage/people/", views.PeopleView.as_view(), name="manage-people"),
    path("manage/people/invite/", views.InviteView.as_view(), name="manage-people-invite"),
    path("manage/people/<int:pk>/", views.PersonView.as_view(), name="manage-person"),
    path("welcome/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
]
